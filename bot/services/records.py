"""Loading and saving an incident's rows, and building its read model. Used only inside services."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.org import OrgConfig
from bot.domain.facts import Facts
from bot.domain.origin import Origin
from bot.domain.views import (
    DeadlineView,
    IncidentView,
    MemberView,
    MergedReport,
    PostView,
    RefusalView,
    StepView,
)
from bot.playbook.engine import (
    FINISHED,
    StepStatus,
    applicable_steps,
    blockers,
    progress,
)
from bot.playbook.loader import PlaybookRegistry
from bot.services.assessing import assess_facts, assess_other_regimes, assessment_view, situation_for
from bot.storage.tables import AuditEvent, Deadline, Incident, Member, Post, StepState


def _cached(session: AsyncSession, incident: Incident, kind: str):
    return session.info.get(("rows", incident.id, kind))


def _remember(session: AsyncSession, incident: Incident, kind: str, rows):
    session.info[("rows", incident.id, kind)] = rows
    return rows


def forget_rows(session: AsyncSession, incident: Incident, kind: str) -> None:
    """Rows of that kind were added in this transaction: read them again next time."""
    session.info.pop(("rows", incident.id, kind), None)


async def step_rows(session: AsyncSession, incident: Incident) -> dict[str, StepState]:
    """An incident's rows, read once per transaction (the session's identity map keeps them current)."""
    cached = _cached(session, incident, "steps")
    if cached is not None:
        return cached
    rows = await session.scalars(select(StepState).where(StepState.incident_id == incident.id))
    return _remember(session, incident, "steps", {row.step_id: row for row in rows})


async def deadline_rows(session: AsyncSession, incident: Incident) -> dict[str, Deadline]:
    cached = _cached(session, incident, "deadlines")
    if cached is not None:
        return cached
    rows = await session.scalars(select(Deadline).where(Deadline.incident_id == incident.id))
    return _remember(session, incident, "deadlines", {row.key: row for row in rows})


async def member_rows(session: AsyncSession, incident: Incident) -> list[Member]:
    cached = _cached(session, incident, "members")
    if cached is not None:
        return cached
    rows = await session.scalars(select(Member).where(Member.incident_id == incident.id).order_by(Member.id))
    return _remember(session, incident, "members", list(rows))


def finished_times(steps: dict[str, StepState]) -> dict[str, datetime]:
    return {sid: row.updated_at for sid, row in steps.items() if StepStatus(row.state) in FINISHED}


async def build_view(
    session: AsyncSession, incident: Incident, org: OrgConfig, playbooks: PlaybookRegistry
) -> IncidentView:
    return (await build_views(session, [incident], org, playbooks))[0]


async def build_views(
    session: AsyncSession, incidents: list[Incident], org: OrgConfig, playbooks: PlaybookRegistry
) -> list[IncidentView]:
    """Read models for many incidents with a fixed number of queries, whatever their number."""
    if not incidents:
        return []
    ids = [i.id for i in incidents]
    steps_by: dict[int, dict[str, StepState]] = defaultdict(dict)
    deadlines_by: dict[int, dict[str, Deadline]] = defaultdict(dict)
    members_by: dict[int, list[Member]] = defaultdict(list)
    if len(incidents) == 1:  # one incident (a use case's answer): the rows its transaction already read
        only = incidents[0]
        steps_by[only.id] = await step_rows(session, only)
        deadlines_by[only.id] = await deadline_rows(session, only)
        members_by[only.id] = await member_rows(session, only)
    else:
        for row in await session.scalars(select(StepState).where(StepState.incident_id.in_(ids))):
            steps_by[row.incident_id][row.step_id] = row
        for row in await session.scalars(select(Deadline).where(Deadline.incident_id.in_(ids))):
            deadlines_by[row.incident_id][row.key] = row
        for row in await session.scalars(
            select(Member).where(Member.incident_id.in_(ids)).order_by(Member.id)
        ):
            members_by[row.incident_id].append(row)
    counts = dict(
        (
            await session.execute(
                select(AuditEvent.incident_id, func.count())
                .where(AuditEvent.incident_id.in_(ids))
                .group_by(AuditEvent.incident_id)
            )
        ).all()
    )
    refused = await _refusals(session, ids)
    posts_by: dict[int, list[PostView]] = defaultdict(list)
    for row in await session.scalars(select(Post).where(Post.incident_id.in_(ids)).order_by(Post.id)):
        posts_by[row.incident_id].append(
            PostView(row.platform, row.key, row.channel_id, row.message_id, row.link)
        )
    merged = await _merged(session, incidents)
    return [
        replace(
            _view(
                i, steps_by[i.id], deadlines_by[i.id], members_by[i.id], counts.get(i.id, 0), org, playbooks
            ),
            posts=tuple(posts_by[i.id]),
            **refused.get(i.id, {}),
            **merged.get(i.id, {}),
        )
        for i in incidents
    ]


async def _merged(session: AsyncSession, incidents: list[Incident]) -> dict[int, dict]:
    """Per incident: the reports merged into it, and the survivor of one that was merged (issue 22)."""
    ids = [i.id for i in incidents]
    out: dict[int, dict] = defaultdict(dict)
    rows = await session.scalars(select(Incident).where(Incident.merged_into.in_(ids)).order_by(Incident.id))
    reports: dict[int, list[MergedReport]] = defaultdict(list)
    for row in rows:
        summary = Facts.model_validate(row.facts).summary
        reporter = f"{row.platform}:{row.reporter_id}"
        reports[row.merged_into].append(MergedReport(row.reference, reporter, row.created_at, summary))
    for incident_id, merged in reports.items():
        out[incident_id]["merged"] = tuple(merged)
    into = {i.merged_into for i in incidents if i.merged_into is not None}
    if into:
        names = dict(
            (
                await session.execute(select(Incident.id, Incident.reference).where(Incident.id.in_(into)))
            ).all()
        )
        for i in incidents:
            if i.merged_into is not None:
                out[i.id]["merged_into"] = names.get(i.merged_into)
    return out


async def _refusals(session: AsyncSession, ids: list[int]) -> dict[int, dict]:
    """Per incident: how many attempts were refused, and the latest one."""
    per_incident = (
        select(AuditEvent.incident_id, func.count().label("n"), func.max(AuditEvent.id).label("last"))
        .where(AuditEvent.incident_id.in_(ids), AuditEvent.action == "refused")
        .group_by(AuditEvent.incident_id)
        .subquery()
    )
    rows = await session.execute(
        select(per_incident.c.incident_id, per_incident.c.n, AuditEvent).join(
            AuditEvent, AuditEvent.id == per_incident.c.last
        )
    )
    return {
        incident_id: {
            "refusals": n,
            "last_refusal": RefusalView(
                event.at, event.actor, str(event.details.get("attempt")), str(event.details.get("code"))
            ),
        }
        for incident_id, n, event in rows
    }


def _view(
    incident: Incident,
    states_rows: dict[str, StepState],
    deadlines: dict[str, Deadline],
    members: list[Member],
    audit_count: int,
    org: OrgConfig,
    playbooks: PlaybookRegistry,
) -> IncidentView:
    facts = Facts.model_validate(incident.facts)
    assessment = assess_facts(facts, incident.aware_at, org)
    situation = situation_for(facts, assessment, org)
    playbook = playbooks.get(incident.playbook_id)
    states = {sid: StepStatus(row.state) for sid, row in states_rows.items()}
    applicable = applicable_steps(playbook, situation)
    applicable_ids = frozenset(s.id for s in applicable)
    steps = []
    for step in applicable:
        row = states_rows.get(step.id)
        due = deadlines.get(f"step:{step.id}")
        steps.append(
            StepView(
                step=step,
                status=states.get(step.id, StepStatus.TODO),
                reason=row.reason if row else None,
                updated_by=row.updated_by if row else None,
                updated_at=row.updated_at if row else None,
                blockers=blockers(step, states, applicable_ids),
                due_at=due.due_at if due and due.status == "pending" else None,
            )
        )
    return IncidentView(
        reference=incident.reference,
        status=incident.status,
        platform=incident.platform,
        reporter_id=incident.reporter_id,
        reporter_lang=incident.reporter_lang,
        aware_at=incident.aware_at,
        facts=facts,
        assessment=assessment_view(assessment, org),
        playbook_id=incident.playbook_id,
        channel_id=incident.channel_id,
        channel_name=incident.channel_name,
        created_at=incident.created_at,
        deadlines=tuple(
            DeadlineView(d.key, d.kind, d.step_id, d.due_at, d.window_start, d.status)
            for d in sorted(deadlines.values(), key=lambda d: d.due_at)
        ),
        steps=tuple(steps),
        members=tuple(MemberView(m.platform, m.user_id, m.role) for m in members),
        progress=progress(playbook, situation, states),
        audit_events=audit_count,
        document_states=dict(incident.document_states or {}),
        drill=dict(incident.drill) if incident.drill is not None else None,
        origin=Origin.from_json(incident.origin) if incident.origin is not None else None,
        closed_at=incident.closed_at,
        legal_hold=bool(incident.legal_hold),
        purged_at=incident.purged_at,
        regimes=assess_other_regimes(facts, incident.aware_at, org),
    )
