"""Keeping an incident's deadline rows equal to what its facts and steps call for, saying what moved."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.appi.assessment import Assessment
from bot.documents.status import met_by_documents
from bot.domain.views import Change
from bot.playbook.engine import FINISHED, Situation, StepStatus, applicable_steps
from bot.playbook.schema import Playbook
from bot.regimes import RegimeResult
from bot.services.assessing import planned_deadlines
from bot.services.records import deadline_rows, finished_times, forget_rows, step_rows
from bot.storage.tables import Deadline, Incident


def _status(
    key: str, kind: str, step_id: str | None, done_kinds: set[str], states: dict[str, StepStatus]
) -> str:
    if kind == "step":
        return "met" if states.get(step_id or "", StepStatus.TODO) in FINISHED else "pending"
    return "filed" if key in done_kinds else "pending"


async def sync_deadlines(
    session: AsyncSession,
    incident: Incident,
    playbook: Playbook,
    assessment: Assessment,
    situation: Situation,
    now: datetime,
    regimes: tuple[RegimeResult, ...] = (),
) -> list[Change]:
    steps = await step_rows(session, incident)
    states = {sid: StepStatus(row.state) for sid, row in steps.items()}
    plan = planned_deadlines(
        assessment, playbook, situation, incident.aware_at, finished_times(steps), regimes
    )
    # A legal deadline is met when the step that files it is done (e.g. final_report → 確報).
    done_kinds = {
        str(s.deadline)
        for s in applicable_steps(playbook, situation)
        if s.deadline and states.get(s.id) == StepStatus.DONE
    }
    # A regime's notification is filed when its draft is marked filed (bot.documents.status: ``meets``).
    done_kinds |= met_by_documents(dict(incident.document_states or {}))
    rows = await deadline_rows(session, incident)
    changes: list[Change] = []
    for key, planned in plan.items():
        status = _status(key, planned.kind, planned.step_id, done_kinds, states)
        row = rows.get(key)
        if row is None:
            session.add(
                Deadline(
                    incident_id=incident.id,
                    key=key,
                    kind=planned.kind,
                    step_id=planned.step_id,
                    due_at=planned.due_at,
                    window_start=planned.window_start,
                    status=status,
                    created_at=now,
                    updated_at=now,
                )
            )
            changes.append(Change("deadline_added", {"key": key, "due_at": planned.due_at.isoformat()}))
            continue
        if row.status == "cancelled":
            changes.append(Change("deadline_added", {"key": key, "due_at": planned.due_at.isoformat()}))
        elif row.due_at != planned.due_at:
            changes.append(
                Change(
                    "deadline_moved",
                    {"key": key, "from": row.due_at.isoformat(), "to": planned.due_at.isoformat()},
                )
            )
        elif row.status != status:
            changes.append(Change(f"deadline_{status}", {"key": key}))
        row.due_at, row.window_start, row.status, row.updated_at = (
            planned.due_at,
            planned.window_start,
            status,
            now,
        )
    for key, row in rows.items():
        if key not in plan and row.status != "cancelled":
            row.status, row.updated_at = "cancelled", now
            changes.append(Change("deadline_cancelled", {"key": key}))
    await session.flush()
    forget_rows(session, incident, "deadlines")  # rows may have been added
    return changes
