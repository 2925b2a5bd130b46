"""Backup and restore (issue 21), on both engines: a backup taken while leakbot has incidents (SQLite: `leakbot
db backup`, the online backup API; PostgreSQL: pg_dump) restored into a fresh database (`leakbot db restore`;
pg_restore then `leakbot db upgrade` and `leakbot db replan`) holds every incident, each audit chain verifies,
and the open incident's reminders are planned again and due."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.bootstrap import build_core
from bot.config.settings import CoreSettings
from bot.playbook.engine import StepStatus
from bot.storage.tables import Reminder
from tests.conftest import ORG_YAML, POSTGRES_URL
from tests.test_cli_store import run
from tests.test_filed_documents import COMMANDER, IT, opened


def pending(core_url: str, clock, org) -> set:
    async def read() -> set:
        core = build_core(CoreSettings(DATABASE_URL=core_url), clock=clock, org=org)
        try:
            async with core.incidents._uow() as uow:
                rows = await uow.session.scalars(select(Reminder).where(Reminder.state == "pending"))
                return {(r.incident_id, r.deadline_key, r.kind, r.target, r.planned_at) for r in rows}
        finally:
            await core.close()

    return asyncio.run(read())


def populated(database_url: str, clock, org) -> list[str]:
    """An open reportable incident with words in it, and a closed one."""

    async def make() -> list[str]:
        core = build_core(CoreSettings(DATABASE_URL=database_url), clock=clock, org=org)
        try:
            first = await opened(core, clock, persons=1500)
            await core.incidents.set_step(
                first, "request_recipient_deletion", StepStatus.SKIPPED, IT, "削除済み"
            )
            second = await opened(core, clock)
            await core.incidents.close(second, COMMANDER)
            return [first, second]
        finally:
            await core.close()

    return asyncio.run(make())


def lose_a_reminder(database_url: str) -> None:
    """The latest pending reminder row lost, as a backup taken in the middle of a change would have it: the
    restore's replanning puts it back."""

    async def lose() -> None:
        engine = create_async_engine(database_url)
        async with engine.begin() as conn:
            lost = await conn.scalar(
                select(Reminder.id).where(Reminder.state == "pending").order_by(Reminder.planned_at.desc())
            )
            await conn.execute(delete(Reminder).where(Reminder.id == lost))
        await engine.dispose()

    asyncio.run(lose())


def admin(statement: str) -> None:
    async def go() -> None:
        engine = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        async with engine.connect() as conn:
            await conn.execute(text(statement))
        await engine.dispose()

    asyncio.run(go())


def libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def test_a_backup_restored_into_a_fresh_database_has_everything(
    clean_database, clock, org, tmp_path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("LEAKBOT_CONFIG_YAML", ORG_YAML)
    for name in ("LEAKBOT_CONFIG", "LEAKBOT_PLAYBOOKS_DIR"):
        monkeypatch.delenv(name, raising=False)
    clock.set(datetime.now(UTC) - timedelta(hours=1))  # the command line's clock is the real one
    references = populated(clean_database, clock, org)
    planned = pending(clean_database, clock, org)
    lose_a_reminder(clean_database)

    if clean_database.startswith("sqlite"):
        backup = tmp_path / "leakbot-backup.db"
        monkeypatch.setenv("DATABASE_URL", clean_database)
        code, out, err = run(["db", "backup", str(backup)], capsys)
        assert code == 0 and out.strip() == f"backed up 2 incidents to {backup}", err
        code, _, err = run(["db", "backup", str(backup)], capsys)
        assert code == 1 and "never overwrites" in err
        fresh = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
        monkeypatch.setenv("DATABASE_URL", fresh)
        code, out, err = run(["db", "restore", str(backup)], capsys)
        assert code == 0, err
        assert "restored 2 incidents" in out and "reminders: 1 open incidents, 1 replanned" in out
        code, _, err = run(["db", "restore", str(backup)], capsys)
        assert code == 1 and "already holds incidents" in err
    else:
        if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
            pytest.skip("pg_dump / pg_restore are not on PATH: the PostgreSQL restore is not tested here")
        dump = tmp_path / "leakbot.dump"
        subprocess.run(["pg_dump", "-Fc", "-f", str(dump), libpq(clean_database)], check=True)
        name = f"leakbot_restored_{uuid.uuid4().hex[:10]}"
        admin(f'CREATE DATABASE "{name}"')
        fresh = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
        try:
            subprocess.run(["pg_restore", "--no-owner", "-d", libpq(fresh), str(dump)], check=True)
            monkeypatch.setenv("DATABASE_URL", fresh)
            code, out, _ = run(["db", "upgrade"], capsys)
            assert code == 0 and "up to date" in out
            code, out, _ = run(["db", "replan"], capsys)
            assert code == 0 and out.strip() == "reminders: 1 open incidents, 1 replanned"
            check_restored(fresh, references, planned, clock, org, capsys)
        finally:
            admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        return
    check_restored(fresh, references, planned, clock, org, capsys)


def check_restored(fresh: str, references: list[str], planned: set, clock, org, capsys) -> None:
    import json

    code, out, _ = run(["incidents", "list", "--json"], capsys)
    assert [(i["reference"], i["status"]) for i in json.loads(out)] == [
        (references[0], "open"),
        (references[1], "closed"),
    ]
    for reference in references:
        code, out, err = run(["audit", "verify", reference], capsys)
        assert code == 0 and "audit trail intact" in out, err
    code, out, _ = run(["incidents", "show", references[0], "--json"], capsys)
    assert json.loads(out)["facts"]["summary"], "the free text reads with the same key"
    restored = pending(fresh, clock, org)
    assert restored == planned, "the lost reminder is planned again, nothing else changes"
    code, out, _ = run(["db", "replan"], capsys)
    assert out.strip() == "reminders: 1 open incidents, 0 replanned"
    assert os.environ["DATABASE_URL"] == fresh
