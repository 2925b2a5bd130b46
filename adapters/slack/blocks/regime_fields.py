"""The report and facts modals' blocks for the laws beyond Japan (issue 20): where the affected people live
and where the company has an establishment (multi-selects: seven places), and the judgements those laws ask
(yes / no / not answered yet). bot.services.regime_form decides what is asked and what is valid."""

from __future__ import annotations

from adapters.slack.blocks.elements import input_block, multi_select, option, static_select
from bot.domain.facts import Facts
from bot.i18n import t
from bot.services.regime_form import (
    ASSESSED_ON,
    ASSESSED_TIME,
    JUDGEMENTS,
    assessed_values,
    assessment_question,
    code_options,
    judgement_options,
    judgements,
)


def _codes(lang: str) -> list[dict]:
    return [option(label, code) for label, code in code_options(lang)]


def place_blocks(lang: str, jurisdictions: tuple[str, ...], establishments: tuple[str, ...]) -> list[dict]:
    return [
        input_block(
            "jurisdictions",
            t("form.jurisdictions", lang),
            multi_select(_codes(lang), list(jurisdictions)),
            optional=True,
            hint=t("form.jurisdictions_hint", lang),
        ),
        input_block(
            "establishments",
            t("form.establishments", lang),
            multi_select(_codes(lang), list(establishments)),
            optional=True,
            hint=t("form.establishments_hint", lang),
        ),
    ]


def judgement_blocks(facts: Facts, lang: str) -> list[dict]:
    """One select per judgement the incident's laws ask; none for an incident in Japan only."""
    options = [option(label, value) for label, value in judgement_options(lang)]
    return [
        input_block(j.field, j.question[:2000], static_select(options, j.answer), optional=True)
        for j in judgements(facts, lang)
    ]


def assessment_blocks(facts: Facts, lang: str) -> list[dict]:
    """When a law counts from the assessment (SG): the date and time it was found notifiable, in Japan."""
    question = assessment_question(facts.jurisdictions, lang)
    if question is None:
        return []
    day, clock = assessed_values(facts)
    date_picker: dict = {"type": "datepicker", "action_id": "value"}
    time_picker: dict = {"type": "timepicker", "action_id": "value"}
    if day:
        date_picker["initial_date"], time_picker["initial_time"] = day, clock
    return [
        input_block(ASSESSED_ON, question[:2000], date_picker, optional=True),
        input_block(ASSESSED_TIME, t("form.assessed_time", lang), time_picker, optional=True),
    ]


def regime_values(state: dict[str, object]) -> dict[str, object]:
    """Slack's state of these blocks to the core form's fields (a block the modal did not carry is absent)."""
    values: dict[str, object] = {}
    for key in ("jurisdictions", "establishments"):
        if key in state:
            values[key] = state.get(key) or []
    values |= {name: state.get(name) for name in JUDGEMENTS if name in state}
    values |= {k: state.get(k) or "" for k in (ASSESSED_ON, ASSESSED_TIME) if ASSESSED_ON in state}
    return values
