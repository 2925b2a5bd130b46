"""Retention and who read what from the command line (issue 21), on both engines: `leakbot incidents purge
--dry-run` shows what would go and changes nothing, a legal hold set with `leakbot incidents hold` blocks the
purge, the purge leaves `leakbot audit verify` passing; `incidents show`, `export` and `calendar` are recorded
with who and when, and `leakbot audit list --reads` lists them."""

from __future__ import annotations

import asyncio
import getpass
import json
from datetime import UTC, datetime

import pytest

from bot.bootstrap import build_core
from bot.clock import FakeClock
from bot.config.org import parse_org_config
from bot.config.settings import CoreSettings
from bot.services.ports import OPERATOR
from tests.conftest import ORG_YAML
from tests.test_cli_store import run
from tests.test_filed_documents import COMMANDER, LEGAL, opened

SECRET = "会員の田中一郎様の住所を別の会員へ送付"
ORG = ORG_YAML + "retention: {days: 30}\n"
LONG_AGO = datetime(2025, 1, 6, 1, 0, tzinfo=UTC)  # closed then: its 30 days are long past


@pytest.fixture
def configured(clean_database, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", clean_database)
    monkeypatch.setenv("LEAKBOT_CONFIG_YAML", ORG)
    for name in ("LEAKBOT_CONFIG", "LEAKBOT_PLAYBOOKS_DIR"):
        monkeypatch.delenv(name, raising=False)
    return clean_database


def closed_long_ago(database_url: str) -> str:
    async def make() -> str:
        clock = FakeClock(LONG_AGO)
        core = build_core(
            CoreSettings(DATABASE_URL=database_url), clock=clock, org=parse_org_config(ORG, "org.yaml")
        )
        try:
            ref = await opened(core, clock, persons=1500)
            await core.incidents.update_facts(ref, {"summary": SECRET}, LEGAL)
            await core.incidents.close(ref, COMMANDER)
            return ref
        finally:
            await core.close()

    return asyncio.run(make())


def summary_of(ref: str, capsys) -> str:
    code, out, err = run(["incidents", "show", ref, "--json"], capsys)
    assert code == 0, err
    return json.loads(out)["facts"]["summary"]


def test_dry_run_then_a_hold_then_the_purge_and_the_chain_still_verifies(configured, capsys) -> None:
    ref = closed_long_ago(configured)

    code, out, _ = run(["incidents", "purge", "--dry-run"], capsys)
    assert code == 0 and ref in out and "would erase facts 1" in out and "1 would be purged, 0 held" in out
    assert summary_of(ref, capsys) == SECRET, "a dry run erases nothing"

    code, out, _ = run(["incidents", "hold", ref, "--reason", "訴訟対応のため保全"], capsys)
    assert code == 0 and out.strip() == f"{ref}: under legal hold"
    code, out, _ = run(["incidents", "purge"], capsys)
    assert code == 0 and "held (legal hold): nothing erased" in out and "0 purged, 1 held" in out
    assert summary_of(ref, capsys) == SECRET

    code, out, _ = run(["incidents", "hold", ref, "--release"], capsys)
    assert out.strip() == f"{ref}: not under legal hold"
    code, out, _ = run(["incidents", "purge", "--json"], capsys)
    [item] = json.loads(out)
    assert item["reference"] == ref and item["purged"] and item["erased"]["facts"] == 1
    assert summary_of(ref, capsys) == ""
    code, out, _ = run(["audit", "verify", ref], capsys)
    assert code == 0 and "audit trail intact" in out
    code, out, _ = run(["incidents", "show", ref], capsys)
    assert "purged: " in out and "closed: " in out
    code, out, _ = run(["audit", "list", ref], capsys)
    assert "legal_hold_set" in out and "legal_hold_released" in out and "purged" in out
    assert "訴訟対応" not in out, "a reason shows only as its sealed digest"
    code, _, err = run(["incidents", "export", ref, "-o", "unused"], capsys)
    assert code == 1 and "purged" in err and err.count("\n") == 1
    code, out, _ = run(["incidents", "purge"], capsys)
    assert out.strip() == "nothing is due for purging"


def test_every_read_is_listed_with_who_and_when(configured, capsys, tmp_path) -> None:
    ref = closed_long_ago(configured)
    code, out, _ = run(["audit", "list", ref, "--reads"], capsys)
    assert code == 0 and out.strip() == f"{ref}: nobody read it yet"

    assert run(["incidents", "show", ref], capsys)[0] == 0
    assert run(["incidents", "export", ref, "-o", str(tmp_path / "out")], capsys)[0] == 0
    assert run(["incidents", "calendar", ref, "-o", str(tmp_path / "x.ics")], capsys)[0] == 0
    assert run(["incidents", "list"], capsys)[0] == 0  # a list shows no incident's content: not a read

    code, out, _ = run(["audit", "list", ref, "--reads", "--json"], capsys)
    reads = json.loads(out)
    who = f"cli:{getpass.getuser()}"
    assert [(r["actor"], r["details"]["what"]) for r in reads] == [
        (who, "show"),
        (who, "export"),
        (who, "calendar"),
    ]
    assert all(datetime.fromisoformat(r["at"]) > LONG_AGO for r in reads)
    timeline = (tmp_path / "out" / "timeline.md").read_text(encoding="utf-8")
    assert "read" not in timeline.lower(), "who read it is not part of what happened"


async def test_app_home_records_a_read_of_each_incident_shown(app) -> None:
    from tests.test_slack_e2e import opened as reported

    await reported(app)
    await app.driver.event({"type": "app_home_opened", "user": "ULEGAL", "channel": "DHOME", "tab": "home"})
    await app.eventually(lambda: app.slack.home_views["ULEGAL"])
    reads = [e for e in await app.core.incidents.audit_trail("LEAK-2026-0001") if e.action == "read"]
    assert [(e.actor, e.details["what"]) for e in reads] == [("slack:ULEGAL", "home")]
    assert (await app.core.incidents.verify_audit("LEAK-2026-0001")).ok
    assert (await app.core.incidents.get("LEAK-2026-0001", OPERATOR)).refusals == 0
