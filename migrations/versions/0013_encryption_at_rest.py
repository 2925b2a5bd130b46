"""encryption at rest (issue 21): the free-text columns become text holding ciphertext (bot/storage/crypto.py),
audit_events.sealed holds the free text of an event's details (the chain covers its salted digest),
data_keys records which keys data is stored under

The data stays as it was (plaintext) until it is encrypted: `leakbot db upgrade` does it right after the
migrations when a key is configured, else `leakbot keys rotate` does; the start warns meanwhile. The audit
events' free text is sealed here (no key needed), and each chain that changed is hashed again and closed by an
``audit_resealed`` event naming the head it had before and whether that chain was intact.

Downgrade restores the column types; it is for plaintext data only (decrypt first: not provided).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column, nullable) of the JSON columns that become encrypted text
JSON_TO_TEXT = [
    ("incidents", "facts", False),
    ("incidents", "origin", True),
    ("conversation_refs", "reference", False),
    ("document_snapshots", "documents", False),
    ("document_snapshots", "facts", False),
    ("document_edits", "facts", False),
]
GENESIS = "0" * 64
FREE_TEXT = ("reason",)


def upgrade() -> None:
    op.create_table(
        "data_keys",
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("added_at", UTCDateTime(), nullable=False),
        sa.Column("retired_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_data_keys")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sealed", sa.Text(), nullable=True))
    tables: dict[str, list[tuple[str, bool]]] = {}
    for table, column, nullable in JSON_TO_TEXT:
        tables.setdefault(table, []).append((column, nullable))
    for table, columns in tables.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, nullable in columns:
                batch_op.alter_column(
                    column,
                    existing_type=sa.JSON(),
                    type_=sa.Text(),
                    existing_nullable=nullable,
                    postgresql_using=f"{column}::text",
                )
    with op.batch_alter_table("document_edits", schema=None) as batch_op:
        batch_op.alter_column(
            "by_name", existing_type=sa.String(length=255), type_=sa.Text(), existing_nullable=False
        )
    bind = op.get_bind()
    now = datetime.now(UTC)
    if bind.execute(sa.text("SELECT 1 FROM incidents LIMIT 1")).first() is not None:
        # what is stored is plaintext: the start says so until it is encrypted (bot/storage/keycheck.py)
        insert = sa.text("INSERT INTO data_keys (key_id, added_at) VALUES ('plain', :now)")
        bind.execute(insert.bindparams(sa.bindparam("now", type_=UTCDateTime())), {"now": now})
    _seal_audit_free_text(bind, now)


def _hash(reference: str, seq: int, at: datetime, actor: str, action: str, details: dict, prev: str) -> str:
    """bot/services/audit_log.event_hash as of this revision (stored times are naive UTC)."""
    body = json.dumps(
        {
            "reference": reference,
            "seq": seq,
            "at": (at if at.tzinfo else at.replace(tzinfo=UTC)).isoformat(),
            "actor": actor,
            "action": action,
            "details": details,
            "prev": prev,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def _at(value) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _seal_audit_free_text(bind, now: datetime) -> None:
    incidents = bind.execute(sa.text("SELECT id, reference, audit_head FROM incidents ORDER BY id")).all()
    for incident_id, reference, head in incidents:
        rows = bind.execute(
            sa.text(
                "SELECT id, seq, at, actor, action, details, prev_hash, hash FROM audit_events "
                "WHERE incident_id = :i ORDER BY seq"
            ),
            {"i": incident_id},
        ).all()
        events = [
            {
                "id": r.id,
                "seq": r.seq,
                "at": _at(r.at),
                "actor": r.actor,
                "action": r.action,
                "details": _json(r.details),
                "hash": r.hash,
                "prev": r.prev_hash,
            }
            for r in rows
        ]
        if not any(isinstance((e["details"] or {}).get(k), str) for e in events for k in FREE_TEXT):
            continue
        intact, prev = True, GENESIS
        for e in events:
            recomputed = _hash(reference, e["seq"], e["at"], e["actor"], e["action"], e["details"], prev)
            intact = intact and e["prev"] == prev and recomputed == e["hash"]
            prev = e["hash"]
        intact = intact and prev == head
        prev = GENESIS
        for e in events:
            details, sealed = dict(e["details"] or {}), {}
            for key in FREE_TEXT:
                text = details.get(key)
                if isinstance(text, str) and text:
                    salt = os.urandom(16).hex()
                    sealed[key] = {"salt": salt, "text": text}
                    digest = hashlib.sha256(bytes.fromhex(salt) + text.encode("utf-8")).hexdigest()
                    details[key] = {"sealed": digest}
            new = _hash(reference, e["seq"], e["at"], e["actor"], e["action"], details, prev)
            bind.execute(
                sa.text(
                    "UPDATE audit_events SET details = :d, sealed = :s, prev_hash = :p, hash = :h WHERE id = :id"
                ),
                {
                    "d": json.dumps(details, ensure_ascii=False),
                    "s": json.dumps(sealed, ensure_ascii=False) if sealed else None,
                    "p": prev,
                    "h": new,
                    "id": e["id"],
                },
            )
            prev = new
        seq = (events[-1]["seq"] if events else 0) + 1
        details = {"revision": "0013", "previous_head": head, "was_intact": intact}
        new = _hash(reference, seq, now, "system:migration", "audit_resealed", details, prev)
        insert = sa.text(
            "INSERT INTO audit_events (incident_id, seq, at, actor, action, details, prev_hash, hash) "
            "VALUES (:i, :seq, :at, 'system:migration', 'audit_resealed', :d, :p, :h)"
        ).bindparams(sa.bindparam("at", type_=UTCDateTime()))
        bind.execute(
            insert,
            {"i": incident_id, "seq": seq, "at": now, "d": json.dumps(details), "p": prev, "h": new},
        )
        bind.execute(
            sa.text("UPDATE incidents SET audit_head = :h WHERE id = :i"), {"h": new, "i": incident_id}
        )


def downgrade() -> None:
    with op.batch_alter_table("document_edits", schema=None) as batch_op:
        batch_op.alter_column(
            "by_name", existing_type=sa.Text(), type_=sa.String(length=255), existing_nullable=False
        )
    tables: dict[str, list[tuple[str, bool]]] = {}
    for table, column, nullable in JSON_TO_TEXT:
        tables.setdefault(table, []).append((column, nullable))
    for table, columns in tables.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, nullable in columns:
                batch_op.alter_column(
                    column,
                    existing_type=sa.Text(),
                    type_=sa.JSON(),
                    existing_nullable=nullable,
                    postgresql_using=f"{column}::json",
                )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("sealed")
    op.drop_table("data_keys")
