"""Which deadline ping the platform itself schedules (issue 22), and which of leakbot's own reminders it
makes redundant. Pure decisions, plus the one query the reminder sweep asks.

**The scheduled ping** of a pending legal deadline is the *last* ping the plan sends to the response channel
before the deadline passes: the due-day morning for a deadline counted in days (速報 target, 確報, the notice
to the controller, a regime's day clock), the last "hours before" ping of an hour clock (GDPR's 72 h: 6 hours
before). If leakbot is down, that is the ping that can still save the deadline; the earlier ones leakbot
catches up on when it is back. Steps' own due times and drills are not scheduled (a drill runs in the
exercise hour, with leakbot up).

**Exactly one ping.** Leakbot's own channel reminder planned at the scheduled moment for the same deadline
(and due date) is *suppressed* (state ``by_platform``, recorded, not sent) while the platform's copy is
scheduled, whether it is still pending or already delivered. When the platform's copy was delivered while
leakbot was down (its ``post_at`` is past), the missed earlier channel pings of that deadline are suppressed
too: Slack's message already said the latest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.org import Reminders
from bot.domain.views import IncidentView
from bot.reminders.plan import CHANNEL, plan
from bot.reminders.targets import CHANNEL_TARGET
from bot.storage.tables import Reminder, ScheduledPing

HORIZON = timedelta(days=120)  # Slack: post_at at most 120 days ahead (time_too_far)
HORIZON_MARGIN = timedelta(hours=1)  # scheduled this long before it comes within range, never at the edge
LEAD = timedelta(minutes=1)  # a ping due sooner than this is left to leakbot (time_in_past otherwise)
WINDOW = timedelta(minutes=5)  # Slack: at most 30 messages scheduled to post within 5 minutes per channel
PER_WINDOW = 30
SUPPRESSED = "by_platform"  # a reminder row the platform's scheduled copy stands for
LIVE = ("scheduling", "scheduled")  # rows the platform holds (or may hold: asked, answer not recorded)
SCHEDULED_KINDS = ("before", "due_morning")


@dataclass(frozen=True)
class Wanted:
    """The ping the platform should hold for one deadline."""

    deadline_key: str
    kind: str  # the reminder kind it stands for
    post_at: datetime
    deadline_due_at: datetime


def wanted_pings(incident: IncidentView, config: Reminders) -> dict[str, Wanted]:
    """The scheduled ping of each pending legal deadline of an open, real incident with a response space,
    whatever the time now (a ping already posted stays wanted while its deadline stands: it suppresses
    leakbot's own). The plan is asked as if the deadline had been known for long, so the choice does not
    depend on when it appeared."""
    if incident.status != "open" or incident.is_drill or not incident.channel_id:
        return {}
    wanted: dict[str, Wanted] = {}
    for deadline in incident.deadlines:
        if deadline.kind == "step" or deadline.status != "pending":
            continue
        early = deadline.due_at - timedelta(days=366)
        pings = [
            p
            for p in plan(deadline.kind, deadline.due_at, early, config)
            if p.audience == CHANNEL and p.kind in SCHEDULED_KINDS and p.due_at < deadline.due_at
        ]
        if pings:
            last = max(pings, key=lambda p: p.due_at)
            wanted[deadline.key] = Wanted(deadline.key, last.kind, last.due_at, deadline.due_at)
    return wanted


def schedulable(post_at: datetime, now: datetime) -> bool:
    """Far enough ahead for the platform to take it (and for it to matter)."""
    return post_at > now + LEAD


def beyond_horizon(post_at: datetime, now: datetime) -> datetime | None:
    """When a ping too far ahead for the platform is to be scheduled (None: it can be now)."""
    if post_at <= now + HORIZON - HORIZON_MARGIN:
        return None
    return post_at - HORIZON + HORIZON_MARGIN


def window_full(post_at: datetime, others: list[datetime]) -> bool:
    """The channel already holds PER_WINDOW pings posting within WINDOW of this one."""
    return sum(1 for other in others if abs(other - post_at) < WINDOW) >= PER_WINDOW


def stands_for(row: Reminder, ping: ScheduledPing, now: datetime) -> bool:
    """Whether the platform's scheduled copy ``ping`` makes leakbot's channel reminder ``row`` redundant."""
    if (
        row.target != CHANNEL_TARGET
        or ping.state != "scheduled"
        or row.deadline_key != ping.deadline_key
        or row.deadline_due_at != ping.deadline_due_at
        or row.kind == "overdue"
    ):
        return False
    return row.planned_at == ping.post_at or (row.planned_at < ping.post_at <= now)


async def suppressed(session: AsyncSession, rows: list[Reminder], now: datetime) -> set[int]:
    """The ids of those reminder rows that a scheduled platform ping stands for."""
    channel = [r for r in rows if r.target == CHANNEL_TARGET]
    if not channel:
        return set()
    pings = list(
        await session.scalars(
            select(ScheduledPing).where(
                ScheduledPing.incident_id.in_({r.incident_id for r in channel}),
                ScheduledPing.target == CHANNEL_TARGET,
                ScheduledPing.state == "scheduled",
            )
        )
    )
    return {
        row.id
        for row in channel
        for ping in pings
        if ping.incident_id == row.incident_id and stands_for(row, ping, now)
    }
