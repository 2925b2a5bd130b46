"""`leakbot incidents import FILE` (issue 18): an incident reported outside chat (by phone, by e-mail, from a
customer or a vendor) registered from a YAML or JSON file, on SQLite and PostgreSQL. Validated as the report
form is, each wrong field on a line of its own and nothing saved; audited as the operator's; provisioned by the
running server like a /leak report, its channel told where the report came from."""

from __future__ import annotations

import asyncio
import json
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from adapters.cli.main import main
from bot.appi.deadlines import JST
from bot.domain.facts import SUMMARY_MAX
from bot.services.ports import OPERATOR
from bot.storage.db import create_engine, session_factory
from bot.storage.tables import AuditEvent, Incident, Provisioning, Reminder
from tests.conftest import ORG_YAML
from tests.test_crash_resume import Server, slack, until  # noqa: F401 (slack: its fake Slack fixture)
from tests.test_serve import leakbot

CALLER = "顧客からの電話（カスタマーサポート経由）山田様"
TITLE = "会員情報の誤送信"


def good_report(**changes: object) -> dict:
    """A report as a support desk would write it down; aware_at: yesterday (the real clock: the CLI's)."""
    aware = (datetime.now(JST) - timedelta(days=1)).replace(microsecond=0)
    report = {
        "aware_at": aware.isoformat(),
        "source": "phone",
        "reported_by": CALLER,
        "title": TITLE,
        "platform": "slack",
        "facts": {
            "summary": "会員Aさんあてのメールに、別の会員Bさんの氏名と住所が記載されていた",
            "cause": "misdelivery",
            "data_items": ["name", "email", "phone"],
            "persons": 1200,
            "confirmed": True,
        },
    }
    return report | changes


def write(tmp_path: Path, report: object, name: str = "report.yaml") -> Path:
    path = tmp_path / name
    if name.endswith(".json"):
        path.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(report, allow_unicode=True), encoding="utf-8")
    return path


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    out, err = capsys.readouterr()
    return exited.value.code, out, err


