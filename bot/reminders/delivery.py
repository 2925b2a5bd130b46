"""What the reminder service hands a platform to send, and the port each platform implements."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.domain.views import DeadlineView, IncidentView


@dataclass(frozen=True)
class ReminderItem:
    incident: IncidentView
    deadline: DeadlineView
    kind: str  # opened, late, before, due_morning, due, overdue
    scheduled_for: datetime  # the planned moment
    owner_role: str | None  # the role that owns the deadline's step, mentioned in the channel
    delayed_from: datetime | None = None  # planned moment of a ping that goes out late after failed tries


@dataclass(frozen=True)
class Delivery:
    """Reminders for one recipient: a response channel, or one person by direct message."""

    platform: str
    channel_of: str | None  # incident reference, when sent to its response channel
    user_id: str | None  # when sent to one person
    items: tuple[ReminderItem, ...]
    missed: bool  # they fell due a while ago: one gathered message, not a flood
    part: int = 1  # many deadlines for one recipient go out as several messages: this is message `part`
    parts: int = 1  # of `parts`
    offline: bool = False  # missed because they fell due before this leakbot started (it was not running)

    @property
    def overdue(self) -> bool:
        return any(i.kind in ("overdue", "late") for i in self.items)

    def latest_per_deadline(self) -> tuple[ReminderItem, ...]:
        """One line per incident deadline: a catch-up may hold "7 days before", "due today" and "overdue"
        for the same deadline; the most recent says it all."""
        latest: dict[tuple[str, str], ReminderItem] = {}
        for item in sorted(self.items, key=lambda i: i.scheduled_for):
            latest[(item.incident.reference, item.deadline.key)] = item
        return tuple(sorted(latest.values(), key=lambda i: i.deadline.due_at))


class Notifier(Protocol):
    async def deliver(self, delivery: Delivery) -> None:
        """Send every item of it (never fewer: every row is marked sent), or raise: the service retries
        with backoff."""

    async def alert_failure(self, incident: IncidentView, recipient: str, error: str) -> None:
        """Tell the commander that a reminder to ``recipient`` could not be delivered, by another route
        than the one that failed: by direct message when the channel failed, in the channel when a direct
        message failed."""

    async def digest(self, user_id: str, incidents: list[IncidentView]) -> None:
        """The daily executive digest: open incidents and their next deadlines."""

    async def ask_headcount(self, incident: IncidentView) -> None:
        """In the response channel, to IT and legal: the number of people is still unknown; give an estimate
        or an upper bound (asked every business morning until one is given)."""


def split_messages(
    rows_items: list[tuple[Any, ReminderItem]], per_message: int
) -> list[list[tuple[Any, ReminderItem]]]:
    """``rows_items``: (reminder row with an ``id``, item) pairs. One recipient's reminders as messages of at most ``per_message`` deadlines each, nearest deadline
    first; every row of one deadline goes in the same message (it shows them as one line)."""
    by_deadline: dict[tuple[str, str], list[tuple[Any, ReminderItem]]] = defaultdict(list)
    for row, item in rows_items:
        by_deadline[(item.incident.reference, item.deadline.key)].append((row, item))
    ordered = sorted(by_deadline.values(), key=lambda group: (group[0][1].deadline.due_at, group[0][0].id))
    return [
        [pair for group in ordered[start : start + per_message] for pair in group]
        for start in range(0, len(ordered), per_message)
    ]
