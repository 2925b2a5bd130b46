"""Where each incident's provisioning stands, claimed with a lease so one worker at a time advances it and a
crashed worker's claim is taken over once its lease expires."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.storage.tables import Incident, Provisioning
from bot.storage.uow import UnitOfWork

SPACE, POPULATE, TELL, DONE, FAILED = "space", "populate", "tell", "done", "failed"
HELD = "held"  # a look-alike of an open incident: waits for the commander's answer until due_at (issue 22)
FINISHED = (DONE, FAILED)


@dataclass(frozen=True)
class Claim:
    reference: str
    stage: str
    attempts: int
    space_name: str | None


def start(session: AsyncSession, incident: Incident, now: datetime) -> None:
    """Created in the report's own transaction: a crash right after the commit still provisions."""
    session.add(Provisioning(incident_id=incident.id, stage=SPACE, attempts=0, due_at=now, updated_at=now))


def hold(
    session: AsyncSession,
    incident: Incident,
    survivor: Incident,
    question: str,
    now: datetime,
    until: datetime,
) -> None:
    """Instead of ``start``: held until the commander answers, or until ``until`` when the sweep provisions
    it on its own (a report is never left unhandled)."""
    session.add(
        Provisioning(
            incident_id=incident.id,
            stage=HELD,
            attempts=0,
            due_at=until,
            updated_at=now,
            held_for=survivor.id,
            question=question,
        )
    )


class ProvisioningService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock, lease: timedelta) -> None:
        self._sessions = sessions
        self._clock = clock
        self.lease = lease

    def _claimable(self, now: datetime):
        return and_(
            Provisioning.stage.not_in(FINISHED),
            Provisioning.due_at <= now,
            or_(Provisioning.lease_until.is_(None), Provisioning.lease_until < now),
        )

    async def claim(self, worker: str, reference: str | None = None, limit: int = 20) -> list[Claim]:
        """Take the lease of what is due (one incident, or any): nobody else advances it meanwhile."""
        now = self._clock.now()
        async with UnitOfWork(self._sessions) as uow:
            query = (
                select(Provisioning.incident_id, Incident.reference)
                .join(Incident, Incident.id == Provisioning.incident_id)
                .where(self._claimable(now))
                .order_by(Provisioning.due_at)
                .limit(limit)
                .with_for_update(of=Provisioning, skip_locked=True)
            )
            if reference is not None:
                query = query.where(Incident.reference == reference)
            rows = (await uow.session.execute(query)).all()
            claims = []
            for incident_id, ref in rows:
                row = (
                    await uow.session.execute(
                        update(Provisioning)
                        .where(Provisioning.incident_id == incident_id, self._claimable(now))
                        .values(claimed_by=worker, lease_until=now + self.lease, updated_at=now)
                        .returning(Provisioning.stage, Provisioning.attempts, Provisioning.space_name)
                    )
                ).first()
                if row is not None:
                    claims.append(Claim(ref, row.stage, row.attempts, row.space_name))
            return claims

    async def _set(self, reference: str, **values: object) -> None:
        now = self._clock.now()
        async with UnitOfWork(self._sessions) as uow:
            incident_id = select(Incident.id).where(Incident.reference == reference).scalar_subquery()
            await uow.session.execute(
                update(Provisioning)
                .where(Provisioning.incident_id == incident_id)
                .values(updated_at=now, **values)
            )

    async def naming(self, reference: str, name: str) -> None:
        """Remember the name about to be created, before creating it."""
        await self._set(reference, space_name=name)

    async def advance(self, reference: str, stage: str) -> None:
        await self._set(reference, stage=stage, last_error=None)

    async def release(self, reference: str) -> None:
        await self._set(reference, claimed_by=None, lease_until=None)

    async def retry_later(self, reference: str, attempts: int, error: str, wait: timedelta) -> None:
        await self._set(
            reference,
            attempts=attempts,
            last_error=error[:500],
            due_at=self._clock.now() + wait,
            claimed_by=None,
            lease_until=None,
        )

    async def give_up(self, reference: str, attempts: int, error: str) -> None:
        await self._set(reference, stage=FAILED, attempts=attempts, last_error=error[:500], lease_until=None)

    async def next_due(self) -> datetime | None:
        async with UnitOfWork(self._sessions) as uow:
            due = await uow.session.scalar(
                select(Provisioning.due_at)
                .where(Provisioning.stage.not_in(FINISHED))
                .order_by(Provisioning.due_at)
            )
            return due
