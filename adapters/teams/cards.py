"""The Teams forms as Adaptive Cards 1.5: the report, the facts, the correction. (The incident's living
messages are rendered from the core's view models in adapters/teams/render.py.)"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from adapters.teams.inputs import choices, chosen, multi_select
from adapters.teams.regime_inputs import assessment_inputs, judgement_inputs, place_inputs, regime_values
from adapters.teams.regime_inputs import form_values as regime_form_values
from adapters.teams.render import Card, card, markdown, text
from adapters.teams.text import neutral
from bot.appi.deadlines import JST
from bot.domain.facts import NOTE_MAX, REASON_MAX, SUMMARY_MAX, DataItem, Facts, SensitiveKind
from bot.domain.views import IncidentView
from bot.domain.vocabulary import Cause
from bot.i18n import t
from bot.i18n.rich import rich
from bot.services.report_form import DOCUMENT_FACTS, offered_causes

FLAGS = ("sensitive", "financial", "malicious", "encrypted", "my_number")
INVOLVEMENT = ("processor_involved", "acting_for_controller")


def execute(title: str, verb: str, data: dict, **extra: Any) -> dict:
    return {"type": "Action.Execute", "title": title, "verb": verb, "data": data, **extra}


def _error(errors: dict[str, str], field: str) -> list[dict]:
    return (
        [text(neutral(errors[field]), color="Attention", size="Small", spacing="None")]
        if field in errors
        else []
    )


def report_form(
    lang: str, now: datetime, form_id: str, values: dict | None = None, errors: dict[str, str] | None = None
) -> Card:
    """The report form; on errors it comes back with what was typed and a message under each bad field."""
    values, errors = values or {}, errors or {}
    local = now.astimezone(JST)
    body: list[dict] = [
        text(neutral(t("form.title", lang)), size="Large", weight="Bolder"),
        text(neutral(t("form.intro", lang)), isSubtle=True),
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
            "choices": choices([(t(f"cause.{c}", lang), c.value) for c in offered_causes()]),
        },
        *_error(errors, "cause"),
        multi_select(
            "data_items",
            t("form.data_items", lang),
            chosen(values, "data_items"),
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
            chosen(values, "involvement"),
            [(t(f"form.{k}", lang), k) for k in INVOLVEMENT],
        ),
        *place_inputs(values, lang, default_japan=True),
        *_error(errors, "jurisdictions"),
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
    involvement = chosen(data, "involvement")
    return {
        "summary": data.get("summary"),
        "discovered_on": data.get("discovered_on") or None,
        "discovered_time": data.get("discovered_time") or None,
        "confirmed": data.get("confirmed") == "yes",
        "cause": data.get("cause") or None,
        "data_items": chosen(data, "data_items"),
        "persons": data.get("persons"),
        "persons_upper_bound": data.get("persons_upper_bound"),
        "processor_involved": "processor_involved" in involvement,
        "acting_for_controller": "acting_for_controller" in involvement,
        "notes": data.get("notes"),
    } | regime_values(data)


def received(reference: str, lang: str, private_channel: bool = False) -> Card:
    """The report card, replaced: the reference, and that a private channel (or a thread) is on its way."""
    key = "teams.saved_view_channel" if private_channel else "teams.saved_view_thread"
    return card([text(markdown(rich(key, lang, reference=reference)))])


def correct_card(
    reference: str, values: dict[str, Any], lang: str, errors: dict[str, str] | None = None
) -> Card:
    """Correct the original report (discovery date and time, suspected/confirmed, summary) with a reason."""
    errors = errors or {}
    body: list[dict] = [
        text(neutral(t("correct.title", lang)), size="Medium", weight="Bolder"),
        text(neutral(t("correct.intro", lang, reference=reference)), isSubtle=True),
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
    return (
        {
            "cause": facts.cause.value,
            "persons": "" if facts.persons is None else str(facts.persons),
            "persons_upper_bound": ""
            if facts.persons_upper_bound is None
            else str(facts.persons_upper_bound),
            "flags": ",".join(f for f in FLAGS if getattr(facts, f)),
            "data_items": ",".join(i.value for i in facts.data_items),
            "sensitive_kinds": ",".join(k.value for k in facts.sensitive_kinds),
            "involvement": ",".join(k for k in INVOLVEMENT if getattr(facts, k)),
            "secondary_damage": facts.secondary_damage,
        }
        | {key: getattr(facts, key) for key in DOCUMENT_FACTS}
        | regime_form_values(facts)
    )


def _cause_of(values: dict[str, Any]) -> Cause | None:
    try:
        return Cause(_typed(values, "cause"))
    except ValueError:
        return None


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
        text(neutral(t("facts.title", lang)), size="Medium", weight="Bolder"),
        {
            "type": "Input.ChoiceSet",
            "id": "cause",
            "label": t("form.cause", lang),
            "style": "compact",
            "value": _typed(values, "cause") or Cause.UNKNOWN.value,
            "choices": choices([(t(f"cause.{c}", lang), c.value) for c in offered_causes(_cause_of(values))]),
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
            chosen(values, "flags"),
            [(t(f"flag.{f}", lang), f) for f in FLAGS],
        ),
        multi_select(
            "data_items",
            t("form.data_items", lang),
            chosen(values, "data_items"),
            [(t(f"item.{i}", lang), i.value) for i in DataItem],
        ),
        *_error(errors, "data_items"),
        multi_select(
            "sensitive_kinds",
            t("form.sensitive_kinds", lang),
            chosen(values, "sensitive_kinds"),
            [(t(f"sensitive_kind.{k}", lang), k.value) for k in SensitiveKind],
        ),
        *_error(errors, "sensitive_kinds"),
        multi_select(
            "involvement",
            t("form.involvement", lang),
            chosen(values, "involvement"),
            [(t(f"form.{k}", lang), k) for k in INVOLVEMENT],
        ),
        *place_inputs(values, lang, default_japan=False),
        *judgement_inputs(values, lang),
        *assessment_inputs(values, lang),
        *_error(errors, "assessed_on"),
        {
            "type": "Input.Text",
            "id": "secondary_damage",
            "label": t("form.secondary_damage", lang),
            "isMultiline": True,
            "maxLength": 3000,
            "value": _typed(values, "secondary_damage"),
        },
        *_error(errors, "secondary_damage"),
        *(
            item
            for key in DOCUMENT_FACTS
            for item in (
                {
                    "type": "Input.Text",
                    "id": key,
                    "label": t(f"field.{key}", lang),
                    "placeholder": t(f"form.hint.{key}", lang),
                    "isMultiline": True,
                    "maxLength": NOTE_MAX,
                    "value": _typed(values, key),
                },
                *_error(errors, key),
            )
        ),
    ]
    actions = [
        execute(t("facts.save", lang), "leak.facts.save", {"r": reference}, style="positive"),
        execute(t("form.cancel", lang), "leak.refresh", {"r": reference}),
    ]
    return card(body, actions)


def facts_values(data: dict[str, Any]) -> dict[str, object]:
    flags, involvement = chosen(data, "flags"), chosen(data, "involvement")
    values: dict[str, object] = {f: f in flags for f in FLAGS}
    values |= {k: k in involvement for k in INVOLVEMENT}
    values |= {
        "cause": data.get("cause"),
        "persons": data.get("persons"),
        "persons_upper_bound": data.get("persons_upper_bound"),
        "data_items": chosen(data, "data_items"),
        "secondary_damage": data.get("secondary_damage") or "",
    }
    if "sensitive_kinds" in data:  # an older card without it leaves the kinds as they are
        values["sensitive_kinds"] = chosen(data, "sensitive_kinds")
    values |= {key: data.get(key) or "" for key in DOCUMENT_FACTS if key in data}
    return values | regime_values(data)
