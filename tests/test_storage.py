"""Migrations build the schema from empty with no drift; references; the audit chain detects tampering."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import select, text, update

from adapters.cli.main import main
from bot.domain.facts import Facts
from bot.services.incidents import ReportRequest
from bot.storage import migrate
from bot.storage.db import create_engine, session_factory
from bot.storage.tables import AuditEvent, Incident


def test_migrations_have_no_drift(database_url: str) -> None:
    """The database was built from empty by the migrations; `alembic check` compares it with the models."""
    command.check(migrate.alembic_config(database_url))


def test_migrations_from_empty_sqlite(tmp_path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    migrate.upgrade(url)

    async def tables() -> set[str]:
        engine = create_engine(url)
        async with engine.connect() as conn:
            rows = await conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
            names = {r[0] for r in rows}
        await engine.dispose()
        return names

    assert {"incidents", "members", "step_states", "deadlines", "reminders", "audit_events"} <= asyncio.run(
        tables()
    )


def report(clock, **facts) -> ReportRequest:
    return ReportRequest(
        platform="slack",
        reporter_id="UREPORTER",
        reporter_lang="ja",
        aware_at=clock.now(),
        facts=Facts(summary="顧客リストを誤送信", **facts),
    )


async def test_references_are_numbered_per_year(core, clock) -> None:
    first = await core.incidents.report(report(clock))
    second = await core.incidents.report(report(clock))
    clock.advance(timedelta(days=40))  # into 2027
    third = await core.incidents.report(report(clock))
    assert [o.incident.reference for o in (first, second, third)] == [
        "LEAK-2026-0001",
        "LEAK-2026-0002",
        "LEAK-2027-0001",
    ]


async def test_concurrent_reports_get_distinct_references(core, clock) -> None:
    outcomes = await asyncio.gather(*(core.incidents.report(report(clock)) for _ in range(8)))
    references = sorted(o.incident.reference for o in outcomes)
    assert references == [f"LEAK-2026-{n:04d}" for n in range(1, 9)]


async def test_audit_chain_verifies_and_detects_a_modified_row(core, clock) -> None:
    outcome = await core.incidents.report(report(clock, persons=10))
    ref = outcome.incident.reference
    await core.incidents.update_facts(ref, {"persons": 2000}, actor=_cli())
    verdict = await core.incidents.verify_audit(ref)
    assert verdict.ok and verdict.events >= 3

    sessions = session_factory(core.engine)
    async with sessions() as session, session.begin():
        event = await session.scalar(select(AuditEvent).order_by(AuditEvent.seq).limit(1))
        event.details = {**event.details, "cause": "tampered"}
    verdict = await core.incidents.verify_audit(ref)
    assert not verdict.ok and "event 1 was modified" in (verdict.problem or "")


async def test_audit_chain_detects_removed_newest_events(core, clock) -> None:
    ref = (await core.incidents.report(report(clock))).incident.reference
    await core.incidents.update_facts(ref, {"persons": 5}, actor=_cli())
    sessions = session_factory(core.engine)
    async with sessions() as session, session.begin():
        newest = await session.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
        await session.delete(newest)
    verdict = await core.incidents.verify_audit(ref)
    assert not verdict.ok


def _cli():
    from bot.services.ports import Actor

    return Actor("cli", "admin")


@pytest.fixture
def cli_env(monkeypatch, clean_database, tmp_path):
    config = tmp_path / "org.yaml"
    from tests.conftest import ORG_YAML

    config.write_text(ORG_YAML, encoding="utf-8")
    monkeypatch.setenv("DATABASE_URL", clean_database)
    monkeypatch.setenv("LEAKBOT_CONFIG", str(config))
    return clean_database


def test_cli_audit_verify_fails_after_tampering(cli_env, org, clock, capsys) -> None:
    from bot.bootstrap import build_core
    from bot.config.settings import CoreSettings

    async def seed() -> str:
        core = build_core(CoreSettings(DATABASE_URL=cli_env), clock=clock, org=org)
        ref = (await core.incidents.report(report(clock, persons=1500))).incident.reference
        await core.close()
        return ref

    ref = asyncio.run(seed())
    with pytest.raises(SystemExit) as ok:
        main(["audit", "verify", ref])
    assert ok.value.code == 0 and "intact" in capsys.readouterr().out

    async def tamper() -> None:
        engine = create_engine(cli_env)
        async with engine.begin() as conn:
            await conn.execute(update(AuditEvent).values(actor="slack:UMALLORY"))
        await engine.dispose()

    asyncio.run(tamper())
    with pytest.raises(SystemExit) as broken:
        main(["audit", "verify", ref])
    assert broken.value.code == 1 and "modified" in capsys.readouterr().err

    with pytest.raises(SystemExit) as listed:
        main(["incidents", "list", "--json"])
    import json

    assert listed.value.code == 0 and [i["reference"] for i in json.loads(capsys.readouterr().out)] == [ref]
    with pytest.raises(SystemExit) as shown:
        main(["incidents", "show", ref, "--json"])
    import json

    payload = json.loads(capsys.readouterr().out)
    assert shown.value.code == 0
    assert payload["assessment"]["grounds"] == ["headcount"]
    assert {d["key"] for d in payload["deadlines"]} >= {"preliminary", "final"}
    assert payload["steps"] and all(s["state"] == "todo" for s in payload["steps"])


async def test_incident_rows_keep_time_zones(core, clock) -> None:
    ref = (await core.incidents.report(report(clock))).incident.reference
    sessions = session_factory(core.engine)
    async with sessions() as session:
        row = await session.scalar(select(Incident).where(Incident.reference == ref))
    assert row.aware_at == clock.now()
    assert row.aware_at.tzinfo is not None


def test_cli_calendar_writes_the_legal_deadlines(cli_env, org, clock, tmp_path, capsys) -> None:
    from icalendar import Calendar

    from bot.bootstrap import build_core
    from bot.config.settings import CoreSettings

    async def seed() -> str:
        core = build_core(CoreSettings(DATABASE_URL=cli_env), clock=clock, org=org)
        ref = (await core.incidents.report(report(clock, persons=1500))).incident.reference
        await core.close()
        return ref

    ref = asyncio.run(seed())
    target = tmp_path / "deadlines.ics"
    with pytest.raises(SystemExit) as done:
        main(["incidents", "calendar", ref, "-o", str(target)])
    assert done.value.code == 0
    events = [c for c in Calendar.from_ical(target.read_bytes()).walk("VEVENT")]
    summaries = sorted(str(e["summary"]) for e in events)
    assert summaries == [f"{ref} 確報", f"{ref} 速報（目安）"]
    final = next(e for e in events if "確報" in str(e["summary"]))
    assert final.decoded("dtend").isoformat() == "2027-01-04T23:59:59+09:00"


def test_cli_show_lists_undelivered_reminders_and_refused_attempts(cli_env, org, clock, capsys) -> None:
    """What the commander must know and the chat could not tell: pings given up, attempts refused."""
    from datetime import timedelta

    from bot.bootstrap import build_core
    from bot.config.settings import CoreSettings
    from bot.playbook.engine import StepStatus
    from bot.services.errors import NotAllowedError
    from bot.services.ports import Actor

    class Down:
        async def deliver(self, delivery) -> None:
            raise ConnectionError("slack is down")

        async def alert_failure(self, incident, recipient, error) -> None:
            raise ConnectionError("slack is down")

    async def seed() -> str:
        core = build_core(CoreSettings(DATABASE_URL=cli_env), clock=clock, org=org)
        ref = (await core.incidents.report(report(clock, persons=1500))).incident.reference
        try:
            await core.incidents.set_step(
                ref, "report_to_superior", StepStatus.DONE, Actor("slack", "UMALLORY")
            )
        except NotAllowedError:
            pass
        reminders = core.reminder_service({"slack": Down()}, "test")
        for _ in range(org.reminders.max_attempts):
            await reminders.sweep()
            clock.advance(timedelta(hours=2))
        await core.close()
        return ref

    ref = asyncio.run(seed())
    with pytest.raises(SystemExit) as shown:
        main(["incidents", "show", ref])
    out = capsys.readouterr().out
    assert shown.value.code == 0
    assert "reminders that could not be delivered:" in out and "preliminary/opened -> channel" in out
    assert "refused attempts: 1" in out and "slack:UMALLORY" in out and "not_a_member" in out
