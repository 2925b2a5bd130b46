"""Reminders and the executive digest on Teams, as proactive messages: the response thread for the team,
a 1:1 chat (created when needed) for executives and the commander."""

from __future__ import annotations

from dataclasses import replace

from adapters.teams.cards import reminder_card
from adapters.teams.channel import PLATFORM, TeamsThread
from adapters.teams.sdk import Conversation, TeamsGateway, card_activity, text_activity
from bot.bootstrap import Core
from bot.domain.views import IncidentView
from bot.i18n import t
from bot.presentation import jst, next_deadline_text, progress_bar
from bot.reminders.delivery import Delivery
from bot.reminders.targets import CHANNEL_TARGET
from bot.reminders.texts import action_text, item_line, part_suffix

MAX_ITEMS = 15  # deadlines per Teams message, well under the connector's message size limit


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
        """Send every item: more than one message holds go out as several messages, never fewer lines."""
        now = self.core.clock.now()
        incident = delivery.items[0].incident
        thread = await self.thread.conversation(incident.reference)
        pieces = _pieces(delivery, MAX_ITEMS)
        if delivery.channel_of is not None:
            if thread is None:
                raise RuntimeError("the incident has no response thread yet")
            for piece in pieces:
                head = t(
                    "reminder.missed_header" if piece.missed else "reminder.channel_header",
                    self.lang,
                    reference=incident.reference,
                ).replace("*", "**") + part_suffix(piece, self.lang)
                lines = []
                for item in piece.latest_per_deadline():
                    action = action_text(item, self.lang)
                    lines.append(f"- {item_line(item, now, self.lang)}" + (f"\n  {action}" if action else ""))
                await self.gateway.send(thread, text_activity(head + "\n\n" + "\n\n".join(lines)))
            return
        assert delivery.user_id is not None
        chat = await self._chat_with(delivery.user_id, thread)
        for piece in pieces:
            await self.gateway.send(chat, card_activity(reminder_card(piece, now, self.lang)))

    async def alert_failure(self, incident: IncidentView, recipient: str, error: str) -> None:
        """By another route than the one that failed: the commanders' 1:1 chats when the response thread
        failed, the thread when a 1:1 chat failed."""
        thread = await self.thread.conversation(incident.reference)
        if recipient == CHANNEL_TARGET:
            text = t("reminder.failed_dm", self.lang, reference=incident.reference, channel="Teams")
            for commander in incident.members_with_role("commander"):
                chat = await self._chat_with(commander, thread)
                await self.gateway.send(chat, text_activity(text))
            return
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

    async def ask_headcount(self, incident: IncidentView) -> None:
        thread = await self.thread.conversation(incident.reference)
        if thread is None:
            return
        people = [
            (u, t(f"role.{role}", self.lang))
            for role in ("it", "legal")
            for u in incident.members_with_role(role)
        ]
        names = " ".join(f"<at>{name}</at>" for _, name in people)
        await self.gateway.send(
            thread, text_activity(f"{names} {t('assessment.ask_headcount', self.lang)}".strip(), people)
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


def _pieces(delivery: Delivery, per_message: int) -> list[Delivery]:
    items = delivery.latest_per_deadline()
    if len(items) <= per_message:
        return [delivery]
    return [replace(delivery, items=items[i : i + per_message]) for i in range(0, len(items), per_message)]
