"""統合する / 別事案として対応 on the question about look-alike reports (issue 22). Only the core decides who may
answer (the commander); a refusal reaches the person who clicked, ephemeral, and is audited by the core."""

from __future__ import annotations

from typing import Any

from adapters.slack.payloads import PARSED
from adapters.slack.render import LOOKALIKE_ACTION
from bot.services.ports import Actor
from bot.views.lookalike import MERGE, SEPARATE_VERB

ACTIONS = (f"{LOOKALIKE_ACTION}:{MERGE}", f"{LOOKALIKE_ACTION}:{SEPARATE_VERB}")


class LookalikeListening:
    """Mixed into SlackListeners (its core, metrics and _guarded)."""

    async def on_lookalike_answer(self, ack, body: dict[str, Any], action: dict[str, Any], context) -> None:
        await ack()
        self.metrics.requests.labels("slack", "lookalike").inc()
        value, user_id = context[PARSED], body["user"]["id"]
        channel_id = (body.get("channel") or {}).get("id")
        merge = action["action_id"] == ACTIONS[0]
        answer = self.core.incidents.answer_lookalikes(
            value.r, value.q, value.u, merge, Actor("slack", user_id)
        )
        await self._guarded(user_id, channel_id, answer)