@pytest.fixture
def cli(clean_database, tmp_path, monkeypatch):
    """The command line as an administrator runs it: the database and the org config, no chat credentials."""
    config = tmp_path / "org.yaml"
    config.write_text(ORG_YAML, encoding="utf-8")
    for name in ("LEAKBOT_CONFIG_YAML", "LEAKBOT_PLAYBOOKS_DIR", "SLACK_BOT_TOKEN", "MICROSOFT_APP_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("LEAKBOT_TEAMS_DEV_MODE", raising=False)
    monkeypatch.setenv("LEAKBOT_CONFIG", str(config))
    monkeypatch.setenv("DATABASE_URL", clean_database)
    return clean_database


def count_rows(database_url: str, table) -> int:
    async def count() -> int:
        engine = create_engine(database_url)
        try:
            async with session_factory(engine)() as session:
                return await session.scalar(select(func.count()).select_from(table))
        finally:
            await engine.dispose()

    return asyncio.run(count())


def audit_details(database_url: str) -> list[tuple[str, str, dict]]:
    async def read() -> list[tuple[str, str, dict]]:
        engine = create_engine(database_url)
        try:
            async with session_factory(engine)() as session:
                rows = await session.scalars(select(AuditEvent).order_by(AuditEvent.id))
                return [(row.actor, row.action, row.details) for row in rows]
        finally:
            await engine.dispose()

    return asyncio.run(read())


def test_a_good_file_prints_a_reference_and_show_shows_it(cli, tmp_path, capsys) -> None:
    report = good_report()
    code, out, err = run(["incidents", "import", str(write(tmp_path, report))], capsys)
    assert code == 0, err
    reference = out.strip()
    assert reference.startswith("LEAK-") and out.count("\n") == 1 and err == ""

    code, out, err = run(["incidents", "show", reference, "--json"], capsys)
    assert code == 0, err
    shown = json.loads(out)
    assert datetime.fromisoformat(shown["aware_at"]) == datetime.fromisoformat(report["aware_at"])
    assert {k: shown["facts"][k] for k in report["facts"]} == report["facts"]
    assert shown["origin"] == {"source": "phone", "reported_by": CALLER, "title": TITLE}
    assert shown["platform"] == "slack" and shown["assessment"]["reportable"] is True  # 1,200 > 1,000
    assert [d["kind"] for d in shown["deadlines"] if d["kind"] in ("preliminary", "final")]
    assert shown["members"] == [], "the caller is no chat user: not a member"

    code, out, _ = run(["incidents", "show", reference], capsys)
    assert code == 0 and "imported: source=phone" in out and TITLE in out

    (actor, action, details), *_ = audit_details(cli)
    assert (actor, action) == ("cli:import", "reported") and details["imported"] == {"source": "phone"}
    trail = json.dumps(audit_details(cli), ensure_ascii=False)
    assert "山田" not in trail and TITLE not in trail and "会員Aさん" not in trail, "no free text audited"
    code, out, _ = run(["audit", "verify", reference], capsys)
    assert code == 0 and "intact" in out


def test_the_facts_take_what_show_prints(cli, tmp_path, capsys) -> None:
    """The `facts:` of the file are the names and values `incidents show --json` prints under facts: what one
    incident shows can be imported as another, every field of the Facts model included."""
    code, out, _ = run(["incidents", "import", str(write(tmp_path, good_report())), "--json"], capsys)
    first = json.loads(out)["reference"]
    code, out, _ = run(["incidents", "show", first, "--json"], capsys)
    facts = json.loads(out)["facts"]
    again = good_report(id="the-same-facts", facts=facts)
    code, out, err = run(["incidents", "import", str(write(tmp_path, again, "again.json")), "--json"], capsys)
    assert code == 0, err
    second = json.loads(out)["reference"]
    assert second != first
    code, out, _ = run(["incidents", "show", second, "--json"], capsys)
    assert json.loads(out)["facts"] == facts


def test_json_prints_the_reference_and_nothing_else(cli, tmp_path, capsys) -> None:
    code, out, err = run(["incidents", "import", str(write(tmp_path, good_report())), "--json"], capsys)
    assert code == 0 and err == ""
    assert out.count("\n") == 1
    reference = json.loads(out)
    assert list(reference) == ["reference"] and reference["reference"].startswith("LEAK-")


TOO_LONG = "あ" * (SUMMARY_MAX + 1)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"aware_at": "2026-11-30T10:00:00"}, "aware_at"),  # no UTC offset
        ({"aware_at": "2999-01-01T10:00:00+09:00"}, "aware_at"),  # in the future
        ({"aware_at": "1999-12-31T10:00:00+09:00"}, "aware_at"),  # before 2000: a typo
        ({"surprise": 1}, "surprise"),
        ({"source": "carrier pigeon"}, "source"),
        ({"platform": "discord"}, "platform"),
        ({"title": "x" * 201}, "title"),
        ({"facts": {"summary": "x", "nonsense": True}}, "facts.nonsense"),
        ({"facts": {"summary": ""}}, "facts.summary"),
        ({"facts": {"summary": TOO_LONG}}, "facts.summary"),
        ({"facts": {"summary": "x", "cause": "aliens"}}, "facts.cause"),
        ({"facts": {"summary": "x", "data_items": ["name", "shoe_size"]}}, "facts.data_items.1"),
        ({"facts": {"summary": "x", "persons": -1}}, "facts.persons"),
        ({"facts": {"summary": "x", "persons": 2_000_000_000}}, "facts.persons"),  # the form's limit
        ({"facts": {"summary": "x", "persons": 10, "persons_upper_bound": 5}}, "facts.persons_upper_bound"),
        ({"facts": {"summary": "x", "occurred_at": "2026-11-30T10:00:00"}}, "facts.occurred_at"),
    ],
)
def test_a_wrong_field_is_named_and_nothing_is_saved(cli, tmp_path, capsys, change, field) -> None:
    before = count_rows(cli, Incident)
    code, out, err = run(["incidents", "import", str(write(tmp_path, good_report(**change)))], capsys)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert any(line.startswith(f"leakbot: error: {field}: ") for line in lines), err
    assert lines[-1].endswith("nothing was saved") and "Traceback" not in err
    assert count_rows(cli, Incident) == before


