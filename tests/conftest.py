"""Shared fixtures: every database test runs on SQLite, and again on PostgreSQL when
LEAKBOT_TEST_POSTGRES_URL is set (CI sets it to the machine's server)."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.fakes.slack_harness import SlackHarness
from adapters.fakes.teams_harness import TeamsHarness
from bot.bootstrap import Core, build_core
from bot.clock import FakeClock
from bot.config.org import OrgConfig, parse_org_config
from bot.config.settings import CoreSettings
from bot.storage import migrate
from bot.storage.db import create_engine
from bot.storage.tables import Base

# Every test runs encrypted (issue 21): the app, the command line and the subprocesses that inherit the
# environment store the free text under this key. Tests that need another key or none set their own.
TEST_DATA_KEY = "dGVzdC1rZXktbGVha2JvdC0zMi1ieXRlcy1sb25nLSE"
os.environ["LEAKBOT_DATA_KEY"] = TEST_DATA_KEY
for _name in ("LEAKBOT_DATA_KEY_FILE", "LEAKBOT_DATA_KEY_PREVIOUS", "LEAKBOT_DEV_INSECURE"):
    os.environ.pop(_name, None)

POSTGRES_URL = os.environ.get("LEAKBOT_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])
DATA = Path(__file__).parent / "data"

ORG_YAML = """
organization: {name: テスト株式会社, entity: business, sector: general}
roles:
  commander: [UCOMMANDER]
  it: [UIT]
  support: [USUPPORT]
  pr: [UPR]
  legal: [ULEGAL, legal@example.co.jp]
  executives: [UEXEC]
"""


# The slow end-to-end tests (a real `leakbot serve` killed with SIGKILL, the wheel built and installed, a fresh
# clone, the demos, Microsoft's card renderer, the Graph fault matrix): CI runs them (.ci/run sets this); the
# README's `uv run pytest` skips them, visibly, so it stays a few minutes on two cores.
SLOW = os.environ.get("LEAKBOT_SLOW_TESTS") == "1"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: a slow end-to-end test, run when LEAKBOT_SLOW_TESTS=1 (CI does)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if SLOW:
        return
    skip = pytest.mark.skip(reason="slow end-to-end test: set LEAKBOT_SLOW_TESTS=1 to run it (CI does)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Say which official specs the fakes validate against, and which validations are skipped (a fresh clone
    without ../shared): the run stays green, and the header and the warnings summary show what was not checked."""
    from adapters.fakes import specs

    lines = []
    for name in (specs.SLACK_WEB, specs.SLACK_EVENTS, specs.ADAPTIVE_CARD):
        path = specs.spec_path(name)
        lines.append(
            f"  {name}: {path}" if path else f"  {name}: NOT FOUND, validation against it is skipped"
        )
    where = ", ".join(dict.fromkeys(str(c) for c in specs.candidates()))
    slow = "run" if SLOW else "skipped (LEAKBOT_SLOW_TESTS=1 runs them; CI does)"
    return [f"official specs (looked in {where}):", *lines, f"slow end-to-end tests: {slow}"]


@pytest.fixture(autouse=True)
def _fast_living_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Living messages may be updated 20 times a second instead of about once (the platforms' pace, which
    bench/journey.py measures): the coalescing is the same, the suite does not wait for real seconds."""
    monkeypatch.setenv("LEAKBOT_UPDATES_PER_SECOND", "20")


@pytest.fixture(scope="session")
def scenarios():
    """The shipped drill scenarios, by id."""
    from bot.drills import DEFAULT_SCENARIOS_DIR, load_scenarios

    return load_scenarios(DEFAULT_SCENARIOS_DIR)


@pytest.fixture
def org() -> OrgConfig:
    return parse_org_config(ORG_YAML, "test-org.yaml")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate.upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@contextmanager
def postgres_database(prefix: str) -> Iterator[str]:
    """A database of its own on the server LEAKBOT_TEST_POSTGRES_URL names, dropped afterwards: parallel
    runs and xdist workers never share tables."""
    assert POSTGRES_URL
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"

    async def admin(statement: str) -> None:
        engine = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        async with engine.connect() as conn:
            await conn.execute(text(statement))
        await engine.dispose()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def postgres_migrated():
    """This test session's (this worker's) PostgreSQL database, migrated once."""
    with postgres_database("leakbot_test") as url:
        migrate.upgrade(url)
        yield url


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path):
    """A database with no schema at all, on each backend (PostgreSQL: one made for this test and dropped)."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
        return
    with postgres_database("leakbot_empty") as url:
        yield url


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "leakbot.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite+aiosqlite:///{path}"
    url = request.getfixturevalue("postgres_migrated")
    return url


@pytest.fixture
async def clean_database(database_url: str) -> str:
    if database_url.startswith("postgresql"):
        engine = create_engine(database_url)
        tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
        async with engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        await engine.dispose()
    return database_url


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 12, 1, 1, 0, tzinfo=UTC))  # 10:00 JST, Tuesday


@pytest.fixture
async def core(clean_database: str, clock: FakeClock, org: OrgConfig):
    built: Core = build_core(CoreSettings(DATABASE_URL=clean_database), clock=clock, org=org)
    yield built
    await built.close()


@pytest.fixture
async def service(clean_database, clock):
    """The incident service over the small test playbook (tests/data/playbooks/mini)."""
    org = parse_org_config(ORG_YAML + "playbook: mini\n", "org.yaml")
    settings = CoreSettings(DATABASE_URL=clean_database, LEAKBOT_PLAYBOOKS_DIR=str(DATA / "playbooks"))
    core = build_core(settings, clock=clock, org=org)
    yield core.incidents
    await core.close()


# --- the Slack app over HTTP against the fake workspace (end-to-end tests) ---------------------------

SLACK_ORG = """
organization: {name: テスト株式会社}
channels: {prefix: leak, invite_reporter: true}
roles:
  commander: [UCOMMANDER]
  it: [UIT]
  support: [USUPPORT]
  pr: [UPR]
  legal: [legal@example.co.jp]
  executives: [UEXEC]
"""
PEOPLE = {
    "UCOMMANDER": "commander@example.co.jp",
    "UIT": "it@example.co.jp",
    "USUPPORT": "support@example.co.jp",
    "UPR": "pr@example.co.jp",
    "ULEGAL": "legal@example.co.jp",
    "UEXEC": "ceo@example.co.jp",
    "UREPORTER": "reporter@example.co.jp",
    "UOUTSIDER": "outsider@example.co.jp",
}


@pytest.fixture
async def app(clean_database, clock):
    harness = SlackHarness(clean_database, parse_org_config(SLACK_ORG, "org.yaml"), clock)
    async with harness:
        for user, email in PEOPLE.items():
            harness.slack.add_user(user, email, locale="en-US" if user == "UPR" else "ja-JP")
        yield harness
        assert harness.slack.violations == [], "every call matched Slack's spec and Block Kit"


# --- the Teams endpoint over HTTP against the fake connector (end-to-end tests) -------------------------

TEAMS_ORG = """
organization: {name: テスト株式会社}
roles:
  commander: ["29:commander"]
  it: ["29:it"]
  support: ["29:support"]
  legal: ["29:legal", legal@example.co.jp]
  executives: ["29:exec"]
"""


@pytest.fixture
async def teams(clean_database, clock):
    async with TeamsHarness(clean_database, parse_org_config(TEAMS_ORG, "org.yaml"), clock) as harness:
        yield harness
        assert harness.connector.violations == [], "every card matched the Adaptive Card 1.5 schema"
