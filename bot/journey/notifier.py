"""Reminders, digests and requests through the Platform port: one notifier for every platform."""

from __future__ import annotations

from bot.clock import Clock
from bot.domain.views import IncidentView
from bot.journey.port import Platform, Space
from bot.reminders.delivery import Delivery
from bot.reminders.targets import CHANNEL_TARGET
from bot.views.reminders import digest_view, failure_notice, headcount_request, reminder_message


class PlatformNotifier:
    """Implements bot.reminders.delivery.Notifier on top of a platform."""

    def __init__(self, platform: Platform, clock: Clock, lang: str) -> None:
        self.platform = platform
        self.clock = clock
        self.lang = lang

    async def deliver(self, delivery: Delivery) -> None:
        message = reminder_message(delivery, self.clock.now(), self.lang)
        incident = delivery.items[0].incident
        if delivery.channel_of is not None:
            await self.platform.post(_space(incident), message, "reminder")
            return
        assert delivery.user_id is not None
        await self.platform.direct(delivery.user_id, message)

    async def alert_failure(self, incident: IncidentView, recipient: str, error: str) -> None:
        """By another route than the one that failed: the commanders' direct messages when the channel
        failed, the channel (mentioning them) when a direct message failed."""
        if recipient == CHANNEL_TARGET:
            notice = failure_notice(incident, recipient, direct=True, lang=self.lang)
            for commander in incident.members_with_role("commander"):
                await self.platform.direct(commander, notice)
            return
        if incident.channel_id:
            await self.platform.post(
                _space(incident), failure_notice(incident, recipient, False, self.lang, error), "alert"
            )

    async def digest(self, user_id: str, incidents: list[IncidentView]) -> None:
        await self.platform.direct(user_id, digest_view(incidents, self.clock.now(), self.lang))

    async def ask_headcount(self, incident: IncidentView) -> None:
        if incident.channel_id:
            await self.platform.post(_space(incident), headcount_request(incident, self.lang), "ask")


def _space(incident: IncidentView) -> Space:
    if not incident.channel_id:
        raise RuntimeError("the incident has no response space yet")
    return Space(incident.channel_id, incident.channel_name or "")
