"""The after-action report of a drill, as a Document the Markdown and .docx renderers print.

It reads the incident view and its audit trail, both stamped in drill time (the drill's services run on
``DrillClock.as_clock``), and says: the time to each key step against its target, the steps skipped and why,
the legal deadlines met or missed in drill time, the refused actions, and the injects delivered with how long
the team took to enter their facts. Times are said as offsets from the discovery (awareness) or from the start
of the drill, since a drill's calendar dates mean nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.appi.deadlines import JST
from bot.documents.draft import Draft
from bot.documents.model import Block, Document, Section, bullet, field, paragraph
from bot.documents.timeline import TimelineEvent
from bot.domain.views import DeadlineView, IncidentView, StepView
from bot.drills.clock import DrillClock
from bot.drills.marking import marked
from bot.drills.scenarios import Inject, Scenario, parse_offset
from bot.i18n import t
from bot.playbook.engine import StepStatus
from bot.playbook.known_steps import CONTAINMENT, REPORT_TO_SUPERIOR
from bot.presentation import is_prompt, jst

INJECT_ACTION = (
    "drill_inject"  # the trail event of a delivered inject: details {"inject": n (1-based), "at": "2h"}
)
REFUSED_ACTION = "refused"

PRELIMINARY_REPORT = "preliminary_report"  # 速報 filed
NOTIFY_INDIVIDUALS = "notify_individuals"  # 本人通知 started
LEGAL_DEADLINE_ORDER = ("preliminary", "final", "individuals", "controller_notice")


def duration_text(span: timedelta, lang: str) -> str:
    """``1日2時間30分`` / ``1d 2h 30m``; negative spans read as zero, seconds are dropped."""
    minutes = max(0, int(span.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [
        t(key, lang, n=n)
        for key, n in (("drill.unit.day", days), ("drill.unit.hour", hours), ("drill.unit.minute", minutes))
        if n
    ]
    return ("" if lang == "ja" else " ").join(parts) or t("drill.unit.minute", lang, n=0)


@dataclass(frozen=True)
class _Trail:
    events: tuple[TimelineEvent, ...]

    def step_reached(self, step_id: str, statuses: tuple[str, ...]) -> datetime | None:
        """The first time the step was set to one of ``statuses``."""
        return next(
            (
                e.at
                for e in self.events
                if e.action == "step_changed"
                and e.details.get("step") == step_id
                and e.details.get("to") in statuses
            ),
            None,
        )

    def facts_entered(self, fields: Sequence[str], after: datetime) -> datetime | None:
        wanted = set(fields)
        return next(
            (
                e.at
                for e in self.events
                if e.action == "facts_changed" and e.at >= after and wanted & set(e.details.get("fields", []))
            ),
            None,
        )


def after_action_report(
    view: IncidentView,
    events: Sequence[TimelineEvent],
    clock: DrillClock,
    lang: str = "ja",
    *,
    scenario: Scenario | None = None,
    ended_at: datetime | None = None,
) -> Document:
    """The after-action report. ``ended_at`` is the drill time the drill ended (default: its last event)."""
    trail = _Trail(tuple(sorted(events, key=lambda e: e.at)))
    end = ended_at or max([view.aware_at, *(e.at for e in trail.events)])
    report = _Report(view, trail, clock, lang, scenario, end)
    sections = (
        Section(t("drill.report.overview", lang), report.overview(), "drill.report.overview"),
        Section(t("drill.report.steps", lang), report.key_steps(), "drill.report.steps"),
        Section(t("drill.report.skipped", lang), report.skipped(), "drill.report.skipped"),
        Section(t("drill.report.deadlines", lang), report.deadlines(), "drill.report.deadlines"),
        Section(t("drill.report.refused", lang), report.refused(), "drill.report.refused"),
        Section(t("drill.report.injects", lang), report.injects(), "drill.report.injects"),
    )
    title = marked(t("drill.report.title", lang, reference=view.reference), lang)
    return Document("drill_report", title, lang, sections)


@dataclass(frozen=True)
class _Report:
    view: IncidentView
    trail: _Trail
    clock: DrillClock
    lang: str
    scenario: Scenario | None
    end: datetime

    def t(self, key: str, **params: object) -> str:
        return t(key, self.lang, **params)

    @property
    def draft(self) -> Draft:
        """For people's names or roles (never platform ids)."""
        return Draft(self.view, None, self.lang)

    def took(self, at: datetime) -> str:
        return duration_text(at - self.view.aware_at, self.lang)

    def by_day(self, due: datetime) -> str:
        """A day-counted deadline or target as the date and its day number, never 「4日13時間59分」."""
        day = (due.astimezone(JST).date() - self.view.aware_at.astimezone(JST).date()).days + 1
        return self.t("drill.target.day", date=jst(due, self.lang, with_time=False), n=day)

    def within(self, due: datetime) -> str:
        return self.t("drill.target.within", span=self.took(due))

    def none(self) -> tuple[Block, ...]:
        return (paragraph(self.t("drill.report.none")),)

    def step_view(self, step_id: str) -> StepView | None:
        return next((s for s in self.view.steps if s.step.id == step_id), None)

    def finished_at(self, step: StepView, statuses: tuple[str, ...] = (StepStatus.DONE,)) -> datetime | None:
        at = self.trail.step_reached(step.step.id, statuses)
        if at is None and step.status in statuses:
            at = step.updated_at  # a trail cut short still has the step's own time
        return at

    # --- sections --------------------------------------------------------------------------------------------
    def overview(self) -> tuple[Block, ...]:
        drill_span = self.end - self.clock.drill_start
        scenario = (
            self.scenario.title.get(self.lang) if self.scenario else self.t("drill.report.scenario_none")
        )
        speed = f"{self.clock.speed:g}"
        return (
            field(self.t("drill.report.scenario"), scenario),
            field(self.t("drill.report.reference"), self.view.reference),
            field(
                self.t("drill.report.duration"),
                self.t(
                    "drill.report.duration_value",
                    drill=duration_text(drill_span, self.lang),
                    real=duration_text(self.clock.to_real(drill_span), self.lang),
                    speed=speed,
                ),
            ),
        )

    def key_steps(self) -> tuple[Block, ...]:
        lines: list[Block] = []
        superior = self.step_view(REPORT_TO_SUPERIOR)
        if superior is not None:
            lines.append(self._step_line(superior.step.title.get(self.lang), superior, self._due(superior)))
        containment = [s for s in (self.step_view(i) for i in CONTAINMENT) if s is not None]
        if containment:
            done = [(at, s) for s in containment if (at := self.finished_at(s)) is not None]
            first = min(done, key=lambda pair: pair[0])[1] if done else containment[0]
            label = self.t("drill.report.containment", step=first.step.title.get(self.lang))
            lines.append(self._step_line(label, first, self._due(first)))
        for step_id, kind, statuses, label_key in (
            (PRELIMINARY_REPORT, "preliminary", (StepStatus.DONE,), None),
            (
                NOTIFY_INDIVIDUALS,
                "individuals",
                (StepStatus.IN_PROGRESS, StepStatus.DONE),
                "drill.report.started",
            ),
        ):
            step = self.step_view(step_id)
            title = self._title(step_id)
            label = self.t(label_key, step=title) if label_key else title
            if step is None:
                lines.append(self._line(label, self.t("drill.result.not_applicable")))
                continue
            deadline = self._legal(kind)
            due = deadline.due_at if deadline else None
            lines.append(self._step_line(label, step, due, statuses, by_day=True))
        return tuple(lines)

    def _title(self, step_id: str) -> str:
        step = self.step_view(step_id)
        return step.step.title.get(self.lang) if step else step_id

    def _due(self, step: StepView) -> datetime | None:
        return step.due_at or (
            self.view.aware_at + timedelta(hours=step.step.due.hours)
            if step.step.due and step.step.due.after == "awareness"
            else None
        )

    def _legal(self, kind: str) -> DeadlineView | None:
        return next((d for d in self.view.deadlines if d.kind == kind), None)

    def _line(self, label: str, result: str) -> Block:
        return bullet(self.t("drill.report.step_line", step=label, result=result))

    def _step_line(
        self,
        label: str,
        step: StepView,
        due: datetime | None,
        statuses: tuple[str, ...] = (StepStatus.DONE,),
        *,
        by_day: bool = False,
    ) -> Block:
        """``by_day``: a legal deadline or target counted in days (shown as its date); else an hours target."""
        at = self.finished_at(step, statuses)
        if step.status is StepStatus.NOT_APPLICABLE:
            return self._line(label, self.t("drill.result.not_applicable"))
        if due is None:
            result = (
                self.t("drill.result.no_target", took=self.took(at))
                if at
                else self.t("drill.result.not_done_no_target")
            )
            return self._line(label, result)
        target = self.by_day(due) if by_day else self.within(due)
        if at is None:
            key = "drill.result.not_done_overdue" if self.end > due else "drill.result.not_done"
            return self._line(label, self.t(key, target=target))
        if at <= due:
            return self._line(label, self.t("drill.result.on_time", took=self.took(at), target=target))
        over = duration_text(at - due, self.lang)
        return self._line(label, self.t("drill.result.late", took=self.took(at), target=target, over=over))

    def skipped(self) -> tuple[Block, ...]:
        lines = [
            bullet(
                self.t(
                    "drill.report.skipped_line",
                    step=s.step.title.get(self.lang),
                    reason=s.reason or self.t("drill.report.no_reason"),
                )
            )
            for s in self.view.steps
            if s.status is StepStatus.SKIPPED
        ]
        return tuple(lines) or self.none()

    def deadlines(self) -> tuple[Block, ...]:
        legal = [d for d in self.view.deadlines if d.kind != "step"]
        legal.sort(key=lambda d: LEGAL_DEADLINE_ORDER.index(d.kind) if d.kind in LEGAL_DEADLINE_ORDER else 9)
        lines: list[Block] = []
        for deadline in legal:
            name = self.t(f"deadline.{deadline.kind}")
            due = self.by_day(deadline.due_at)
            kind = self.t("drill.kind.target" if is_prompt(deadline) else "drill.kind.deadline")
            if deadline.status == "cancelled":
                lines.append(bullet(self.t("drill.deadline.cancelled", deadline=name)))
                continue
            done = self._filed_at(deadline)
            if done is not None:
                key = "drill.deadline.met" if done <= deadline.due_at else "drill.deadline.late"
                lines.append(bullet(self.t(key, deadline=name, done=self.took(done), due=due, kind=kind)))
            else:
                key = "drill.deadline.missed" if self.end > deadline.due_at else "drill.deadline.open"
                lines.append(bullet(self.t(key, deadline=name, due=due, kind=kind)))
        return tuple(lines) or self.none()

    def _filed_at(self, deadline: DeadlineView) -> datetime | None:
        """When the step that files this deadline was done (速報 by preliminary_report, …)."""
        for step in self.view.steps:
            if step.step.deadline is not None and str(step.step.deadline) == deadline.kind:
                at = self.finished_at(step)
                if at is not None:
                    return at
        return None

    def refused(self) -> tuple[Block, ...]:
        lines = [
            bullet(
                self.t(
                    "drill.report.refused_line",
                    at=self.took(e.at),
                    actor=self.draft.who(e.actor),
                    attempt=str(e.details.get("attempt", "")),
                    code=str(e.details.get("code", "")),
                )
            )
            for e in self.trail.events
            if e.action == REFUSED_ACTION
        ]
        return tuple(lines) or self.none()

    def injects(self) -> tuple[Block, ...]:
        ordered = self.scenario.ordered_injects() if self.scenario else ()
        delivered: set[int] = set()
        lines: list[Block] = []
        for event in self.trail.events:
            if event.action != INJECT_ACTION:
                continue
            number = int(event.details.get("inject", 0))
            delivered.add(number)
            inject = ordered[number - 1] if 0 < number <= len(ordered) else None
            at = inject.at if inject else self._offset(event)
            kind = inject.kind if inject else str(event.details.get("kind", "fact"))
            say = inject.say.get(self.lang) if inject else str(event.details.get("say", ""))
            lines.append(
                bullet(
                    self.t(
                        "drill.report.inject_line",
                        number=number,
                        at=duration_text(at, self.lang),
                        kind=self.t(f"drill.inject.kind.{kind}"),
                        say=say,
                    )
                    + self._reaction(inject, event.at)
                )
            )
        for number, inject in enumerate(ordered, start=1):
            if number not in delivered:
                lines.append(
                    bullet(
                        self.t(
                            "drill.report.inject_not_delivered",
                            number=number,
                            at=duration_text(inject.at, self.lang),
                        )
                    )
                )
        return tuple(lines) or self.none()

    def _offset(self, event: TimelineEvent) -> timedelta:
        at = event.details.get("at")
        if isinstance(at, str):
            try:
                return parse_offset(at)  # type: ignore[return-value]
            except ValueError:
                pass
        return self.clock.offset_of(event.at)

    def _reaction(self, inject: Inject | None, delivered_at: datetime) -> str:
        if inject is None or not inject.fields:
            return ""
        entered = self.trail.facts_entered(inject.fields, delivered_at)
        if entered is None:
            return self.t("drill.report.inject_not_entered")
        return self.t("drill.report.inject_entered", took=duration_text(entered - delivered_at, self.lang))


__all__ = ["INJECT_ACTION", "after_action_report", "duration_text"]
