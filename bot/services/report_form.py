"""The report form shared by Slack and Teams: field names, parsing and validation to Facts.

Adapters collect raw strings and lists; this module decides what is valid and what each error says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from bot.appi.deadlines import JST
from bot.domain.facts import (
    EARLIEST_AWARE,
    FUTURE_TOLERANCE,
    NOTE_MAX,
    SUMMARY_MAX,
    DataItem,
    Facts,
    SensitiveKind,
)
from bot.domain.vocabulary import LEGACY_CAUSES, Cause
from bot.i18n import t
from bot.services.incidents import Correction
from bot.services.regime_form import parse_assessed_at, parse_regime_fields

FIELDS = (
    "summary",
    "discovered_on",
    "discovered_time",
    "confirmed",
    "cause",
    "data_items",
    "persons",
    "persons_upper_bound",
    "processor_involved",
    "acting_for_controller",
    "jurisdictions",
    "establishments",
    "notes",
)
MAX_PERSONS = 10**9
# A count as people type it: ASCII or full-width digits, optionally grouped by thousands with an ASCII or a
# full-width comma (1200, １２００, 1,200, １，２００). Nothing else: not ², ٣, 1.5 or 1e3.
COUNT = re.compile(r"[0-9０-９]+|[0-9０-９]{1,3}(?:[,，][0-9０-９]{3})+")
WIDE_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789", ",，")


@dataclass(frozen=True)
class ParsedReport:
    aware_at: datetime
    facts: Facts


class FormErrors(Exception):
    """Field name → message in the reporter's language; nothing was saved."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


def _text(raw: object) -> str:
    """A text field's value; anything that is not a string (a malformed payload) counts as empty."""
    return raw.strip() if isinstance(raw, str) else ""


def _count(raw: object, field: str, lang: str, errors: dict[str, str]) -> int | None:
    text = _text(raw)
    if not text:
        return None
    if not COUNT.fullmatch(text):
        errors[field] = t("form.error.count", lang)
        return None
    return int(text.translate(WIDE_DIGITS))


def _choices(raw: object) -> list[str]:
    return [v for v in raw if isinstance(v, str)] if isinstance(raw, list | tuple) else []


def _counts(values: dict[str, object], lang: str, errors: dict[str, str]) -> tuple[int | None, int | None]:
    """The estimate and the upper bound; the bound may not be below the estimate."""
    persons = _count(values.get("persons"), "persons", lang, errors)
    upper = _count(values.get("persons_upper_bound"), "persons_upper_bound", lang, errors)
    count_errors(persons, upper, lang, errors)
    return persons, upper


def count_errors(persons: int | None, upper: int | None, lang: str, errors: dict[str, str]) -> None:
    """Counts a person could mean (at most MAX_PERSONS), and an upper bound not below the estimate."""
    too_big = {f for f, v in (("persons", persons), ("persons_upper_bound", upper)) if (v or 0) > MAX_PERSONS}
    for field in too_big:
        errors[field] = t("form.error.count", lang)
    if persons is not None and upper is not None and upper < persons and not too_big:
        errors["persons_upper_bound"] = t("form.error.upper_below", lang)


def aware_at_error(aware_at: datetime, now: datetime, lang: str) -> str | None:
    """A discovery moment in the future or before 2000 is a typo (bot.domain.facts.implausible_aware_at)."""
    if aware_at > now + FUTURE_TOLERANCE:
        return t("form.error.future", lang)
    if aware_at < EARLIEST_AWARE:
        return t("form.error.too_early", lang, year=EARLIEST_AWARE.year)
    return None


def parse_report(values: dict[str, object], now: datetime, lang: str) -> ParsedReport:
    """Validate a submitted report. Raises FormErrors naming each bad field."""
    errors: dict[str, str] = {}
    summary = _text(values.get("summary"))
    if not summary:
        errors["summary"] = t("form.error.required", lang)
    elif len(summary) > SUMMARY_MAX:
        errors["summary"] = t("form.error.too_long", lang, limit=SUMMARY_MAX)
    notes = _text(values.get("notes"))
    if len(notes) > NOTE_MAX:
        errors["notes"] = t("form.error.too_long", lang, limit=NOTE_MAX)
    aware_at = parse_aware_at(values, now, lang, errors)
    cause = _cause(values, lang, errors)
    items: list[DataItem] = []
    for raw in _choices(values.get("data_items")):
        try:
            items.append(DataItem(raw))
        except ValueError:
            errors["data_items"] = t("form.error.choice", lang)

    persons, upper = _counts(values, lang, errors)
    regime_fields = parse_regime_fields(values, lang, errors)

    if errors:
        raise FormErrors(errors)
    facts = Facts(
        **regime_fields,  # type: ignore[arg-type]
        summary=summary,
        confirmed=values.get("confirmed") is True,
        cause=cause,
        data_items=tuple(dict.fromkeys(items)),
        persons=persons,
        persons_upper_bound=upper,
        processor_involved=values.get("processor_involved") is True,
        acting_for_controller=values.get("acting_for_controller") is True,
        notes=notes,
    )
    return ParsedReport(aware_at=aware_at.astimezone(now.tzinfo), facts=facts)


