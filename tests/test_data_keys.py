"""Issue 21: without a key `leakbot serve` starts only in development mode and says so; with the wrong key the
start and every read refuse in one line (never a traceback nor garbage); a key file works like the variable.
On both engines."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.bootstrap import build_core
from bot.config.org import parse_org_config
from bot.config.settings import CoreSettings
from bot.storage.db import create_engine
from bot.storage.keycheck import register
from bot.storage.tables import DataKey
from tests.conftest import DATA, ORG_YAML, TEST_DATA_KEY
from tests.test_cli_store import run
from tests.test_incident_service import open_incident
from tests.test_serve import base_env, free_port, run_until_listening

OTHER_KEY = "mG4YFZI4_CgFE6EcHlqyWpHSWKbJPLTWZYId1EsQHj0"  # a valid key, not the one the data is under
READS = [
    ["incidents", "list"],
    ["incidents", "show", "LEAK-2026-0001"],
    ["incidents", "export", "LEAK-2026-0001", "-o", "drafts"],
    ["audit", "verify", "LEAK-2026-0001"],
]


def serve_env(tmp_path, database_url: str, **extra: str) -> dict[str, str]:
    env = base_env(tmp_path) | {
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": "xoxb-real-looking",
        "SLACK_SIGNING_SECRET": "s3cret",
        "LEAKBOT_PORT": str(free_port()),
        "LEAKBOT_HOST": "127.0.0.1",
        "LEAKBOT_SLACK_API_URL": "http://127.0.0.1:9/api/",  # nothing answers: the start goes on, warned
    }
    del env["LEAKBOT_DATA_KEY"]
    return env | extra


def test_without_a_key_serve_starts_only_in_development_mode_and_says_so(tmp_path, clean_database) -> None:
    code, err = run_until_listening(serve_env(tmp_path, clean_database))
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "LEAKBOT_DATA_KEY" in lines[0] and "LEAKBOT_DEV_INSECURE=1" in lines[0], err
    assert "Traceback" not in err

    code, err = run_until_listening(serve_env(tmp_path, clean_database, LEAKBOT_DEV_INSECURE="1"))
    assert code is None, err
    assert "development mode" in err and "NOT encrypted" in err


def stored_incident(database_url: str, clock) -> None:
    """One incident stored under the test key (tests/conftest.py)."""

    async def make() -> None:
        settings = CoreSettings(DATABASE_URL=database_url, LEAKBOT_PLAYBOOKS_DIR=str(DATA / "playbooks"))
        core = build_core(
            settings, clock=clock, org=parse_org_config(ORG_YAML + "playbook: mini\n", "org.yaml")
        )
        try:
            await open_incident(core.incidents, clock, persons=1500)
        finally:
            await core.close()

    asyncio.run(make())


def test_the_wrong_key_is_refused_in_one_line_by_serve_and_every_read(
    clock, clean_database, tmp_path, monkeypatch, capsys
) -> None:
    stored_incident(clean_database, clock)
    other = OTHER_KEY
    code, err = run_until_listening(serve_env(tmp_path, clean_database, LEAKBOT_DATA_KEY=other))
    assert code == 2 and err.count("\n") == 1, err
    assert "does not open this database" in err and "Traceback" not in err

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", clean_database)
    for name in ("LEAKBOT_CONFIG", "LEAKBOT_CONFIG_YAML", "LEAKBOT_PLAYBOOKS_DIR"):
        monkeypatch.delenv(name, raising=False)
    for argv in READS:
        monkeypatch.setenv("LEAKBOT_DATA_KEY", other)
        code, out, err = run(argv, capsys)
        assert (code, out) == (2, ""), (argv, out, err)
        assert err.count("\n") == 1 and "does not open this database" in err, (argv, err)
        monkeypatch.delenv("LEAKBOT_DATA_KEY")
        code, out, err = run(argv, capsys)
        assert (code, out) == (2, "") and err.count("\n") == 1 and "set LEAKBOT_DATA_KEY" in err, (argv, err)

    key_file = tmp_path / "leakbot.key"  # the right key, from a file: the reads work
    key_file.write_text(f"# leakbot's data key\n{TEST_DATA_KEY}\n", encoding="utf-8")
    monkeypatch.setenv("LEAKBOT_DATA_KEY_FILE", str(key_file))
    code, out, err = run(["audit", "verify", "LEAK-2026-0001"], capsys)
    assert code == 0 and "intact" in out, err


@pytest.mark.parametrize(
    ("value", "says"),
    [("not-a-key", "LEAKBOT_DATA_KEY is not a key"), (TEST_DATA_KEY[:-4], "LEAKBOT_DATA_KEY is not a key")],
)
def test_a_malformed_key_is_one_line_that_never_repeats_it(value, says, clean_database, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", clean_database)
    monkeypatch.setenv("LEAKBOT_DATA_KEY", value)
    code, out, err = run(["incidents", "list"], capsys)
    assert (code, out) == (2, "") and err.count("\n") == 1 and says in err and value not in err


async def test_replicas_registering_the_key_at_once_both_go_on(clean_database) -> None:
    """Replicas starting together (serve, `db upgrade`) list the same key at the same moment: the second
    waits for the first's row and keeps it, instead of failing on the unique key (CI saw one of four
    `db upgrade` replicas exit 1 with UniqueViolationError)."""
    first, second = create_engine(clean_database), create_engine(clean_database)
    now = datetime.now(UTC)
    try:
        async with AsyncSession(first) as a, AsyncSession(second) as b:

            async def register_too() -> None:
                async with b.begin():
                    await register(b, "k-replicas", now)

            async with a.begin():
                await register(a, "k-replicas", now)
                racing = asyncio.create_task(register_too())
                await asyncio.sleep(0.3)  # the second replica reads and writes while the first's row is new
            await racing
        async with AsyncSession(first) as session:
            rows = (await session.scalars(select(DataKey).where(DataKey.key_id == "k-replicas"))).all()
        assert [(row.key_id, row.retired_at) for row in rows] == [("k-replicas", None)]
    finally:
        await first.dispose()
        await second.dispose()
