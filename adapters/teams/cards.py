"""Adaptive Cards 1.5 for Teams, rendered from the same core view models as Slack's Block Kit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from adapters.teams.text import escape
from bot.appi.deadlines import JST
from bot.domain.facts import REASON_MAX, SUMMARY_MAX, DataItem, Facts
from bot.domain.views import IncidentView, StepView
from bot.domain.vocabulary import OWNER_ROLES, Cause, Role
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
from bot.reminders.delivery import Delivery
from bot.reminders.texts import action_text, item_line, part_suffix

Card = dict[str, Any]
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
VERSION = "1.5"
FLAGS = ("sensitive", "financial", "malicious", "encrypted", "my_number")
INVOLVEMENT = ("processor_involved", "acting_for_controller")


def card(body: list[dict], actions: list[dict] | None = None) -> Card:
    result: Card = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": VERSION,
        "body": body,
    }
    if actions:
        result["actions"] = actions
    return result


def text(value: str, **extra: Any) -> dict:
    return {"type": "TextBlock", "text": value, "wrap": True, **extra}


def execute(title: str, verb: str, data: dict, **extra: Any) -> dict:
    return {"type": "Action.Execute", "title": title, "verb": verb, "data": data, **extra}


def choices(values: list[tuple[str, str]]) -> list[dict]:
    return [{"title": title, "value": value} for title, value in values]


def multi_select(input_id: str, label: str, selected: list[str], options: list[tuple[str, str]]) -> dict:
    """Checkboxes: Teams sends the chosen values comma-separated."""
    return {
        "type": "Input.ChoiceSet",
        "id": input_id,
        "label": label,
        "isMultiSelect": True,
        "style": "expanded",
        "value": ",".join(selected),
        "choices": choices(options),
    }


def _chosen(values: dict, field: str) -> list[str]:
    raw = values.get(field)
    return [v for v in raw.split(",") if v] if isinstance(raw, str) else []


def _error(errors: dict[str, str], field: str) -> list[dict]:
    return [text(errors[field], color="Attention", size="Small", spacing="None")] if field in errors else []


def report_form(
    lang: str, now: datetime, form_id: str, values: dict | None = None, errors: dict[str, str] | None = None
) -> Card:
    """The report form; on errors it comes back with what was typed and a message under each bad field."""
    values, errors = values or {}, errors or {}
    local = now.astimezone(JST)
    body: list[dict] = [
        text(t("form.title", lang), size="Large", weight="Bolder"),
        text(t("form.intro", lang), isSubtle=True),
        {
            "type": "Input.Text",
            "id": "summary",
            "label": t("form.summary", lang),
            "isMultiline": True,
            "isRequired": True,
            "errorMessage": t("form.error.required", lang),
            "maxLength": 3000,
            "placeholder": t("form.summary_hint", lang),
            "value": str(values.get("summary") or ""),
        },
        *_error(errors, "summary"),
        {
            "type": "Input.Date",
            "id": "discovered_on",
            "label": t("form.discovered_on", lang),
            "value": str(values.get("discovered_on") or local.date().isoformat()),
        },
        *_error(errors, "discovered_on"),
        {
            "type": "Input.Time",
            "id": "discovered_time",
            "label": t("form.discovered_time", lang),
            "value": str(values.get("discovered_time") or local.strftime("%H:%M")),
        },
        {
            "type": "Input.ChoiceSet",
            "id": "confirmed",
            "label": t("form.confirmed", lang),
            "style": "expanded",
            "value": str(values.get("confirmed") or "no"),
            "choices": choices([(t("form.suspected", lang), "no"), (t("form.confirmed_yes", lang), "yes")]),
        },
        {
            "type": "Input.ChoiceSet",
            "id": "cause",
            "label": t("form.cause", lang),
            "style": "compact",
            "value": str(values.get("cause") or Cause.UNKNOWN.value),
            "choices": choices([(t(f"cause.{c}", lang), c.value) for c in Cause]),
        },
        *_error(errors, "cause"),
        multi_select(
            "data_items",
            t("form.data_items", lang),
            _chosen(values, "data_items"),
            [(t(f"item.{i}", lang), i.value) for i in DataItem],
        ),
        {
            "type": "Input.Text",
            "id": "persons",
            "label": t("form.persons", lang),
            "maxLength": 15,
            "placeholder": t("form.persons_hint", lang),
            "value": str(values.get("persons") or ""),
        },
        *_error(errors, "persons"),
        {
            "type": "Input.Text",
            "id": "persons_upper_bound",
            "label": t("form.persons_upper_bound", lang),
            "maxLength": 15,
            "value": str(values.get("persons_upper_bound") or ""),
        },
        *_error(errors, "persons_upper_bound"),
        multi_select(
            "involvement",
            t("form.involvement", lang),
            _chosen(values, "involvement"),
            [(t(f"form.{k}", lang), k) for k in INVOLVEMENT],
        ),
        {
            "type": "Input.Text",
            "id": "notes",
            "label": t("form.notes", lang),
            "isMultiline": True,
            "maxLength": 3000,
            "value": str(values.get("notes") or ""),
        },
        *_error(errors, "notes"),
    ]
    return card(
        body, [execute(t("form.submit", lang), "leak.report", {"form_id": form_id}, style="positive")]
    )


def report_values(data: dict[str, Any]) -> dict[str, object]:
    """Action.Execute data (inputs merged into it) to the core report form's fields."""
    involvement = _chosen(data, "involvement")
    return {
        "summary": data.get("summary"),
        "discovered_on": data.get("discovered_on") or None,
        "discovered_time": data.get("discovered_time") or None,
        "confirmed": data.get("confirmed") == "yes",
        "cause": data.get("cause") or None,
        "data_items": _chosen(data, "data_items"),
        "persons": data.get("persons"),
        "persons_upper_bound": data.get("persons_upper_bound"),
        "processor_involved": "processor_involved" in involvement,
        "acting_for_controller": "acting_for_controller" in involvement,
        "notes": data.get("notes"),
    }