def parse_aware_at(values: dict[str, object], now: datetime, lang: str, errors: dict[str, str]) -> datetime:
    """The discovery moment from ``discovered_on`` / ``discovered_time`` (JST; today and now when empty).
    Before 2000 or in the future is refused with a message on ``discovered_on``."""
    now_jst = now.astimezone(JST)
    try:
        day = date.fromisoformat(_text(values.get("discovered_on")) or now_jst.date().isoformat())
        clock = time.fromisoformat(_text(values.get("discovered_time")) or now_jst.strftime("%H:%M"))
    except ValueError:
        errors["discovered_on"] = t("form.error.date", lang)
        return now
    aware_at = datetime.combine(day, clock, tzinfo=JST)
    error = aware_at_error(aware_at, now, lang)
    if error is not None:
        errors["discovered_on"] = error
    return aware_at


def offered_causes(current: Cause | None = None) -> list[Cause]:
    """The causes a form offers: every one but the legacy ones, unless the incident already has it."""
    return [c for c in Cause if c not in LEGACY_CAUSES or c == current]


def _cause(values: dict[str, object], lang: str, errors: dict[str, str]) -> Cause:
    raw = values.get("cause")
    try:
        return Cause(raw if isinstance(raw, str) and raw else Cause.UNKNOWN)
    except ValueError:
        errors["cause"] = t("form.error.choice", lang)
        return Cause.UNKNOWN


# What the drafts need beyond the assessment (bot/documents): free text, each optional.
DOCUMENT_FACTS = (
    "cause_detail",
    "discovered_how",
    "discovered_by",
    "not_affected",
    "measures_taken",
    "prevention",
)


def parse_facts_form(
    values: dict[str, object], lang: str, *, now: datetime, aware_at: datetime
) -> dict[str, object]:
    """Validate the edit-facts form; returns the updates for IncidentService.update_facts. ``now`` and the
    incident's ``aware_at`` bound the moment a law's assessment was made (SG)."""
    errors: dict[str, str] = {}
    updates: dict[str, object] = {
        k: values.get(k) is True
        for k in (
            "sensitive",
            "financial",
            "malicious",
            "encrypted",
            "my_number",
            "processor_involved",
            "acting_for_controller",
        )
        if k in values
    }
    updates["cause"] = _cause(values, lang, errors)
    try:
        updates["data_items"] = tuple(dict.fromkeys(DataItem(v) for v in _choices(values.get("data_items"))))
    except ValueError:
        errors["data_items"] = t("form.error.choice", lang)
    if "sensitive_kinds" in values:  # a form without it (an older card) leaves it as it is
        try:
            kinds = (SensitiveKind(v) for v in _choices(values.get("sensitive_kinds")))
            updates["sensitive_kinds"] = tuple(dict.fromkeys(kinds))
        except ValueError:
            errors["sensitive_kinds"] = t("form.error.choice", lang)
    persons, upper = _counts(values, lang, errors)
    updates |= parse_regime_fields(values, lang, errors)
    updates |= parse_assessed_at(values, lang, errors, now=now, aware_at=aware_at)
    damage = _text(values.get("secondary_damage"))
    if len(damage) > NOTE_MAX:
        errors["secondary_damage"] = t("form.error.too_long", lang, limit=NOTE_MAX)
    for key in DOCUMENT_FACTS:  # a form without them (an older card) leaves them as they are
        if key in values:
            updates[key] = _text(values.get(key))
            if len(updates[key]) > NOTE_MAX:
                errors[key] = t("form.error.too_long", lang, limit=NOTE_MAX)
    if errors:
        raise FormErrors(errors)
    return updates | {"persons": persons, "persons_upper_bound": upper, "secondary_damage": damage}


def parse_correction(values: dict[str, object], now: datetime, lang: str) -> Correction:
    """The correction form (discovery date and time, suspected/confirmed, summary, reason) to a Correction;
    the reason's presence and length are the use case's to decide."""
    errors: dict[str, str] = {}
    aware_at = parse_aware_at(values, now, lang, errors)
    summary = _text(values.get("summary"))
    if not summary:
        errors["summary"] = t("form.error.required", lang)
    elif len(summary) > SUMMARY_MAX:
        errors["summary"] = t("form.error.too_long", lang, limit=SUMMARY_MAX)
    if errors:
        raise FormErrors(errors)
    return Correction(
        reason=_text(values.get("reason")),
        aware_at=aware_at,
        confirmed=values.get("confirmed") in (True, "yes"),
        summary=summary,
    )
