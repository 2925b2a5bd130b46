"""Applying the Alembic migrations from code (`leakbot db upgrade`, tests, the demo)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.resources import shipped

MIGRATIONS_DIR = shipped("migrations")  # migrations/ in the checkout, package data when installed


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Synchronous: call it outside a running event loop (or in a worker thread)."""
    command.upgrade(alembic_config(database_url), revision)


class SchemaNotReady(Exception):
    """The database cannot be read by this version: it has no schema yet, or an older (or newer) one."""


def head_revision() -> str | None:
    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def _sqlite_file(url: URL) -> Path | None:
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


async def check_schema(engine: AsyncEngine) -> None:
    """Raise SchemaNotReady (saying what to run) unless the database is at this version's head revision.

    A missing SQLite file is reported without creating it."""
    sqlite_file = _sqlite_file(engine.url)
    if sqlite_file is not None and not sqlite_file.exists():
        raise SchemaNotReady(f"no database at {sqlite_file}: run `leakbot db upgrade` first")
    async with engine.connect() as connection:
        current = await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )
    head = head_revision()
    if current == head:
        return
    if current is None:
        raise SchemaNotReady("the database has no leakbot schema yet: run `leakbot db upgrade` first")
    known = {script.revision for script in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions()}
    if current in known:
        raise SchemaNotReady(
            f"the database schema is at revision {current}, this leakbot needs {head}: "
            "run `leakbot db upgrade` first"
        )
    raise SchemaNotReady(
        f"the database schema is at revision {current}, which this leakbot does not know (its newest is "
        f"{head}): upgrade leakbot"
    )
