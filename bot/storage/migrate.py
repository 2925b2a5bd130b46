"""Applying the Alembic migrations from code (`leakbot db upgrade`, tests, the demo)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import URL, Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.resources import shipped
from bot.storage.db import database_url as shipped_driver

MIGRATIONS_DIR = shipped("migrations")  # migrations/ in the checkout, package data when installed


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["database_url"] = database_url
    return config


# pg_advisory_lock key held around an upgrade: replicas starting together migrate one after the other, and
# every one after the first finds the schema at head and changes nothing.
MIGRATION_LOCK = 0x6C65616B62  # "leakb"


@dataclass(frozen=True)
class Upgrade:
    """What one `leakbot db upgrade` found and did."""

    before: str | None  # the revision found (None: no schema)
    after: str | None  # the revision reached
    created: tuple[str, ...]  # the tables this upgrade created

    def describe(self) -> str:
        if self.before == self.after:
            return f"the database is already up to date (revision {self.after})"
        tables = f"{len(self.created)} tables ({', '.join(self.created)})" if self.created else "no new table"
        if self.before is None:
            return f"created the leakbot schema: revision {self.after}, {tables}; the database is up to date"
        return f"upgraded the database from revision {self.before} to {self.after}, {tables}; up to date"


def upgrade(database_url: str, revision: str = "head") -> Upgrade:
    """Synchronous: call it outside a running event loop (or in a worker thread). DATABASE_URL forms without
    the driver (`postgresql://`, `sqlite:///`) are accepted; others raise DatabaseUrlError."""
    config = alembic_config(shipped_driver(database_url))
    command.upgrade(config, revision)
    return config.attributes["upgrade"]


def current_revision(connection: Connection) -> str | None:
    """The revision stored in alembic_version (None: no schema). Read directly: alembic's MigrationContext
    would log its setup at INFO in `leakbot serve`'s log."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _state(connection: Connection) -> tuple[str | None, set[str]]:
    revision = current_revision(connection)
    tables = set(inspect(connection).get_table_names()) - {"alembic_version"}
    connection.commit()  # the migrations begin their own transaction
    return revision, tables


@contextmanager
def migrating(connection: Connection, attributes: dict) -> Iterator[None]:
    """Around the migrations in migrations/env.py: on PostgreSQL, the session advisory lock (one upgrade at a
    time); records what the upgrade did in ``attributes["upgrade"]``."""
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        connection.exec_driver_sql(f"SELECT pg_advisory_lock({MIGRATION_LOCK})")
        connection.commit()
    try:
        before, tables_before = _state(connection)
        yield
        after, tables_after = _state(connection)
        attributes["upgrade"] = Upgrade(before, after, tuple(sorted(tables_after - tables_before)))
    finally:
        if postgres:
            connection.exec_driver_sql(f"SELECT pg_advisory_unlock({MIGRATION_LOCK})")
            connection.commit()


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
        current = await connection.run_sync(current_revision)
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
