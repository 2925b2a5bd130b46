"""The use cases: report a leak, walk its playbook, update its facts, manage its team.

Every write is one unit of work that locks the incident, changes rows and appends to the audit trail.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import exc as sa_exc
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.appi.assessment import Assessment
from bot.appi.deadlines import JST
from bot.clock import Clock
from bot.config.org import OrgConfig
from bot.documents import status as document_status
from bot.documents.timeline import TimelineEvent, read_events
from bot.domain.events import (
    Changed,
    DeadlineFiled,
    DocumentChanged,
    DrillInjected,
    FactsChanged,
    Reported,
    StatusChanged,
    StepChanged,
    TeamChanged,
)
from bot.domain.facts import REASON_MAX, SUMMARY_MAX, Facts, implausible_aware_at
from bot.domain.views import Change, IncidentView
from bot.domain.vocabulary import Role
from bot.drills.report import INJECT_ACTION
from bot.drills.scenarios import Scenario, load_scenarios
from bot.playbook.engine import StepStatus, TransitionError, applicable_steps, check_transition
from bot.playbook.loader import PlaybookRegistry
from bot.reminders.planner import replan
from bot.services import audit_log, provisioning
from bot.services.assessing import assess_facts, assessment_view, situation_for
from bot.services.bus import MessageBus
from bot.services.deadline_sync import sync_deadlines
from bot.services.errors import NotFoundError, ServiceError
from bot.services.group_commit import GroupCommit
from bot.services.policy import REPORTER_ROLE, TEAM_ROLES, Permission, decide
from bot.services.ports import SYSTEM, Actor, Directory
from bot.services.records import build_view, build_views, forget_rows, member_rows, step_rows
from bot.services.references import DRILL_PREFIX, PREFIX, next_reference
from bot.storage.tables import Incident, Member, StepState
from bot.storage.uow import NotFound, UnitOfWork

log = logging.getLogger(__name__)
__all__ = ["REPORTER_ROLE", "TEAM_ROLES", "Correction", "IncidentService", "Outcome", "ReportRequest"]


@dataclass(frozen=True)
class ReportRequest:
    platform: str
    reporter_id: str
    reporter_lang: str
    aware_at: datetime
    facts: Facts
    idempotency_key: str | None = None


@dataclass(frozen=True)
class Correction:
    """What the team corrects in the original report; None leaves a field as it is."""

    reason: str
    aware_at: datetime | None = None
    confirmed: bool | None = None
    summary: str | None = None


@dataclass(frozen=True)
class StepRequest:
    """One click on a step, waiting for its incident's next transaction."""

    step_id: str
    target: StepStatus
    actor: Actor
    reason: str | None
    acted_at: datetime | None


@dataclass(frozen=True)
class Outcome:
    """A use case's result: the incident as it is now and what this call changed."""

    incident: IncidentView
    changes: tuple[Change, ...] = ()
    created: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.changes) or self.created


