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
from bot.storage.tables import Incident, Member
from bot.storage.uow import NotFound, UnitOfWork

log = logging.getLogger(__name__)


class Queries(IncidentsBase):
    # --- queries: every read names who reads ---------------------------------------------------------------

    async def get(self, reference: str, actor: Actor) -> IncidentView:
        """The incident as ``actor`` may see it: the response team, the reporter and executives only."""
        async with self._attempt(reference, actor, "read"):
            async with self._uow() as uow:
                return await self._view(uow.session, await self._readable(uow, reference, actor))

    async def trail(self, reference: str, actor: Actor) -> tuple[IncidentView, list[TimelineEvent]]:
        """The incident and its audit trail, oldest first, read together (the drafts and the timeline)."""
        async with self._attempt(reference, actor, "read"):
            async with self._uow() as uow:
                incident = await self._readable(uow, reference, actor)
                events = await read_events(uow.session, incident.reference)  # a merged one's: the survivor's
                return await self._view(uow.session, incident), events

    async def _readable(self, uow: UnitOfWork, reference: str, actor: Actor) -> Incident:
        """The incident row, once ``actor`` may read it (no row lock: a read)."""
        try:
            incident = await uow.incident(reference)
        except NotFound:
            raise NotFoundError(reference) from None
        await self._authorize(uow.session, incident, actor, Permission.READ)
        return incident

    async def by_channel(self, channel_id: str, actor: Actor) -> IncidentView | None:
        """The incident whose response channel this is, or None; refused to anyone outside it."""
        async with self._uow() as uow:
            row = await uow.session.scalar(select(Incident).where(Incident.channel_id == channel_id))
            reference = row.reference if row else None
        return await self.get(reference, actor) if reference else None

    async def list(
        self, actor: Actor, *, status: str | None = None, drills: bool = False
    ) -> list[IncidentView]:
        """Every incident for an operator; for anyone else, those they belong to. Drills are left out (they
        are no real incidents and count in no statistics) unless ``drills`` is set."""
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
