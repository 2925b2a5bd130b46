"""The report and facts cards' inputs for the laws beyond Japan (issue 20): where the affected people live
(Japan by default) and where the company has an establishment, and the judgements those laws ask (yes / no /
not answered yet). bot.services.regime_form decides what is asked and what is valid."""

from __future__ import annotations

from typing import Any

from adapters.teams.inputs import choices, chosen, multi_select
from bot.domain.facts import Facts
from bot.i18n import t
from bot.services.regime_form import (
    ASSESSED_ON,
    ASSESSED_TIME,
    JUDGEMENTS,
    answer_of,
    asked,
    assessed_values,
    assessment_question,
    code_options,
    judgement_options,
)


def _places(input_id: str, label: str, selected: list[str], lang: str) -> dict:
    return multi_select(input_id, label, selected, code_options(lang))


def place_inputs(values: dict[str, Any], lang: str, *, default_japan: bool) -> list[dict]:
    where = chosen(values, "jurisdictions") or (["JP"] if default_japan else [])
    return [
        _places("jurisdictions", t("form.jurisdictions", lang), where, lang),
        _places("establishments", t("form.establishments", lang), chosen(values, "establishments"), lang),
    ]


def judgement_inputs(values: dict[str, Any], lang: str) -> list[dict]:
    """One choice per judgement the incident's laws ask; none for an incident in Japan only."""
    return [
        {
            "type": "Input.ChoiceSet",
            "id": field,
            "label": question,
            "style": "compact",
            "value": str(values.get(field) or "unknown"),
            "choices": choices(judgement_options(lang)),
        }
        for field, question in asked(chosen(values, "jurisdictions"), lang)
    ]


def assessment_inputs(values: dict[str, Any], lang: str) -> list[dict]:
    """When a law counts from the assessment (SG): the date and time it was found notifiable, in Japan."""
    question = assessment_question(chosen(values, "jurisdictions"), lang)
    if question is None:
        return []
    day, clock = values.get(ASSESSED_ON), values.get(ASSESSED_TIME)
    return [
        {
            "type": "Input.Date",
            "id": ASSESSED_ON,
            "label": question,
            "value": day if isinstance(day, str) else "",
        },
        {
            "type": "Input.Time",
            "id": ASSESSED_TIME,
            "label": t("form.assessed_time", lang),
            "value": clock if isinstance(clock, str) else "",
        },
    ]


def form_values(facts: Facts) -> dict[str, str]:
    """The stored facts as these inputs hold them."""
    day, clock = assessed_values(facts)
    return {
        "jurisdictions": ",".join(facts.jurisdictions),
        "establishments": ",".join(facts.establishments),
        ASSESSED_ON: day,
        ASSESSED_TIME: clock,
    } | {name: answer_of(getattr(facts, name)) for name in JUDGEMENTS}


def regime_values(data: dict[str, Any]) -> dict[str, object]:
    """Action.Execute data to the core form's fields (an input the card did not carry is absent)."""
    values: dict[str, object] = {k: chosen(data, k) for k in ("jurisdictions", "establishments") if k in data}
    values |= {k: data.get(k) or "" for k in (ASSESSED_ON, ASSESSED_TIME) if ASSESSED_ON in data}
    return values | {name: data.get(name) for name in JUDGEMENTS if name in data}
