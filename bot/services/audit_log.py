"""The audit trail: append-only and hash-chained per incident, so a changed or removed row is detectable.

Free text people write into an event (a skip reason, a correction's reason) is *sealed*: ``details`` keeps
``{"sealed": SHA-256(salt ‖ text)}`` and the hash chain covers that digest; the text and its random salt are
stored encrypted in ``sealed``. A key rotation changes only the ciphertext, and a purge that erases ``sealed``
leaves a digest nobody can reverse (the salt is gone with the text): the chain verifies either way.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.tables import AuditEvent, Incident

GENESIS = "0" * 64
FREE_TEXT = ("reason",)  # the detail keys that carry what a person wrote


def _digest(salt: str, text: str) -> str:
    return hashlib.sha256(bytes.fromhex(salt) + text.encode("utf-8")).hexdigest()


def seal(details: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """``details`` with each free text replaced by its salted digest, and the texts (with their salts)."""
    sealed: dict[str, Any] = {}
    out = dict(details)
    for key in FREE_TEXT:
        text = out.get(key)
        if isinstance(text, str) and text:
            salt = os.urandom(16).hex()
            sealed[key] = {"salt": salt, "text": text}
            out[key] = {"sealed": _digest(salt, text)}
    return out, sealed or None


def opened(details: dict[str, Any], sealed: dict[str, Any] | None) -> dict[str, Any]:
    """The details as recorded, the free text put back; a text that was purged (or does not match its
    digest) reads as None."""
    out = dict(details or {})
    for key in FREE_TEXT:
        marker = out.get(key)
        if isinstance(marker, dict) and "sealed" in marker:
            entry = (sealed or {}).get(key)
            ok = isinstance(entry, dict) and _matches(marker, entry)
            out[key] = entry["text"] if ok else None
    return out


def _matches(marker: dict[str, Any], entry: dict[str, Any]) -> bool:
    try:
        return hmac.compare_digest(_digest(str(entry["salt"]), str(entry["text"])), str(marker["sealed"]))
    except (KeyError, ValueError):
        return False


def _seal_problem(details: dict[str, Any], sealed: dict[str, Any] | None) -> bool:
    """True when a stored text does not match the digest the chain covers (changed, or moved)."""
    for key, entry in (sealed or {}).items():
        marker = (details or {}).get(key)
        if not (isinstance(marker, dict) and isinstance(entry, dict) and _matches(marker, entry)):
            return True
    return False


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
    details, sealed = seal(details)
    event = AuditEvent(
        incident_id=incident.id,
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        details=details,
        prev_hash=prev,
        hash=event_hash(incident.reference, seq, at, actor, action, details, prev),
        sealed=sealed,
    )
    session.add(event)
    incident.audit_head = event.hash
    await session.flush()
    return event


@dataclass(frozen=True)
class Entry:
    """One event as the chain holds it: a free text only as ``{"sealed": digest}``, never the words."""

    seq: int
    at: datetime
    actor: str
    action: str
    details: dict[str, Any]


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
        if recomputed != row.hash or _seal_problem(row.details, row.sealed):
            return ChainReport(incident.reference, len(rows), False, f"event {row.seq} was modified")
        prev = row.hash
    if prev != incident.audit_head:
        return ChainReport(incident.reference, len(rows), False, "the newest events were removed")
    return ChainReport(incident.reference, len(rows), True)
