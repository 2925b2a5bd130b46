"""Modals: the leak report, editing the facts, the reason for skipping a step."""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache

from adapters.slack.blocks.elements import (
    Block,
    checkboxes,
    input_block,
    modal,
    multi_select,
    option,
    radio,
    section,
    static_select,
    text_input,
)
from adapters.slack.blocks.regime_fields import (
    assessment_blocks,
    judgement_blocks,
    place_blocks,
    regime_values,
)
from adapters.slack.mrkdwn import safe
from bot.appi.deadlines import JST
from bot.domain.facts import NOTE_MAX, REASON_MAX, SUMMARY_MAX, DataItem, Facts, SensitiveKind
from bot.domain.vocabulary import Cause
from bot.i18n import t
from bot.services.report_form import DOCUMENT_FACTS, offered_causes

REPORT_CALLBACK = "leak_report"
FACTS_CALLBACK = "leak_facts"
SKIP_CALLBACK = "leak_skip"
CORRECT_CALLBACK = "leak_correct"
DOCUMENTS_CALLBACK = "leak_documents"
DRILL_CALLBACK = "leak_drill"
EDIT_PICK_CALLBACK = "leak_edit_pick"
EDIT_CALLBACK = "leak_edit"
FLAGS = ("sensitive", "financial", "malicious", "encrypted", "my_number")
INVOLVEMENT = ("processor_involved", "acting_for_controller")


def _causes(lang: str, current: Cause | None = None) -> list[dict]:
    return [option(t(f"cause.{c}", lang), c.value) for c in offered_causes(current)]


def _items(lang: str) -> list[dict]:
    return [option(t(f"item.{i}", lang), i.value) for i in DataItem]


def _sensitive_kinds(lang: str) -> list[dict]:
    return [option(t(f"sensitive_kind.{k}", lang), k.value) for k in SensitiveKind]


def _involvement(lang: str) -> list[dict]:
    return [option(t(f"form.{k}", lang), k) for k in INVOLVEMENT]


def report_modal(lang: str, now: datetime, summary: str, origin_channel: str | None) -> dict:
    """The leak report modal. Only the summary, the discovery date and time and the origin channel change per
    request; the rest is built once per language (``_report_fixed``) and shared, never modified."""
    local = now.astimezone(JST)
    intro, rest = _report_fixed(lang)
    blocks = [
        intro,
        input_block(
            "summary",
            t("form.summary", lang),
            text_input(summary, multiline=True),
            hint=t("form.summary_hint", lang),
        ),
        input_block(
            "discovered_on",
            t("form.discovered_on", lang),
            {"type": "datepicker", "action_id": "value", "initial_date": local.date().isoformat()},
        ),
        input_block(
            "discovered_time",
            t("form.discovered_time", lang),
            {"type": "timepicker", "action_id": "value", "initial_time": local.strftime("%H:%M")},
        ),
        *rest,
    ]
    return {
        **_report_frame(lang),
        "private_metadata": json.dumps({"lang": lang, "origin": origin_channel}),
        "blocks": blocks,
    }


@cache
def _report_frame(lang: str) -> dict:
    return modal(
        REPORT_CALLBACK, t("form.title", lang), [], t("form.submit", lang), t("form.cancel", lang), {}
    )


@cache
def _report_fixed(lang: str) -> tuple[Block, tuple[Block, ...]]:
    """The report modal's blocks that are the same for every request in ``lang``: the intro, and every
    input after the discovery time."""
    rest = (
        input_block(
            "confirmed",
            t("form.confirmed", lang),
            radio(
                [option(t("form.suspected", lang), "no"), option(t("form.confirmed_yes", lang), "yes")], "no"
            ),
        ),
        input_block("cause", t("form.cause", lang), static_select(_causes(lang), Cause.UNKNOWN.value)),
        input_block("data_items", t("form.data_items", lang), multi_select(_items(lang), []), optional=True),
        input_block(
            "persons",
            t("form.persons", lang),
            text_input(max_length=15),
            optional=True,
            hint=t("form.persons_hint", lang),
        ),
        input_block(
            "persons_upper_bound",
            t("form.persons_upper_bound", lang),
            text_input(max_length=15),
            optional=True,
        ),
        input_block(
            "involvement", t("form.involvement", lang), checkboxes(_involvement(lang), []), optional=True
        ),
        *place_blocks(lang, ("JP",), ()),
        input_block("notes", t("form.notes", lang), text_input(multiline=True), optional=True),
    )
    return section(t("form.intro", lang)), rest


def report_values(state: dict[str, object]) -> dict[str, object]:
    """Slack's state values to the core report form's fields."""
    involvement = state.get("involvement") or []
    return {
        "summary": state.get("summary"),
        "discovered_on": state.get("discovered_on"),
        "discovered_time": state.get("discovered_time"),
        "confirmed": state.get("confirmed") == "yes",
        "cause": state.get("cause"),
        "data_items": state.get("data_items") or [],
        "persons": state.get("persons"),
        "persons_upper_bound": state.get("persons_upper_bound"),
        "processor_involved": "processor_involved" in involvement,  # type: ignore[operator]
        "acting_for_controller": "acting_for_controller" in involvement,  # type: ignore[operator]
        "notes": state.get("notes"),
    } | regime_values(state)


def report_error_blocks(errors: dict[str, str]) -> dict[str, str]:
    """Core field names to the modal's block ids (they are the same, except the time shares the date's)."""
    return {("discovered_on" if k == "discovered_time" else k): v for k, v in errors.items()}


