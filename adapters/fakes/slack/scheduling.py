"""The fake workspace's scheduled messages (chat.scheduleMessage, chat.deleteScheduledMessage,
chat.scheduledMessages.list), with Slack's documented restrictions (docs.slack.dev/reference/methods/
chat.scheduleMessage): ``post_at`` in the past is ``time_in_past``, more than 120 days ahead ``time_too_far``,
and more than 30 messages set to post within a 5-minute window in one channel ``restricted_too_many``.

The fake has a clock of its own (``now``, epoch seconds; the harness ties it to the app's fake clock): when it
passes a message's ``post_at``, Slack posts it into the channel — whether leakbot is running or not. That
happens at the start of every Web API call and whenever a test calls :meth:`deliver_due`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from adapters.fakes.slack.errors import SlackApiFailure

HORIZON_SECONDS = 120 * 24 * 3600
WINDOW_SECONDS = 5 * 60
PER_WINDOW = 30


@dataclass
class Scheduled:
    id: str
    channel: str
    post_at: int
    created: int
    args: dict[str, Any]


class ScheduledMessages:
    """Mixed into FakeSlack, which provides ``_channel``, ``_check_blocks``, ``_message``, ``_id``,
    ``messages`` and the ``SlackApiFailure`` it raises."""

    now: Callable[[], float]
    scheduled: dict[str, Scheduled]
    delivered: list[Scheduled]

    def _init_scheduling(self) -> None:
        self.now = time.time
        self.scheduled = {}
        self.delivered = []

    def deliver_due(self) -> list[Scheduled]:
        """Post every scheduled message whose time has come, oldest first (what Slack does on its own)."""
        now = self.now()
        due = sorted((s for s in self.scheduled.values() if s.post_at <= now), key=lambda s: s.post_at)
        for item in due:
            del self.scheduled[item.id]
            ts = f"{item.post_at}.{len(self.delivered) + 1:06d}"
            message = self._message(item.args, ts)
            self.messages[item.channel].append(message)
            self.delivered.append(item)
        return due

    def pending_in(self, channel_id: str) -> list[Scheduled]:
        return sorted(
            (s for s in self.scheduled.values() if s.channel == channel_id), key=lambda s: s.post_at
        )

    def _chat_scheduleMessage(self, args: dict) -> dict:
        channel = self._channel(args["channel"])
        self._check_blocks(args)
        try:
            post_at = int(float(args["post_at"]))
        except (KeyError, TypeError, ValueError):
            raise SlackApiFailure("invalid_time") from None
        now = int(self.now())
        if post_at < now:
            raise SlackApiFailure("time_in_past")
        if post_at > now + HORIZON_SECONDS:
            raise SlackApiFailure("time_too_far")
        near = [s for s in self.pending_in(channel.id) if abs(s.post_at - post_at) < WINDOW_SECONDS]
        if len(near) >= PER_WINDOW:
            raise SlackApiFailure("restricted_too_many")
        if not (args.get("text") or args.get("blocks")):
            raise SlackApiFailure("no_text")
        item = Scheduled(self._id("Q"), channel.id, post_at, now, dict(args))
        self.scheduled[item.id] = item
        shown = self._message(args, "")
        message = {k: shown[k] for k in ("type", "text", "user", "bot_id")}
        return {
            "channel": channel.id,
            "post_at": post_at,
            "scheduled_message_id": item.id,
            "message": message | {"team": "T0LEAKBOT"},  # server.TEAM
        }

    def _chat_deleteScheduledMessage(self, args: dict) -> dict:
        self._channel(args["channel"])
        item = self.scheduled.get(str(args["scheduled_message_id"]))
        if item is None or item.channel != args["channel"]:
            raise SlackApiFailure("invalid_scheduled_message_id")  # unknown, posted already, or deleted
        del self.scheduled[item.id]
        return {}

    def _chat_scheduledMessages_list(self, args: dict) -> dict:
        """Pending messages only (a posted or deleted one is gone), by post_at; ``limit`` and ``cursor``."""
        channel = args.get("channel")
        if channel:
            try:
                self._channel(channel)
            except SlackApiFailure:
                raise SlackApiFailure("invalid_channel") from None
        items = sorted(
            (s for s in self.scheduled.values() if not channel or s.channel == channel),
            key=lambda s: (s.post_at, s.id),
        )
        oldest, latest = args.get("oldest"), args.get("latest")
        if oldest:
            items = [s for s in items if s.post_at >= float(oldest)]
        if latest:
            items = [s for s in items if s.post_at <= float(latest)]
        start = int(args.get("cursor") or 0)
        limit = int(args.get("limit") or 100)
        page = items[start : start + limit]
        more = start + limit < len(items)
        return {
            "scheduled_messages": [
                {
                    "id": s.id,
                    "channel_id": s.channel,
                    "post_at": s.post_at,
                    "date_created": s.created,
                    "text": s.args.get("text") or "",
                }
                for s in page
            ],
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }
