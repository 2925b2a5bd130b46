"""The drill's scenario picker card (issue 14)."""

from __future__ import annotations

from adapters.teams.cards import choices, execute
from adapters.teams.render import Card, card, text
from adapters.teams.text import neutral, strong
from bot.i18n import t


def drill_picker(scenarios, lang: str) -> Card:
    """The drill's scenario picker: the scenarios (the seed articles' cases, the regimes beyond Japan, a blank
    one) in one choice and one start button — Teams shows at most five actions in a set."""
    options = [(s.title.get(lang)[:80], s.id) for s in scenarios]
    return card(
        [
            text(strong(neutral(t("drill.picker_title", lang)))),
            text(neutral(t("drill.picker_intro", lang))),
            {
                "type": "Input.ChoiceSet",
                "id": "scenario",
                "label": t("drill.picker_choice", lang),
                "style": "expanded",
                "isRequired": True,
                "errorMessage": t("form.error.required", lang),
                "value": options[0][1] if options else "",
                "choices": choices(options),
            },
        ],
        [execute(t("drill.picker_start", lang), "leak.drill", {}, style="positive")],
    )
