"""Filed stays as filed: inside a use case's transaction, a document that reached its final status (filed,
sent, published) is frozen as the team saw it, and one whose final status was taken back is unfrozen. Both are
audited with the frozen text's SHA-256; the frozen rows are never deleted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.appi.deadlines import JST
from bot.config.org import OrgConfig
from bot.documents import status as document_status
from bot.documents.current import live_documents
from bot.documents.edits import SectionEdit
from bot.documents.markdown import render_markdown
from bot.documents.snapshots import Filed, from_json, sha256, to_json
from bot.documents.timeline import read_events
from bot.domain.views import DeadlineView
from bot.playbook.loader import PlaybookRegistry
from bot.services import audit_log
from bot.services.ports import Actor
from bot.services.records import build_view, deadline_rows
from bot.storage.tables import DocumentEdit, DocumentSnapshot, Incident

FROZEN = "frozen"  # in incidents.document_states[kind]: the id of the kind's frozen copy in force


async def filed_copies(session: AsyncSession, incident: Incident) -> dict[str, Filed]:
    """The frozen copies in force, by kind."""
    rows = await session.scalars(
        select(DocumentSnapshot).where(
            DocumentSnapshot.incident_id == incident.id, DocumentSnapshot.withdrawn_at.is_(None)
        )
    )
    return {row.kind: _filed(row) for row in rows}


def _filed(row: DocumentSnapshot) -> Filed:
    return Filed(
        row.kind,
        row.status,
        from_json(row.documents),
        row.markdown,
        dict(row.facts),
        row.by,
        row.at,
        row.sha256,
    )


async def section_edits(session: AsyncSession, incident: Incident) -> list[SectionEdit]:
    rows = await session.scalars(
        select(DocumentEdit).where(DocumentEdit.incident_id == incident.id).order_by(DocumentEdit.id)
    )
    return [
        SectionEdit(r.document, r.section, r.heading, r.text, r.by, r.by_name, r.at, dict(r.facts))
        for r in rows
    ]


async def final_kinds(session: AsyncSession, incident: Incident) -> set[str]:
    """The kinds whose status is final now (the 速報 / 確報 by their deadline)."""
    deadlines = tuple(
        DeadlineView(d.key, d.kind, d.step_id, d.due_at, d.window_start, d.status)
        for d in (await deadline_rows(session, incident)).values()
    )
    return {
        s.key
        for s in document_status.states(
            dict(incident.document_states or {}),
            deadlines,
            (incident.facts or {}).get("jurisdictions", ["JP"]),
        )
        if s.status == document_status.BY_KEY[s.key].final
    }


async def reconcile(
    session: AsyncSession,
    incident: Incident,
    org: OrgConfig,
    playbooks: PlaybookRegistry,
    now: datetime,
    actor: Actor,
    reason: str | None = None,
) -> None:
    """Freeze what became final, unfreeze what no longer is (``reason``: why it was taken back)."""
    final = await final_kinds(session, incident)
    stored = {k: dict(v) for k, v in (incident.document_states or {}).items()}
    frozen = {k for k, v in stored.items() if v.get(FROZEN)}
    to_freeze = [k.key for k in document_status.KINDS if k.key in final and k.key not in frozen]
    to_thaw = [k for k in frozen if k not in final]
    if not to_freeze and not to_thaw:
        return
    for kind in to_thaw:
        row = await session.get(DocumentSnapshot, stored[kind].pop(FROZEN))
        if row is not None and row.withdrawn_at is None:
            row.withdrawn_at, row.withdrawn_by, row.withdrawn_reason = now, str(actor), reason
            detail = {"document": kind, "sha256": row.sha256, "reason": reason}
            await audit_log.record(session, incident, now, actor, "document_unfrozen", detail)
    if to_freeze:
        await session.flush()
        view = await build_view(session, incident, org, playbooks)
        events = await read_events(session, incident.reference)
        edits = await section_edits(session, incident)
        for kind in to_freeze:  # in KINDS order: the 速報 before the 確報, whose changes count from it
            filed = await filed_copies(session, incident)
            documents = live_documents(
                kind,
                view,
                org,
                org.language,
                events=events,
                on=now.astimezone(JST).date(),
                edits=edits,
                filed=filed,
                at=now,
            )
            markdown = render_markdown(documents)
            row = DocumentSnapshot(
                incident_id=incident.id,
                kind=kind,
                status=document_status.BY_KEY[kind].final,
                lang=org.language,
                documents=to_json(documents),
                markdown=markdown,
                facts=view.facts.model_dump(mode="json"),
                sha256=sha256(markdown),
                by=str(actor),
                at=now,
            )
            session.add(row)
            await session.flush()
            stored.setdefault(kind, {})[FROZEN] = row.id
            detail = {"document": kind, "status": row.status, "sha256": row.sha256}
            await audit_log.record(session, incident, now, actor, "document_frozen", detail)
    incident.document_states = stored
