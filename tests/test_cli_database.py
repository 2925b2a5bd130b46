"""DATABASE_URL as a new user writes it, on every command that uses the database: the forms without a driver
work (`postgresql://`, `postgres://`, `sqlite:///`); anything else is one line naming the form to use, never a
traceback nor a bare exception name. `serve` on a database without the schema says to run `leakbot db
upgrade`; `db upgrade` says what it created; replicas upgrading at once on PostgreSQL create the schema once."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess

import pytest
from sqlalchemy import text

from bot.storage import migrate
from bot.storage.db import create_engine
from bot.storage.tables import Base
from tests.conftest import POSTGRES_URL, postgres_database
from tests.test_cli_store import run
from tests.test_serve import base_env, free_port, leakbot_argv, run_until_listening

DATABASE_COMMANDS = [
    ["serve"],
    ["db", "upgrade"],
    ["incidents", "list"],
    ["incidents", "show", "LEAK-2026-0001"],
    ["incidents", "calendar", "LEAK-2026-0001"],
    ["incidents", "export", "LEAK-2026-0001", "-o", "drafts"],
    ["audit", "verify", "LEAK-2026-0001"],
]
BAD_URLS = {
    "postgresql+psycopg2://leakbot:hunter2@db/leakbot": "does not ship",  # a driver we do not ship
    "mysql://leakbot:hunter2@db/leakbot": "PostgreSQL or SQLite",  # an engine we do not support
    "leakbot:hunter2@db/leakbot": "not a database URL",  # garbage
    "postgresql://leakbot:hunter2@db:port/leakbot": "not a database URL",  # a port that is no number
}


@pytest.fixture
def no_settings(monkeypatch):
    for name in list(os.environ):
        if name.startswith(("LEAKBOT_", "SLACK_", "MICROSOFT_")) and name != "LEAKBOT_DATA_KEY":
            monkeypatch.delenv(name)


@pytest.mark.parametrize("argv", DATABASE_COMMANDS, ids=" ".join)
@pytest.mark.parametrize("url", BAD_URLS)
def test_a_bad_database_url_is_one_line_naming_the_form_to_use(argv, url, monkeypatch, no_settings, capsys):
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-real-looking")  # serve gets as far as the database
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s3cret")
    code, out, err = run(argv, capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("leakbot: error: DATABASE_URL"), err
    assert BAD_URLS[url] in err and "postgresql://" in err
    assert "hunter2" not in err and "Traceback" not in err and "Error" not in err


def without_driver(url: str, scheme: str | None = None) -> str:
    backend, rest = url.split("://", 1)
    return f"{scheme or backend.split('+')[0]}://{rest}"


@pytest.mark.parametrize("scheme", [None, "postgres"], ids=["engine only", "postgres alias"])
def test_urls_without_the_driver_work(scheme, clean_database, monkeypatch, no_settings, capsys) -> None:
    """`sqlite:///…` and `postgresql://…` (and `postgres://…`): what other tools and hosting platforms give."""
    if scheme == "postgres" and not clean_database.startswith("postgresql"):
        pytest.skip("the postgres:// alias is PostgreSQL's")
    monkeypatch.setenv("DATABASE_URL", without_driver(clean_database, scheme))
    code, out, err = run(["db", "upgrade"], capsys)
    assert code == 0 and "already up to date" in out, err
    code, out, err = run(["incidents", "list", "--json"], capsys)
    assert code == 0 and json.loads(out) == [], err


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgresql://leakbot:hunter2@127.0.0.1:9/leakbot", "nothing answers at 127.0.0.1:9"),
        ("postgresql://leakbot:hunter2@leakbot-db.invalid/leakbot", "leakbot-db.invalid is not known"),
    ],
)
def test_an_unreachable_database_says_why(url, says, monkeypatch, no_settings, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    for argv in (["db", "upgrade"], ["incidents", "list"]):
        code, _, err = run(argv, capsys)
        assert code == 1 and err.count("\n") == 1 and says in err, err
        assert "hunter2" not in err and "Error" not in err


@pytest.mark.filterwarnings(
    "ignore::pytest.PytestUnhandledThreadExceptionWarning"
)  # aiosqlite's failed connect
def test_a_missing_sqlite_directory_is_named(tmp_path, monkeypatch, no_settings, capsys) -> None:
    database = tmp_path / "no-such-dir" / "leakbot.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    code, _, err = run(["db", "upgrade"], capsys)
    assert code == 1 and str(database) in err and "directory" in err and "Error" not in err


def test_db_upgrade_says_what_it_created(tmp_path, monkeypatch, no_settings, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")
    head = migrate.head_revision()
    code, out, _ = run(["db", "upgrade"], capsys)
    assert code == 0 and out.count("\n") == 1
    assert f"created the leakbot schema: revision {head}" in out and "incidents" in out
    assert "audit_events" in out and "alembic_version" not in out
    code, out, _ = run(["db", "upgrade"], capsys)
    assert code == 0 and out == f"the database is already up to date (revision {head})\n"


@pytest.mark.slow
def test_serve_without_the_schema_says_to_run_db_upgrade(tmp_path) -> None:
    """A new user's first `leakbot serve`, before `leakbot db upgrade`: one line, exit 2, nothing served."""
    env = base_env(tmp_path) | {
        "SLACK_BOT_TOKEN": "xoxb-real-looking",
        "SLACK_SIGNING_SECRET": "s3cret",
        "LEAKBOT_HOST": "127.0.0.1",
        "LEAKBOT_PORT": str(free_port()),
        "LEAKBOT_SLACK_API_URL": "http://127.0.0.1:9/api/",
    }
    code, err = run_until_listening(env)
    assert code == 2 and "leakbot db upgrade" in err and "Traceback" not in err, err
    assert err.count("\n") == 1

    migrate.upgrade(env["DATABASE_URL"], "0003")  # an older revision: leakbot upgraded, the database not
    code, err = run_until_listening(env)
    assert code == 2 and "0003" in err and "leakbot db upgrade" in err and err.count("\n") == 1, err


@pytest.mark.skipif(not POSTGRES_URL, reason="needs LEAKBOT_TEST_POSTGRES_URL")
@pytest.mark.slow
def test_replicas_upgrading_at_once_create_the_schema_once(tmp_path) -> None:
    """Several `leakbot db upgrade` at the same moment on one new PostgreSQL database (replicas starting
    together, each running the image's command): all succeed, one creates the schema, the others find it."""

    async def tables(url: str) -> int:
        engine = create_engine(url)
        async with engine.connect() as conn:
            await migrate.check_schema(engine)
            count = await conn.scalar(
                text("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
            )
        await engine.dispose()
        return int(count or 0)

    with postgres_database("leakbot_race") as url:
        env = base_env(tmp_path) | {"DATABASE_URL": url}
        replicas = [
            subprocess.Popen(
                leakbot_argv(["db", "upgrade"]),
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(4)
        ]
        results = [(p.wait(timeout=180), p.stdout.read(), p.stderr.read()) for p in replicas]  # type: ignore[union-attr]
        assert [code for code, _, _ in results] == [0] * 4, results
        outs = [out for _, out, _ in results]
        assert sum("created the leakbot schema" in out for out in outs) == 1, outs
        assert sum("already up to date" in out for out in outs) == 3, outs
        # leakbot's tables and alembic_version, each made once
        assert asyncio.run(tables(url)) == len(Base.metadata.tables) + 1
