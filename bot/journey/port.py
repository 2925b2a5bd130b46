"""What the response journey asks of a chat platform. Slack and Teams implement it; the core's provisioning
and after-change rules are written once against it (and tested against an in-memory fake)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.documents.model import Document
from bot.i18n.rich import Rich
from bot.views.incident import PhaseView, SummaryView
from bot.views.lookalike import LookalikeQuestion
from bot.views.reminders import DigestView, ReminderMessage

# Rich: a notice in words
Message = SummaryView | PhaseView | ReminderMessage | DigestView | LookalikeQuestion | Rich


@dataclass(frozen=True)
class Space:
    """Where an incident's response happens: a private channel (Slack), a channel or thread (Teams)."""

    id: str
    name: str


@dataclass(frozen=True)
class Posted:
    space_id: str
    message_id: str


@dataclass(frozen=True)
class Drafts:
    """The document drafts as one living document (Markdown), and as files where none can live;
    ``documents`` are the drafts themselves, for a platform that renders them in its own format."""

    title: str
    markdown: str
    # (file name, content) pairs, made only when no living document is possible (a .docx takes a while)
    files: Callable[[], tuple[tuple[str, bytes], ...]]
    documents: tuple[Document, ...] = ()


AS_FILES = "files"  # Published.id when the drafts were uploaded as files


@dataclass(frozen=True)
class Published:
    id: str  # the living document's id (a Slack canvas), or AS_FILES
    fallback: str | None = None  # why no living document: the platform's reason, told to the channel
    link: str | None = None  # where people open the living document (a Slack canvas's URL)


class NameTaken(Exception):
    """The response space's name is in use: the journey tries the next name."""


class PlatformFailure(Exception):
    """A call the platform refused or could not answer. ``code`` is the platform's reason (said to the
    commander); ``retry`` says whether trying again later may help; ``after``: seconds the platform asked
    us to wait (a rate limit)."""

    def __init__(self, code: str, retry: bool = False, after: float | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.retry = retry
        self.after = after


class Platform(Protocol):
    name: str  # "slack", "teams": the incidents' ``platform``

    async def create_space(self, name: str, reference: str) -> Space:
        """A new private response space named ``name``; NameTaken when the name is in use."""

    async def find_space(self, name: str) -> Space | None:
        """The space of that name we created before (a crash between creating and recording it)."""

    async def invite(self, space: Space, user_ids: Sequence[str]) -> list[tuple[str, str]]:
        """Bring everyone in, in as few calls as the platform allows; returns (user, reason) not invited."""

    async def set_topic(self, space: Space, topic: str) -> None: ...

    async def post(self, space: Space, message: Message, key: str) -> Posted:
        """Post ``message``; ``key`` names it (e.g. "summary", "phase:initial") so a post made just before a
        crash can be found again with ``find_post``."""

    async def find_post(self, space: Space, key: str) -> Posted | None: ...

    async def update(self, posted: Posted, message: Message) -> None: ...

    async def pin(self, space: Space, posted: Posted, title: str) -> None:
        """Keep the message at hand (pin and bookmark where the platform has them)."""

    async def post_private(self, space_id: str | None, user_id: str, text: Rich) -> None:
        """Only this person sees it (an ephemeral message, or a direct message where that is impossible)."""

    async def direct(self, user_id: str, message: Message, key: str | None = None) -> Posted:
        """A direct message to one person."""

    async def upload(self, space: Space, filename: str, content: bytes, title: str) -> None: ...

    async def resolve(self, written: str) -> str | None:
        """A person as written in the org config (an id or an e-mail address) to a user id, or None."""

    async def publish_drafts(self, space: Space, drafts: Drafts, existing: str | None) -> Published:
        """The drafts where the team works on them: created, or replaced in place (``existing``: the id an
        earlier call returned); uploaded as files where the platform offers no living document."""

    async def archive_space(self, space: Space) -> bool:
        """A closed incident's space made read-only, kept as the record (archived where the platform can);
        False where it cannot (a Teams thread in a shared channel)."""

    async def unarchive_space(self, space: Space) -> None:
        """A reopened incident's space usable again."""


@runtime_checkable
class MessageScheduler(Protocol):
    """A platform that holds a message and posts it at a set time itself, even when leakbot is down (Slack's
    scheduled messages). The core decides what and when (bot/journey/scheduled.py)."""

    async def schedule(self, space: Space, message: Message, post_at: datetime) -> str:
        """Have ``message`` posted in ``space`` at ``post_at``; returns the platform's id for it.
        PlatformFailure ``time_in_past``, ``time_too_far``, ``restricted_too_many`` (not retried), or a
        retryable one (rate limited, the platform down)."""

    async def unschedule(self, space_id: str, scheduled_id: str) -> None:
        """Delete it before it posts; one already posted or deleted is not an error."""

    async def scheduled(self, space: Space) -> list[tuple[str, datetime]]:
        """What the platform still holds for us in ``space``: (id, post_at), to reconcile after a crash."""


@dataclass(frozen=True)
class CalendarEvent:
    """A legal deadline as an event in one person's own calendar: the reference and the deadline, nothing
    else about the leak; the body may link the response space."""

    title: str
    description: str  # what the deadline is (the .ics' words): no facts, no names
    start: datetime
    end: datetime  # the deadline's minute
    reminder_minutes: int  # before ``start``
    space_id: str  # the response space, linked from the event's body
    space_name: str
    transaction_id: str  # a create sent again with it is not made twice (a lost answer, a crash)


@runtime_checkable
class DeadlineCalendar(Protocol):
    """People's own calendars (Outlook through Microsoft Graph): the platform's ``calendar`` when enabled.
    The core decides which events, when and for whom (bot/journey/calendar_events.py)."""

    async def put_event(self, user_id: str, event: CalendarEvent, event_id: str | None) -> str:
        """Create the event (``event_id`` None) or update it; returns its id. PlatformFailure ``event_gone``
        when the event to update no longer exists (the person deleted it); others retryable or not."""

    async def remove_event(self, user_id: str, event_id: str) -> None:
        """Delete it; one already gone is not an error."""


def calendar_of(platform: object) -> DeadlineCalendar | None:
    """The platform's calendars when enabled (Teams with ``LEAKBOT_TEAMS_CALENDAR``), else None."""
    calendar = getattr(platform, "calendar", None)
    return calendar if isinstance(calendar, DeadlineCalendar) else None