def received(reference: str, lang: str) -> Card:
    return card([text(t("report.saved_view", lang, reference=reference).replace("*", "**"))])


def summary_card(incident: IncidentView, now: datetime, lang: str) -> Card:
    facts = incident.facts
    items = ", ".join(t(f"item.{i}", lang) for i in facts.data_items) or t("summary.none", lang)
    status = t("form.confirmed_yes" if facts.confirmed else "form.suspected", lang)
    team = [
        {
            "title": t("role." + role, lang),
            "value": ", ".join(escape(u, 200) for u in incident.members_with_role(str(role)))
            or t("summary.nobody", lang),
        }
        for role in (*OWNER_ROLES, Role.EXECUTIVES)
    ]
    body: list[dict] = [
        text(t("summary.header", lang, reference=incident.reference), size="Large", weight="Bolder"),
        text(escape(facts.summary or "-")),
        {
            "type": "FactSet",
            "facts": [
                {"title": t("summary.discovered", lang), "value": jst(incident.aware_at, lang)},
                {"title": t("summary.status", lang), "value": status},
                {"title": t("summary.cause", lang), "value": t("cause." + facts.cause, lang)},
                {"title": t("summary.persons", lang), "value": persons_text(incident, lang)},
                {"title": t("summary.items", lang), "value": escape(items, 500)},
            ],
        },
        text(_md(t("summary.assessment", lang)), weight="Bolder", spacing="Medium"),
        text(_md(assessment_text(incident.assessment, lang))),
        text(_md(t("summary.deadlines", lang)), weight="Bolder", spacing="Medium"),
        text(
            "\n\n".join(f"- {line}" for line in legal_deadline_lines(incident, now, lang))
            or t("summary.no_deadlines", lang)
        ),
        text(_md(t("summary.team", lang)), weight="Bolder", spacing="Medium"),
        {"type": "FactSet", "facts": team},
        text(
            f"{t('summary.progress', lang)}: {progress_bar(incident.progress.finished, incident.progress.total)}",
            isSubtle=True,
        ),
    ]
    last = incident.last_refusal
    refused = refusals_line(incident, escape(last.actor.split(":", 1)[1], 100) if last else "", lang)
    if refused:
        body.append(text(refused, isSubtle=True, color="Warning"))
    actions = []
    if incident.status == "open":
        ref = {"r": incident.reference}
        actions = [
            execute(t("summary.edit_facts", lang), "leak.facts", ref),
            execute(t("summary.correct", lang), "leak.correct", ref),
            execute(t("summary.refresh", lang), "leak.refresh", ref),
        ]
    return card(body, actions)


def _md(value: str) -> str:
    """The catalog writes Slack's *bold*; Adaptive Cards want **bold**."""
    return value.replace("*", "**")