def test_every_wrong_field_on_a_line_of_its_own(cli, tmp_path, capsys) -> None:
    report = {
        "aware_at": "2999-01-01T10:00:00+09:00",
        "platform": "slack",
        "facts": {"summary": "", "persons": 10**10},
    }
    code, _, err = run(["incidents", "import", str(write(tmp_path, report))], capsys)
    assert code == 2
    named = [line.split(": ")[2] for line in err.splitlines()[:-1]]
    assert named == ["aware_at", "facts.summary", "facts.persons"], err
    assert "3 fields to fix" in err.splitlines()[-1]


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("list.yaml", "- aware_at: 2026-11-30T10:00:00+09:00\n- facts: {}\n", "got a list"),
        ("list.json", '[{"aware_at": "2026-11-30T10:00:00+09:00"}]', "got a list"),
        ("broken.yaml", "aware_at: [2026\nfacts: {summary: x\n", "not YAML or JSON"),
        ("broken.json", '{"aware_at": ', "not JSON"),
        ("words.txt", "電話がありました\n", "got a single value"),
        ("empty.yaml", "", "got nothing"),
        ("binary.yaml", b"\x89PNG\r\n\x1a\n\x00\xff\xfe", "not YAML or JSON"),
    ],
)
def test_a_file_that_is_not_a_report_gets_one_line(cli, tmp_path, capsys, name, content, says) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    code, out, err = run(["incidents", "import", str(path)], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and name in err and says in err, err
    assert count_rows(cli, Incident) == 0


def test_the_same_file_imported_twice_is_one_incident(cli, tmp_path, capsys) -> None:
    """Without an id, the same content is the same report; with one, the id is (an edited file with the same
    id names the first incident and changes nothing: corrections go through the response channel)."""
    plain = write(tmp_path, good_report(), "plain.yaml")
    code, first, _ = run(["incidents", "import", str(plain)], capsys)
    code, again, err = run(["incidents", "import", str(plain)], capsys)
    assert code == 0 and again == first and "already imported" in err

    keyed = good_report(id="tel-20261130-01")
    code, keyed_ref, _ = run(["incidents", "import", str(write(tmp_path, keyed, "keyed.yaml"))], capsys)
    assert keyed_ref != first, "the id makes it another report"
    edited = keyed | {"title": "件名を直した"}
    code, out, err = run(
        ["incidents", "import", str(write(tmp_path, edited, "edited.yaml")), "--json"], capsys
    )
    assert code == 0 and json.loads(out) == {"reference": keyed_ref.strip()} and "already imported" in err
    assert count_rows(cli, Incident) == 2


def test_the_platform_defaults_to_the_one_the_environment_serves(cli, tmp_path, capsys, monkeypatch) -> None:
    report = good_report()
    del report["platform"]
    path = write(tmp_path, report)
    code, _, err = run(["incidents", "import", str(path)], capsys)
    assert code == 2 and "platform: required" in err, "neither Slack nor Teams configured here: say which"

    monkeypatch.setenv("MICROSOFT_APP_ID", "00000000-0000-0000-0000-000000000001")
    code, out, err = run(["incidents", "import", str(path), "--json"], capsys)
    assert code == 0, err
    code, shown, _ = run(["incidents", "show", json.loads(out)["reference"], "--json"], capsys)
    assert json.loads(shown)["platform"] == "teams"


def test_platform_none_is_recorded_with_no_space_and_no_reminders(cli, tmp_path, capsys) -> None:
    code, out, err = run(["incidents", "import", str(write(tmp_path, good_report(platform="none")))], capsys)
    assert code == 0, err
    code, shown, _ = run(["incidents", "show", out.strip(), "--json"], capsys)
    shown = json.loads(shown)
    assert shown["platform"] == "none" and shown["channel"] == {"id": None, "name": None}
    assert any(d["kind"] == "final" for d in shown["deadlines"]), "its deadlines are counted all the same"
    assert count_rows(cli, Provisioning) == 0 and count_rows(cli, Reminder) == 0


def test_without_an_org_config_nothing_is_imported(cli, tmp_path, capsys, monkeypatch) -> None:
    """Reads need no org config; an import does (the playbook, the thresholds and the reminders are its)."""
    monkeypatch.delenv("LEAKBOT_CONFIG")
    code, _, err = run(["incidents", "import", str(write(tmp_path, good_report()))], capsys)
    assert code == 2 and "LEAKBOT_CONFIG" in err and err.count("\n") == 1
    assert count_rows(cli, Incident) == 0


# --- provisioned by the running server -------------------------------------------------------------------


@pytest.mark.slow
async def test_the_running_server_provisions_an_imported_incident(tmp_path, clean_database, slack) -> None:  # noqa: F811
    """`leakbot serve` runs; `leakbot incidents import`, another process on the same database, saves an
    incident: the server's sweep picks it up, opens the channel, calls the team in and posts the summary, and
    says in the channel that it was imported from a phone call. Nobody is sent a receipt: the caller is no
    chat user."""
    server = Server(tmp_path, clean_database, slack.base_url)
    await server.start()
    try:
        path = write(tmp_path, good_report())
        imported = await asyncio.to_thread(
            lambda: leakbot(
                ["incidents", "import", str(path), "--json"],
                server.env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            ).communicate(timeout=60)
        )
        out, _ = imported
        reference = json.loads(out)["reference"]
        channel = await until(lambda: slack.channel_named("leak-"))
        notice = await until(
            lambda: [m for m in slack.messages[channel.id] if "📥" in json.dumps(m, ensure_ascii=False)]
        )
        said = json.dumps(notice, ensure_ascii=False)
        assert reference in said and "電話" in said and TITLE in said and CALLER in said
        summary = slack.latest(channel.id, "チャット外の報告")
        assert "電話" in json.dumps(summary, ensure_ascii=False)
        assert {"UCOMMANDER", "UIT"} <= channel.members
        assert all(args.get("users") for args in slack.calls_to("conversations.open")), "no DM to nobody"
        assert not [c for c in slack.channels.values() if c.is_im and "" in c.members]
        assert slack.violations == []
    finally:
        server.stop()


async def test_teams_provisions_an_imported_incident_written_by_another_process(teams, tmp_path) -> None:
    """On Teams too: a row written by another core (the command line's) is provisioned by the app's sweep,
    and the thread says the incident was imported (by e-mail) rather than messaging a reporter."""
    from bot.bootstrap import build_core
    from bot.config.settings import CoreSettings
    from bot.services.report_import import parse_import

    other = build_core(CoreSettings(DATABASE_URL=teams.database_url), clock=teams.clock, org=teams.org)
    try:
        report = good_report(platform="teams", source="email", aware_at="2026-11-30T10:00:00+09:00")
        parsed = parse_import(report, teams.clock.now(), None)
        outcome = await other.incidents.report(parsed.request("ja", OPERATOR))
    finally:
        await other.close()
    assert teams.connector.thread() is None, "not this process's report: nothing happened yet"
    assert await teams.core.journey.resume() == 1  # the sweep
    await teams.settle()
    thread = teams.connector.thread()
    assert thread is not None
    texts = " ".join(teams.connector.texts_in(thread)) + json.dumps(
        teams.connector.cards_in(thread), ensure_ascii=False
    )
    assert outcome.incident.reference in texts and "チャット外の報告（メール）" in texts, "the summary"
    assert "📥" in texts and "チャット外で受けた報告（メール）を管理者が取り込んだ" in texts, "the notice"
    personal = [c for c in teams.connector.sent if c.startswith("a:personal")]
    assert personal == [], "nobody was sent a receipt"
