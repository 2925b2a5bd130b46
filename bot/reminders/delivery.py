"""What the reminder service hands a platform to send, and the port each platform implements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.domain.views import DeadlineView, IncidentView


@dataclass(frozen=True)
class ReminderItem:
    incident: IncidentView
    deadline: DeadlineView
    kind: str  # opened, before, due_morning, due, overdue
    scheduled_for: datetime
    owner_role: str | None  # the role that owns the deadline's step, mentioned in the channel


@dataclass(frozen=True)
class Delivery:
    """Reminders for one recipient: a response channel, or one person by direct message."""

    platform: str
    channel_of: str | None  # incident reference, when sent to its response channel
    user_id: str | None  # when sent to one person
    items: tuple[ReminderItem, ...]
    missed: bool  # they fell due while leakbot was offline: one gathered message, not a flood

    @property
    def overdue(self) -> bool:
        return any(i.kind == "overdue" for i in self.items)

    def latest_per_deadline(self) -> tuple[ReminderItem, ...]:
        """One line per incident deadline: a catch-up may hold "7 days before", "due today" and "overdue"
        for the same deadline; the most recent says it all."""
        latest: dict[tuple[str, str], ReminderItem] = {}
        for item in sorted(self.items, key=lambda i: i.scheduled_for):
            latest[(item.incident.reference, item.deadline.key)] = item
        return tuple(sorted(latest.values(), key=lambda i: i.deadline.due_at))


class Notifier(Protocol):
    async def deliver(self, delivery: Delivery) -> None:
        """Send it, or raise: the service retries with backoff."""

    async def alert_failure(self, incident: IncidentView, recipient: str, error: str) -> None:
        """Tell the commander in the response channel that a reminder could not be delivered."""

    async def digest(self, user_id: str, incidents: list[IncidentView]) -> None:
        """The daily executive digest: open incidents and their next deadlines."""
