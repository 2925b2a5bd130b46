"""The report and facts forms' questions for the laws beyond Japan (issue 20), shared by Slack and Teams:
where the affected people live (several; Japan by default), where the company has an establishment, and the
judgements only those laws ask (yes, no, or not answered yet: None keeps that law's answer undetermined).

Adapters collect raw values; this module decides what is valid."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from bot.appi.deadlines import JST
from bot.domain.facts import FUTURE_TOLERANCE, Facts
from bot.i18n import t
from bot.regimes import regimes
from bot.regimes.schema import DaysAfterAssessment

CODES = ("JP", "EU", "UK", "KR", "SG", "AU", "TH")  # the order a form offers them in
JUDGEMENTS = ("risk", "high_risk", "significant_harm", "serious_harm")
YES, NO, UNKNOWN = "yes", "no", "unknown"
ASSESSED_ON, ASSESSED_TIME = "assessed_on", "assessed_time"  # SG: when the breach was found notifiable (JST)


@dataclass(frozen=True)
class Judgement:
    """One judgement a form asks: its field, the question in the reader's language, and its answer now."""

    field: str
    question: str
    answer: str  # yes, no, unknown


def code_options(lang: str) -> list[tuple[str, str]]:
    """(label, code) for each jurisdiction: 「EU（EU一般データ保護規則（GDPR））」."""
    known = regimes()
    return [(f"{t(f'regime.name.{c}', lang)} — {known[c].name.get(lang)}", c) for c in CODES if c in known]


def judgement_options(lang: str) -> list[tuple[str, str]]:
    return [(t(f"form.judgement.{v}", lang), v) for v in (UNKNOWN, YES, NO)]


def answer_of(value: bool | None) -> str:
    return UNKNOWN if value is None else YES if value else NO


def asked(codes: tuple[str, ...] | list[str], lang: str) -> list[tuple[str, str]]:
    """(field, question) for each judgement these laws ask, once each, in the words of the first law asking."""
    found: dict[str, str] = {}
    for code in codes:
        if code == "JP" or code not in regimes():
            continue
        for name, words in regimes()[code].questions.items():
            if name in JUDGEMENTS and name not in found:
                found[name] = f"{code}: {words.get(lang)}"
    return [(f, found[f]) for f in JUDGEMENTS if f in found]


def judgements(facts: Facts, lang: str) -> list[Judgement]:
    """The judgements the incident's laws ask, with their answers now."""
    return [Judgement(f, q, answer_of(getattr(facts, f))) for f, q in asked(facts.jurisdictions, lang)]


def _codes(raw: object, field: str, lang: str, errors: dict[str, str]) -> tuple[str, ...] | None:
    if not isinstance(raw, list | tuple):
        return None
    codes = [v for v in raw if isinstance(v, str)]
    if any(c not in CODES for c in codes):
        errors[field] = t("form.error.choice", lang)
        return None
    return tuple(c for c in CODES if c in codes)


def parse_regime_fields(values: dict[str, object], lang: str, errors: dict[str, str]) -> dict[str, object]:
    """The fields a form sent, as Facts updates. No place chosen means Japan; a field the form did not carry
    (an older card) is left as it is."""
    updates: dict[str, object] = {}
    if "jurisdictions" in values:
        codes = _codes(values.get("jurisdictions"), "jurisdictions", lang, errors)
        if codes is not None:
            updates["jurisdictions"] = codes or ("JP",)
    if "establishments" in values:
        codes = _codes(values.get("establishments"), "establishments", lang, errors)
        if codes is not None:
            updates["establishments"] = codes
    for name in JUDGEMENTS:
        if name not in values:
            continue
        raw = values.get(name)
        if raw in (None, "", UNKNOWN):
            updates[name] = None
        elif raw in (YES, NO):
            updates[name] = raw == YES
        else:
            errors[name] = t("form.error.choice", lang)
    return updates


def assessment_question(codes: tuple[str, ...] | list[str], lang: str) -> str | None:
    """The question for the moment the breach was assessed notifiable, when one of these laws counts its
    clock from it (SG: the PDPC within 3 calendar days after that day); None when none does."""
    for code in codes:
        regime = regimes().get(code)
        if regime is not None and isinstance(regime.authority.clock, DaysAfterAssessment):
            return f"{code}: {regime.questions['assessed_at'].get(lang)}"
    return None


def assessed_values(facts: Facts) -> tuple[str, str]:
    """The stored moment as the form's date and time in Japan ("" and "" while not answered)."""
    if facts.assessed_at is None:
        return "", ""
    local = facts.assessed_at.astimezone(JST)
    return local.date().isoformat(), local.strftime("%H:%M")


def parse_assessed_at(
    values: dict[str, object], lang: str, errors: dict[str, str], *, now: datetime, aware_at: datetime
) -> dict[str, object]:
    """The moment the breach was assessed notifiable, a date and a time in Japan: not before the company
    became aware, not in the future. An empty date clears it; a form without the field leaves it as it is."""
    if ASSESSED_ON not in values:
        return {}
    day, clock = values.get(ASSESSED_ON), values.get(ASSESSED_TIME)
    day = day.strip() if isinstance(day, str) else ""
    clock = clock.strip() if isinstance(clock, str) else ""
    if not day:
        return {"assessed_at": None}
    try:
        moment = datetime.combine(date.fromisoformat(day), time.fromisoformat(clock), tzinfo=JST)
    except ValueError:
        errors[ASSESSED_ON] = t("form.error.date", lang)
        return {}
    if moment < aware_at:
        errors[ASSESSED_ON] = t("form.error.assessed_before_aware", lang)
    elif moment > now + FUTURE_TOLERANCE:
        errors[ASSESSED_ON] = t("form.error.assessed_future", lang)
    return {} if ASSESSED_ON in errors else {"assessed_at": moment}
