"""The response channel's living messages as view models: the summary (pinned, starting with 次にやること)
and one message per playbook phase, each step with one primary action and a menu. Computed once here;
Slack and Teams only map them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.documents.status import states as document_states
from bot.domain.views import IncidentView, StepView
from bot.domain.vocabulary import OWNER_ROLES, Role
from bot.i18n import t
from bot.i18n.rich import Rich, link, mention, plain, r, rich
from bot.playbook.engine import FINISHED, StepStatus
from bot.playbook.schema import Playbook
from bot.presentation import (
    assessment_text,
    deadline_line,
    drill_marked,
    incident_now,
    jst,
    legal_deadline_lines,
    persons_text,
    progress_bar,
    refusals_line,
    step_meta,
)
from bot.views.elements import Action, Field, Part, people, person
from bot.views.lookalike import merged_part
from bot.views.notices import reported_outside_chat
from bot.views.regimes import regimes_part

STATUS_ICON = {
    StepStatus.TODO: "⬜",
    StepStatus.IN_PROGRESS: "🔄",
    StepStatus.DONE: "✅",
    StepStatus.SKIPPED: "⏭️",
    StepStatus.NOT_APPLICABLE: "➖",
}
NEXT_STEPS = 3  # how many next steps the summary names


@dataclass(frozen=True)
class SummaryView:
    reference: str
    title: str
    next_steps: (
        Part  # 次にやること: the next open steps with the named people, and the nearest legal deadline
    )
    description: str  # the reporter's words, as typed
    fields: tuple[Field, ...]
    parts: tuple[Part, ...]  # the assessment, the deadlines, the team
    notes: tuple[Rich, ...]  # progress, refused attempts, closed
    actions: tuple[Action, ...]  # none once the incident is closed

    @property
    def fallback(self) -> str:
        return self.title


@dataclass(frozen=True)
class StepLine:
    step_id: str
    icon: str
    title: str
    guidance: str  # empty when collapsed
    meta: tuple[Rich, ...]
    collapsed: bool  # a finished step shows as one line
    primary: Action | None  # 着手 → 完了
    menu: tuple[Action, ...]  # スキップ / 該当なし, or 再開 once finished


@dataclass(frozen=True)
class PhaseView:
    reference: str
    phase_id: str
    title: str
    progress: str
    steps: tuple[StepLine, ...]

    @property
    def fallback(self) -> str:
        return f"{self.reference}: {self.title}"


def _assignees(step: StepView, incident: IncidentView) -> tuple[str, ...]:
    return incident.members_with_role(str(step.step.owner))


def next_steps(incident: IncidentView, now: datetime, lang: str) -> Part:
    """The steps to do now (started ones first, then those whose requirements are met), each with the
    people who hold its role by name, and the nearest legal deadline."""
    open_steps = [s for s in incident.steps if not s.finished and not s.blockers]
    open_steps.sort(key=lambda s: s.status != StepStatus.IN_PROGRESS)
    lines: list[Rich] = []
    for step in open_steps[:NEXT_STEPS]:
        who = _assignees(step, incident)
        owner = people(who, "") if who else plain(t("role." + step.step.owner, lang))
        lines.append(r(f"{STATUS_ICON[step.status]} ", step.step.title.get(lang), " — ", owner))
    if not lines:
        lines.append(plain(t("summary.all_done", lang)))
    nearest = incident.next_legal_deadline()
    if nearest is not None:
        lines.append(r("📅 ", deadline_line(nearest, incident, now, lang)))
    return Part(t("summary.next", lang), tuple(lines))


def documents_lines(incident: IncidentView, lang: str) -> tuple[Rich, ...]:
    """Where each draft stands (the drafts themselves are in the channel's canvas)."""
    post = incident.post(incident.platform, "drafts")  # bot.journey.drafts.DRAFTS
    where = (
        "none" if post is None or not post.message_id else "files" if post.message_id == "files" else "canvas"
    )
    lines: list[Rich] = [plain(t(f"summary.documents_{where}", lang))]
    if where == "canvas" and post is not None and post.link:
        lines.append(r("🔗 ", link(post.link, t("summary.documents_open", lang))))
    for state in document_states(incident.document_states, incident.deadlines, incident.facts.jurisdictions):
        status = t(f"document.status.{state.status}", lang)
        if state.by and state.status != "draft":
            lines.append(r(f"• {t('document.' + state.key, lang)}: {status} ", person(state.by)))
        else:
            lines.append(plain(f"• {t('document.' + state.key, lang)}: {status}"))
    return tuple(lines)


def summary_view(incident: IncidentView, now: datetime, lang: str) -> SummaryView:
    """The pinned summary. ``now`` is real; a drill's is said in drill time and its title marked 【訓練】."""
    now = incident_now(incident, now)
    facts = incident.facts
    ref = incident.reference
    items = ", ".join(t(f"item.{i}", lang) for i in facts.data_items) or t("summary.none", lang)
    status = t("form.confirmed_yes" if facts.confirmed else "form.suspected", lang)
    if facts.processor_involved:
        status += " · " + t("summary.processor", lang)
    fields = (
        Field(t("summary.discovered", lang), plain(jst(incident.aware_at, lang))),
        Field(t("summary.status", lang), plain(status)),
        Field(t("summary.cause", lang), plain(t("cause." + facts.cause, lang))),
        Field(t("summary.persons", lang), plain(persons_text(incident, lang))),
        Field(t("summary.items", lang), plain(items)),
        Field(
            t("summary.reporter", lang),
            plain(reported_outside_chat(incident, lang))
            if incident.imported
            else (mention(incident.reporter_id),),
        ),
    )
    deadlines = tuple(r(f"• {line}") for line in legal_deadline_lines(incident, now, lang)) or (
        plain(t("summary.no_deadlines", lang)),
    )
    team = tuple(
        r(
            f"• {t('role.' + role, lang)}: ",
            people(incident.members_with_role(str(role)), t("summary.nobody", lang)),
        )
        for role in (*OWNER_ROLES, Role.EXECUTIVES)
    )
    parts = (
        Part(t("summary.assessment", lang), (assessment_text(incident.assessment, lang),)),
        *regimes_part(incident, lang),
        Part(t("summary.deadlines", lang), deadlines),
        Part(t("summary.team", lang), team),
        *merged_part(incident, lang),
        Part(t("summary.documents", lang), documents_lines(incident, lang)),
    )
    notes: list[Rich] = [
        plain(
            f"{t('summary.progress', lang)}: {progress_bar(incident.progress.finished, incident.progress.total)}"
        )
    ]
    last = incident.last_refusal
    refused = refusals_line(incident, person(last.actor)[0], lang) if last else None
    if refused:
        notes.append(refused)
    actions: tuple[Action, ...] = ()
    if incident.status == "closed":
        notes.append(plain(t("summary.closed", lang)))
    else:
        value = {"r": ref}
        actions = (
            Action(t("summary.edit_facts", lang), "facts", value, "primary"),
            Action(t("summary.calendar", lang), "calendar", value),
            Action(t("summary.correct", lang), "correct", value),
            Action(t("summary.documents_button", lang), "docs", value),
            Action(t("summary.edit_button", lang), "edit", value),
            Action(t("summary.refresh", lang), "refresh", value),
        )
    return SummaryView(
        reference=ref,
        title=drill_marked(t("summary.header", lang, reference=ref), incident, lang),
        next_steps=next_steps(incident, now, lang),
        description=facts.summary or "-",
        fields=fields,
        parts=parts,
        notes=tuple(notes),
        actions=actions,
    )


def _step_action(
    label: str, step: StepView, ref: str, target: StepStatus, lang: str, style: str | None = None
) -> Action:
    return Action(t(label, lang), "step", {"r": ref, "s": step.step.id, "t": str(target)}, style)


def step_line(step: StepView, incident: IncidentView, now: datetime, lang: str) -> StepLine:
    ref, closed = incident.reference, incident.status == "closed"
    meta: list[Rich] = [plain(m) for m in step_meta(step, incident, now, lang)] if not step.finished else []
    if step.status != StepStatus.TODO:
        meta.append(
            rich("step.by", lang, status=t("status." + step.status, lang), who=person(step.updated_by))
        )
    if step.reason:
        meta.append(plain(t("step.reason", lang, reason=step.reason)))
    if step.step.captures and not step.finished:
        meta.append(plain(t("step.captures", lang)))
    primary: Action | None = None
    menu: tuple[Action, ...] = ()
    if not closed:
        if step.finished:
            menu = (_step_action("button.reopen", step, ref, StepStatus.IN_PROGRESS, lang),)
        else:
            primary = (
                _step_action("button.start", step, ref, StepStatus.IN_PROGRESS, lang)
                if step.status == StepStatus.TODO
                else _step_action("button.done", step, ref, StepStatus.DONE, lang, "primary")
            )
            menu = (
                _step_action("button.skip", step, ref, StepStatus.SKIPPED, lang),
                _step_action("button.not_applicable", step, ref, StepStatus.NOT_APPLICABLE, lang),
            )
            if step.status == StepStatus.TODO:  # done without starting first, still one click away
                menu = (_step_action("button.done", step, ref, StepStatus.DONE, lang), *menu)
    return StepLine(
        step_id=step.step.id,
        icon=STATUS_ICON[step.status],
        title=step.step.title.get(lang),
        guidance="" if step.finished else step.step.guidance.get(lang),
        meta=tuple(meta),
        collapsed=step.finished,
        primary=primary,
        menu=menu,
    )


def phase_ids(incident: IncidentView, playbook: Playbook) -> list[str]:
    """The playbook's phases that hold at least one of the incident's steps, in order."""
    return [p.id for p in playbook.phases if any(s.step.phase == p.id for s in incident.steps)]


def phase_view(
    incident: IncidentView, playbook: Playbook, phase_id: str, now: datetime, lang: str
) -> PhaseView:
    """One phase's message. ``now`` is real; a drill's is said in drill time and its title marked 【訓練】."""
    now = incident_now(incident, now)
    ids = phase_ids(incident, playbook)
    phase = next(p for p in playbook.phases if p.id == phase_id)
    steps = [s for s in incident.steps if s.step.phase == phase_id]
    finished = sum(1 for s in steps if s.status in FINISHED)
    return PhaseView(
        reference=incident.reference,
        phase_id=phase_id,
        title=drill_marked(
            t(
                "phase.header",
                lang,
                phase=phase.title.get(lang),
                number=ids.index(phase_id) + 1,
                count=len(ids),
            ),
            incident,
            lang,
        ),
        progress=f"{incident.reference} · {progress_bar(finished, len(steps))}",
        steps=tuple(step_line(s, incident, now, lang) for s in steps),
    )
