"""After a purge: what the database engine itself still keeps of the erased values goes too, as far as the
engine allows (docs/decisions.md, "Retention"). SQLite overwrites deleted content with zeros (``secure_delete``,
set on every connection in bot/storage/db.py); here its write-ahead log, which still holds the pages as they
were, is checkpointed and truncated. PostgreSQL keeps the old row versions until they are vacuumed: the tables
the purge touched are vacuumed now rather than whenever autovacuum comes."""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

log = logging.getLogger(__name__)

PURGED_TABLES = (
    "incidents",
    "step_states",
    "audit_events",
    "document_edits",
    "document_snapshots",
    "reminders",
    "provisioning",
    "conversation_refs",
)


async def after_purge(sessions: async_sessionmaker[AsyncSession]) -> None:
    engine = sessions.kw["bind"]
    try:
        if engine.dialect.name == "sqlite":
            async with engine.connect() as conn:  # outside any transaction: the driver's own connection
                raw = await conn.get_raw_connection()
                await raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return
        async with engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            for table in PURGED_TABLES:
                await conn.execute(text(f"VACUUM {table}"))
    except Exception as exc:  # the purge itself is committed: this only hastens what the engine does anyway
        log.warning("after the purge, the database could not be compacted: %s", type(exc).__name__)
