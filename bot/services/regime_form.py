"""The report and facts forms' questions for the laws beyond Japan (issue 20), shared by Slack and Teams:
where the affected people live (several; Japan by default), where the company has an establishment, and the
judgements only those laws ask (yes, no, or not answered yet: None keeps that law's answer undetermined).

Adapters collect raw values; this module decides what is valid."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.facts import Facts
from bot.i18n import t
from bot.regimes import regimes

CODES = ("JP", "EU", "UK", "KR", "SG", "AU", "TH")  # the order a form offers them in
JUDGEMENTS = ("risk", "high_risk", "significant_harm", "serious_harm")
YES, NO, UNKNOWN = "yes", "no", "unknown"


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
