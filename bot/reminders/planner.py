"""Keeping an incident's reminder rows equal to its pending deadlines. Runs inside the use case's
transaction, so a reassessment, a filing or a closing replaces the reminders atomically.

A row is matched on its *planned* moment (``planned_at``), never on when it is to be tried next
(``due_at``, which quiet hours and retry backoffs move), so replanning never makes a twin of a row that is
waiting for a retry.

A drill (issue 14) plans in drill time and stores the real moments: ``planned_at`` and ``due_at`` are when to
send, ``deadline_seen_at`` is drill time like the deadline itself."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.org import Reminders
from bot.drills.clock import drill_clock
from bot.reminders.plan import CHANNEL, plan
from bot.reminders.targets import CHANNEL_TARGET, EXECUTIVE_ROLES, user_target
from bot.services.records import deadline_rows, member_rows
from bot.storage.tables import Deadline, Incident, Reminder

# a row in these states stands for its planned ping ("by_platform": the platform's scheduled copy was it)
MATCHED = ("pending", "claimed", "sent", "failed", "by_platform")
LATE_TOLERANCE = timedelta(minutes=1)

Key = tuple[str, str, str, datetime, datetime]  # deadline key, kind, target, planned_at, deadline due_at


def appeared_at(deadline: Deadline, incident: Incident, rows: list[Reminder], now: datetime) -> datetime:
    """When the deadline appeared with its current due date, as recorded on the rows planned for it; now
    when nothing was ever planned for it (just created, or moved by a reassessment or a corrected
    discovery date)."""
    form = [
        r
        for r in rows
        if r.deadline_key == deadline.key and r.deadline_due_at == deadline.due_at and r.state in MATCHED
    ]
    if not form:
        return now
    seen = [r.deadline_seen_at for r in form if r.deadline_seen_at is not None]
    if seen:
        return min(seen)
    return deadline.created_at or incident.created_at  # rows planned before 0006 recorded it


async def replan(session: AsyncSession, incident: Incident, config: Reminders, now: datetime) -> int:
    """Cancel stale reminders, add missing ones; returns how many rows changed. ``now`` is the real moment;
    a drill's deadlines are compared with the drill's now and its reminders stored at their real moments."""
    deadlines = await deadline_rows(session, incident)
    members = await member_rows(session, incident)
    executives = sorted({user_target(m.platform, m.user_id) for m in members if m.role in EXECUTIVE_ROLES})
    if incident.drill is not None and incident.drill.get("pings") == "organizer":
        executives = [user_target(incident.platform, incident.reporter_id)]  # drills.pings: organizer
    rows = list(await session.scalars(select(Reminder).where(Reminder.incident_id == incident.id)))
    desired: set[Key] = set()
    seen: dict[str, datetime] = {}
    drill = drill_clock(incident.drill)
    deadline_now = drill.drill_now(now) if drill else now  # the time the deadlines are written in
    if incident.status == "open":
        for deadline in deadlines.values():
            if deadline.status != "pending":
                continue
            opened = appeared_at(deadline, incident, rows, deadline_now)
            for planned in plan(deadline.kind, deadline.due_at, opened, config, drill=drill is not None):
                at_once = planned.due_at == opened
                send_at = drill.real_at(planned.due_at) if drill else planned.due_at
                if planned.kind != "overdue" and not at_once and send_at < now - LATE_TOLERANCE:
                    continue  # its moment passed before the deadline existed in this form
                targets = [CHANNEL_TARGET] if planned.audience == CHANNEL else executives
                seen[deadline.key] = opened
                for target in targets:
                    desired.add((deadline.key, planned.kind, target, send_at, deadline.due_at))
    changed = 0
    for row in rows:
        if row.state not in ("pending", "claimed"):
            continue
        deadline = deadlines.get(row.deadline_key)
        stale = (
            incident.status != "open"
            or deadline is None
            or deadline.status != "pending"
            or deadline.due_at != row.deadline_due_at
            or (row.target != CHANNEL_TARGET and row.target not in executives)
        )
        if stale:
            row.state = "cancelled"
            changed += 1
    existing = {
        (r.deadline_key, r.kind, r.target, r.planned_at, r.deadline_due_at)
        for r in rows
        if r.state in MATCHED
    }
    for key, kind, target, planned_at, deadline_due in sorted(desired - existing):
        session.add(
            Reminder(
                incident_id=incident.id,
                deadline_key=key,
                deadline_due_at=deadline_due,
                kind=kind,
                target=target,
                planned_at=planned_at,
                deadline_seen_at=seen[key],
                due_at=planned_at,
                state="pending",
                attempts=0,
            )
        )
        changed += 1
    await session.flush()
    return changed
