"""Where each draft stands: a use case moving it draft → reviewed → filed / sent / published, and back.

Reaching the final status freezes the document as it was (bot/services/filing.py); taking it back is for the
document's owner role or the commander, with a reason, and unfreezes it. A submission older than the
document's last change (the platform's time of the action) is refused as stale, so a replayed or stale form
cannot move a document back."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.documents import status as document_status
from bot.domain.events import DocumentChanged
from bot.domain.facts import REASON_MAX
from bot.domain.views import Change, DeadlineView
from bot.playbook.engine import StepStatus, applicable_steps
from bot.services import audit_log
from bot.services.assessing import situation_for
from bot.services.errors import ServiceError
from bot.services.filing import reconcile
from bot.services.incident_base import IncidentsBase, Outcome
from bot.services.policy import Permission
from bot.services.ports import Actor
from bot.services.records import deadline_rows, step_rows
from bot.storage.tables import Incident

log = logging.getLogger(__name__)


def _codes(incident: Incident) -> list[str]:
    return list((incident.facts or {}).get("jurisdictions", ["JP"]))


class DocumentStates(IncidentsBase):
    # _change_step and mark_filed come from Steps, gathered with this class in IncidentService
    async def set_document_status(
        self,
        reference: str,
        key: str,
        status: str,
        actor: Actor,
        reason: str | None = None,
        acted_at: datetime | None = None,
    ) -> Outcome:
        """A draft moves draft → reviewed (legal or the commander) → filed / sent / published (the document's
        owner role or the commander). Filing the 速報 or 確報 is 提出済みにする on its deadline; taking a final
        status back needs the owner (or the commander) and a reason. ``acted_at``: the platform's time of the
        action; one not newer than the document's last change changes nothing."""
        kind = document_status.BY_KEY.get(key)
        reason = (reason or "").strip() or None
        if kind is not None and kind.deadline and status == kind.final:
            return await self.mark_filed(reference, kind.deadline, actor, acted_at)
        now = self.clock.now()
        async with self._attempt(reference, actor, "document", document=key, to=status):
            if kind is None or not document_status.allowed(kind, status):
                raise ServiceError("unknown_document", reference=reference)
            if reason is not None and len(reason) > REASON_MAX:
                raise ServiceError("too_long", reference=reference, limit=REASON_MAX)
            async with self._uow() as uow:
                session = uow.session
                incident = await self._locked(uow, reference)
                await self._authorize(session, incident, actor, Permission.WORK)
                before = await self._state_of(session, incident, kind)
                if before == status:  # a double click, a replayed submission: nothing to do
                    return Outcome(await self._view(session, incident))
                taking_back = before == kind.final and status != kind.final
                owner = kind.owner if status == kind.final or taking_back else document_status.REVIEWER
                try:
                    await self._authorize(session, incident, actor, Permission.FILE, owner)
                except ServiceError as refused:
                    if refused.code != "owner_only":
                        raise
                    raise ServiceError("document_owner_only", reference=reference, role=owner) from None
                last = await self._last_acted(session, incident, kind)
                if acted_at is not None and last is not None and acted_at <= last:
                    raise ServiceError("stale_action", reference=reference)
                if taking_back and reason is None:
                    raise ServiceError("takeback_reason_required", reference=reference)
                changes: list[Change] = []
                if taking_back and kind.deadline:  # the 速報 / 確報: its filing step is reopened
                    changes += await self._reopen_filing(
                        session, incident, kind.deadline, actor, reason, now, acted_at
                    )
                stored = {k: dict(v) for k, v in (incident.document_states or {}).items()}
                entry = stored.setdefault(key, {})
                entry.update({"status": status, "by": str(actor), "at": now.isoformat()})
                if acted_at is not None:
                    entry["acted_at"] = acted_at.isoformat()
                incident.document_states, incident.updated_at = stored, now
                change = Change("document", {"document": key, "from": before, "to": status})
                detail = change.detail | ({"reason": reason} if reason else {})
                await audit_log.record(session, incident, now, actor, "document_status", detail)
                if kind.meets:  # a regime's notification: its deadline row is filed (or pending again)
                    changes += await self._resync(session, incident, now, actor, reason=reason)
                else:
                    await reconcile(session, incident, self.org, self.playbooks, now, actor, reason)
                view = await self._view(session, incident)
                changes.insert(0, change)
                uow.events.append(DocumentChanged(view, str(actor), tuple(changes)))
                return Outcome(view, tuple(changes))

    async def _state_of(self, session: AsyncSession, incident: Incident, kind) -> str:
        deadlines = tuple(
            DeadlineView(d.key, d.kind, d.step_id, d.due_at, d.window_start, d.status)
            for d in (await deadline_rows(session, incident)).values()
        )
        states = document_status.states(dict(incident.document_states or {}), deadlines, _codes(incident))
        return next(s.status for s in states if s.key == kind.key)

    async def _last_acted(self, session: AsyncSession, incident: Incident, kind) -> datetime | None:
        """The platform's time of the action that last changed this document (its filing step's, too)."""
        times = []
        stored = (incident.document_states or {}).get(kind.key) or {}
        if stored.get("acted_at"):
            times.append(datetime.fromisoformat(stored["acted_at"]))
        if kind.deadline:
            step = self._filing_step(incident, kind.deadline)
            row = (await step_rows(session, incident)).get(step.id) if step else None
            if row is not None and row.acted_at is not None:
                times.append(row.acted_at)
        return max(times) if times else None

    def _filing_step(self, incident: Incident, deadline_key: str):
        facts, assessment, playbook = self._context(incident)
        steps = applicable_steps(playbook, situation_for(facts, assessment, self.org))
        return next((s for s in steps if s.deadline and str(s.deadline) == deadline_key), None)

    async def _reopen_filing(
        self,
        session: AsyncSession,
        incident: Incident,
        deadline_key: str,
        actor: Actor,
        reason: str | None,
        now: datetime,
        acted_at: datetime | None,
    ) -> list[Change]:
        step = self._filing_step(incident, deadline_key)
        if step is None:
            raise ServiceError("nothing_to_file", reference=incident.reference)
        change = await self._change_step(
            session, incident, step.id, StepStatus.IN_PROGRESS, actor, reason, now, acted_at, False
        )
        if change is None:
            return []
        return [change, *await self._resync(session, incident, now, actor, reason=reason)]
