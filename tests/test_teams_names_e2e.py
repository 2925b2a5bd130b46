"""People on Teams by display name, as on Slack: the summary's team (every role) and what an acknowledged
reminder says; never a 29: id, even when the click reaches a replica that never posted this incident's
messages (it looks the names up itself)."""

from __future__ import annotations

import json
import re

import pytest

from adapters.fakes.teams_harness import TeamsHarness, card_of, execute_data
from bot.config.org import parse_org_config
from tests.conftest import TEAMS_ORG
from tests.test_teams_e2e import report

NAMES = {
    "29:commander": "加藤 一郎",
    "29:it": "鈴木 花子",
    "29:support": "高橋 次郎",
    "29:legal": "山田 太郎",
    "29:exec": "渡辺 社長",
    "29:reporter": "佐藤 報告者",
}
RAW_ID = re.compile(r"29:[A-Za-z]")


@pytest.fixture
async def teams(clean_database, clock):
    org = parse_org_config(TEAMS_ORG, "org.yaml")
    async with TeamsHarness(clean_database, org, clock, names=NAMES) as harness:
        yield harness
        assert harness.connector.violations == []


def forget_names(teams: TeamsHarness) -> None:
    """Another replica answers the next click: it has learnt nobody's name yet."""
    teams.bot.platform.names.clear()
    teams.bot.platform._rosters.clear()


async def test_the_summary_answered_to_a_click_names_the_whole_team(teams) -> None:
    await report(teams)
    thread = teams.connector.thread()
    forget_names(teams)
    _, body = await teams.execute("29:it", "leak.refresh", {"r": "LEAK-2026-0001"}, conversation=thread)
    shown = json.dumps(card_of(body), ensure_ascii=False)
    for role, name in (("対策本部長", "加藤 一郎"), ("情報システム", "鈴木 花子"), ("役員", "渡辺 社長")):
        assert re.search(f"{role}[^:]*: {name}", shown), f"{role} named {name}"
    assert "佐藤 報告者" in shown and not RAW_ID.search(shown)
    assert "担当者" not in shown, "everyone the roster knows is named"


async def test_an_acknowledged_reminder_says_who_by_name(teams) -> None:
    await report(teams, persons="5000")
    await teams.core.reminder_service({"teams": teams.bot.notifier}, "test").sweep()
    chat = next(
        c["id"]
        for c in teams.connector.created
        if not (c.get("channelData") or {}).get("channel") and c["members"][0]["id"] == "29:exec"
    )
    reminder = teams.connector.cards_in(chat)[-1]
    _, body = await teams.execute(
        "29:exec", "leak.ack", execute_data(reminder, "leak.ack"), conversation=chat
    )
    assert "渡辺 社長 が確認しました" in body["value"] and not RAW_ID.search(body["value"])
