"""After a restore (issue 21): every open incident's reminders planned again from its deadlines and the org
config in force, each in its own transaction under the incident's lock, recorded in its audit trail when
anything changed. Safe to run at any time: an incident already planned is left as it is."""

from __future__ import annotations

from sqlalchemy import select

from bot.reminders.planner import replan
from bot.services import audit_log
from bot.services.incident_base import IncidentsBase
from bot.services.ports import Actor
from bot.storage.tables import Incident


class Restoring(IncidentsBase):
    async def replan_all(self, actor: Actor) -> dict[str, int]:
        """Reference → how many reminder rows changed, for every open incident (drills too)."""
        async with self._uow() as uow:
            references = list(
                await uow.session.scalars(
                    select(Incident.reference).where(Incident.status == "open").order_by(Incident.id)
                )
            )
        changed: dict[str, int] = {}
        for reference in references:
            now = self.clock.now()
            async with self._uow() as uow:
                incident = await self._locked(uow, reference)
                changed[reference] = count = await replan(uow.session, incident, self.org.reminders, now)
                if count:
                    await audit_log.record(
                        uow.session, incident, now, actor, "reminders_replanned", {"changed": count}
                    )
        return changed
