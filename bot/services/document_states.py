"""Where each draft stands: a use case moving it draft → reviewed → filed / sent / published."""

from __future__ import annotations

import logging

from bot.documents import status as document_status
from bot.domain.events import (
    DocumentChanged,
)
from bot.domain.views import Change
from bot.services import audit_log
from bot.services.errors import ServiceError
from bot.services.incident_base import IncidentsBase, Outcome
from bot.services.policy import Permission
from bot.services.ports import Actor

log = logging.getLogger(__name__)


class DocumentStates(IncidentsBase):
    async def set_document_status(self, reference: str, key: str, status: str, actor: Actor) -> Outcome:
        """A draft moves draft → reviewed (legal or the commander) → filed / sent / published (the document's
        owner role or the commander). Filing the 速報 or 確報 is 提出済みにする on its deadline."""
        kind = document_status.BY_KEY.get(key)
        if kind is not None and kind.deadline and status == kind.final:
            return await self.mark_filed(reference, kind.deadline, actor)
        now = self.clock.now()
        async with self._attempt(reference, actor, "document", document=key, to=status):
            if kind is None or not document_status.allowed(kind, status):
                raise ServiceError("unknown_document", reference=reference)
            async with self._uow() as uow:
                incident = await self._locked(uow, reference)
                await self._authorize(uow.session, incident, actor, Permission.WORK)
                owner = kind.owner if status == kind.final else document_status.REVIEWER
                try:
                    await self._authorize(uow.session, incident, actor, Permission.FILE, owner)
                except ServiceError as refused:
                    if refused.code != "owner_only":
                        raise
                    raise ServiceError("document_owner_only", reference=reference, role=owner) from None
                stored = dict(incident.document_states or {})
                before = (stored.get(key) or {}).get("status", document_status.DRAFT)
                if before == status:
                    return Outcome(await self._view(uow.session, incident))
                stored[key] = {"status": status, "by": str(actor), "at": now.isoformat()}
                incident.document_states, incident.updated_at = stored, now
                change = Change("document", {"document": key, "from": before, "to": status})
                await audit_log.record(uow.session, incident, now, actor, "document_status", change.detail)
                view = await self._view(uow.session, incident)
                uow.events.append(DocumentChanged(view, str(actor), (change,)))
                return Outcome(view, (change,))
