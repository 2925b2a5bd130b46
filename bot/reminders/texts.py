"""Reminder wording shared by the platforms, on top of ``bot.presentation.reminder_line``: the note on a
ping that went out late, what to do about an overdue deadline, and the part number of a split message."""

from __future__ import annotations

from datetime import datetime

from bot.i18n import t
from bot.presentation import drill_marked, incident_now, jst, reminder_line
from bot.regime_words import HOUR_CLOCK, is_regime_key, regime_label, split_key
from bot.regimes import regimes
from bot.reminders.delivery import Delivery, ReminderItem

ACTION_KINDS = ("late", "overdue")  # the pings that say what to do now


def delay_note(item: ReminderItem, lang: str) -> str:
    """「（配信遅延: 予定 …）」 when the ping went out late because earlier tries failed."""
    if item.delayed_from is None:
        return ""
    return t("reminder.delayed", lang, planned=jst(item.delayed_from, lang))


def item_line(item: ReminderItem, now: datetime, lang: str) -> str:
    """What is due, when, how long is left or how far past, why it is said now, and any delivery delay.
    ``now`` is real; a drill's line is said in drill time."""
    return reminder_line(item, incident_now(item.incident, now), lang) + delay_note(item, lang)


def action_text(item: ReminderItem, lang: str) -> str | None:
    """What to do about a deadline that has passed, by kind of deadline."""
    if item.kind not in ACTION_KINDS:
        return None
    key = item.deadline.key
    if item.deadline.kind == HOUR_CLOCK and is_regime_key(key):  # each law's own duty and article
        code, duty = split_key(key)
        regime = regimes()[code]
        basis = regime.individuals.basis if duty == "individuals" and regime.individuals else None
        label = regime_label(key, lang)
        return t("reminder.action.regime_hours", lang, deadline=label, basis=basis or regime.authority.basis)
    return t(f"reminder.action.{item.deadline.kind}", lang)


def part_suffix(delivery: Delivery, lang: str) -> str:
    if delivery.parts <= 1:
        return ""
    return t("reminder.part", lang, part=delivery.part, parts=delivery.parts)


def notification_text(delivery: Delivery, now: datetime, lang: str) -> str:
    """The plain text of a reminder message (notifications, screen readers): its most urgent line."""
    items = delivery.latest_per_deadline()
    first = next((i for i in items if i.kind in ACTION_KINDS), items[0])
    more = t("reminder.more", lang, count=len(items) - 1) if len(items) > 1 else ""
    text = f"{first.incident.reference}: {item_line(first, now, lang)}{more}{part_suffix(delivery, lang)}"
    return drill_marked(text, first.incident, lang)
