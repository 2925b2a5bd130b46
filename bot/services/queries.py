"""Reads: every read names who reads, and only the team, the reporter and executives may."""

from __future__ import annotations

import logging

from sqlalchemy import select

from bot.documents.timeline import TimelineEvent, read_events
from bot.domain.views import IncidentView
from bot.services import audit_log
from bot.services.errors import NotFoundError
from bot.services.incident_base import IncidentsBase
from bot.services.policy import Permission
from bot.services.ports import Actor
from bot.services.records import build_views
from bot.storage.tables import AuditEvent, Incident, Member
from bot.storage.uow import NotFound, UnitOfWork

log = logging.getLogger(__name__)
READ = "read"  # the audit action of a person's read (issue 21: who read what); never in the timeline


class Queries(IncidentsBase):
    # --- queries: every read names who reads ---------------------------------------------------------------

    async def get(self, reference: str, actor: Actor, *, audit: str | None = None) -> IncidentView:
        """The incident as ``actor`` may see it: the response team, the reporter and executives only.
        ``audit``: what a person looks at (``show``, ``home``, …): the read is recorded in the audit trail with
        who and when, in the same transaction (leakbot's own reads are not)."""
        async with self._attempt(reference, actor, "read"):
            async with self._uow() as uow:
                incident = await self._readable(uow, reference, actor, audit)
                return await self._view(uow.session, incident)

    async def trail(self, reference: str, actor: Actor) -> tuple[IncidentView, list[TimelineEvent]]:
        """The incident and its audit trail, oldest first, read together (the drafts and the timeline)."""
        async with self._attempt(reference, actor, "read"):
            async with self._uow() as uow:
                incident = await self._readable(uow, reference, actor)
                events = await read_events(uow.session, incident.reference)  # a merged one's: the survivor's
                return await self._view(uow.session, incident), events

    async def _readable(
        self, uow: UnitOfWork, reference: str, actor: Actor, audit: str | None = None
    ) -> Incident:
        """The incident row, once ``actor`` may read it (no row lock: a read, unless it is ``audit``-ed: the
        audit trail is appended under the incident's lock)."""
        try:
            incident = await uow.incident(reference, lock=audit is not None)
        except NotFound:
            raise NotFoundError(reference) from None
        await self._authorize(uow.session, incident, actor, Permission.READ)
        if audit is not None:
            await audit_log.record(uow.session, incident, self.clock.now(), actor, READ, {"what": audit})
        return incident

    async def record_reads(self, references: list[str], actor: Actor, what: str) -> None:
        """``actor`` was shown these incidents (App Home's list): one read each in their audit trails."""
        if not references:
            return
        async with self._uow() as uow:
            for reference in sorted(references):  # one lock order, whoever else locks several
                incident = await uow.incident(reference, lock=True)
                await audit_log.record(uow.session, incident, self.clock.now(), actor, READ, {"what": what})

    async def audit_trail(self, reference: str) -> list[audit_log.Entry]:
        """The audit trail as the chain holds it, oldest first (`leakbot audit list`): who did what and when,
        and who read it; free text only as its sealed digest, never the words."""
        async with self._uow() as uow:
            try:
                incident = await uow.incident(reference)
            except NotFound:
                raise NotFoundError(reference) from None
            rows = await uow.session.scalars(
                select(AuditEvent).where(AuditEvent.incident_id == incident.id).order_by(AuditEvent.seq)
            )
            return [audit_log.Entry(r.seq, r.at, r.actor, r.action, dict(r.details)) for r in rows]

    async def by_channel(self, channel_id: str, actor: Actor) -> IncidentView | None:
        """The incident whose response channel this is, or None; refused to anyone outside it."""
        async with self._uow() as uow:
            row = await uow.session.scalar(select(Incident).where(Incident.channel_id == channel_id))
            reference = row.reference if row else None
        return await self.get(reference, actor) if reference else None

    async def list(
        self, actor: Actor, *, status: str | None = None, drills: bool = False, audit: str | None = None
    ) -> list[IncidentView]:
        """Every incident for an operator; for anyone else, those they belong to. Drills are left out (they
        are no real incidents and count in no statistics) unless ``drills`` is set. ``audit``: the list is
        shown to ``actor`` (App Home): a read of each is recorded."""
        views = await self._list(actor, status, drills)
        if audit is not None:
            await self.record_reads([v.reference for v in views], actor, audit)
        return views

    async def _list(self, actor: Actor, status: str | None, drills: bool) -> list[IncidentView]:
        async with self._uow() as uow:
            query = select(Incident).order_by(Incident.id)
            if not drills:
                query = query.where(Incident.drill.is_(None))
            if status:
                query = query.where(Incident.status == status)
            if not actor.is_operator:
                query = query.where(
                    Incident.id.in_(
                        select(Member.incident_id).where(
                            Member.platform == actor.platform, Member.user_id == actor.user_id
                        )
                    )
                )
            rows = list(await uow.session.scalars(query))
            return await build_views(uow.session, rows, self.org, self.playbooks)

    async def verify_audit(self, reference: str) -> audit_log.ChainReport:
        async with self._uow() as uow:
            try:
                incident = await uow.incident(reference, exact=True)  # each incident's own chain
            except NotFound:
                raise NotFoundError(reference) from None
            return await audit_log.verify(uow.session, incident)
