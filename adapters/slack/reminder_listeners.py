"""The buttons of a reminder card: 確認しました, 提出済みにする; the card is marked with who did it."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from adapters.slack.listening import actor as _actor
from adapters.slack.mrkdwn import user
from adapters.slack.payloads import PARSED, action_time
from bot.i18n import t

log = logging.getLogger(__name__)


class ReminderListening:
    """Mixed into SlackListeners (its core, client, locales and _guarded)."""

    # --- reminder cards -------------------------------------------------------------------------------

    async def on_reminder_ack(self, ack, body: dict[str, Any], action: dict[str, Any], context) -> None:
        await ack()
        value, user_id = context[PARSED], body["user"]["id"]
        await self._guarded(
            user_id, (body.get("channel") or {}).get("id"), self._acknowledge(body, action, value, user_id)
        )

    async def _acknowledge(self, body, action, value, user_id: str) -> None:
        await self.core.incidents.acknowledge(value.r, value.k, _actor(user_id))
        await self._mark_card(body, action, t("reminder.acked", self.core.org.language, who=user(user_id)))

    async def on_reminder_file(self, ack, body: dict[str, Any], action: dict[str, Any], context) -> None:
        await ack()
        value, user_id = context[PARSED], body["user"]["id"]
        await self._guarded(
            user_id, (body.get("channel") or {}).get("id"), self._file(body, action, value, user_id)
        )

    async def _file(self, body, action, value, user_id: str) -> None:
        await self.core.incidents.mark_filed(value.r, value.k, _actor(user_id), action_time(action))
        await self._mark_card(body, action, t("reminder.filed", self.core.org.language, who=user(user_id)))

    async def _mark_card(self, body: dict[str, Any], action: dict[str, Any], note: str) -> None:
        """Replace the clicked card's buttons with who did what, so nobody clicks twice."""
        message = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id")
        if not message or not channel:
            return
        blocks = [
            {"type": "context", "elements": [{"type": "mrkdwn", "text": note}]}
            if b.get("block_id") == action.get("block_id")
            else b
            for b in message.get("blocks", [])
        ]
        try:
            await self.client.chat_update(
                channel=channel, ts=message["ts"], text=message.get("text", ""), blocks=blocks
            )
        except SlackApiError as exc:
            log.warning("could not update a reminder card: %s", exc.response.get("error"))
