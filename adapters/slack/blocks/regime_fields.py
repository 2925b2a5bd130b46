"""The report and facts modals' blocks for the laws beyond Japan (issue 20): where the affected people live
and where the company has an establishment (multi-selects: seven places), and the judgements those laws ask
(yes / no / not answered yet). bot.services.regime_form decides what is asked and what is valid."""

from __future__ import annotations

from adapters.slack.blocks.elements import input_block, multi_select, option, static_select
from bot.domain.facts import Facts
from bot.i18n import t
from bot.services.regime_form import JUDGEMENTS, code_options, judgement_options, judgements


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


def regime_values(state: dict[str, object]) -> dict[str, object]:
    """Slack's state of these blocks to the core form's fields (a block the modal did not carry is absent)."""
    values: dict[str, object] = {}
    for key in ("jurisdictions", "establishments"):
        if key in state:
            values[key] = state.get(key) or []
    values |= {name: state.get(name) for name in JUDGEMENTS if name in state}
    return values
