"""Retention (issue 21): the commander's legal hold, and the purge of what is due — an incident closed longer
than ``retention.days`` ago loses its free text and drafts (bot/services/purging.py), keeps its skeleton and a
verifiable audit chain. The daily job runs once a day across replicas (``job_runs``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.appi.deadlines import JST
from bot.domain.facts import REASON_MAX
from bot.domain.views import Change
from bot.services import audit_log
from bot.services.errors import ServiceError
from bot.services.incident_base import IncidentsBase, Outcome
from bot.services.policy import Permission
from bot.services.ports import SYSTEM, Actor
from bot.services.purging import Erased, erase, measure
from bot.storage.secure import after_purge
from bot.storage.tables import Incident, JobRun

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PurgeItem:
    """An incident whose retention has run out: purged (or, dry, to be purged), or held."""

    reference: str
    closed_at: datetime
    due_at: datetime  # closed_at + retention.days
    held: bool  # under legal hold: nothing is erased
    erased: Erased  # what went (or would go)


class Retention(IncidentsBase):
    async def set_legal_hold(self, reference: str, actor: Actor, hold: bool, reason: str = "") -> Outcome:
        """The commander puts the incident under legal hold (its free text is never purged while it holds) or
        lifts it; open or closed. Audited with the reason (sealed, like every reason)."""
        action = "legal_hold_set" if hold else "legal_hold_released"
        async with self._attempt(reference, actor, "legal_hold"):
            now = self.clock.now()
            async with self._uow() as uow:
                incident = await self._locked(uow, reference)
                await self._authorize(uow.session, incident, actor, Permission.HOLD)
                if len(reason) > REASON_MAX:
                    raise ServiceError("too_long", reference=reference, limit=REASON_MAX)
                if incident.purged_at is not None and hold:
                    raise ServiceError("incident_purged", reference=reference)
                if bool(incident.legal_hold) == hold:
                    return Outcome(await self._view(uow.session, incident))
                incident.legal_hold = hold
                details = {"reason": reason.strip()} if reason.strip() else {}
                await audit_log.record(uow.session, incident, now, actor, action, details)
                return Outcome(await self._view(uow.session, incident), (Change(action),))

    def purge_due_at(self, closed_at: datetime) -> datetime:
        return closed_at + timedelta(days=self.org.retention.days)

    async def purge(self, actor: Actor = SYSTEM, *, dry_run: bool = False) -> list[PurgeItem]:
        """Every closed incident whose retention has run out, oldest first: purged (each in its own
        transaction, under its lock, checked again there), or only measured when ``dry_run``. Incidents under
        legal hold are listed, held, and left as they are."""
        now = self.clock.now()
        cutoff = now - timedelta(days=self.org.retention.days)
        async with self._uow() as uow:
            references = list(
                await uow.session.scalars(
                    select(Incident.reference)
                    .where(
                        Incident.status == "closed",
                        Incident.purged_at.is_(None),
                        Incident.closed_at <= cutoff,
                    )
                    .order_by(Incident.closed_at, Incident.id)
                )
            )
        items = []
        for reference in references:
            item = await self._purge_one(reference, actor, cutoff, now, dry_run)
            if item is not None:
                items.append(item)
        if not dry_run and any(not i.held for i in items):
            await after_purge(self._sessions)  # SQLite: the WAL emptied; PostgreSQL: the dead rows vacuumed
        return items

    async def _purge_one(
        self, reference: str, actor: Actor, cutoff: datetime, now: datetime, dry_run: bool
    ) -> PurgeItem | None:
        async with self._uow() as uow:
            incident = await self._locked(uow, reference)
            closed_at = incident.closed_at
            if incident.status != "closed" or incident.purged_at is not None or closed_at is None:
                return None  # reopened or purged meanwhile
            if closed_at > cutoff:
                return None
            item = PurgeItem(
                reference, closed_at, self.purge_due_at(closed_at), bool(incident.legal_hold), Erased()
            )
            if dry_run or item.held:
                return replace(item, erased=await measure(uow.session, incident))
            erased = await erase(uow.session, incident)
            incident.purged_at = now
            await audit_log.record(
                uow.session,
                incident,
                now,
                actor,
                "purged",
                {
                    "retention_days": self.org.retention.days,
                    "closed_at": closed_at,
                    "erased": erased.as_json(),
                },
            )
            log.info("purged the free text of %s (retention ran out)", reference)
            return replace(item, erased=erased)

    async def run_purge(self, worker: str) -> int:
        """The daily job: once a day across replicas, after ``retention.purge_time`` (Japan time); returns
        how many incidents were purged."""
        now = self.clock.now()
        local = now.astimezone(JST)
        if local.time() < self.org.retention.purge_time:
            return 0
        try:
            async with self._uow() as uow:
                uow.session.add(JobRun(key=f"purge:{local.date().isoformat()}", worker=worker, ran_at=now))
        except IntegrityError:
            return 0
        items = await self.purge(SYSTEM)
        held = sum(1 for i in items if i.held)
        if items:
            log.info("retention: %d incident(s) purged, %d held", len(items) - held, held)
        return len(items) - held
