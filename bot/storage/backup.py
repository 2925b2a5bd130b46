"""Backing up and restoring the embedded SQLite database with SQLite's online backup API
(``sqlite3.Connection.backup``): a consistent copy page by page while leakbot keeps running, the write-ahead
log included. PostgreSQL is backed up with its own tools (pg_dump / pg_restore; the README says how)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.storage.db import database_url


class BackupError(Exception):
    """The backup or restore cannot be made; the message says why in one line."""


def sqlite_path(url: str) -> Path:
    """The SQLite file DATABASE_URL names; BackupError for PostgreSQL (pg_dump is its tool)."""
    parsed = make_url(database_url(url))
    if parsed.get_backend_name() != "sqlite":
        raise BackupError(
            "DATABASE_URL is PostgreSQL: back it up with pg_dump and restore with pg_restore (README, Backup "
            "and restore), then run `leakbot db upgrade` and `leakbot db replan`"
        )
    if parsed.database in (None, "", ":memory:"):
        raise BackupError("DATABASE_URL names no SQLite file")
    return Path(parsed.database)


def _copy(source: Path, target: Path) -> None:
    with (
        closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
        closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)


def _incidents_in(path: Path) -> int | None:
    """How many incidents the file holds; None when it holds no leakbot schema."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        try:
            return int(conn.execute("SELECT count(*) FROM incidents").fetchone()[0])
        except sqlite3.DatabaseError:
            return None


def backup(url: str, target: Path) -> int:
    """Copy the database DATABASE_URL names into ``target`` (a new file); returns its incidents."""
    source = sqlite_path(url)
    if not source.exists():
        raise BackupError(f"no database at {source}")
    if target.exists():
        raise BackupError(f"{target} exists: give a new file (a backup never overwrites one)")
    try:
        _copy(source, target)
    except sqlite3.Error as exc:
        target.unlink(missing_ok=True)
        raise BackupError(f"the backup failed: {exc}") from None
    return _incidents_in(target) or 0


def restore(source: Path, url: str) -> int:
    """Copy the backup ``source`` into the database DATABASE_URL names, which must hold no incident (a new
    file, or an empty or fresh schema); returns the incidents restored."""
    target = sqlite_path(url)
    if not source.is_file():
        raise BackupError(f"no backup at {source}")
    found = _incidents_in(source)
    if found is None:
        raise BackupError(f"{source} is not a leakbot database")
    if target.exists() and _incidents_in(target):
        raise BackupError(
            f"{target} already holds incidents: restore into a new file (set DATABASE_URL to it) or move it away"
        )
    for leftover in (target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
        leftover.unlink(missing_ok=True)  # an old log must not be replayed over the restored pages
    try:
        _copy(source, target)
    except sqlite3.Error as exc:
        raise BackupError(f"the restore failed: {exc}") from None
    return found
