"""Drills (issue 14): starting a rehearsal, the drills still running, their injects delivered once."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import select

from bot.domain.events import (
    DrillInjected,
)
from bot.domain.views import Change
from bot.drills.report import INJECT_ACTION
from bot.services import audit_log
from bot.services.errors import ServiceError
from bot.services.incident_base import IncidentsBase, Outcome, ReportRequest
from bot.services.ports import SYSTEM, Actor, Directory
from bot.storage.tables import Incident

log = logging.getLogger(__name__)


class Drills(IncidentsBase):
    # --- drills (issue 14) -------------------------------------------------------------------------------

    async def start_drill(
        self, scenario_id: str, actor: Actor, lang: str, directory: Directory | None = None
    ) -> Outcome:
        """Start a rehearsal: an incident like a reported one (steps, deadlines, team, audit, the Reported
        event that provisions its channel) from the scenario's initial facts, numbered DRILL-YYYY-NNNN.

        Only a commander of the org config or a ``drills.organizers`` member may start one; members written as
        e-mails (or Entra ids) are matched through ``directory`` when given. A refused start has no incident to
        record it on, so only its code is logged."""
        if not await self._may_start_drill(actor, directory):
            log.info("a drill start was refused: drill_not_allowed")
            raise ServiceError("drill_not_allowed")
        scenario = self.scenarios.get(scenario_id)
        if scenario is None:
            log.info("a drill start named an unknown scenario")
            raise ServiceError("unknown_scenario", scenario=scenario_id)
        lang = lang if lang in ("ja", "en") else self.org.language
        now = self.clock.now()
        request = ReportRequest(
            platform=actor.platform,
            reporter_id=actor.user_id,
            reporter_lang=lang,
            aware_at=now,
            facts=scenario.initial_facts(lang),
        )
        drill = {
            "scenario": scenario.id,
            "speed": float(self.org.drills.speed),
            "started_at": now.isoformat(),
            "injects_done": [],
            "pings": self.org.drills.pings,  # executives, or only the organizer (the reporter)
        }
        return await self._create(request, drill)

    async def open_drills(self) -> list[tuple[str, dict]]:
        """(reference, drill) of every drill still running: what the injects sweep looks at."""
        async with self._uow() as uow:
            rows = await uow.session.execute(
                select(Incident.reference, Incident.drill).where(
                    Incident.status == "open", Incident.drill.is_not(None)
                )
            )
            return [(reference, dict(drill)) for reference, drill in rows.all() if drill]

    async def record_inject(self, reference: str, number: int, at: str) -> bool:
        """The scenario's inject ``number`` (due ``at`` into the drill) is delivered: once, however many
        sweeps or replicas see it due. False when it was already, or the drill has ended."""
        now = self.clock.now()
        async with self._uow() as uow:
            incident = await self._locked(uow, reference)
            drill = dict(incident.drill or {})
            done = list(drill.get("injects_done") or [])
            if not drill or incident.status != "open" or number in done:
                return False
            incident.drill = drill | {"injects_done": [*done, number]}
            detail = {"inject": number, "at": at}
            await audit_log.record(uow.session, incident, now, SYSTEM, INJECT_ACTION, detail)
            view = await self._view(uow.session, incident)
            uow.events.append(DrillInjected(view, str(SYSTEM), (Change(INJECT_ACTION, detail),), number))
            return True

    async def drill_starters(
        self, actor: Actor, directory: Directory | None = None
    ) -> tuple[bool, tuple[str, ...]]:
        """Whether ``actor`` may start a drill, and who may: the commanders and ``drills.organizers`` as user
        ids on ``directory``'s platform (those it can find), for a refusal that names them. Asked before the
        scenario picker is shown; ``start_drill`` decides again."""
        allowed = await self._may_start_drill(actor, directory)
        if directory is None:
            return allowed, ()
        found = await asyncio.gather(*(directory.resolve(w) for w in self.org.drill_starters()))
        return allowed, tuple(dict.fromkeys(u for u in found if u))

    async def _may_start_drill(self, actor: Actor, directory: Directory | None) -> bool:
        if actor.is_operator:
            return True  # the command line (leakbot demo --drill) is run by an administrator
        starters = self.org.drill_starters()
        if actor.user_id in starters:
            return True
        if directory is None or directory.name != actor.platform:
            return False
        found = await asyncio.gather(*(directory.resolve(written) for written in starters))
        return actor.user_id in found
