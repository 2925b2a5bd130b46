"""Reminders on Teams under load and faults, end to end through the real Agents SDK to the fake connector
(every card checked against the Adaptive Card 1.5 schema): many incidents due at once reach the executive's
chat in several cards, none left out; a response thread that cannot be reached is reported to the
commander in a 1:1 chat."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from adapters.fakes.teams_harness import TeamsHarness
from adapters.teams.platform import SendLimiter
from bot.config.org import parse_org_config
from bot.domain.facts import Facts
from bot.services.incidents import ReportRequest

ORG = """
organization: {name: テスト株式会社}
roles:
  commander: ["29:commander"]
  it: ["29:it"]
  legal: ["29:legal"]
  executives: ["29:exec"]
"""


class TeamsDirectory:
    name = "teams"

    async def resolve(self, member: str) -> str | None:
        return member if member.startswith("29:") else None


@pytest.fixture
async def teams(clean_database, clock):
    async with TeamsHarness(clean_database, parse_org_config(ORG, "org.yaml"), clock) as harness:
        yield harness
        assert harness.connector.violations == [], "every card matched the Adaptive Card 1.5 schema"


async def teams_incident(teams: TeamsHarness) -> str:
    """An incident whose response thread was never started (the DMs still work)."""
    request = ReportRequest(
        "teams", "29:reporter", "ja", teams.core.clock.now(), Facts(summary="誤送信", persons=2000)
    )
    ref = (await teams.core.incidents.report(request)).incident.reference
    await teams.core.incidents.resolve_team(ref, TeamsDirectory())
    return ref


def chat_of(teams: TeamsHarness, user: str) -> str:
    return next(
        c["id"]
        for c in teams.connector.created
        if not (c.get("channelData") or {}).get("channel") and c["members"][0]["id"] == user
    )


async def test_many_incidents_due_at_once_reach_the_executive_in_several_cards(teams) -> None:
    # Teams' send limits are tested on their own (test_teams_e2e); here 23 incidents' posts need not wait
    teams.bot.platform.limiter = SendLimiter(windows=((10_000, 1.0),))
    refs = [await teams_incident(teams) for _ in range(23)]
    reminders = teams.core.reminder_service({"teams": teams.bot.notifier}, "test")
    await reminders.sweep()
    cards = teams.connector.cards_in(chat_of(teams, "29:exec"))
    shown = [json.dumps(card, ensure_ascii=False) for card in cards]
    assert len(cards) == 3 and all(s.count("leak.ack") <= 10 for s in shown), "a few deadlines per card"
    assert all(sum(f"**{ref}**" in s for s in shown) == 1 for ref in refs), "each incident in one card"
    assert "（1/3通目）" in shown[0] and "（3/3通目）" in shown[2]


async def test_a_thread_that_cannot_be_reached_is_reported_to_the_commander_in_a_chat(teams, clock) -> None:
    platform = teams.bot.platform  # no response channel: the thread can never be started
    platform.settings = platform.settings.model_copy(update={"response_channel": None})
    ref = await teams_incident(teams)
    await teams.core.settle()
    reminders = teams.core.reminder_service({"teams": teams.bot.notifier}, "test")
    for _ in range(8):
        await reminders.sweep()
        clock.advance(timedelta(minutes=20))
    said = " ".join(teams.connector.texts_in(chat_of(teams, "29:commander")))
    assert f"{ref} の対応チャネル（またはスレッド）" in said and "届けられませんでした" in said, (
        "Teams' words"
    )
    assert {f.target for f in await reminders.failures(ref)} == {"channel"}
