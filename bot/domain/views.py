"""Read models the adapters render: plain data, no ORM, no platform types."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.facts import Facts
from bot.domain.origin import Origin
from bot.playbook.engine import FINISHED, Progress, StepStatus
from bot.playbook.schema import Step


@dataclass(frozen=True)
class AssessmentView:
    reportable: bool
    grounds: tuple[str, ...]
    notify_individuals: bool
    counted_persons: int | None
    threshold: int
    exempt_by_encryption: bool
    processor_notice: bool
    final_days: int | None
    recipient: str  # key into recipients.yaml
    entity: str = "business"  # business or public_body: 法26条・規則7条, or 法68条・規則43条
    my_number: bool = False  # the My Number rule (番号法29条の4) decides, by a ground it establishes or may
    my_number_data: bool = False  # 特定個人情報 is involved, whether or not a ground of its rule is met
    undetermined: tuple[str, ...] = ()  # grounds the facts cannot decide yet (the headcount while unknown)
    provisional: bool = False  # nothing established, something undetermined: 判定中, the 速報 target runs
    # the org's sector regulator, when it is another authority than the report's recipient (recipients.yaml)
    sector_regulator: str | None = None

    @property
    def public_body(self) -> bool:
        return self.entity == "public_body"


@dataclass(frozen=True)
class DeadlineView:
    key: str
    kind: str  # preliminary, final, individuals, controller_notice, step
    step_id: str | None
    due_at: datetime
    window_start: datetime | None
    status: str  # pending, filed, met, cancelled


@dataclass(frozen=True)
class StepView:
    step: Step
    status: StepStatus
    reason: str | None
    updated_by: str | None
    updated_at: datetime | None
    blockers: tuple[str, ...]
    due_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


@dataclass(frozen=True)
class MemberView:
    platform: str
    user_id: str
    role: str


@dataclass(frozen=True)
class RefusalView:
    """A refused attempt, for the commander: who tried what, when, and why it was refused."""

    at: datetime
    actor: str  # "slack:U…", "teams:29:…"
    attempt: str  # step, facts, file, read, …
    code: str  # not_a_member, incident_closed, stale_action, …


@dataclass(frozen=True)
class PostView:
    platform: str
    key: str  # "summary", "phase:<id>", …
    channel_id: str
    message_id: str  # "" while being sent
    link: str | None = None  # where people open it (a Slack canvas's URL), when the platform has one


@dataclass(frozen=True)
class MergedReport:
    """A look-alike report the commander merged into this incident (issue 22): who, when, what they wrote."""

    reference: str
    reporter: str  # "slack:U…"
    at: datetime
    summary: str


@dataclass(frozen=True)
class IncidentView:
    reference: str
    status: str
    platform: str
    reporter_id: str
    reporter_lang: str
    aware_at: datetime
    facts: Facts
    assessment: AssessmentView
    playbook_id: str
    channel_id: str | None
    channel_name: str | None
    created_at: datetime
    deadlines: tuple[DeadlineView, ...]
    steps: tuple[StepView, ...]  # the applicable steps, in playbook order
    members: tuple[MemberView, ...]
    progress: Progress
    audit_events: int = 0
    refusals: int = 0  # refused attempts in the audit trail
    last_refusal: RefusalView | None = None
    posts: tuple[PostView, ...] = ()  # the bot's living messages, read in the same transaction
    document_states: dict = field(default_factory=dict)  # as stored; bot.documents.status reads it
    # a rehearsal (issue 14): {"scenario", "speed", "started_at", "injects_done"}; None for a real incident
    drill: dict | None = None
    # a report made outside chat (`leakbot incidents import`): its reporter is no chat user; None for /leak
    origin: Origin | None = None
    # retention (issue 21): when it was closed, the commander's legal hold, when its free text was purged
    closed_at: datetime | None = None
    legal_hold: bool = False
    purged_at: datetime | None = None
    # the laws beyond Japan the affected people bring in (bot.regimes.RegimeResult), in the order chosen
    regimes: tuple = ()
    merged_into: str | None = None  # status "merged": the reference of the incident it now is part of
    merged: tuple[MergedReport, ...] = ()  # the reports merged into this one, oldest first

    @property
    def is_drill(self) -> bool:
        return self.drill is not None

    @property
    def imported(self) -> bool:
        return self.origin is not None

    def post(self, platform: str, key: str) -> PostView | None:
        return next((p for p in self.posts if p.platform == platform and p.key == key), None)

    def step(self, step_id: str) -> StepView:
        return next(s for s in self.steps if s.step.id == step_id)

    @property
    def open_legal_deadlines(self) -> tuple[DeadlineView, ...]:
        return tuple(d for d in self.deadlines if d.kind != "step" and d.status == "pending")

    def next_legal_deadline(self) -> DeadlineView | None:
        pending = sorted(self.open_legal_deadlines, key=lambda d: d.due_at)
        return pending[0] if pending else None

    def members_with_role(self, role: str) -> tuple[str, ...]:
        return tuple(m.user_id for m in self.members if m.role == role)


@dataclass(frozen=True)
class Change:
    """One thing a use case changed, to be said in the channel and kept in the audit trail."""

    what: str  # e.g. "deadline_moved", "became_reportable", "steps_added"
    detail: dict = field(default_factory=dict)
