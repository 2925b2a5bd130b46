"""The audit trail: append-only and hash-chained per incident, so a changed or removed row is detectable."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.tables import AuditEvent, Incident

GENESIS = "0" * 64


def event_hash(
    reference: str, seq: int, at: datetime, actor: str, action: str, details: dict[str, Any], prev_hash: str
) -> str:
    body = json.dumps(
        {
            "reference": reference,
            "seq": seq,
            "at": at.isoformat(),
            "actor": actor,
            "action": action,
            "details": details,
            "prev": prev_hash,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


async def record(
    session: AsyncSession,
    incident: Incident,
    at: datetime,
    actor: object,
    action: str,
    details: dict[str, Any],
) -> AuditEvent:
    """Append one event. Callers hold the incident's lock (see UnitOfWork.lock_incident)."""
    last = (
        await session.execute(
            select(AuditEvent.seq, AuditEvent.hash)
            .where(AuditEvent.incident_id == incident.id)
            .order_by(AuditEvent.seq.desc())
            .limit(1)
        )
    ).first()
    seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
    actor = str(actor)  # "slack:U123", "teams:29:…", "cli:admin", "system:leakbot"
    details = json.loads(json.dumps(details, default=str))  # what is hashed is exactly what is stored
    event = AuditEvent(
        incident_id=incident.id,
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        details=details,
        prev_hash=prev,
        hash=event_hash(incident.reference, seq, at, actor, action, details, prev),
    )
    session.add(event)
    incident.audit_head = event.hash
    await session.flush()
    return event


@dataclass(frozen=True)
class ChainReport:
    reference: str
    events: int
    ok: bool
    problem: str | None = None


async def verify(session: AsyncSession, incident: Incident) -> ChainReport:
    rows = (
        await session.scalars(
            select(AuditEvent).where(AuditEvent.incident_id == incident.id).order_by(AuditEvent.seq)
        )
    ).all()
    prev = GENESIS
    for expected_seq, row in enumerate(rows, start=1):
        if row.seq != expected_seq:
            return ChainReport(incident.reference, len(rows), False, f"event {expected_seq} is missing")
        if row.prev_hash != prev:
            return ChainReport(
                incident.reference, len(rows), False, f"event {row.seq} does not follow its predecessor"
            )
        recomputed = event_hash(
            incident.reference, row.seq, row.at, row.actor, row.action, row.details, row.prev_hash
        )
        if recomputed != row.hash:
            return ChainReport(incident.reference, len(rows), False, f"event {row.seq} was modified")
        prev = row.hash
    if prev != incident.audit_head:
        return ChainReport(incident.reference, len(rows), False, "the newest events were removed")
    return ChainReport(incident.reference, len(rows), True)
