"""Reminder messages, the executive digest and the notices around them, as view models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.documents.status import fileable
from bot.domain.views import IncidentView
from bot.i18n import catalog, t
from bot.i18n.rich import Rich, bold, channel, plain, r, rich
from bot.presentation import drill_marked_rich, jst, next_deadline_text, progress_bar
from bot.reminders.delivery import Delivery, ReminderItem
from bot.reminders.texts import action_text, item_line, notification_text, part_suffix
from bot.views.elements import Action, people


@dataclass(frozen=True)
class ReminderEntry:
    reference: str
    deadline_key: str
    text: Rich  # what is due and when, why it is said now, what to do when it is late
    owners: Rich  # in the channel: the people who hold the owning role
    progress: str  # in a direct message: how far the team is
    channel_id: str | None
    actions: tuple[Action, ...]  # in a direct message: 確認しました, 提出済みにする


@dataclass(frozen=True)
class ReminderMessage:
    header: Rich
    entries: tuple[ReminderEntry, ...]
    direct: bool  # a direct message with cards, or the channel's list
    fallback: str


def _channel_entry(item: ReminderItem, now: datetime, lang: str) -> ReminderEntry:
    incident = item.incident
    action = action_text(item, lang)
    text = r(f"• {item_line(item, now, lang)}", f"\n{action}" if action else "")
    owners: Rich = ()
    if item.owner_role:
        who = incident.members_with_role(item.owner_role)
        owners = rich(
            "reminder.owner", lang, who=people(who, "") if who else plain(t("role." + item.owner_role, lang))
        )
    return ReminderEntry(incident.reference, item.deadline.key, text, owners, "", incident.channel_id, ())


def _direct_entry(item: ReminderItem, now: datetime, lang: str) -> ReminderEntry:
    incident = item.incident
    action = action_text(item, lang)
    text = r(bold(incident.reference), f" {item_line(item, now, lang)}", f"\n{action}" if action else "")
    value = {"r": incident.reference, "k": item.deadline.key}
    actions = [Action(t("reminder.ack", lang), "ack", value)]
    if item.deadline.kind != "step" and fileable(item.deadline.key):
        actions.append(Action(t("reminder.file", lang), "file", value, "primary"))
    progress = t(
        "reminder.progress", lang, bar=progress_bar(incident.progress.finished, incident.progress.total)
    )
    return ReminderEntry(
        incident.reference, item.deadline.key, text, (), progress, incident.channel_id, tuple(actions)
    )


def reminder_message(delivery: Delivery, now: datetime, lang: str) -> ReminderMessage:
    """The channel's list (mentioning the owners) or an executive's cards (with buttons); a drill's (the
    service never mixes it with real ones) is marked 【訓練】 / [DRILL] in its header and its text."""
    direct = delivery.channel_of is None
    incident = delivery.items[0].incident
    reference = incident.reference
    if delivery.missed:  # 「leakbot が停止していた間」 only when it was not running; else just late
        head = rich("reminder.missed_header" if delivery.offline else "reminder.delayed_header", lang)
    elif direct:
        head = rich("reminder.dm_header", lang)
    else:
        head = rich("reminder.channel_header", lang, reference=reference)
    entry = _direct_entry if direct else _channel_entry
    return ReminderMessage(
        header=drill_marked_rich(head + plain(part_suffix(delivery, lang)), incident, lang),
        entries=tuple(entry(item, now, lang) for item in delivery.latest_per_deadline()),
        direct=direct,
        fallback=notification_text(delivery, now, lang),
    )


@dataclass(frozen=True)
class DigestView:
    header: str
    lines: tuple[Rich, ...]


def digest_view(incidents: list[IncidentView], now: datetime, lang: str) -> DigestView:
    lines = tuple(
        rich(
            "digest.line",
            lang,
            reference=incident.reference,
            channel=(channel(incident.channel_id, incident.channel_name or ""),)
            if incident.channel_id
            else (),
            bar=progress_bar(incident.progress.finished, incident.progress.total),
            next=next_deadline_text(incident, lang),
        )
        for incident in incidents
    )
    return DigestView(t("digest.header", lang, date=jst(now, lang, with_time=False)), lines)


def space_word(incident: IncidentView, lang: str) -> str:
    """What the response space is called on the incident's platform (a Slack channel; a Teams channel or
    thread)."""
    return (
        t(f"space.{incident.platform}", lang)
        if incident.platform in ("slack", "teams")
        else t("space.slack", lang)
    )


def failure_notice(incident: IncidentView, recipient: str, direct: bool, lang: str, error: str = "") -> Rich:
    """A reminder could not be delivered: to the commanders by DM (the channel failed), or in the channel
    mentioning them (a direct message failed). A platform's reason the catalog explains (``error`` ends with
    its code, e.g. ``PlatformFailure: app_not_in_catalog``) says why that person cannot be reached."""
    if direct:
        where = (
            (channel(incident.channel_id, incident.channel_name or ""),)
            if incident.channel_id
            else plain("-")
        )
        notice = rich(
            "reminder.failed_dm",
            lang,
            reference=incident.reference,
            channel=where,
            space=space_word(incident, lang),
        )
        return drill_marked_rich(notice, incident, lang)
    person = recipient.split(":", 2)[2] if recipient.startswith("user:") else None
    shown = (
        people([person], "")
        if person
        else plain(t("reminder.to_channel", lang, space=space_word(incident, lang)))
    )
    commanders = people(incident.members_with_role("commander"), t("role.commander", lang))
    explained = f"reminder.unreachable.{error.rpartition(': ')[2]}"
    key = explained if person and explained in catalog() else "reminder.failed"
    notice = rich(key, lang, commander=commanders, recipient=shown)
    return drill_marked_rich(notice, incident, lang)


def headcount_request(incident: IncidentView, lang: str) -> Rich:
    """Asked every business morning while the number of people is unknown: IT and legal by name."""
    who = tuple(dict.fromkeys(u for role in ("it", "legal") for u in incident.members_with_role(role)))
    ask = r(people(who, ""), " " if who else "", t("assessment.ask_headcount", lang))
    return drill_marked_rich(ask, incident, lang)
