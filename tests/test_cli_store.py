"""`leakbot incidents` / `audit` as an administrator runs them: a database without the schema gets one line
saying to run `leakbot db upgrade` (exit 2), and reading needs no org config."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from adapters.cli.main import main
from bot.bootstrap import build_core
from bot.config.settings import CoreSettings
from bot.domain.facts import Facts
from bot.services.incidents import ReportRequest
from bot.storage import migrate
from bot.storage.db import create_engine


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    out, err = capsys.readouterr()
    return exited.value.code, out, err


@pytest.fixture
def no_org_config(monkeypatch):
    for name in ("LEAKBOT_CONFIG", "LEAKBOT_CONFIG_YAML", "LEAKBOT_PLAYBOOKS_DIR"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    "argv",
    [
        ["incidents", "list"],
        ["incidents", "show", "LEAK-2026-0001"],
        ["incidents", "calendar", "LEAK-2026-0001"],
        ["audit", "verify", "LEAK-2026-0001"],
    ],
)
def test_a_missing_database_file_says_to_run_db_upgrade(argv, tmp_path, monkeypatch, no_org_config, capsys):
    database = tmp_path / "leakbot.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{database}")
    code, _, err = run(argv, capsys)
    assert code == 2
    assert err.count("\n") == 1 and "leakbot db upgrade" in err and "Traceback" not in err
    assert not database.exists(), "reading must not leave an empty database behind"


def test_an_empty_database_says_to_run_db_upgrade(tmp_path, monkeypatch, no_org_config, capsys) -> None:
    database = tmp_path / "leakbot.db"
    sqlite3.connect(database).close()  # the file exists, the schema does not
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{database}")
    code, _, err = run(["incidents", "list"], capsys)
    assert code == 2 and "no leakbot schema" in err and "leakbot db upgrade" in err

    code, out, _ = run(["db", "upgrade"], capsys)
    assert code == 0 and "up to date" in out
    code, out, err = run(["incidents", "list", "--json"], capsys)
    assert code == 0 and json.loads(out) == [] and err == ""


def test_an_older_schema_says_to_run_db_upgrade(clean_database, monkeypatch, no_org_config, capsys) -> None:
    """On both engines: a database left at an older revision (an upgrade of leakbot without db upgrade)."""
    head = migrate.head_revision()

    async def set_revision(revision: str) -> None:
        engine = create_engine(clean_database)
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": revision})
        await engine.dispose()

    monkeypatch.setenv("DATABASE_URL", clean_database)
    asyncio.run(set_revision("0003"))
    try:
        code, _, err = run(["incidents", "list"], capsys)
        assert code == 2 and "0003" in err and str(head) in err and "leakbot db upgrade" in err
    finally:
        asyncio.run(set_revision(str(head)))
    code, _, _ = run(["incidents", "list"], capsys)
    assert code == 0


def test_reads_need_no_org_config(clean_database, org, clock, monkeypatch, no_org_config, capsys, tmp_path):
    """Every read works with LEAKBOT_CONFIG unset, on SQLite and PostgreSQL."""

    async def seed() -> str:
        core = build_core(CoreSettings(DATABASE_URL=clean_database), clock=clock, org=org)
        try:
            outcome = await core.incidents.report(
                ReportRequest(
                    platform="slack",
                    reporter_id="UREPORTER",
                    reporter_lang="ja",
                    aware_at=clock.now(),
                    facts=Facts(summary="顧客リストを誤送信", persons=1500),
                )
            )
            return outcome.incident.reference
        finally:
            await core.close()

    reference = asyncio.run(seed())
    monkeypatch.setenv("DATABASE_URL", clean_database)

    code, out, err = run(["incidents", "list", "--json"], capsys)
    assert code == 0, err
    listed = json.loads(out)
    assert [i["reference"] for i in listed] == [reference]
    assert listed[0]["assessment"]["reportable"] is True  # 1,500 people > 1,000 (the default: a business)

    code, out, err = run(["incidents", "show", reference], capsys)
    assert code == 0 and reference in out, err

    ics = tmp_path / "deadlines.ics"
    code, _, err = run(["incidents", "calendar", reference, "-o", str(ics)], capsys)
    assert code == 0 and b"BEGIN:VCALENDAR" in ics.read_bytes(), err

    code, out, err = run(["audit", "verify", reference], capsys)
    assert code == 0 and "intact" in out, err


def test_a_given_org_config_is_still_checked_for_reads(tmp_path, monkeypatch, capsys) -> None:
    config = tmp_path / "org.yaml"
    config.write_text("organization: {name: x}\nroles: {it: [U0IT]}\n", encoding="utf-8")
    monkeypatch.delenv("LEAKBOT_CONFIG_YAML", raising=False)
    monkeypatch.setenv("LEAKBOT_CONFIG", str(config))
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    code, _, err = run(["incidents", "list"], capsys)
    assert code == 2 and str(config) in err and "commander" in err


@pytest.mark.parametrize(("argv", "says"), [(["incidents", "list"], "read"), (["db", "upgrade"], "upgrade")])
def test_an_unreachable_database_is_one_line_without_the_url(argv, says, monkeypatch, no_org_config, capsys):
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://leakbot:hunter2@127.0.0.1:9/leakbot")
    code, _, err = run(argv, capsys)
    assert code == 1 and err.count("\n") == 1 and f"cannot {says} the database" in err
    assert "hunter2" not in err and "Traceback" not in err


def test_db_upgrade_works_outside_the_checkout(tmp_path, monkeypatch, capsys) -> None:
    """The migrations are found from the package, whatever the working directory (the wheel case is
    .ci/check-wheel)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", "sqlite+aiosqlite:///./elsewhere.db")
    code, out, _ = run(["db", "upgrade"], capsys)
    assert code == 0 and "up to date" in out and Path(tmp_path / "elsewhere.db").exists()


def test_an_empty_list_says_so(clean_database, monkeypatch, no_org_config, capsys) -> None:
    """A new user's first `leakbot incidents list`: one line saying there is nothing yet, not silence."""
    monkeypatch.setenv("DATABASE_URL", clean_database)
    code, out, err = run(["incidents", "list"], capsys)
    assert code == 0 and err == "" and out == "no incidents stored yet (drills: add --drills)\n"
    code, out, _ = run(["incidents", "list", "--drills"], capsys)
    assert code == 0 and out == "no incidents stored yet\n"
    code, out, _ = run(["incidents", "list", "--json"], capsys)
    assert code == 0 and json.loads(out) == []
