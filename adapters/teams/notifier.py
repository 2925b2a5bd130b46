"""Reminders and the executive digest on Teams, as proactive messages: the response thread for the team,
a 1:1 chat (created when needed) for executives and the commander."""

from __future__ import annotations

from adapters.teams.cards import reminder_card
from adapters.teams.channel import PLATFORM, TeamsThread
from adapters.teams.sdk import Conversation, TeamsGateway, card_activity, text_activity
from bot.bootstrap import Core
from bot.domain.views import IncidentView
from bot.i18n import t
from bot.presentation import jst, next_deadline_text, progress_bar, reminder_line
from bot.reminders.delivery import Delivery


class TeamsNotifier:
    def __init__(self, core: Core, gateway: TeamsGateway, thread: TeamsThread) -> None:
        self.core = core
        self.gateway = gateway
        self.thread = thread

    @property
    def lang(self) -> str:
        return self.core.org.language

    async def _chat_with(self, user_id: str, near: Conversation | None) -> Conversation:
        stored = await self.core.conversations.get(PLATFORM, f"user:{user_id}")
        if stored:
            return Conversation.from_json(stored)
        service_url = near.service_url if near else self.gateway.settings.service_url
        tenant = near.tenant_id if near else self.gateway.settings.tenant_id
        conversation, _ = await self.gateway.create_conversation(service_url, tenant, members=[user_id])
        await self.core.conversations.remember(PLATFORM, f"user:{user_id}", conversation.as_json())
        return conversation

    async def deliver(self, delivery: Delivery) -> None:
        now = self.core.clock.now()
        incident = delivery.items[0].incident
        thread = await self.thread.conversation(incident.reference)
        if delivery.channel_of is not None:
            if thread is None:
                raise RuntimeError("the incident has no response thread yet")
            head = t(
                "reminder.missed_header" if delivery.missed else "reminder.channel_header",
                self.lang,
                reference=incident.reference,
            ).replace("*", "**")
            lines = [f"- {reminder_line(i, now, self.lang)}" for i in delivery.latest_per_deadline()]
            await self.gateway.send(thread, text_activity(head + "\n\n" + "\n\n".join(lines)))
            return
        assert delivery.user_id is not None
        chat = await self._chat_with(delivery.user_id, thread)
        await self.gateway.send(chat, card_activity(reminder_card(delivery, now, self.lang)))

    async def alert_failure(self, incident: IncidentView, recipient: str, error: str) -> None:
        thread = await self.thread.conversation(incident.reference)
        if thread is None:
            return
        commanders = incident.members_with_role("commander")
        mentions = [(u, t("role.commander", self.lang)) for u in commanders]
        shown = (
            recipient.split(":", 2)[2]
            if recipient.startswith("user:")
            else t("reminder.to_channel", self.lang)
        )
        names = " ".join(f"<at>{name}</at>" for _, name in mentions)
        await self.gateway.send(
            thread, text_activity(t("reminder.failed", self.lang, commander=names, recipient=shown), mentions)
        )

    async def digest(self, user_id: str, incidents: list[IncidentView]) -> None:
        now = self.core.clock.now()
        lines = []
        for incident in incidents:
            label = next_deadline_text(incident, self.lang)
            bar = progress_bar(incident.progress.finished, incident.progress.total)
            lines.append(f"- **{incident.reference}** · {bar} · {label}")
        head = t("digest.header", self.lang, date=jst(now, self.lang, with_time=False))
        chat = await self._chat_with(user_id, None)
        await self.gateway.send(chat, text_activity(head + "\n\n" + "\n".join(lines)))
