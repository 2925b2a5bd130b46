"""What every use case on incidents shares: the unit of work, the locked row, the view, who may do what, the
refused attempt recorded, and the reassessment after a change.

Every write is one unit of work that locks the incident, changes rows and appends to the audit trail.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.appi.assessment import Assessment
from bot.clock import Clock
from bot.config.org import OrgConfig
from bot.domain.events import (
    Changed,
)
from bot.domain.facts import Facts
from bot.domain.origin import Origin
from bot.domain.views import Change, IncidentView
from bot.drills.scenarios import Scenario, load_scenarios
from bot.playbook.engine import TransitionError, applicable_steps
from bot.playbook.loader import PlaybookRegistry
from bot.reminders.planner import replan
from bot.services import audit_log
from bot.services.assessing import assess_facts, assess_other_regimes, assessment_view, situation_for
from bot.services.bus import MessageBus
from bot.services.deadline_sync import sync_deadlines
from bot.services.errors import NotFoundError, ServiceError
from bot.services.filing import reconcile
from bot.services.policy import Permission, decide
from bot.services.ports import Actor
from bot.services.records import build_view, member_rows
from bot.storage.tables import Incident, Member
from bot.storage.uow import NotFound, UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReportRequest:
    platform: str
    reporter_id: str
    reporter_lang: str
    aware_at: datetime
    facts: Facts
    idempotency_key: str | None = None
    # A report made outside chat, recorded by an operator (`leakbot incidents import`): reporter_id is then
    # empty (the reporter is no chat user: never a member, never messaged) and ``recorded_by`` is the actor.
    origin: Origin | None = None
    recorded_by: Actor | None = None


@dataclass(frozen=True)
class Correction:
    """What the team corrects in the original report; None leaves a field as it is."""

    reason: str
    aware_at: datetime | None = None
    confirmed: bool | None = None
    summary: str | None = None


@dataclass(frozen=True)
class Outcome:
    """A use case's result: the incident as it is now and what this call changed."""

    incident: IncidentView
    changes: tuple[Change, ...] = ()
    created: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.changes) or self.created


