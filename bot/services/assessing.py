"""From an incident's facts to its assessment, situation and planned deadlines."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.appi.assessment import Assessment, AssessmentInput, assess
from bot.appi.deadlines import JST
from bot.appi.recipients import recipient_for, sector_regulator_for
from bot.config.org import OrgConfig
from bot.domain.facts import Facts
from bot.domain.views import AssessmentView
from bot.domain.vocabulary import DeadlineKind
from bot.playbook.engine import Situation, step_due_times
from bot.playbook.schema import Playbook
from bot.regimes import RegimeFacts, RegimeResult, assess_regimes
from bot.regimes.clocks import end_of_day_in
from bot.regimes.schema import Hours


def aware_date(aware_at: datetime):
    """The day of awareness is counted in Japan time, whatever the server's zone."""
    return aware_at.astimezone(JST).date()


def assess_facts(facts: Facts, aware_at: datetime, org: OrgConfig) -> Assessment:
    return assess(
        AssessmentInput(
            aware_on=aware_date(aware_at),
            persons=facts.persons,
            persons_upper_bound=facts.persons_upper_bound,
            sensitive=facts.is_sensitive,
            financial=facts.is_financial,
            malicious=facts.is_malicious,
            encrypted=facts.encrypted,
            my_number=facts.involves_my_number,
            entity=org.organization.entity,
            acting_as="processor" if facts.acting_for_controller else "controller",
        ),
        individuals_target_days=org.reminders.individuals_target_days,
    )


def assess_other_regimes(facts: Facts, aware_at: datetime, org: OrgConfig) -> tuple[RegimeResult, ...]:
    """Each law beyond Japan the affected people bring in (Facts.jurisdictions), decided on its own clock.
    With an establishment in the EU (or the UK) the org config's lead supervisory authority receives it."""
    codes = facts.regime_codes
    if not codes:
        return ()
    authorities = {
        code: org.regime(code).lead_authority
        for code in codes
        if code in facts.establishments and org.regime(code).lead_authority
    }
    regime_facts = RegimeFacts.from_facts(
        facts,
        aware_at=aware_at,
        jurisdictions=codes,
        entity=org.organization.entity,
        risk=facts.risk,
        high_risk=facts.high_risk,
        significant_harm=facts.significant_harm,
        serious_harm=facts.serious_harm,
        assessed_at=facts.assessed_at,
        authorities=authorities,
    )
    return assess_regimes(regime_facts)


def regime_key(code: str, duty: str) -> str:
    """A regime's deadline row: ``regime:EU:authority``, ``regime:KR:individuals``, ``regime:SG:assessment``."""
    return f"regime:{code}:{duty}"


def regime_deadlines(results: tuple[RegimeResult, ...]) -> dict[str, PlannedDeadline]:
    """Each regime's instants as deadline rows: an hour clock (72 h) is kind ``regime_hours``, a day counted
    in the regime's own calendar (SG, AU) ``regime_days``. "Promptly" has no instant and no row."""
    plan: dict[str, PlannedDeadline] = {}
    for result in results:
        authority = result.regime.authority
        if result.authority_due is not None:
            kind = "regime_hours" if isinstance(authority.clock, Hours) else "regime_days"
            key = regime_key(result.code, "authority")
            plan[key] = PlannedDeadline(kind, result.authority_due)
        if result.individuals_due is not None:
            key = regime_key(result.code, "individuals")
            plan[key] = PlannedDeadline("regime_hours", result.individuals_due)
        if result.assessment_due is not None and result.assessment_late is None and not result.reportable:
            due = end_of_day_in(result.assessment_due, result.regime.tz)
            plan[regime_key(result.code, "assessment")] = PlannedDeadline("regime_days", due)
    return plan


def recipient_key(assessment: Assessment, org: OrgConfig) -> str:
    """Who receives the report: a public body and a My Number report go to the PPC itself (the delegation of
    法150条 is for businesses' APPI reports); a business to its sector's delegate (recipients.yaml)."""
    if assessment.entity == "public_body" or assessment.my_number:
        return "ppc"
    return recipient_for(org.organization.sector).key


def assessment_view(assessment: Assessment, org: OrgConfig) -> AssessmentView:
    recipient = recipient_key(assessment, org)
    regulator = org.organization.sector_regulator or sector_regulator_for(org.organization.sector)
    return AssessmentView(
        reportable=assessment.reportable,
        grounds=tuple(str(g) for g in assessment.grounds),
        notify_individuals=assessment.notify_individuals,
        counted_persons=assessment.counted_persons,
        threshold=assessment.threshold,
        exempt_by_encryption=assessment.exempt_by_encryption,
        processor_notice=assessment.processor_notice,
        final_days=assessment.final_days,
        recipient=recipient,
        entity=assessment.entity,
        my_number=assessment.my_number,
        my_number_data=assessment.my_number_data,
        undetermined=tuple(str(g) for g in assessment.undetermined),
        provisional=assessment.provisional,
        sector_regulator=regulator if regulator not in (None, recipient) else None,
    )


def situation_for(facts: Facts, assessment: Assessment, org: OrgConfig) -> Situation:
    view = assessment_view(assessment, org)
    return Situation(
        cause=facts.cause,
        reportable=assessment.reportable,
        processor_involved=facts.processor_involved,
        acting_for_controller=facts.acting_for_controller,
        financial=facts.is_financial,
        malicious=facts.is_malicious,
        sector_regulator=view.sector_regulator is not None,
        provisional=assessment.provisional,
    )


@dataclass(frozen=True)
class PlannedDeadline:
    kind: str
    due_at: datetime
    window_start: datetime | None = None
    step_id: str | None = None


def planned_deadlines(
    assessment: Assessment,
    playbook: Playbook,
    situation: Situation,
    aware_at: datetime,
    finished_at: Mapping[str, datetime],
    regimes: tuple[RegimeResult, ...] = (),
) -> dict[str, PlannedDeadline]:
    """Every deadline the incident should carry now, by key (``regimes``: the laws beyond Japan)."""
    plan: dict[str, PlannedDeadline] = {}
    if assessment.preliminary is not None:
        # 「速やかに」: the row's due time is the guideline's target (end of day 5), not a legal date and
        # not a window to wait for, so it carries no window start.
        plan[DeadlineKind.PRELIMINARY] = PlannedDeadline(
            DeadlineKind.PRELIMINARY, assessment.preliminary.due_at
        )
    if assessment.final is not None:
        plan[DeadlineKind.FINAL] = PlannedDeadline(DeadlineKind.FINAL, assessment.final.due_at)
    if assessment.notify_individuals and assessment.individuals_target is not None:
        # 本人通知 is due 「速やかに」 with no legal date: a row only for the org's internal target. Without
        # one the playbook step notify_individuals tracks it and the summary says 「速やかに」.
        plan[DeadlineKind.INDIVIDUALS] = PlannedDeadline(
            DeadlineKind.INDIVIDUALS, assessment.individuals_target.due_at
        )
    if assessment.controller_notice_due_at is not None:
        plan[DeadlineKind.CONTROLLER_NOTICE] = PlannedDeadline(
            DeadlineKind.CONTROLLER_NOTICE, assessment.controller_notice_due_at
        )
    for step_id, due in step_due_times(playbook, situation, aware_at, finished_at).items():
        plan[f"step:{step_id}"] = PlannedDeadline("step", due, step_id=step_id)
    return plan | regime_deadlines(regimes)
