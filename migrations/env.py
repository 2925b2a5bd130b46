"""Alembic environment: async engine, batch mode on SQLite, the models' naming convention."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection

from bot.storage.db import DEFAULT_DATABASE_URL, create_engine, is_sqlite
from bot.storage.migrate import migrating
from bot.storage.tables import Base

config = context.config
target_metadata = Base.metadata


def database_url() -> str:
    return config.attributes.get("database_url") or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def run_migrations_offline() -> None:
    url = database_url()
    context.configure(
        url=url, target_metadata=target_metadata, literal_binds=True, render_as_batch=is_sqlite(url)
    )
    with context.begin_transaction():
        context.run_migrations()


def _run(connection: Connection) -> None:
    with migrating(connection, config.attributes):  # one upgrade at a time on PostgreSQL
        _migrate(connection)


def _sqlite_foreign_keys(connection: Connection, on: bool) -> None:
    """SQLite: a migration that rebuilds a table (batch mode) drops the old one, which with foreign keys on
    would delete (CASCADE) or refuse (RESTRICT) the rows that reference it. SQLite only obeys the pragma outside
    a transaction, so it is sent on the driver's connection, which is in autocommit mode between them."""
    if connection.dialect.name == "sqlite":
        cursor = connection.connection.cursor()
        cursor.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
        cursor.close()


def _migrate(connection: Connection) -> None:
    _sqlite_foreign_keys(connection, on=False)
    try:
        _configure_and_run(connection)
    finally:
        _sqlite_foreign_keys(connection, on=True)


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_migrations_online() -> None:
    engine = create_engine(database_url())
    async with engine.connect() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online())
