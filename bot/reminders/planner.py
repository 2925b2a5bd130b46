"""Keeping an incident's reminder rows equal to its pending deadlines. Runs inside the use case's
transaction, so a reassessment, a filing or a closing replaces the reminders atomically."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.org import Reminders
from bot.reminders.plan import CHANNEL, plan
from bot.reminders.targets import CHANNEL_TARGET, EXECUTIVE_ROLES, user_target
from bot.services.records import deadline_rows, member_rows
from bot.storage.tables import Incident, Reminder

LIVE = ("pending", "claimed", "sent")
LATE_TOLERANCE = timedelta(minutes=1)


async def replan(session: AsyncSession, incident: Incident, config: Reminders, now: datetime) -> int:
    """Cancel stale reminders, add missing ones; returns how many rows changed."""
    deadlines = await deadline_rows(session, incident)
    members = await member_rows(session, incident)
    executives = sorted({user_target(m.platform, m.user_id) for m in members if m.role in EXECUTIVE_ROLES})
    desired: dict[tuple[str, str, str, datetime], datetime] = {}
    if incident.status == "open":
        for deadline in deadlines.values():
            if deadline.status != "pending":
                continue
            opened = deadline.created_at or incident.created_at
            for planned in plan(deadline.kind, deadline.due_at, opened, config):
                if planned.kind not in ("opened", "overdue") and planned.due_at < now - LATE_TOLERANCE:
                    continue  # its moment passed before the deadline existed in this form
                targets = [CHANNEL_TARGET] if planned.audience == CHANNEL else executives
                for target in targets:
                    desired[(deadline.key, planned.kind, target, planned.due_at)] = deadline.due_at
    rows = list(await session.scalars(select(Reminder).where(Reminder.incident_id == incident.id)))
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
    existing = {(r.deadline_key, r.kind, r.target, r.due_at) for r in rows if r.state in LIVE}
    for (key, kind, target, due_at), deadline_due in desired.items():
        if (key, kind, target, due_at) in existing:
            continue
        session.add(
            Reminder(
                incident_id=incident.id,
                deadline_key=key,
                deadline_due_at=deadline_due,
                kind=kind,
                target=target,
                due_at=due_at,
                state="pending",
                attempts=0,
            )
        )
        changed += 1
    await session.flush()
    return changed
