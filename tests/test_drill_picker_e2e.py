"""The drill scenario picker is only for who may start a drill (the commander and drills.organizers): anyone
else asking for it (`/leak drill` on Slack, `leak drill` on Teams) is told who may, by name, and no picker is
shown; a scenario asked for directly or a forged pick is refused the same way. The core decides; both
adapters only ask it and render the answer."""

from __future__ import annotations

import json

import pytest

from adapters.fakes.slack_harness import SlackHarness
from adapters.fakes.teams_harness import TeamsHarness
from bot.config.org import parse_org_config
from bot.services.ports import OPERATOR
from tests.conftest import PEOPLE, SLACK_ORG, TEAMS_ORG
from tests.test_teams_names_e2e import NAMES, RAW_ID

ORGANIZERS = "drills: {organizers: [it@example.co.jp]}\n"  # an organizer written as an e-mail address


@pytest.fixture
async def slack(clean_database, clock):
    harness = SlackHarness(clean_database, parse_org_config(SLACK_ORG + ORGANIZERS, "org.yaml"), clock)
    async with harness:
        for user, email in PEOPLE.items():
            harness.slack.add_user(user, email)
        yield harness
        assert harness.slack.violations == []


def told_on_slack(app: SlackHarness, user: str) -> list[str]:
    dms = [m["text"] for cid, ms in app.slack.messages.items() if cid.startswith("D") for m in ms]
    return dms + [e["text"] for e in app.slack.ephemerals if e["user"] == user]


async def test_slack_picker_only_for_the_commander_and_organizers(slack) -> None:
    status, _ = await slack.driver.command("UREPORTER", "drill", channel="CGENERAL")
    assert status == 200
    told = await slack.eventually(lambda: [t for t in told_on_slack(slack, "UREPORTER") if "訓練" in t])
    assert "<@UCOMMANDER>" in told[-1] and "<@UIT>" in told[-1], "the commander and the organizer, by name"
    assert slack.slack.opened_views == [], "no picker for anyone else"

    await slack.driver.command("UIT", "drill", channel="CGENERAL")
    modal = await slack.eventually(lambda: slack.slack.opened_views and slack.slack.opened_views[-1])
    assert modal["callback_id"] == "leak_drill", "the organizer (written as an e-mail) gets the picker"


async def test_slack_a_scenario_asked_for_directly_is_refused_by_name(slack) -> None:
    await slack.driver.command("UREPORTER", "drill misdelivery", channel="CGENERAL")
    told = await slack.eventually(lambda: [t for t in told_on_slack(slack, "UREPORTER") if "訓練" in t])
    assert "<@UCOMMANDER>" in told[-1]
    assert await slack.core.incidents.list(OPERATOR, drills=True) == []


@pytest.fixture
async def teams(clean_database, clock):
    org = parse_org_config(TEAMS_ORG + 'drills: {organizers: ["29:support"]}\n', "org.yaml")
    async with TeamsHarness(clean_database, org, clock, names=NAMES) as harness:
        yield harness
        assert harness.connector.violations == []


async def test_teams_picker_only_for_the_commander_and_organizers(teams) -> None:
    status, _ = await teams.say("29:reporter", "leak drill")
    assert status in (200, 202)
    chat = "a:personal-29:reporter"
    assert teams.connector.cards_in(chat) == [], "no picker for anyone else"
    told = " ".join(teams.connector.texts_in(chat))
    assert "加藤 一郎" in told and "高橋 次郎" in told, "the commander and the organizer, by name"
    assert not RAW_ID.search(told)

    await teams.say("29:support", "leak drill")
    picker = teams.connector.cards_in("a:personal-29:support")[-1]
    assert "ランサムウェア" in json.dumps(picker, ensure_ascii=False), "the organizer gets the picker"


async def test_teams_a_forged_pick_is_refused_by_name(teams) -> None:
    status, body = await teams.execute("29:reporter", "leak.drill", {"scenario": "misdelivery"})
    assert status == 200 and "加藤 一郎" in body["value"] and not RAW_ID.search(body["value"])
    assert await teams.core.incidents.list(OPERATOR, drills=True) == []
