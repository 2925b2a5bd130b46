"""Engine and session factory for SQLite (aiosqlite, the embedded default) and PostgreSQL (asyncpg)."""

from __future__ import annotations

import socket

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from bot.storage.crypto import Keyring
from bot.storage.uow import serialize_sqlite_writers

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./leakbot.db"
DRIVERS = {"postgresql": "asyncpg", "sqlite": "aiosqlite"}  # the one driver shipped for each engine
ALIASES = {"postgres": "postgresql"}  # Heroku-style URLs
USE = "use postgresql://user:password@host:5432/dbname or sqlite:///path/to/leakbot.db"


class DatabaseUrlError(ValueError):
    """DATABASE_URL cannot be used; the message is one line saying the form to use (never the URL itself)."""


def database_url(raw: str) -> str:
    """DATABASE_URL with the shipped driver: `postgresql://` and `postgres://` become `postgresql+asyncpg://`,
    `sqlite://` becomes `sqlite+aiosqlite://`; anything else raises DatabaseUrlError."""
    text = raw.strip()
    if not text:
        raise DatabaseUrlError(f"DATABASE_URL is empty: {USE}")
    try:
        url = make_url(text)
    except (ArgumentError, ValueError):
        raise DatabaseUrlError(f"DATABASE_URL is not a database URL: {USE}") from None
    scheme, _, driver = url.drivername.partition("+")
    backend = ALIASES.get(scheme, scheme)
    if backend not in DRIVERS:
        raise DatabaseUrlError(
            f"DATABASE_URL names the engine {scheme!r}; leakbot works with PostgreSQL or SQLite: {USE}"
        )
    if driver and driver != DRIVERS[backend]:
        raise DatabaseUrlError(
            f"DATABASE_URL asks for the driver {driver!r}, which leakbot does not ship: "
            f"use {backend}://… (or {backend}+{DRIVERS[backend]}://…)"
        )
    return f"{backend}+{DRIVERS[backend]}://" + text.split("://", 1)[1]


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def create_engine(url: str, keyring: Keyring | None = None) -> AsyncEngine:
    """``hide_parameters``: a database error's text never carries the facts it was given (it reaches logs).

    ``keyring``: the keys the encrypted columns use (bot/storage/types.py); by default the ones the
    environment gives (bot/storage/keys.py), none in development mode."""
    url = database_url(url)
    engine = _engine(url)
    if keyring is None:
        from bot.storage.keys import KeySettings

        keyring = KeySettings().keyring()
    engine.sync_engine.dialect.leakbot_keyring = keyring  # type: ignore[attr-defined]
    return engine


def _engine(url: str) -> AsyncEngine:
    if is_sqlite(url):
        engine = create_async_engine(url, connect_args={"timeout": 30}, hide_parameters=True)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            # what a purge erases (or any update replaces) is overwritten with zeros, not left in free pages
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()

        serialize_sqlite_writers(engine)
        return engine
    return create_async_engine(url, pool_pre_ping=True, hide_parameters=True)


def session_factory(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)


def describe_error(exc: BaseException, url: str) -> str:
    """Why the database could not be used, in a few words for an operator: the server's own reason when it
    refused the connection, never the URL's password nor the text of a failed statement (it may quote data)."""
    parsed: URL = make_url(database_url(url))
    where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
    if isinstance(exc, socket.gaierror):
        return f"the host {parsed.host} is not known"
    if isinstance(exc, ConnectionRefusedError):
        return f"nothing answers at {where} (is the server running?)"
    if isinstance(exc, TimeoutError):
        return f"no answer from {where}"
    if isinstance(exc, OSError):
        return exc.strerror or "the connection failed"
    if isinstance(exc, DBAPIError) and exc.statement is None:  # the connection itself was refused
        reason = str(exc.orig).splitlines()[0] if exc.orig is not None else "refused"
        if parsed.get_backend_name() == "sqlite":
            return f"{reason}: {parsed.database} (does its directory exist, and may leakbot write there?)"
        return reason
    if isinstance(exc, DBAPIError):
        return f"the database refused a statement ({type(exc.orig).__name__})"
    return "the database could not be used"
