"""統合する / 別事案として対応 on the question card about look-alike reports (issue 22). The core decides who
may answer (the commander) and audits a refusal; the clicker gets the card as it now stands."""

from __future__ import annotations

from typing import Any

from microsoft_agents.hosting.core import TurnContext, TurnState

from adapters.teams.invoke import REFERENCE, REFUSALS, Malformed, _card, _field, _malformed
from adapters.teams.render import VERBS, lookalike_card
from bot.views.lookalike import MERGE, SEPARATE_VERB, lookalike_question

MERGE_VERB, SEPARATE = VERBS[MERGE], VERBS[SEPARATE_VERB]


class LookalikeActions:
    """Mixed into TeamsBot (its core, _who, _field, _card, _malformed, _refusal and REFUSALS)."""

    def register_lookalikes(self, cards) -> None:
        cards.action_execute(MERGE_VERB)(self.on_lookalike_merge)
        cards.action_execute(SEPARATE)(self.on_lookalike_separate)

    async def on_lookalike_merge(self, context: TurnContext, state: TurnState, data: dict[str, Any]):
        return await self._answer_lookalikes(context, data, merge=True)

    async def on_lookalike_separate(self, context: TurnContext, state: TurnState, data: dict[str, Any]):
        return await self._answer_lookalikes(context, data, merge=False)

    async def _answer_lookalikes(self, context: TurnContext, data: dict[str, Any], merge: bool):
        self.metrics.requests.labels("teams", "lookalike").inc()
        actor, lang = self._who(context)
        try:
            ref, question = _field(data, "r", REFERENCE), _field(data, "q")
            upto = _field(data, "u", REFERENCE)
        except Malformed:
            return _malformed(lang)
        try:
            await self.core.incidents.answer_lookalikes(ref, question, upto, merge, actor)
        except REFUSALS as refused:
            return self._refusal(refused, lang)
        answered = await self.core.incidents.lookalike_round(ref, question)
        if answered is None:
            return _malformed(lang)
        return _card(lookalike_card(lookalike_question(answered, self.core.org.language)))
