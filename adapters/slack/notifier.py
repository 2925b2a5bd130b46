"""Reminders and the executive digest on Slack: channel posts that mention the owners, and compact
direct-message cards with 確認しました / 提出済みにする buttons."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks.elements import Block, button, context, section
from adapters.slack.mrkdwn import user
from bot.bootstrap import Core
from bot.domain.views import IncidentView
from bot.i18n import t
from bot.presentation import deadline_label, jst, next_deadline_text, progress_bar, reminder_line
from bot.reminders.delivery import Delivery, ReminderItem

REMINDER_ACTION = "reminder"
MAX_ITEMS = 20  # blocks per message stay well under 50


def _owners(item: ReminderItem, lang: str) -> str:
    if not item.owner_role:
        return ""
    people = " ".join(user(u) for u in item.incident.members_with_role(item.owner_role))
    return t("reminder.owner", lang, who=people or t("role." + item.owner_role, lang))


def channel_blocks(delivery: Delivery, now: datetime, lang: str) -> list[Block]:
    incident = delivery.items[0].incident
    head = "reminder.missed_header" if delivery.missed else "reminder.channel_header"
    blocks: list[Block] = [section(t(head, lang, reference=incident.reference))]
    for item in delivery.latest_per_deadline()[:MAX_ITEMS]:
        blocks.append(section(f"• {reminder_line(item, now, lang)}\n{_owners(item, lang)}"))
    return blocks


def card_blocks(delivery: Delivery, now: datetime, lang: str) -> list[Block]:
    """One compact card per incident and deadline, for an executive or the commander."""
    head = "reminder.missed_header" if delivery.missed else "reminder.dm_header"
    blocks: list[Block] = [section(t(head, lang))]
    for number, item in enumerate(delivery.latest_per_deadline()[: MAX_ITEMS // 2], start=1):
        incident = item.incident
        channel = f"<#{incident.channel_id}>" if incident.channel_id else "-"
        value = {"r": incident.reference, "k": item.deadline.key}
        blocks.append(section(f"*{incident.reference}* {reminder_line(item, now, lang)}"))
        blocks.append(
            context(
                t(
                    "reminder.progress",
                    lang,
                    bar=progress_bar(incident.progress.finished, incident.progress.total),
                ),
                t("reminder.channel_link", lang, channel=channel),
            )
        )
        elements = [button(t("reminder.ack", lang), f"{REMINDER_ACTION}:ack:{number}", value)]
        if item.deadline.kind != "step":
            elements.append(
                button(t("reminder.file", lang), f"{REMINDER_ACTION}:file:{number}", value, "primary")
            )
        blocks.append({"type": "actions", "block_id": f"reminder:{number}", "elements": elements})
    return blocks


class SlackNotifier:
    def __init__(self, core: Core, client: AsyncWebClient) -> None:
        self.core = core
        self.client = client

    @property
    def lang(self) -> str:
        return self.core.org.language

    async def deliver(self, delivery: Delivery) -> None:
        now = self.core.clock.now()
        incident = delivery.items[0].incident
        if delivery.channel_of is not None:
            if not incident.channel_id:
                raise RuntimeError("the incident has no response channel yet")
            blocks = channel_blocks(delivery, now, self.lang)
            await self.client.chat_postMessage(
                channel=incident.channel_id, text=self._text(delivery), blocks=blocks
            )
            return
        assert delivery.user_id is not None
        dm = await self.client.conversations_open(users=delivery.user_id)
        await self.client.chat_postMessage(
            channel=dm["channel"]["id"],
            text=self._text(delivery),
            blocks=card_blocks(delivery, now, self.lang),
        )

    def _text(self, delivery: Delivery) -> str:
        first = delivery.items[0]
        return f"{first.incident.reference}: {deadline_label(first.deadline, first.incident, self.lang)}"

    async def alert_failure(self, incident: IncidentView, recipient: str, error: str) -> None:
        if not incident.channel_id:
            return
        commanders = " ".join(user(u) for u in incident.members_with_role("commander"))
        person = recipient.split(":", 2)[2] if recipient.startswith("user:") else None
        shown = user(person) if person else t("reminder.to_channel", self.lang)
        await self.client.chat_postMessage(
            channel=incident.channel_id,
            text=t("reminder.failed", self.lang, commander=commanders, recipient=shown),
        )

    async def digest(self, user_id: str, incidents: list[IncidentView]) -> None:
        now = self.core.clock.now()
        lines = []
        for incident in incidents:
            label = next_deadline_text(incident, self.lang)
            lines.append(
                t(
                    "digest.line",
                    self.lang,
                    reference=incident.reference,
                    channel=f"<#{incident.channel_id}>" if incident.channel_id else "",
                    bar=progress_bar(incident.progress.finished, incident.progress.total),
                    next=label,
                )
            )
        head = t("digest.header", self.lang, date=jst(now, self.lang, with_time=False))
        dm = await self.client.conversations_open(users=user_id)
        await self.client.chat_postMessage(channel=dm["channel"]["id"], text=head + "\n" + "\n".join(lines))