class IncidentService:
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
        self._step_batches: GroupCommit[StepRequest, Outcome] = GroupCommit(self._apply_steps)
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
            )
            uow.session.add(incident)
            await uow.session.flush()
            for step in playbook.steps:
                uow.session.add(
                    StepState(incident_id=incident.id, step_id=step.id, state="todo", updated_at=now)
                )
            actor = Actor(request.platform, request.reporter_id)
            uow.session.add(_member(incident, actor, REPORTER_ROLE, actor, now))
            if drill is not None:  # the organizer runs their own drill (a commander already is one)
                uow.session.add(_member(incident, actor, str(Role.COMMANDER), actor, now))
            forget_rows(uow.session, incident, "members")
            forget_rows(uow.session, incident, "steps")
            await uow.session.flush()
            situation = situation_for(request.facts, assessment)
            await sync_deadlines(uow.session, incident, playbook, assessment, situation, now)
            await replan(uow.session, incident, self.org.reminders, now)
            detail = {"playbook": playbook.id, "assessment": incident.assessment, "cause": incident.cause}
            if drill is not None:
                detail["drill"] = {"scenario": drill["scenario"], "speed": drill["speed"]}
            await audit_log.record(uow.session, incident, now, actor, "reported", detail)
            provisioning.start(uow.session, incident, now)
            view = await self._view(uow.session, incident)
            uow.events.append(Reported(view))
            return Outcome(view, created=True)

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

    async def resolve_team(self, reference: str, directory: Directory) -> tuple[Outcome, list[str]]:
        """Add the configured role members, resolved on the incident's platform; returns the unresolved."""
        wanted = [(str(role), written) for role in Role for written in self.org.members_of(role)]
        # Every lookup at once: one round trip to the platform, however many people are written as e-mails.
        written_once = list(dict.fromkeys(written for _, written in wanted))
        found = await asyncio.gather(*(directory.resolve(written) for written in written_once))
        user_of = dict(zip(written_once, found, strict=True))
        resolved = [(role, user_of[written]) for role, written in wanted if user_of.get(written)]
        unresolved = list(dict.fromkeys(written for _, written in wanted if not user_of.get(written)))
        now = self.clock.now()
        async with self._uow() as uow:
            incident = await self._locked(uow, reference)
            existing = {(m.platform, m.user_id, m.role) for m in await member_rows(uow.session, incident)}
            added = []
            for role, user_id in resolved:
                if (directory.name, user_id, role) not in existing:
                    existing.add((directory.name, user_id, role))
                    uow.session.add(_member(incident, Actor(directory.name, user_id), role, SYSTEM, now))
                    forget_rows(uow.session, incident, "members")
                    added.append({"role": role, "user": user_id})
            changes: list[Change] = []
            if added or unresolved:
                await audit_log.record(
                    uow.session,
                    incident,
                    now,
                    SYSTEM,
                    "team_resolved",
                    {"added": added, "unresolved": unresolved},
                )
                changes.append(Change("team_resolved", {"added": added, "unresolved": unresolved}))
            await uow.session.flush()
            await replan(uow.session, incident, self.org.reminders, now)
            view = await self._view(uow.session, incident)
            if added:
                users = tuple(a["user"] for a in added)
                uow.events.append(TeamChanged(view, str(SYSTEM), tuple(changes), added=users))
            return Outcome(view, tuple(changes)), unresolved

    async def attach_channel(self, reference: str, channel_id: str, channel_name: str) -> Outcome:
        now = self.clock.now()
        async with self._uow() as uow:
            incident = await self._locked(uow, reference)
            if incident.channel_id == channel_id:
                return Outcome(await self._view(uow.session, incident))
            incident.channel_id, incident.channel_name, incident.updated_at = channel_id, channel_name, now
            await audit_log.record(
                uow.session,
                incident,
                now,
                SYSTEM,
                "channel_attached",
                {"channel": channel_id, "name": channel_name},
            )
            return Outcome(await self._view(uow.session, incident), (Change("channel_attached"),))

    async def note(self, reference: str, action: str, details: dict[str, Any], actor: Actor = SYSTEM) -> None:
        """Record something done outside the database (a failed invite, a post) in the audit trail."""
        now = self.clock.now()
        async with self._uow() as uow:
            incident = await self._locked(uow, reference)
            await audit_log.record(uow.session, incident, now, actor, action, details)

    # --- the playbook ----------------------------------------------------------------------------------

    async def set_step(
        self,
        reference: str,
        step_id: str,
        target: StepStatus,
        actor: Actor,
        reason: str | None = None,
        acted_at: datetime | None = None,
    ) -> Outcome:
        """Change one step's state. Setting the state it already has changes nothing (double clicks);
        ``acted_at`` (the platform's time of the click) older than the step's last change is refused, so a
        replayed click cannot undo a newer one. Clicks on one incident that arrive while its transaction
        runs are applied together in the next one, in the order they were made (group commit)."""
        async with self._attempt(reference, actor, "step", step=step_id, to=str(target)):
            if reason is not None and len(reason) > REASON_MAX:
                raise ServiceError("too_long", reference=reference, limit=REASON_MAX)
            return await self._step_batches.submit(
                reference, StepRequest(step_id, target, actor, reason, acted_at)
            )

    async def _apply_steps(
        self, reference: str, requests: Sequence[StepRequest]
    ) -> list[Outcome | Exception]:
        """One transaction for a batch of clicks; a refused click leaves the others standing."""
        now = self.clock.now()
        results: list[Outcome | Exception | None] = [None] * len(requests)
        changes: list[Change] = []
        changed_steps: list[str] = []
        last_actor = SYSTEM
        own: dict[int, tuple[Change, ...]] = {}
        async with self._uow() as uow:
            incident = await self._locked(uow, reference)
            session = uow.session
            latest = datetime.max.replace(tzinfo=UTC)
            order = sorted(range(len(requests)), key=lambda i: requests[i].acted_at or latest)
            for i in order:
                req = requests[i]
                try:
                    await self._authorize(session, incident, req.actor, Permission.WORK)
                    change = await self._change_step(
                        session, incident, req.step_id, req.target, req.actor, req.reason, now, req.acted_at
                    )
                except (ServiceError, TransitionError) as refused:  # checked before anything changed
                    results[i] = refused
                    continue
                if change is not None:
                    own[i] = (change,)
                    changes.append(change)
                    changed_steps.append(req.step_id)
                    last_actor = req.actor
            if changes:
                changes += await self._resync(session, incident, now, last_actor)
            view = await self._view(session, incident)
            if changes:  # what followed (a deadline met, steps added) is told as the last click's doing
                uow.events.append(StepChanged(view, str(last_actor), tuple(changes), tuple(changed_steps)))
        shared = tuple(c for c in changes if c.what != "step")  # what followed, for every click
        return [
            r if r is not None else Outcome(view, (*own.get(i, ()), *shared)) for i, r in enumerate(results)
        ]

    async def _change_step(
        self,
        session: AsyncSession,
        incident: Incident,
        step_id: str,
        target: StepStatus,
        actor: Actor,
        reason: str | None,
        now: datetime,
        acted_at: datetime | None,
        enforce_requires: bool = True,
    ) -> Change | None:
        """Checks first (refusing raises before anything changed), then the change and its audit event;
        None when the step already is in that state."""
        facts, assessment, playbook = self._context(incident)
        situation = situation_for(facts, assessment)
        rows = await step_rows(session, incident)
        states = {sid: StepStatus(r.state) for sid, r in rows.items()}
        step = next((s for s in playbook.steps if s.id == step_id), None)
        if step is None:
            raise ServiceError("unknown_step", step=step_id)
        current = states.get(step_id, StepStatus.TODO)
        row = rows[step_id]
        if acted_at is not None and row.acted_at is not None and acted_at < row.acted_at:
            raise ServiceError("stale_action", reference=incident.reference)
        if current == target:
            return None
        applicable_ids = frozenset(s.id for s in applicable_steps(playbook, situation))
        check_transition(step, current, target, reason, states, applicable_ids, enforce_requires)
        row.state, row.reason, row.updated_by, row.updated_at = str(target), reason, str(actor), now
        row.acted_at = acted_at or row.acted_at
        incident.updated_at = now
        await session.flush()
        change = Change("step", {"step": step_id, "from": str(current), "to": str(target)})
        await audit_log.record(
            session, incident, now, actor, "step_changed", change.detail | {"reason": reason}
        )
        return change

    async def _transition(
        self,
        session: AsyncSession,
        incident: Incident,
        step_id: str,
        target: StepStatus,
        actor: Actor,
        reason: str | None,
        enforce_requires: bool = True,
        acted_at: datetime | None = None,
    ) -> Outcome:
        now = self.clock.now()
        change = await self._change_step(
            session, incident, step_id, target, actor, reason, now, acted_at, enforce_requires
        )
        if change is None:
            return Outcome(await self._view(session, incident))
        changes = [change, *await self._resync(session, incident, now, actor)]
        return Outcome(await self._view(session, incident), tuple(changes))

    async def mark_filed(
        self, reference: str, deadline_key: str, actor: Actor, acted_at: datetime | None = None
    ) -> Outcome:
        """提出済みにする: finishes the step that files this legal deadline; its owner or the commander only."""
        async with self._attempt(reference, actor, "file", deadline=deadline_key):
            async with self._uow() as uow:
                incident = await self._locked(uow, reference)
                await self._authorize(uow.session, incident, actor, Permission.WORK)
                facts, assessment, playbook = self._context(incident)
                steps = applicable_steps(playbook, situation_for(facts, assessment))
                step = next((s for s in steps if s.deadline and str(s.deadline) == deadline_key), None)
                if step is None:
                    raise ServiceError("nothing_to_file", reference=reference)
                await self._authorize(uow.session, incident, actor, Permission.FILE, str(step.owner))
                # A report filed with the regulator is a fact: the playbook's order does not get to refuse it.
                outcome = await self._transition(
                    uow.session,
                    incident,
                    step.id,
                    StepStatus.DONE,
                    actor,
                    None,
                    enforce_requires=False,
                    acted_at=acted_at,
                )
                if outcome.changes:
                    uow.events.append(
                        DeadlineFiled(outcome.incident, str(actor), outcome.changes, (step.id,))
                    )
                return outcome

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

    async def acknowledge(self, reference: str, deadline_key: str, actor: Actor) -> None:
        """確認しました: an executive or team member saw a reminder; kept in the audit trail."""
        now = self.clock.now()
        async with self._attempt(reference, actor, "acknowledge", deadline=deadline_key):
            async with self._uow() as uow:
                incident = await self._locked(uow, reference)
                await self._authorize(uow.session, incident, actor, Permission.ACKNOWLEDGE)
                await audit_log.record(
                    uow.session, incident, now, actor, "reminder_acknowledged", {"deadline": deadline_key}
                )

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

    @staticmethod
    def _changed(
        uow: UnitOfWork, event: type[Changed], view: IncidentView, actor: Actor, changes: list[Change]
    ) -> Outcome:
        uow.events.append(event(view, str(actor), tuple(changes)))
        return Outcome(view, tuple(changes))

    def _applicable_ids(self, incident: Incident) -> set[str]:
        facts, assessment, playbook = self._context(incident)
        return {s.id for s in applicable_steps(playbook, situation_for(facts, assessment))}

    def _order(self, incident: Incident) -> list[str]:
        return [s.id for s in self.playbooks.get(incident.playbook_id).steps]

    async def _resync(
        self,
        session: AsyncSession,
        incident: Incident,
        now: datetime,
        actor: Actor,
        old_assessment: dict[str, Any] | None = None,
    ) -> list[Change]:
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
            session, incident, playbook, assessment, situation_for(facts, assessment), now
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

    # --- the team ----------------------------------------------------------------------------------------

    async def add_member(self, reference: str, user_id: str, role: Role, actor: Actor) -> Outcome:
        """The commander brings someone into the response team."""
        async with self._attempt(reference, actor, "add_member", user=user_id, role=str(role)):
            now = self.clock.now()
            async with self._uow() as uow:
                incident = await self._locked(uow, reference)
                await self._authorize(uow.session, incident, actor, Permission.MANAGE)
                target = Actor(actor.platform, user_id)
                if str(role) in await self._roles_of(uow.session, incident, target):
                    return Outcome(await self._view(uow.session, incident))
                uow.session.add(_member(incident, target, str(role), actor, now))
                forget_rows(uow.session, incident, "members")
                await uow.session.flush()
                await replan(uow.session, incident, self.org.reminders, now)
                await audit_log.record(
                    uow.session, incident, now, actor, "member_added", {"user": user_id, "role": str(role)}
                )
                change = Change("member_added", {"user": user_id, "role": str(role)})
                view = await self._view(uow.session, incident)
                uow.events.append(TeamChanged(view, str(actor), (change,), added=(user_id,)))
                return Outcome(view, (change,))

    async def close(self, reference: str, actor: Actor) -> Outcome:
        """The commander closes the incident: it is read-only and its reminders stop until reopened."""
        return await self._set_status(reference, actor, "closed")

    async def reopen(self, reference: str, actor: Actor) -> Outcome:
        """The commander reopens a closed incident: it can be changed again and its reminders resume."""
        return await self._set_status(reference, actor, "open")

    async def _set_status(self, reference: str, actor: Actor, status: str) -> Outcome:
        action = "closed" if status == "closed" else "reopened"
        async with self._attempt(reference, actor, action):
            now = self.clock.now()
            async with self._uow() as uow:
                incident = await self._locked(uow, reference)
                await self._authorize(uow.session, incident, actor, Permission.REOPEN)
                if incident.status == status:
                    return Outcome(await self._view(uow.session, incident))
                incident.status, incident.updated_at = status, now
                incident.closed_at = now if status == "closed" else None
                if status == "open":
                    await self._resync(uow.session, incident, now, actor)
                await replan(uow.session, incident, self.org.reminders, now)
                await audit_log.record(uow.session, incident, now, actor, action, {})
                view = await self._view(uow.session, incident)
                return self._changed(uow, StatusChanged, view, actor, [Change(action)])

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
                return await self._view(uow.session, incident), await read_events(uow.session, reference)

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
                incident = await uow.incident(reference)
            except NotFound:
                raise NotFoundError(reference) from None
            return await audit_log.verify(uow.session, incident)


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
