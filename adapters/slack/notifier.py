"""Reminders and the executive digest on Slack: channel posts that mention the owners, and compact
direct-message cards with 確認しました / 提出済みにする buttons."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks.elements import Block, button, context, section
from adapters.slack.mrkdwn import user
from bot.bootstrap import Core
from bot.domain.views import IncidentView
from bot.i18n import t
from bot.presentation import jst, next_deadline_text, progress_bar
from bot.reminders.delivery import Delivery, ReminderItem
from bot.reminders.targets import CHANNEL_TARGET
from bot.reminders.texts import action_text, item_line, notification_text, part_suffix

REMINDER_ACTION = "reminder"
MAX_ITEMS = 40  # channel lines per message: one block each, under Slack's 50 blocks
MAX_CARDS = 15  # direct-message cards per message: three blocks each, under Slack's 50 blocks


def _owners(item: ReminderItem, lang: str) -> str:
    if not item.owner_role:
        return ""
    people = " ".join(user(u) for u in item.incident.members_with_role(item.owner_role))
    return t("reminder.owner", lang, who=people or t("role." + item.owner_role, lang))


def _with_action(line: str, item: ReminderItem, lang: str) -> str:
    action = action_text(item, lang)
    return f"{line}\n{action}" if action else line


def channel_blocks(delivery: Delivery, now: datetime, lang: str) -> list[Block]:
    """Every deadline of the delivery, one line each (the service keeps a message to a few)."""
    incident = delivery.items[0].incident
    head = "reminder.missed_header" if delivery.missed else "reminder.channel_header"
    blocks: list[Block] = [section(t(head, lang, reference=incident.reference) + part_suffix(delivery, lang))]
    for item in delivery.latest_per_deadline():
        line = _with_action(f"• {item_line(item, now, lang)}", item, lang)
        blocks.append(section(f"{line}\n{_owners(item, lang)}"))
    return blocks


def card_blocks(delivery: Delivery, now: datetime, lang: str) -> list[Block]:
    """One compact card per incident and deadline, for an executive or the commander: every deadline of
    the delivery."""
    head = "reminder.missed_header" if delivery.missed else "reminder.dm_header"
    blocks: list[Block] = [section(t(head, lang) + part_suffix(delivery, lang))]
    for number, item in enumerate(delivery.latest_per_deadline(), start=1):
        incident = item.incident
        channel = f"<#{incident.channel_id}>" if incident.channel_id else "-"
        value = {"r": incident.reference, "k": item.deadline.key}
        blocks.append(
            section(_with_action(f"*{incident.reference}* {item_line(item, now, lang)}", item, lang))
        )
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
        """Post every item: more than one message holds go out as several messages, never fewer lines."""
        now = self.core.clock.now()
        incident = delivery.items[0].incident
        if delivery.channel_of is not None:
            if not incident.channel_id:
                raise RuntimeError("the incident has no response channel yet")
            for piece in _pieces(delivery, MAX_ITEMS):
                await self.client.chat_postMessage(
                    channel=incident.channel_id,
                    text=notification_text(piece, now, self.lang),
                    blocks=channel_blocks(piece, now, self.lang),
                )
            return
        assert delivery.user_id is not None
        dm = await self.client.conversations_open(users=delivery.user_id)
        for piece in _pieces(delivery, MAX_CARDS):
            await self.client.chat_postMessage(
                channel=dm["channel"]["id"],
                text=notification_text(piece, now, self.lang),
                blocks=card_blocks(piece, now, self.lang),
            )

    async def alert_failure(self, incident: IncidentView, recipient: str, error: str) -> None:
        """By another route than the one that failed: the commanders' DMs when the channel failed, the
        channel when a direct message failed."""
        if recipient == CHANNEL_TARGET:
            text = t(
                "reminder.failed_dm",
                self.lang,
                reference=incident.reference,
                channel=f"<#{incident.channel_id}>" if incident.channel_id else "-",
            )
            for commander in incident.members_with_role("commander"):
                dm = await self.client.conversations_open(users=commander)
                await self.client.chat_postMessage(channel=dm["channel"]["id"], text=text)
            return
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

    async def ask_headcount(self, incident: IncidentView) -> None:
        if not incident.channel_id:
            return
        people = [user(u) for role in ("it", "legal") for u in incident.members_with_role(role)]
        await self.client.chat_postMessage(
            channel=incident.channel_id,
            text=" ".join(dict.fromkeys(people)) + " " + t("assessment.ask_headcount", self.lang),
        )


def _pieces(delivery: Delivery, per_message: int) -> list[Delivery]:
    """The delivery as it fits Slack's block limit; normally one piece (the service sends at most
    ITEMS_PER_MESSAGE deadlines per delivery)."""
    items = delivery.latest_per_deadline()
    if len(items) <= per_message:
        return [delivery]
    return [replace(delivery, items=items[i : i + per_message]) for i in range(0, len(items), per_message)]
