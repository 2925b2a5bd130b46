"""Walking the playbook: a click on a step (group-committed per incident), filing a legal deadline, a reminder
acknowledged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.documents.status import KINDS
from bot.domain.events import (
    DeadlineFiled,
    StepChanged,
)
from bot.domain.facts import REASON_MAX
from bot.domain.views import Change
from bot.playbook.engine import StepStatus, TransitionError, applicable_steps, check_transition
from bot.services import audit_log
from bot.services.assessing import situation_for
from bot.services.errors import ServiceError
from bot.services.group_commit import GroupCommit
from bot.services.incident_base import IncidentsBase, Outcome
from bot.services.policy import Permission
from bot.services.ports import SYSTEM, Actor
from bot.services.records import step_rows
from bot.storage.tables import Incident

FILED_BY_STEP = frozenset(k.deadline for k in KINDS if k.deadline)  # deadlines whose filing is a document's


@dataclass(frozen=True)
class StepRequest:
    """One click on a step, waiting for its incident's next transaction."""

    step_id: str
    target: StepStatus
    actor: Actor
    reason: str | None
    acted_at: datetime | None


class Steps(IncidentsBase):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._step_batches: GroupCommit[StepRequest, Outcome] = GroupCommit(self._apply_steps)

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
        situation = situation_for(facts, assessment, self.org)
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
        if current == StepStatus.DONE and str(step.deadline or "") in FILED_BY_STEP:
            # taking back a filed 速報 / 確報: its owner or the commander, with a reason (文書の状態 asks one)
            await self._authorize(session, incident, actor, Permission.FILE, str(step.owner))
            if not reason:
                raise ServiceError("filed_step_reopen", reference=incident.reference)
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
        """提出済みにする: finishes the step that files this legal deadline; its owner or the commander only. A
        regime's deadline (``regime:EU:authority``) is filed by marking its draft filed."""
        kind = next((k for k in KINDS if k.meets and k.meets == deadline_key), None)
        if kind is not None:
            return await self.set_document_status(  # type: ignore[attr-defined]  # DocumentStates
                reference, kind.key, kind.final, actor, acted_at=acted_at
            )
        async with self._attempt(reference, actor, "file", deadline=deadline_key):
            async with self._uow() as uow:
                incident = await self._locked(uow, reference)
                await self._authorize(uow.session, incident, actor, Permission.WORK)
                facts, assessment, playbook = self._context(incident)
                steps = applicable_steps(playbook, situation_for(facts, assessment, self.org))
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