def _step_container(step: StepView, incident: IncidentView, now: datetime, lang: str) -> list[dict]:
    icon = {"todo": "⬜", "in_progress": "🔄", "done": "✅", "skipped": "⏭️", "not_applicable": "➖"}[
        step.status
    ]
    meta = step_meta(step, incident, now, lang)
    if step.status != StepStatus.TODO:
        meta.append(t("status." + step.status, lang))
    if step.reason:
        meta.append(t("step.reason", lang, reason=escape(step.reason, 500)))
    ref, sid = incident.reference, step.step.id
    buttons: list[dict]
    if step.status in FINISHED:
        buttons = [execute(t("button.reopen", lang), "leak.step", {"r": ref, "s": sid, "t": "in_progress"})]
    else:
        buttons = [
            execute(t("button.done", lang), "leak.step", {"r": ref, "s": sid, "t": "done"}, style="positive")
        ]
        if step.status == StepStatus.TODO:
            buttons.insert(
                0, execute(t("button.start", lang), "leak.step", {"r": ref, "s": sid, "t": "in_progress"})
            )
        buttons.append(
            execute(
                t("button.not_applicable", lang), "leak.step", {"r": ref, "s": sid, "t": "not_applicable"}
            )
        )
        buttons.append(
            {
                "type": "Action.ShowCard",
                "title": t("button.skip", lang),
                "card": card(
                    [
                        {
                            "type": "Input.Text",
                            "id": "reason",
                            "label": t("skip.reason", lang),
                            "isRequired": True,
                            "errorMessage": t("error.reason_required", lang),
                            "maxLength": 1000,
                        }
                    ],
                    [execute(t("skip.save", lang), "leak.step", {"r": ref, "s": sid, "t": "skipped"})],
                ),
            }
        )
    return [
        {
            "type": "Container",
            "separator": True,
            "items": [
                text(f"{icon} **{escape(step.step.title.get(lang), 300)}**"),
                text(escape(step.step.guidance.get(lang), 1500), isSubtle=True, spacing="None"),
                text(" · ".join(meta), size="Small", spacing="None"),
            ],
        },
        {"type": "ActionSet", "actions": buttons},
    ]


def phase_card(incident: IncidentView, playbook: Playbook, phase_id: str, now: datetime, lang: str) -> Card:
    phases = [p for p in playbook.phases if any(s.step.phase == p.id for s in incident.steps)]
    phase = next(p for p in phases if p.id == phase_id)
    steps = [s for s in incident.steps if s.step.phase == phase_id]
    finished = sum(1 for s in steps if s.status in FINISHED)
    body: list[dict] = [
        text(
            t(
                "phase.header",
                lang,
                phase=phase.title.get(lang),
                number=[p.id for p in phases].index(phase_id) + 1,
                count=len(phases),
            ),
            size="Medium",
            weight="Bolder",
        ),
        text(f"{incident.reference} · {progress_bar(finished, len(steps))}", isSubtle=True),
    ]
    for step in steps:
        body += (
            _step_container(step, incident, now, lang)
            if incident.status == "open"
            else _step_container(step, incident, now, lang)[:1]
        )
    return card(body)


def correct_card(
    reference: str, values: dict[str, Any], lang: str, errors: dict[str, str] | None = None
) -> Card:
    """Correct the original report (discovery date and time, suspected/confirmed, summary) with a reason."""
    errors = errors or {}
    body: list[dict] = [
        text(t("correct.title", lang), size="Medium", weight="Bolder"),
        text(t("correct.intro", lang, reference=reference), isSubtle=True),
        {
            "type": "Input.Date",
            "id": "discovered_on",
            "label": t("form.discovered_on", lang),
            "value": _typed(values, "discovered_on"),
        },
        *_error(errors, "discovered_on"),
        {
            "type": "Input.Time",
            "id": "discovered_time",
            "label": t("form.discovered_time", lang),
            "value": _typed(values, "discovered_time"),
        },
        {
            "type": "Input.ChoiceSet",
            "id": "confirmed",
            "label": t("form.confirmed", lang),
            "style": "expanded",
            "value": _typed(values, "confirmed") or "no",
            "choices": choices([(t("form.suspected", lang), "no"), (t("form.confirmed_yes", lang), "yes")]),
        },
        {
            "type": "Input.Text",
            "id": "summary",
            "label": t("form.summary", lang),
            "isMultiline": True,
            "maxLength": SUMMARY_MAX,
            "value": _typed(values, "summary"),
        },
        *_error(errors, "summary"),
        {
            "type": "Input.Text",
            "id": "reason",
            "label": t("correct.reason", lang),
            "isMultiline": True,
            "maxLength": REASON_MAX,
            "value": _typed(values, "reason"),
        },
        *_error(errors, "reason"),
    ]
    actions = [
        execute(t("correct.save", lang), "leak.correct.save", {"r": reference}, style="positive"),
        execute(t("form.cancel", lang), "leak.refresh", {"r": reference}),
    ]
    return card(body, actions)


def correct_form_values(incident: IncidentView) -> dict[str, str]:
    local = incident.aware_at.astimezone(JST)
    return {
        "discovered_on": local.date().isoformat(),
        "discovered_time": local.strftime("%H:%M"),
        "confirmed": "yes" if incident.facts.confirmed else "no",
        "summary": incident.facts.summary,
    }


