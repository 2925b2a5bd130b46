"""The response channel's living messages: the incident summary and one message per playbook phase."""

from __future__ import annotations

from datetime import datetime

from adapters.slack.blocks.elements import Block, button, context, divider, header, md, section
from adapters.slack.mrkdwn import safe, user
from bot.domain.views import IncidentView, StepView
from bot.domain.vocabulary import OWNER_ROLES, Role
from bot.i18n import t
from bot.playbook.engine import FINISHED, StepStatus
from bot.playbook.schema import Playbook
from bot.presentation import (
    assessment_text,
    jst,
    legal_deadline_lines,
    persons_text,
    progress_bar,
    refusals_line,
    step_meta,
)

STATUS_ICON = {
    StepStatus.TODO: "⬜",
    StepStatus.IN_PROGRESS: "🔄",
    StepStatus.DONE: "✅",
    StepStatus.SKIPPED: "⏭️",
    StepStatus.NOT_APPLICABLE: "➖",
}
STEP_ACTION = "step"
SUMMARY_ACTION = "summary"


def _who(actor: str | None) -> str:
    if actor and actor.startswith("slack:"):
        return user(actor.split(":", 1)[1])
    return safe(actor or "")


def summary_blocks(incident: IncidentView, now: datetime, lang: str) -> list[Block]:
    facts = incident.facts
    ref = incident.reference
    items = ", ".join(t(f"item.{i}", lang) for i in facts.data_items) or t("summary.none", lang)
    status = t("form.confirmed_yes" if facts.confirmed else "form.suspected", lang)
    if facts.processor_involved:
        status += " · " + t("summary.processor", lang)
    fields = [
        md(f"*{t('summary.discovered', lang)}*\n{jst(incident.aware_at, lang)}"),
        md(f"*{t('summary.status', lang)}*\n{status}"),
        md(f"*{t('summary.cause', lang)}*\n{t('cause.' + facts.cause, lang)}"),
        md(f"*{t('summary.persons', lang)}*\n{persons_text(incident, lang)}"),
        md(f"*{t('summary.items', lang)}*\n{safe(items, 1900)}"),
        md(f"*{t('summary.reporter', lang)}*\n{user(incident.reporter_id)}"),
    ]
    deadlines = "\n".join(f"• {line}" for line in legal_deadline_lines(incident, now, lang)) or t(
        "summary.no_deadlines", lang
    )
    team = []
    for role in (*OWNER_ROLES, Role.EXECUTIVES):
        people = " ".join(user(u) for u in incident.members_with_role(str(role))) or t("summary.nobody", lang)
        team.append(f"• {t('role.' + role, lang)}: {people}")
    value = {"r": ref}
    blocks: list[Block] = [
        header(t("summary.header", lang, reference=ref)),
        section(safe(facts.summary or "-")),
        {"type": "section", "fields": fields},
        section(f"{t('summary.assessment', lang)}\n{assessment_text(incident.assessment, lang)}"),
        section(f"{t('summary.deadlines', lang)}\n{deadlines}"),
        section(f"{t('summary.team', lang)}\n" + "\n".join(team)),
        context(
            f"{t('summary.progress', lang)}: {progress_bar(incident.progress.finished, incident.progress.total)}"
        ),
    ]
    last = incident.last_refusal
    refused = refusals_line(incident, user(last.actor.split(":", 1)[1]) if last else "", lang)
    if refused:
        blocks.append(context(refused))
    if incident.status == "closed":
        blocks.append(context(t("summary.closed", lang)))
    else:
        blocks.append(
            {
                "type": "actions",
                "block_id": f"summary:{ref}",
                "elements": [
                    button(t("summary.edit_facts", lang), f"{SUMMARY_ACTION}:facts", value, style="primary"),
                    button(t("summary.calendar", lang), f"{SUMMARY_ACTION}:calendar", value),
                    button(t("summary.correct", lang), f"{SUMMARY_ACTION}:correct", value),
                    button(t("summary.refresh", lang), f"{SUMMARY_ACTION}:refresh", value),
                ],
            }
        )
    return blocks


def summary_text(incident: IncidentView, lang: str) -> str:
    """The notification text that goes with the blocks (and what screen readers read)."""
    return t("summary.header", lang, reference=incident.reference)


def _buttons(step: StepView, ref: str, lang: str) -> list[dict]:
    targets: list[tuple[str, StepStatus, str | None]]
    if step.status in FINISHED:
        targets = [("button.reopen", StepStatus.IN_PROGRESS, None)]
    else:
        targets = [("button.done", StepStatus.DONE, "primary")]
        if step.status == StepStatus.TODO:
            targets.insert(0, ("button.start", StepStatus.IN_PROGRESS, None))
        targets += [
            ("button.skip", StepStatus.SKIPPED, None),
            ("button.not_applicable", StepStatus.NOT_APPLICABLE, None),
        ]
    return [
        button(
            t(label, lang),
            f"{STEP_ACTION}:{step.step.id}:{target}",
            {"r": ref, "s": step.step.id, "t": str(target)},
            style,
        )
        for label, target, style in targets
    ]


def _step_text(step: StepView, incident: IncidentView, now: datetime, lang: str) -> str:
    lines = [
        f"{STATUS_ICON[step.status]} *{safe(step.step.title.get(lang), 300)}*",
        safe(step.step.guidance.get(lang), 1500),
    ]
    meta = step_meta(step, incident, now, lang)
    if step.status != StepStatus.TODO:
        meta.append(t("step.by", lang, status=t("status." + step.status, lang), who=_who(step.updated_by)))
    if step.reason:
        meta.append(t("step.reason", lang, reason=safe(step.reason, 500)))
    if step.step.captures and step.status not in FINISHED:
        meta.append(t("step.captures", lang))
    return "\n".join(lines) + "\n" + " · ".join(meta)


def phase_blocks(
    incident: IncidentView, playbook: Playbook, phase_id: str, now: datetime, lang: str
) -> list[Block]:
    phases = [p for p in playbook.phases if any(s.step.phase == p.id for s in incident.steps)]
    phase = next(p for p in phases if p.id == phase_id)
    number = [p.id for p in phases].index(phase_id) + 1
    steps = [s for s in incident.steps if s.step.phase == phase_id]
    finished = sum(1 for s in steps if s.status in FINISHED)
    blocks: list[Block] = [
        header(t("phase.header", lang, phase=phase.title.get(lang), number=number, count=len(phases))),
        context(f"{incident.reference} · {progress_bar(finished, len(steps))}"),
    ]
    dividers = len(steps) <= 15  # a message holds 50 blocks: 2 + 3 per step with dividers, 2 without
    for step in steps:
        if dividers:
            blocks.append(divider())
        blocks.append(section(_step_text(step, incident, now, lang), block_id=f"step:{step.step.id}"))
        if incident.status != "closed":
            blocks.append(
                {
                    "type": "actions",
                    "block_id": f"act:{step.step.id}",
                    "elements": _buttons(step, incident.reference, lang),
                }
            )
    return blocks


def phase_text(incident: IncidentView, playbook: Playbook, phase_id: str, lang: str) -> str:
    phase = next(p for p in playbook.phases if p.id == phase_id)
    return f"{incident.reference}: {phase.title.get(lang)}"
