"""Reporting a leak (saved first, everything else after) and correcting what the reporter said."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import exc as sa_exc
from sqlalchemy import select

from bot.appi.deadlines import JST
from bot.domain.events import (
    FactsChanged,
    LookalikeHeld,
    Reported,
)
from bot.domain.facts import REASON_MAX, SUMMARY_MAX, Facts, implausible_aware_at
from bot.domain.views import Change, IncidentView
from bot.domain.vocabulary import Role
from bot.reminders.planner import replan
from bot.services import audit_log, provisioning
from bot.services.assessing import assess_facts, assess_other_regimes, situation_for
from bot.services.deadline_sync import sync_deadlines
from bot.services.errors import ServiceError
from bot.services.incident_base import (
    Correction,
    IncidentsBase,
    Outcome,
    ReportRequest,
    _assessment_json,
    _member,
)
from bot.services.lookalikes import lookalike_of, question_for
from bot.services.policy import REPORTER_ROLE, Permission
from bot.services.ports import NO_PLATFORM, Actor
from bot.services.records import forget_rows
from bot.services.references import DRILL_PREFIX, PREFIX, next_reference
from bot.storage.tables import Incident, StepState

log = logging.getLogger(__name__)


class Reporting(IncidentsBase):
    # --- reporting -------------------------------------------------------------------------------------

    async def report(self, request: ReportRequest) -> Outcome:
        """Save a report first; everything else (channel, invites, posts) comes after and may fail."""
        if request.idempotency_key:
            existing = await self._by_key(request.idempotency_key)
            if existing is not None:
                return Outcome(existing)
        try:
            return await self._create(request)
        except sa_exc.IntegrityError:
            existing = await self._by_key(request.idempotency_key) if request.idempotency_key else None
            if existing is None:
                raise
            return Outcome(existing)

    async def _by_key(self, key: str) -> IncidentView | None:
        async with self._uow() as uow:
            row = await uow.session.scalar(select(Incident).where(Incident.idempotency_key == key))
            return await self._view(uow.session, row) if row else None

    async def _create(self, request: ReportRequest, drill: dict[str, Any] | None = None) -> Outcome:
        now = self.clock.now()
        playbook = self.playbooks.get(self.org.playbook)
        assessment = assess_facts(request.facts, request.aware_at, self.org)
        async with self._uow() as uow:
            prefix = PREFIX if drill is None else DRILL_PREFIX
            reference, _ = await next_reference(uow.session, now.astimezone(JST).year, prefix)
            spaced = request.platform != NO_PLATFORM  # no space, no team yet: nobody to remind or provision
            lookalike = None  # compared before this report is added: never with itself
            if spaced and drill is None and request.origin is None:  # drills are never merged
                lookalike = await lookalike_of(uow.session, self.org, request.platform, request.facts, now)
            incident = Incident(
                reference=reference,
                status="open",
                platform=request.platform,
                reporter_id=request.reporter_id,
                reporter_lang=request.reporter_lang,
                aware_at=request.aware_at,
                cause=str(request.facts.cause),
                facts=request.facts.model_dump(mode="json"),
                assessment=_assessment_json(assessment, self.org),
                playbook_id=playbook.id,
                idempotency_key=request.idempotency_key,
                created_at=now,
                updated_at=now,
                audit_head="",
                drill=drill,
                origin=None if request.origin is None else request.origin.to_json(),
            )
            uow.session.add(incident)
            await uow.session.flush()
            for step in playbook.steps:
                uow.session.add(
                    StepState(incident_id=incident.id, step_id=step.id, state="todo", updated_at=now)
                )
            actor = request.recorded_by or Actor(request.platform, request.reporter_id)
            if request.origin is None:  # a chat user reported: they may read it and are invited
                uow.session.add(_member(incident, actor, REPORTER_ROLE, actor, now))
            if drill is not None:  # the organizer runs their own drill (a commander already is one)
                uow.session.add(_member(incident, actor, str(Role.COMMANDER), actor, now))
            forget_rows(uow.session, incident, "members")
            forget_rows(uow.session, incident, "steps")
            await uow.session.flush()
            situation = situation_for(request.facts, assessment, self.org)
            regimes = assess_other_regimes(request.facts, request.aware_at, self.org)
            await sync_deadlines(uow.session, incident, playbook, assessment, situation, now, regimes)
            if spaced and lookalike is None:  # a held report is planned when it goes ahead on its own
                await replan(uow.session, incident, self.org.reminders, now)
            detail = {"playbook": playbook.id, "assessment": incident.assessment, "cause": incident.cause}
            if drill is not None:
                detail["drill"] = {"scenario": drill["scenario"], "speed": drill["speed"]}
            if request.origin is not None:  # how it came, never the free text (who reported, the title)
                source = request.origin.source
                detail["imported"] = {"source": None if source is None else str(source)}
            if lookalike is not None:
                survivor, likeness = lookalike
                detail["lookalike_of"] = {
                    "reference": survivor.reference,
                    "score": likeness.score,
                    "signals": list(likeness.signals),
                }
            await audit_log.record(uow.session, incident, now, actor, "reported", detail)
            if lookalike is not None:
                question = await question_for(uow.session, survivor, reference)
                until = now + timedelta(minutes=self.org.lookalikes.answer_minutes)
                provisioning.hold(uow.session, incident, survivor, question, now, until)
            elif spaced:
                provisioning.start(uow.session, incident, now)
            view = await self._view(uow.session, incident)
            if lookalike is not None:
                uow.events.append(LookalikeHeld(view, survivor=survivor.reference, question=question))
            else:
                uow.events.append(Reported(view))
            return Outcome(view, created=True)

    async def correct_report(self, reference: str, correction: Correction, actor: Actor) -> Outcome:
        """Correct what the reporter said (discovery date and time, suspected/confirmed, the summary) with a
        reason kept in the audit trail; a new discovery date recomputes every deadline."""
        async with self._attempt(reference, actor, "correct"):
            now = self.clock.now()
            reason = correction.reason.strip()
            if not reason:
                raise ServiceError("correction_reason_required", reference=reference)
            if len(reason) > REASON_MAX:
                raise ServiceError("too_long", reference=reference, limit=REASON_MAX)
            if correction.aware_at is not None and implausible_aware_at(correction.aware_at, now):
                raise ServiceError("implausible_date", reference=reference)
            async with self._uow() as uow:
                incident = await self._locked(uow, reference)
                await self._authorize(uow.session, incident, actor, Permission.WORK)
                old = Facts.model_validate(incident.facts)
                updates: dict[str, Any] = {}
                if correction.summary is not None:
                    updates["summary"] = correction.summary
                if correction.confirmed is not None:
                    updates["confirmed"] = correction.confirmed
                try:
                    new = Facts.model_validate(old.model_dump() | updates)
                except ValidationError:
                    raise ServiceError("too_long", reference=reference, limit=SUMMARY_MAX) from None
                fields = sorted(old.changed_fields(new))
                detail: dict[str, Any] = {"fields": fields, "reason": reason}
                if correction.aware_at is not None and correction.aware_at != incident.aware_at:
                    detail |= {
                        "aware_from": incident.aware_at.isoformat(),
                        "aware_to": correction.aware_at.isoformat(),
                    }
                    fields.append("aware_at")
                    incident.aware_at = correction.aware_at
                if not fields:
                    return Outcome(await self._view(uow.session, incident))
                incident.facts, incident.updated_at = new.model_dump(mode="json"), now
                await audit_log.record(uow.session, incident, now, actor, "report_corrected", detail)
                changes = [Change("corrected", detail)]
                changes += await self._resync(uow.session, incident, now, actor)
                return self._changed(
                    uow, FactsChanged, await self._view(uow.session, incident), actor, changes
                )
