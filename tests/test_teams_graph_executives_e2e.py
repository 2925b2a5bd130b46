"""Executives on Teams with Microsoft Graph, end to end: leakbot's id in the org's app catalog is found through
Graph by the package's manifest id when LEAKBOT_TEAMS_CATALOG_APP_ID is not set (found once, a failed
look-up asked again), so an executive who never opened the bot gets the app and the ping; when leakbot is not
in the catalog at all, the commander is told who cannot be reached, by name, in the org's language."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from adapters.fakes.teams_harness import TeamsHarness
from bot.config.org import parse_org_config
from tests.test_teams_graph_e2e import KATO, PEOPLE, SATO, SUZUKI, WATANABE
from tests.test_teams_graph_faults_e2e import FIRST, report

TANAKA = "aaaaaaaa-0000-0000-0000-000000000006"
EXECUTIVES = {WATANABE: "渡辺 社長", TANAKA: "田中 専務"}
ORG = """
organization: {name: テスト株式会社}
language: LANG
roles:
  commander: [kato@example.co.jp]
  it: [suzuki@example.co.jp]
  executives: [watanabe@example.co.jp, tanaka@example.co.jp]
"""


def harness(database_url, clock, lang: str = "ja") -> TeamsHarness:
    names = {bot_id: name for name, _, bot_id in PEOPLE.values()}
    org = parse_org_config(ORG.replace("LANG", lang), "org.yaml")
    env = {"LEAKBOT_TEAMS_CATALOG_APP_ID": None}  # not configured: asked of Graph
    return TeamsHarness(database_url, org, clock, graph=True, names=names, env=env)


async def set_up(teams: TeamsHarness) -> None:
    assert teams.graph is not None
    for user, (name, mail, _) in PEOPLE.items():
        teams.graph.add_user(user, name, mail)
    teams.graph.add_user(TANAKA, EXECUTIVES[TANAKA], "tanaka@example.co.jp")
    teams.connector.installed = {KATO, SUZUKI, SATO}  # neither executive ever opened the bot
    teams.bot.graph.backoff = 0.01


def catalog_look_ups(teams: TeamsHarness) -> int:
    return sum(1 for method, path in teams.graph.calls if method == "GET" and "/appCatalogs/" in path)


def chat_with(teams: TeamsHarness, user: str) -> str | None:
    return next((c["id"] for c in teams.connector.created if c["members"] == [{"id": user}]), None)


async def test_the_catalog_id_is_found_through_graph_once_and_a_failed_look_up_is_asked_again(
    clean_database, clock
) -> None:
    async with harness(clean_database, clock) as teams:
        await set_up(teams)
        await report(teams, FIRST)
        reminders = teams.core.reminder_service({"teams": teams.bot.notifier}, "test")

        teams.graph.failing = {"GET /teamsApps": 503}
        await reminders.sweep()
        assert teams.graph.installed == set() and not any(chat_with(teams, e) for e in EXECUTIVES)
        failed = catalog_look_ups(teams)
        assert failed, "the catalog was asked"

        teams.graph.failing = {}
        clock.advance(timedelta(minutes=20))
        await reminders.sweep()
        assert teams.graph.installed == set(EXECUTIVES), "installed for both, with the id Graph found"
        assert catalog_look_ups(teams) == failed + 1, "the failure was not kept; the answer is"
        for executive in EXECUTIVES:
            chat = chat_with(teams, executive)
            assert chat and "速報" in json.dumps(teams.connector.cards_in(chat), ensure_ascii=False)
        assert not await reminders.failures(FIRST)
        assert teams.connector.violations == []


@pytest.mark.parametrize(
    ("lang", "words"),
    [("ja", "アプリカタログにも leakbot が見つからない"), ("en", "not in the organization's app catalog")],
)
async def test_an_executive_leakbot_cannot_reach_is_named_to_the_commander(
    clean_database, clock, lang, words
) -> None:
    async with harness(clean_database, clock, lang) as teams:
        await set_up(teams)
        teams.graph.catalog.clear()  # leakbot was never published to the org's catalog
        channel = await report(teams, FIRST)
        reminders = teams.core.reminder_service({"teams": teams.bot.notifier}, "test")
        for _ in range(8):
            await reminders.sweep()
            await teams.settle()
            clock.advance(timedelta(minutes=20))
        assert teams.graph.installed == set() and not any(chat_with(teams, e) for e in EXECUTIVES)
        told = [t for t in teams.connector.texts_in(channel) if words in t]
        assert len(told) == 2, "once for each executive"
        for name in EXECUTIVES.values():
            assert any(f"<at>{name}</at>" in t and "<at>加藤 一郎</at>" in t for t in told), "by name"
        assert not any(executive in " ".join(told) for executive in EXECUTIVES), "never by id"
        assert {f.target.rsplit(":", 1)[-1] for f in await reminders.failures(FIRST)} == set(EXECUTIVES)
        assert teams.connector.violations == []
