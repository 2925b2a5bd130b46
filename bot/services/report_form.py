"""The report form shared by Slack and Teams: field names, parsing and validation to Facts.

Adapters collect raw strings and lists; this module decides what is valid and what each error says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.appi.deadlines import JST
from bot.domain.facts import NOTE_MAX, SUMMARY_MAX, DataItem, Facts
from bot.domain.vocabulary import Cause
from bot.i18n import t

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
    "notes",
)
MAX_PERSONS = 10**9
FUTURE_TOLERANCE = timedelta(minutes=10)


@dataclass(frozen=True)
class ParsedReport:
    aware_at: datetime
    facts: Facts


class FormErrors(Exception):
    """Field name → message in the reporter's language; nothing was saved."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


def _count(raw: str | None, field: str, lang: str, errors: dict[str, str]) -> int | None:
    text = (raw or "").strip().replace(",", "").replace("，", "")
    if not text:
        return None
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if not text.isdigit() or int(text) > MAX_PERSONS:
        errors[field] = t("form.error.count", lang)
        return None
    return int(text)


def _counts(values: dict[str, object], lang: str, errors: dict[str, str]) -> tuple[int | None, int | None]:
    """The estimate and the upper bound; the bound may not be below the estimate."""
    persons = _count(values.get("persons"), "persons", lang, errors)  # type: ignore[arg-type]
    upper = _count(values.get("persons_upper_bound"), "persons_upper_bound", lang, errors)  # type: ignore[arg-type]
    if persons is not None and upper is not None and upper < persons:
        errors["persons_upper_bound"] = t("form.error.upper_below", lang)
    return persons, upper


def parse_report(values: dict[str, object], now: datetime, lang: str) -> ParsedReport:
    """Validate a submitted report. Raises FormErrors naming each bad field."""
    errors: dict[str, str] = {}
    summary = str(values.get("summary") or "").strip()
    if not summary:
        errors["summary"] = t("form.error.required", lang)
    elif len(summary) > SUMMARY_MAX:
        errors["summary"] = t("form.error.too_long", lang, limit=SUMMARY_MAX)
    notes = str(values.get("notes") or "").strip()
    if len(notes) > NOTE_MAX:
        errors["notes"] = t("form.error.too_long", lang, limit=NOTE_MAX)

    now_jst = now.astimezone(JST)
    aware_at = now
    try:
        day = date.fromisoformat(str(values.get("discovered_on") or now_jst.date().isoformat()))
        clock = time.fromisoformat(str(values.get("discovered_time") or now_jst.strftime("%H:%M")))
        aware_at = datetime.combine(day, clock, tzinfo=JST)
        if aware_at > now + FUTURE_TOLERANCE:
            errors["discovered_on"] = t("form.error.future", lang)
    except ValueError:
        errors["discovered_on"] = t("form.error.date", lang)

    try:
        cause = Cause(str(values.get("cause") or Cause.UNKNOWN))
    except ValueError:
        errors["cause"] = t("form.error.choice", lang)
        cause = Cause.UNKNOWN
    items: list[DataItem] = []
    for raw in values.get("data_items") or []:  # type: ignore[union-attr]
        try:
            items.append(DataItem(str(raw)))
        except ValueError:
            errors["data_items"] = t("form.error.choice", lang)

    persons, upper = _counts(values, lang, errors)

    if errors:
        raise FormErrors(errors)
    facts = Facts(
        summary=summary,
        confirmed=bool(values.get("confirmed")),
        cause=cause,
        data_items=tuple(dict.fromkeys(items)),
        persons=persons,
        persons_upper_bound=upper,
        processor_involved=bool(values.get("processor_involved")),
        acting_for_controller=bool(values.get("acting_for_controller")),
        notes=notes,
    )
    return ParsedReport(aware_at=aware_at.astimezone(now.tzinfo), facts=facts)


def parse_facts_form(values: dict[str, object], lang: str) -> dict[str, object]:
    """Validate the edit-facts form; returns the updates for IncidentService.update_facts."""
    errors: dict[str, str] = {}
    updates: dict[str, object] = {
        k: bool(values.get(k))
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
    try:
        updates["cause"] = Cause(str(values.get("cause") or Cause.UNKNOWN))
    except ValueError:
        errors["cause"] = t("form.error.choice", lang)
    try:
        updates["data_items"] = tuple(dict.fromkeys(DataItem(str(v)) for v in values.get("data_items") or []))  # type: ignore[union-attr]
    except ValueError:
        errors["data_items"] = t("form.error.choice", lang)
    persons, upper = _counts(values, lang, errors)
    damage = str(values.get("secondary_damage") or "").strip()
    if len(damage) > NOTE_MAX:
        errors["secondary_damage"] = t("form.error.too_long", lang, limit=NOTE_MAX)
    if errors:
        raise FormErrors(errors)
    return updates | {"persons": persons, "persons_upper_bound": upper, "secondary_damage": damage}
