"""What the platforms hold for us (issue 22): the scheduled pings' rows, claimed with a lease while the
platform is asked, so two replicas never schedule one deadline's ping twice and a crash between asking and
recording is found again (bot/journey/scheduled.py decides; this module only reads and writes the rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.storage.tables import Incident, ScheduledPing
from bot.storage.uow import NotFound, UnitOfWork

LEASE = timedelta(minutes=2)


@dataclass(frozen=True)
class PingRow:
    id: int
    deadline_key: str
    target: str
    space_id: str
    kind: str
    post_at: datetime
    deadline_due_at: datetime
    external_id: str | None
    state: str
    due_at: datetime | None
    attempts: int
    claimed: bool  # someone holds a live lease on it


def _row(row: ScheduledPing, now: datetime) -> PingRow:
    return PingRow(
        row.id,
        row.deadline_key,
        row.target,
        row.space_id,
        row.kind,
        row.post_at,
        row.deadline_due_at,
        row.external_id,
        row.state,
        row.due_at,
        row.attempts,
        row.lease_until is not None and row.lease_until >= now,
    )


class ScheduledPingStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock, worker: str) -> None:
        self._sessions = sessions
        self._clock = clock
        self.worker = worker

    async def rows(self, reference: str, platform: str) -> dict[tuple[str, str], PingRow]:
        """The incident's rows on that platform, by (deadline key, target)."""
        now = self._clock.now()
        async with UnitOfWork(self._sessions) as uow:
            try:
                incident = await uow.incident(reference)
            except NotFound:
                return {}
            found = await uow.session.scalars(
                select(ScheduledPing).where(
                    ScheduledPing.incident_id == incident.id, ScheduledPing.platform == platform
                )
            )
            return {(r.deadline_key, r.target): _row(r, now) for r in found}

    async def posting_near(self, platform: str, space_id: str, except_id: int) -> list[datetime]:
        """When the other pings the platform holds in that space post (its per-channel window limit)."""
        async with UnitOfWork(self._sessions) as uow:
            return list(
                await uow.session.scalars(
                    select(ScheduledPing.post_at).where(
                        ScheduledPing.platform == platform,
                        ScheduledPing.space_id == space_id,
                        ScheduledPing.id != except_id,
                        ScheduledPing.state.in_(("scheduling", "scheduled")),
                    )
                )
            )

    async def known_ids(self, platform: str, space_id: str) -> set[str]:
        async with UnitOfWork(self._sessions) as uow:
            found = await uow.session.scalars(
                select(ScheduledPing.external_id).where(
                    ScheduledPing.platform == platform,
                    ScheduledPing.space_id == space_id,
                    ScheduledPing.external_id.is_not(None),
                )
            )
            return {str(i) for i in found}

    async def claim_new(
        self,
        reference: str,
        platform: str,
        key: str,
        target: str,
        space_id: str,
        kind: str,
        post_at: datetime,
        deadline_due_at: datetime,
    ) -> PingRow | None:
        """A new row for a deadline that has none, claimed by us (None: another replica made it first)."""
        now = self._clock.now()
        try:
            async with UnitOfWork(self._sessions) as uow:
                incident = await uow.incident(reference)
                row = ScheduledPing(
                    incident_id=incident.id,
                    platform=platform,
                    deadline_key=key,
                    target=target,
                    space_id=space_id,
                    kind=kind,
                    post_at=post_at,
                    deadline_due_at=deadline_due_at,
                    state="scheduling",
                    attempts=0,
                    claimed_by=self.worker,
                    lease_until=now + LEASE,
                    updated_at=now,
                )
                uow.session.add(row)
                await uow.session.flush()
                return _row(row, now)
        except (IntegrityError, NotFound):
            return None

    async def claim(self, ping: PingRow) -> bool:
        """The lease on an existing row, unless someone holds it."""
        now = self._clock.now()
        statement = (
            update(ScheduledPing)
            .where(
                ScheduledPing.id == ping.id,
                or_(ScheduledPing.lease_until.is_(None), ScheduledPing.lease_until < now),
            )
            .values(claimed_by=self.worker, lease_until=now + LEASE)
        )
        async with UnitOfWork(self._sessions) as uow:
            return (await uow.session.execute(statement)).rowcount == 1

    async def asking(
        self,
        ping_id: int,
        kind: str,
        post_at: datetime,
        deadline_due_at: datetime,
        external_id: str | None = None,
    ) -> None:
        """About to ask the platform for this moment: recorded first, so a crash meanwhile is reconciled.
        ``external_id``: what the platform already holds, or the key a repeated ask is known by (calendars)."""
        await self._set(
            ping_id,
            kind=kind,
            post_at=post_at,
            deadline_due_at=deadline_due_at,
            external_id=external_id,
            state="scheduling",
        )

    async def release(self, ping_id: int, **values) -> None:
        """Record the outcome and give the lease back."""
        await self._set(ping_id, claimed_by=None, lease_until=None, **values)

    async def forget(self, ping_id: int) -> None:
        async with UnitOfWork(self._sessions) as uow:
            await uow.session.execute(delete(ScheduledPing).where(ScheduledPing.id == ping_id))

    async def _set(self, ping_id: int, **values) -> None:
        async with UnitOfWork(self._sessions) as uow:
            await uow.session.execute(
                update(ScheduledPing)
                .where(ScheduledPing.id == ping_id)
                .values(updated_at=self._clock.now(), **values)
            )

    async def needing_work(self, now: datetime) -> list[str]:
        """Incidents with a row to look at again: a retry or a later ping now due, or one whose asker
        crashed (asked, never recorded, its lease run out)."""
        free = or_(ScheduledPing.lease_until.is_(None), ScheduledPing.lease_until < now)
        due = and_(
            free,
            or_(
                # a later ping come within range, a deletion to try again
                and_(ScheduledPing.state.in_(("later", "scheduled")), ScheduledPing.due_at <= now),
                # asked, never recorded (a crash, a lost answer), or a retry now due
                and_(
                    ScheduledPing.state == "scheduling",
                    or_(ScheduledPing.due_at.is_(None), ScheduledPing.due_at <= now),
                ),
            ),
        )
        async with UnitOfWork(self._sessions) as uow:
            found = await uow.session.scalars(
                select(Incident.reference)
                .join(ScheduledPing, ScheduledPing.incident_id == Incident.id)
                .where(due)
                .distinct()
            )
            return list(found)