def facts_form_values(facts: Facts) -> dict[str, str]:
    """The facts as the form's inputs hold them (Teams sends the same shape back)."""
    return {
        "cause": facts.cause.value,
        "persons": "" if facts.persons is None else str(facts.persons),
        "persons_upper_bound": "" if facts.persons_upper_bound is None else str(facts.persons_upper_bound),
        "flags": ",".join(f for f in FLAGS if getattr(facts, f)),
        "data_items": ",".join(i.value for i in facts.data_items),
        "involvement": ",".join(k for k in INVOLVEMENT if getattr(facts, k)),
        "secondary_damage": facts.secondary_damage,
    }


def _typed(values: dict[str, Any], field: str) -> str:
    value = values.get(field)
    return value if isinstance(value, str) else ""


def facts_card(
    reference: str, values: dict[str, Any], lang: str, errors: dict[str, str] | None = None
) -> Card:
    """The facts form, holding ``values`` (the stored facts, or what was typed when it comes back with
    errors under the bad fields)."""
    errors = errors or {}
    body = [
        text(t("facts.title", lang), size="Medium", weight="Bolder"),
        {
            "type": "Input.ChoiceSet",
            "id": "cause",
            "label": t("form.cause", lang),
            "style": "compact",
            "value": _typed(values, "cause") or Cause.UNKNOWN.value,
            "choices": choices([(t(f"cause.{c}", lang), c.value) for c in Cause]),
        },
        *_error(errors, "cause"),
        {
            "type": "Input.Text",
            "id": "persons",
            "label": t("form.persons", lang),
            "maxLength": 15,
            "value": _typed(values, "persons"),
        },
        *_error(errors, "persons"),
        {
            "type": "Input.Text",
            "id": "persons_upper_bound",
            "label": t("form.persons_upper_bound", lang),
            "maxLength": 15,
            "value": _typed(values, "persons_upper_bound"),
        },
        *_error(errors, "persons_upper_bound"),
        multi_select(
            "flags",
            t("form.flags", lang),
            _chosen(values, "flags"),
            [(t(f"flag.{f}", lang), f) for f in FLAGS],
        ),
        multi_select(
            "data_items",
            t("form.data_items", lang),
            _chosen(values, "data_items"),
            [(t(f"item.{i}", lang), i.value) for i in DataItem],
        ),
        *_error(errors, "data_items"),
        multi_select(
            "involvement",
            t("form.involvement", lang),
            _chosen(values, "involvement"),
            [(t(f"form.{k}", lang), k) for k in INVOLVEMENT],
        ),
        {
            "type": "Input.Text",
            "id": "secondary_damage",
            "label": t("form.secondary_damage", lang),
            "isMultiline": True,
            "maxLength": 3000,
            "value": _typed(values, "secondary_damage"),
        },
        *_error(errors, "secondary_damage"),
    ]
    actions = [
        execute(t("facts.save", lang), "leak.facts.save", {"r": reference}, style="positive"),
        execute(t("form.cancel", lang), "leak.refresh", {"r": reference}),
    ]
    return card(body, actions)


def facts_values(data: dict[str, Any]) -> dict[str, object]:
    flags, involvement = _chosen(data, "flags"), _chosen(data, "involvement")
    values: dict[str, object] = {f: f in flags for f in FLAGS}
    values |= {k: k in involvement for k in INVOLVEMENT}
    values |= {
        "cause": data.get("cause"),
        "persons": data.get("persons"),
        "persons_upper_bound": data.get("persons_upper_bound"),
        "data_items": _chosen(data, "data_items"),
        "secondary_damage": data.get("secondary_damage") or "",
    }
    return values


def reminder_card(delivery: Delivery, now: datetime, lang: str) -> Card:
    head = "reminder.missed_header" if delivery.missed else "reminder.dm_header"
    body: list[dict] = [text(t(head, lang).replace("*", "**") + part_suffix(delivery, lang), weight="Bolder")]
    actions: list[dict] = []
    for item in delivery.latest_per_deadline():
        action = action_text(item, lang)
        line = f"**{item.incident.reference}** {item_line(item, now, lang)}"
        body.append(text(line + (f"\n\n{action}" if action else "")))
        body.append(
            text(
                t(
                    "reminder.progress",
                    lang,
                    bar=progress_bar(item.incident.progress.finished, item.incident.progress.total),
                ),
                isSubtle=True,
                spacing="None",
            )
        )
        value = {"r": item.incident.reference, "k": item.deadline.key}
        row = [execute(t("reminder.ack", lang), "leak.ack", value)]
        if item.deadline.kind != "step" and delivery.user_id is not None:
            row.append(execute(t("reminder.file", lang), "leak.file", value, style="positive"))
        body.append({"type": "ActionSet", "actions": row})
    return card(body, actions)
