"""The team's facts changed: reassess, move the deadlines, add or remove steps, and say so."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError

from bot.domain.events import (
    FactsChanged,
)
from bot.domain.facts import Facts
from bot.domain.views import Change
from bot.services import audit_log
from bot.services.errors import ServiceError
from bot.services.incident_base import IncidentsBase, Outcome
from bot.services.policy import Permission
from bot.services.ports import Actor

log = logging.getLogger(__name__)


class FactsUpdates(IncidentsBase):
    # --- facts and reassessment ------------------------------------------------------------------------

    async def update_facts(self, reference: str, updates: dict[str, Any], actor: Actor) -> Outcome:
        """Apply fact changes, reassess, move deadlines; the changes say what the channel should hear."""
        async with self._attempt(reference, actor, "facts"):
            return await self._update_facts(reference, updates, actor)

    async def _update_facts(self, reference: str, updates: dict[str, Any], actor: Actor) -> Outcome:
        now = self.clock.now()
        async with self._uow() as uow:
            incident = await self._locked(uow, reference)
            await self._authorize(uow.session, incident, actor, Permission.WORK)
            old = Facts.model_validate(incident.facts)
            try:
                new = Facts.model_validate(old.model_dump() | updates)
            except ValidationError as exc:
                fields = sorted({str(e["loc"][0]) for e in exc.errors() if e["loc"]})
                raise ServiceError("invalid_facts", fields=fields) from None
            changed = old.changed_fields(new)
            if not changed:
                return Outcome(await self._view(uow.session, incident))
            old_assessment = dict(incident.assessment)
            before = self._applicable_ids(incident)
            incident.facts, incident.cause, incident.updated_at = (
                new.model_dump(mode="json"),
                str(new.cause),
                now,
            )
            await audit_log.record(
                uow.session, incident, now, actor, "facts_changed", {"fields": sorted(changed)}
            )
            changes = [Change("facts", {"fields": sorted(changed)})]
            changes += await self._resync(uow.session, incident, now, actor, old_assessment)
            after = self._applicable_ids(incident)
            if after - before:
                changes.append(
                    Change(
                        "steps_added", {"steps": [s for s in self._order(incident) if s in after - before]}
                    )
                )
            if before - after:
                changes.append(
                    Change(
                        "steps_removed", {"steps": [s for s in self._order(incident) if s in before - after]}
                    )
                )
            return self._changed(uow, FactsChanged, await self._view(uow.session, incident), actor, changes)
