"""``assess_regimes``: one pure result per jurisdiction, each law decided on its own clock.

JP is bot.appi's assessment unchanged; the other regimes are decided by their files' rules (schema.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.appi.assessment import Assessment, assess, counted_persons
from bot.regimes.clocks import day_in, days_after, end_of_day_in, hours_after
from bot.regimes.facts import RegimeFacts
from bot.regimes.loader import regimes
from bot.regimes.schema import (
    AnyOf,
    Condition,
    DaysAfterAssessment,
    Hours,
    PersonsAtLeast,
    Regime,
    When,
    when_conditions,
)

Truth = bool | None  # None: undetermined


@dataclass(frozen=True)
class RegimeResult:
    """What one law asks of this leak. Instants are in JST; ``local`` shows one in the regime's own zone."""

    regime: Regime
    reportable: Truth  # to the authority: true, false, or None while a decisive fact is unknown
    authority_due: datetime | None  # None: the law sets no instant, or it cannot be known yet
    provisional: bool  # reportable is undetermined but the clock already runs from awareness: watch it
    assessment_due: date | None  # the law's time to assess (SG, AU), in the regime's calendar
    assessment_late: Truth  # assessed_at fell after assessment_due (None: not assessed yet)
    notify_individuals: Truth
    individuals_due: datetime | None  # an instant where the law counts hours (KR)
    individuals_promptly: bool  # the people are due "without (undue) delay" / "as soon as practicable"
    processor_notice: bool  # as a processor, tell the controller promptly instead
    grounds: tuple[str, ...]  # the conditions established (fact names, persons_at_least_N; JP: bot.appi's)
    undetermined: tuple[str, ...]  # the unknown facts that keep reportable (or the notice) undetermined
    authority_override: str | None = None  # RegimeFacts.authorities[code]
    appi: Assessment | None = None  # JP: the APPI assessment itself

    @property
    def code(self) -> str:
        return self.regime.code

    def authority(self, lang: str = "en") -> str:
        return self.authority_override or self.regime.authority.name.get(lang)

    def local(self, instant: datetime) -> datetime:
        """``instant`` in the regime's zone (Europe/Brussels for EU, …)."""
        return instant.astimezone(self.regime.tz)


def assess_regimes(facts: RegimeFacts) -> tuple[RegimeResult, ...]:
    """Pure: one result per ``facts.jurisdictions``, in the order given."""
    known = regimes()
    return tuple(_assess(known[code], facts) for code in facts.jurisdictions)


def _assess(regime: Regime, facts: RegimeFacts) -> RegimeResult:
    if regime.engine == "appi":
        return _appi(regime, facts)
    return _rules(regime, facts)


def _appi(regime: Regime, facts: RegimeFacts) -> RegimeResult:
    result = assess(facts.appi_input())
    reportable: Truth = True if result.reportable else (None if result.provisional else False)
    return RegimeResult(
        regime=regime,
        reportable=reportable,
        authority_due=result.final.due_at if result.final else None,
        provisional=result.provisional,
        assessment_due=None,
        assessment_late=None,
        notify_individuals=reportable,
        individuals_due=None,
        individuals_promptly=result.notify_individuals,
        processor_notice=result.processor_notice,
        grounds=tuple(str(g) for g in result.grounds),
        undetermined=tuple(str(g) for g in result.undetermined),
        authority_override=facts.authorities.get(regime.code),
        appi=result,
    )


def _rules(regime: Regime, facts: RegimeFacts) -> RegimeResult:
    assert facts.aware_at is not None  # RegimeFacts requires it for every regime but JP
    authority = regime.authority
    assert authority.when is not None and authority.clock is not None
    assessment_due = None
    if regime.assessment is not None:
        assessment_due = days_after(day_in(facts.aware_at, regime.tz), regime.assessment.days)
    if facts.acting_as == "processor" and regime.processor is not None:
        return RegimeResult(
            regime=regime,
            reportable=False,
            authority_due=None,
            provisional=False,
            assessment_due=None,
            assessment_late=None,
            notify_individuals=False,
            individuals_due=None,
            individuals_promptly=False,
            processor_notice=True,
            grounds=(),
            undetermined=(),
            authority_override=facts.authorities.get(regime.code),
        )
    reportable = _decide(authority.when, authority.unless, facts)
    due = None if reportable is False else _due(authority.clock, facts, regime)
    individuals = regime.individuals
    notify = _decide(individuals.when, individuals.unless, facts) if individuals else False
    individuals_due = None
    if individuals is not None and notify is not False:
        individuals_due = _due(individuals.clock, facts, regime)
    late = None
    if assessment_due is not None and facts.assessed_at is not None:
        late = day_in(facts.assessed_at, regime.tz) > assessment_due
    undetermined = _unknown(authority.when, authority.unless, facts) if reportable is None else []
    if individuals is not None and notify is None:
        undetermined += _unknown(individuals.when, individuals.unless, facts)
    return RegimeResult(
        regime=regime,
        reportable=reportable,
        authority_due=due,
        provisional=reportable is None and due is not None,
        assessment_due=assessment_due,
        assessment_late=late,
        notify_individuals=notify,
        individuals_due=individuals_due,
        individuals_promptly=notify is True and individuals is not None and individuals.clock == "promptly",
        processor_notice=False,
        grounds=tuple(_name(c) for c in when_conditions(authority.when) if _value(c, facts) is True),
        undetermined=tuple(dict.fromkeys(undetermined)),
        authority_override=facts.authorities.get(regime.code),
    )


def _due(clock: object, facts: RegimeFacts, regime: Regime) -> datetime | None:
    if isinstance(clock, Hours):
        assert facts.aware_at is not None
        return hours_after(facts.aware_at, clock.hours)
    if isinstance(clock, DaysAfterAssessment) and facts.assessed_at is not None:
        day = days_after(day_in(facts.assessed_at, regime.tz), clock.days_after_assessment)
        return end_of_day_in(day, regime.tz)
    return None  # "promptly", or not yet assessed


def _value(condition: Condition, facts: RegimeFacts) -> Truth:
    if isinstance(condition, PersonsAtLeast):
        count = counted_persons(facts.persons, facts.persons_upper_bound)
        return None if count is None else count >= condition.persons_at_least
    return getattr(facts, condition)


def _any(values: list[Truth]) -> Truth:
    return True if True in values else (None if None in values else False)


def _when(when: When, facts: RegimeFacts) -> Truth:
    if when == "always":
        return True
    values = [_value(c, facts) for c in when_conditions(when)]
    if isinstance(when, AnyOf):
        return _any(values)
    return False if False in values else (None if None in values else True)


def _decide(when: When, unless: tuple[Condition, ...], facts: RegimeFacts) -> Truth:
    """``when`` and not any of ``unless``, three-valued: unknown facts leave the answer undetermined."""
    base, lifted = _when(when, facts), _any([_value(c, facts) for c in unless])
    if base is False or lifted is True:
        return False
    return True if base is True and lifted is False else None


def _unknown(when: When, unless: tuple[Condition, ...], facts: RegimeFacts) -> list[str]:
    conditions = (*when_conditions(when), *unless) if when != "always" else unless
    return [_name(c, persons=True) for c in conditions if _value(c, facts) is None]


def _name(condition: Condition, persons: bool = False) -> str:
    if isinstance(condition, PersonsAtLeast):
        return "persons" if persons else f"persons_at_least_{condition.persons_at_least}"
    return condition