def facts_modal(reference: str, facts: Facts, lang: str) -> dict:
    count = "" if facts.persons is None else str(facts.persons)
    upper = "" if facts.persons_upper_bound is None else str(facts.persons_upper_bound)
    flags = [f for f in FLAGS if getattr(facts, f)]
    involvement = [k for k in INVOLVEMENT if getattr(facts, k)]
    blocks = [
        input_block(
            "cause", t("form.cause", lang), static_select(_causes(lang, facts.cause), facts.cause.value)
        ),
        input_block("persons", t("form.persons", lang), text_input(count, max_length=15), optional=True),
        input_block(
            "persons_upper_bound",
            t("form.persons_upper_bound", lang),
            text_input(upper, max_length=15),
            optional=True,
        ),
        input_block(
            "flags",
            t("form.flags", lang),
            checkboxes([option(t(f"flag.{f}", lang), f) for f in FLAGS], flags),
            optional=True,
        ),
        input_block(
            "data_items",
            t("form.data_items", lang),
            multi_select(_items(lang), [i.value for i in facts.data_items]),
            optional=True,
        ),
        input_block(
            "sensitive_kinds",
            t("form.sensitive_kinds", lang),
            multi_select(_sensitive_kinds(lang), [k.value for k in facts.sensitive_kinds]),
            optional=True,
            hint=t("form.hint.sensitive_kinds", lang),
        ),
        input_block(
            "involvement",
            t("form.involvement", lang),
            checkboxes(_involvement(lang), involvement),
            optional=True,
        ),
        *place_blocks(lang, facts.jurisdictions, facts.establishments),
        *judgement_blocks(facts, lang),
        *assessment_blocks(facts, lang),
        input_block(
            "secondary_damage",
            t("form.secondary_damage", lang),
            text_input(facts.secondary_damage, multiline=True),
            optional=True,
        ),
        *(
            input_block(
                key,
                t(f"field.{key}", lang),
                text_input(getattr(facts, key), multiline=True, max_length=NOTE_MAX),
                optional=True,
                hint=t(f"form.hint.{key}", lang),
            )
            for key in DOCUMENT_FACTS
        ),
    ]
    metadata = {"ref": reference, "lang": lang}
    return modal(
        FACTS_CALLBACK,
        t("facts.title", lang),
        blocks,
        t("facts.save", lang),
        t("form.cancel", lang),
        metadata,
    )


def facts_values(state: dict[str, object]) -> dict[str, object]:
    flags = state.get("flags") or []
    involvement = state.get("involvement") or []
    values: dict[str, object] = {f: f in flags for f in FLAGS}  # type: ignore[operator]
    values |= {k: k in involvement for k in INVOLVEMENT}  # type: ignore[operator]
    values |= {
        "cause": state.get("cause"),
        "persons": state.get("persons"),
        "persons_upper_bound": state.get("persons_upper_bound"),
        "data_items": state.get("data_items") or [],
        "sensitive_kinds": state.get("sensitive_kinds") or [],
        "secondary_damage": state.get("secondary_damage") or "",
    }
    values |= {key: state.get(key) or "" for key in DOCUMENT_FACTS if key in state}
    return values | regime_values(state)


def skip_modal(
    reference: str, step_id: str, step_title: str, lang: str, acted_at: datetime | None = None
) -> dict:
    blocks = [
        section(f"*{safe(step_title)}*"),
        input_block("reason", t("skip.reason", lang), text_input(multiline=True, max_length=REASON_MAX)),
    ]
    metadata = {
        "ref": reference,
        "step": step_id,
        "lang": lang,
        "at": acted_at.timestamp() if acted_at else None,
    }
    return modal(
        SKIP_CALLBACK, t("skip.title", lang), blocks, t("skip.save", lang), t("form.cancel", lang), metadata
    )


def correct_modal(reference: str, aware_at: datetime, facts: Facts, lang: str) -> dict:
    """Correct the original report: discovery date and time, suspected or confirmed, the summary; why."""
    local = aware_at.astimezone(JST)
    blocks = [
        section(t("correct.intro", lang, reference=reference)),
        input_block(
            "discovered_on",
            t("form.discovered_on", lang),
            {"type": "datepicker", "action_id": "value", "initial_date": local.date().isoformat()},
        ),
        input_block(
            "discovered_time",
            t("form.discovered_time", lang),
            {"type": "timepicker", "action_id": "value", "initial_time": local.strftime("%H:%M")},
        ),
        input_block(
            "confirmed",
            t("form.confirmed", lang),
            radio(
                [option(t("form.suspected", lang), "no"), option(t("form.confirmed_yes", lang), "yes")],
                "yes" if facts.confirmed else "no",
            ),
        ),
        input_block(
            "summary",
            t("form.summary", lang),
            text_input(facts.summary, multiline=True, max_length=SUMMARY_MAX),
        ),
        input_block("reason", t("correct.reason", lang), text_input(multiline=True, max_length=REASON_MAX)),
    ]
    return modal(
        CORRECT_CALLBACK,
        t("correct.title", lang),
        blocks,
        t("correct.save", lang),
        t("form.cancel", lang),
        {"ref": reference, "lang": lang},
    )


def drill_modal(scenarios, lang: str) -> dict:
    """The drill's scenario picker: the seed articles' cases and a blank one for the team's own."""
    choices = [option(s.title.get(lang), s.id) for s in scenarios]
    blocks = [
        section(t("drill.picker_intro", lang)),
        input_block("scenario", t("drill.picker_label", lang), static_select(choices, None)),
    ]
    return modal(
        DRILL_CALLBACK,
        t("drill.picker_title", lang),
        blocks,
        t("drill.picker_start", lang),
        t("form.cancel", lang),
        {"lang": lang},
    )
