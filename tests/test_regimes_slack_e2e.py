"""Issue 20 in the channel, end to end over HTTP on Slack: an incident whose affected people live in the EU and
in Korea shows both laws' 72-hour clocks beside Japan's (JST and the authority's own time, hours under a day),
pings the channel and the executives before the EU's 72 h, and exports the GDPR notification with the DPO and,
once late, the reasons-for-delay line."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest

from adapters.fakes.slack_harness import SlackHarness
from bot.config.org import parse_org_config
from bot.services.ports import OPERATOR
from tests.conftest import PEOPLE, SLACK_ORG
from tests.test_cli_store import run
from tests.test_slack_drafts_e2e import edit_facts
from tests.test_slack_e2e import opened
from tests.test_slack_reminders_e2e import dm_channel

REF = "LEAK-2026-0001"
REGIMES_ORG = (
    SLACK_ORG
    + """
regimes:
  eu:
    representative: EU Representative GmbH, Berlin
    dpo: {name: Hanako Sato (DPO), email: dpo@example.co.jp}
"""
)


@pytest.fixture
async def eu_app(clean_database, clock):
    harness = SlackHarness(clean_database, parse_org_config(REGIMES_ORG, "org.yaml"), clock)
    async with harness:
        for user, email in PEOPLE.items():
            harness.slack.add_user(user, email, locale="en-US" if user == "UPR" else "ja-JP")
        yield harness
        assert harness.slack.violations == [], "every call matched Slack's spec and Block Kit"


def summary_text(app, channel_id: str) -> str:
    return json.dumps(app.slack.latest(channel_id, "個人データ漏えい対応"), ensure_ascii=False)


async def test_the_report_form_asks_where_the_people_live_japan_by_default(eu_app) -> None:
    _, _, view = await eu_app.report("UREPORTER", "x", {"summary": "x"})
    block = next(b for b in view["blocks"] if b.get("block_id") == "jurisdictions")
    assert block["element"]["type"] == "multi_static_select"
    assert [o["value"] for o in block["element"]["options"]] == ["JP", "EU", "UK", "KR", "SG", "AU", "TH"]
    assert [o["value"] for o in block["element"]["initial_options"]] == ["JP"]
    assert any(b.get("block_id") == "establishments" for b in view["blocks"])


async def test_eu_and_kr_clocks_side_by_side_a_ping_before_72_hours_and_the_gdpr_notification(
    eu_app, clock, monkeypatch, capsys, tmp_path, clean_database
) -> None:
    app = eu_app
    channel = await opened(app, persons="1500", jurisdictions=["JP", "EU", "KR"])
    view = await app.core.incidents.get(REF, OPERATOR)
    assert view.facts.jurisdictions == ("JP", "EU", "KR")
    text = summary_text(app, channel.id)
    # Both laws' clocks, in JST and in the authority's time, 72 hours from awareness (Tue 10:00 JST).
    assert "EU 監督機関への通知: 2026年12月4日(金) 10:00（現地 12月4日(金) 02:00 Europe/Brussels）" in text
    assert "KR 監督機関への通知: 2026年12月4日(金) 10:00" in text and "KR 本人への通知" in text
    assert "あと3日（72時間）" in text
    assert "確報" in text, "Japan's deadlines stay beside them"
    assert "EU一般データ保護規則（GDPR）: 判定中" in text and "リスクをもたらすおそれがありますか" in text
    assert "韓国 個人情報保護法（PIPA）: 報告対象です" in text

    reminders = app.core.reminder_service({"slack": app.notifier()}, "test")
    await reminders.sweep()  # the clocks started: said at once
    clock.advance(timedelta(hours=24))
    await reminders.sweep()
    clock.advance(timedelta(hours=24))  # 48 h after awareness: 24 h before the EU's 72 h
    before = len(app.slack.messages[dm_channel(app, "UEXEC")])
    await reminders.sweep()
    pings = [m["text"] for m in app.slack.messages[dm_channel(app, "UEXEC")][before:]]
    pinged = json.dumps(app.slack.messages[dm_channel(app, "UEXEC")][before:], ensure_ascii=False)
    assert pings and "EU 監督機関への通知" in pinged and "あと1日（24時間）" in pinged, pings
    said = json.dumps(app.slack.latest(channel.id, "⏰"), ensure_ascii=False)
    assert "EU 監督機関への通知" in said and "期限が近づいています" in said, "the channel hears it too"

    clock.advance(timedelta(hours=6))  # 18 hours left: the summary counts in hours
    await edit_facts(app, channel.id, persons="1500", jurisdictions=["JP", "EU", "KR"], risk="yes")
    view = await app.core.incidents.get(REF, OPERATOR)
    assert next(r for r in view.regimes if r.code == "EU").reportable is True, "the team's answer decides"
    await app.eventually(lambda: "GDPR）: 報告対象です" in summary_text(app, channel.id))
    assert summary_text(app, channel.id).count("あと18時間") >= 3, "EU and KR's clocks, in hours"

    # Past the 72 hours, the export's GDPR notification asks for the reasons for the delay.
    clock.advance(timedelta(hours=24))
    monkeypatch.setattr("bot.clock.SystemClock.now", lambda self: clock.now())
    monkeypatch.setenv("DATABASE_URL", clean_database)
    monkeypatch.setenv("LEAKBOT_CONFIG_YAML", REGIMES_ORG)
    monkeypatch.delenv("LEAKBOT_CONFIG", raising=False)
    out = tmp_path / "bundle"
    code, _, err = await asyncio.to_thread(run, ["incidents", "export", REF, "-o", str(out)], capsys)
    assert code == 0, err
    notification = (out / "eu-notification.md").read_text(encoding="utf-8")
    assert (
        "Notification of a personal data breach to the supervisory authority (GDPR Art. 33)" in notification
    )
    assert "Drafted in English" in notification
    assert "Hanako Sato (DPO)" in notification and "dpo@example.co.jp" in notification
    assert "EU Representative GmbH, Berlin" in notification
    assert "Approximate number of people" in notification and "1,500" in notification
    assert (
        "after the 72-hour deadline" in notification
        and "TO FILL IN: the reasons for the delay" in notification
    )
    assert "Notifiable (Art. 33(1))" in notification
    assert (out / "breach-register.md").exists() and (out / "eu-communication.md").exists()
    calendar = (out / "deadlines.ics").read_text(encoding="utf-8")
    for key in ("regime:EU:authority", "regime:KR:authority", "regime:KR:individuals", "final"):
        assert f"{REF}-{key}@leakbot" in calendar.replace("\r\n ", ""), key


async def test_the_facts_form_asks_the_judgements_of_the_incidents_laws(eu_app) -> None:
    channel = await opened(eu_app, jurisdictions=["JP", "EU", "SG"], establishments=["EU"])
    summary = eu_app.slack.latest(channel.id, "個人データ漏えい対応")
    await eu_app.driver.click("ULEGAL", summary, channel.id, "summary:facts")
    modal = await eu_app.eventually(
        lambda: next(v for v in reversed(eu_app.slack.opened_views) if v["callback_id"] == "leak_facts")
    )
    blocks = {b.get("block_id"): b for b in modal["blocks"]}
    assert [o["value"] for o in blocks["jurisdictions"]["element"]["initial_options"]] == ["JP", "EU", "SG"]
    assert [o["value"] for o in blocks["establishments"]["element"]["initial_options"]] == ["EU"]
    for field in ("risk", "high_risk", "significant_harm"):
        assert blocks[field]["element"]["initial_option"]["value"] == "unknown", field
    assert "serious_harm" not in blocks, "Australia's question only when its people are affected"
    assert "EU:" in blocks["risk"]["label"]["text"] and "SG:" in blocks["significant_harm"]["label"]["text"]
    await edit_facts(
        eu_app, channel.id, jurisdictions=["JP", "EU", "SG"], establishments=["EU"], high_risk="no"
    )
    facts = (await eu_app.core.incidents.get(REF, OPERATOR)).facts
    assert facts.high_risk is False and facts.risk is None and facts.establishments == ("EU",)