class IncidentsBase:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        org: OrgConfig,
        playbooks: PlaybookRegistry,
        bus: MessageBus | None = None,
        scenarios: Mapping[str, Scenario] | None = None,
    ) -> None:
        self._sessions = sessions
        self.clock = clock
        self.org = org
        self.playbooks = playbooks
        self.playbooks.get(org.playbook)  # fail at start, not on the first report
        self.after_commit: list[Callable[[], None]] = []  # e.g. the reminder timer re-reads the next due time
        self.bus = bus or MessageBus()  # domain events go here after each commit
        self._scenarios = scenarios  # the drill scenarios; the shipped ones are read on the first drill

    @property
    def scenarios(self) -> Mapping[str, Scenario]:
        if self._scenarios is None:
            self._scenarios = load_scenarios()
        return self._scenarios

    def _uow(self) -> UnitOfWork:
        return UnitOfWork(self._sessions, tuple(self.after_commit), self.bus.dispatch)

    async def _locked(self, uow: UnitOfWork, reference: str) -> Incident:
        try:
            return await uow.incident(reference, lock=True)
        except NotFound:
            raise NotFoundError(reference) from None

    async def _view(self, session: AsyncSession, incident: Incident) -> IncidentView:
        return await build_view(session, incident, self.org, self.playbooks)

    @staticmethod
    def _changed(
        uow: UnitOfWork, event: type[Changed], view: IncidentView, actor: Actor, changes: list[Change]
    ) -> Outcome:
        uow.events.append(event(view, str(actor), tuple(changes)))
        return Outcome(view, tuple(changes))

    def _applicable_ids(self, incident: Incident) -> set[str]:
        facts, assessment, playbook = self._context(incident)
        return {s.id for s in applicable_steps(playbook, situation_for(facts, assessment, self.org))}

    def _order(self, incident: Incident) -> list[str]:
        return [s.id for s in self.playbooks.get(incident.playbook_id).steps]

    async def _resync(
        self,
        session: AsyncSession,
        incident: Incident,
        now: datetime,
        actor: Actor,
        old_assessment: dict[str, Any] | None = None,
        reason: str | None = None,
    ) -> list[Change]:
        """After a change: reassess, move the deadlines (and replan the reminders), and freeze or unfreeze the
        documents whose final status came or went (``reason``: why a final status was taken back)."""
        facts, assessment, playbook = self._context(incident)
        changes: list[Change] = []
        before = old_assessment if old_assessment is not None else dict(incident.assessment)
        after = _assessment_json(assessment, self.org)
        if after != before:
            incident.assessment = after
            detail = {"from": _assessment_summary(before), "to": _assessment_summary(after)}
            changes.append(Change("reassessed", detail))
            await audit_log.record(session, incident, now, actor, "reassessed", detail)
        moved = await sync_deadlines(
            session,
            incident,
            playbook,
            assessment,
            situation_for(facts, assessment, self.org),
            now,
            assess_other_regimes(facts, incident.aware_at, self.org),
        )
        if moved:  # reminders follow the deadline rows: nothing to replan when none changed (most clicks)
            await replan(session, incident, self.org.reminders, now)
            await audit_log.record(
                session,
                incident,
                now,
                actor,
                "deadlines_changed",
                {"changes": [c.detail | {"what": c.what} for c in moved]},
            )
        await reconcile(session, incident, self.org, self.playbooks, now, actor, reason)
        return changes + moved

    def _context(self, incident: Incident) -> tuple[Facts, Assessment, Any]:
        facts = Facts.model_validate(incident.facts)
        return (
            facts,
            assess_facts(facts, incident.aware_at, self.org),
            self.playbooks.get(incident.playbook_id),
        )

    # --- who may do what -------------------------------------------------------------------------------

    async def _roles_of(self, session: AsyncSession, incident: Incident, actor: Actor) -> set[str]:
        return {
            m.role
            for m in await member_rows(session, incident)
            if (m.platform, m.user_id) == (actor.platform, actor.user_id)
        }

    async def _authorize(
        self,
        session: AsyncSession,
        incident: Incident,
        actor: Actor,
        permission: Permission,
        owner_role: str | None = None,
    ) -> set[str]:
        roles = await self._roles_of(session, incident, actor)
        refusal = decide(
            permission,
            actor,
            roles,
            reference=incident.reference,
            status=incident.status,
            owner_role=owner_role,
        )
        if refusal is not None:
            raise refusal
        return roles

    @asynccontextmanager
    async def _attempt(
        self, reference: str, actor: Actor, attempt: str, **detail: str
    ) -> AsyncIterator[None]:
        """Every refused attempt (not allowed, closed, out of order, replayed) goes into the audit trail,
        in its own transaction, since the attempt's own transaction is rolled back."""
        try:
            yield
        except NotFoundError:
            log.info("an attempt (%s) named an unknown incident", attempt)
            raise
        except (ServiceError, TransitionError) as refused:
            await self._record_refusal(reference, actor, attempt, refused.code, detail)
            raise

    async def _record_refusal(
        self, reference: str, actor: Actor, attempt: str, code: str, detail: dict[str, str]
    ) -> None:
        try:
            async with self._uow() as uow:
                incident = await self._locked(uow, reference)
                await audit_log.record(
                    uow.session,
                    incident,
                    self.clock.now(),
                    actor,
                    "refused",
                    {"attempt": attempt, "code": code} | detail,
                )
        except Exception as exc:  # the refusal itself still reaches the person
            log.error("could not record a refused attempt on %s: %s", reference, type(exc).__name__)

    async def authorize(self, reference: str, actor: Actor, permission: Permission) -> IncidentView:
        """Check before opening a form (the skip reason, the facts): refused attempts are recorded."""
        async with self._attempt(reference, actor, f"open:{permission}"):
            async with self._uow() as uow:
                incident = await self._locked(uow, reference)
                await self._authorize(uow.session, incident, actor, permission)
                return await self._view(uow.session, incident)


def _member(incident: Incident, who: Actor, role: str, by: Actor, now: datetime) -> Member:
    return Member(
        incident_id=incident.id,
        platform=who.platform,
        user_id=who.user_id,
        role=role,
        added_by=str(by),
        added_at=now,
    )


def _assessment_json(assessment: Assessment, org: OrgConfig) -> dict[str, Any]:
    view = assessment_view(assessment, org)
    return {
        "reportable": view.reportable,
        "grounds": list(view.grounds),
        "notify_individuals": view.notify_individuals,
        "counted_persons": view.counted_persons,
        "threshold": view.threshold,
        "exempt_by_encryption": view.exempt_by_encryption,
        "processor_notice": view.processor_notice,
        "final_days": view.final_days,
        "recipient": view.recipient,
    }


def _assessment_summary(data: dict[str, Any]) -> dict[str, Any]:
    return {k: data.get(k) for k in ("reportable", "grounds", "final_days", "processor_notice")}
