"""Teams in private-channel mode, end to end: Bot Framework activities over HTTP into the running app, the real
Agents SDK replying through the fake connector, Microsoft Graph answered by the fake Graph. A report makes a
private channel with the right people (found by e-mail), the summary and the playbook are posted in it, a
click updates them, an executive who never opened the bot is reached after the app is installed for them;
429s are waited for, a name in use is retried with the next, and Graph down falls back to a thread that says
so. Every card is checked against the Adaptive Card 1.5 schema and shows names, never ids."""

from __future__ import annotations

import json
import re

import pytest

from adapters.fakes.teams_harness import TENANT, TeamsHarness, card_of, execute_data
from adapters.teams.platform import SendLimiter
from bot.config.org import parse_org_config
from bot.services.naming import channel_name
from bot.services.ports import OPERATOR

REF = "LEAK-2026-0001"
KATO, SUZUKI = "aaaaaaaa-0000-0000-0000-000000000001", "aaaaaaaa-0000-0000-0000-000000000002"
YAMADA, WATANABE = "aaaaaaaa-0000-0000-0000-000000000003", "aaaaaaaa-0000-0000-0000-000000000004"
SATO = "aaaaaaaa-0000-0000-0000-000000000005"
PEOPLE = {
    KATO: ("加藤 一郎", "kato@example.co.jp", "29:kato"),
    SUZUKI: ("鈴木 花子", "suzuki@example.co.jp", "29:suzuki"),
    YAMADA: ("山田 太郎", "yamada@example.co.jp", "29:yamada"),
    WATANABE: ("渡辺 社長", "watanabe@example.co.jp", "29:watanabe"),
    SATO: ("佐藤 報告者", "sato@example.co.jp", "29:sato"),
}
ORG = """
organization: {name: テスト株式会社}
roles:
  commander: [kato@example.co.jp]
  it: [suzuki@example.co.jp]
  legal: [yamada@example.co.jp, nobody@example.co.jp]
  executives: [watanabe@example.co.jp]
"""
RAW_ID = re.compile(r"29:[A-Za-z]|[0-9a-f]{8}-0000-0000-0000-[0-9a-f]{12}")


@pytest.fixture
async def teams(clean_database, clock):
    names = {bot_id: name for name, _, bot_id in PEOPLE.values()}
    async with TeamsHarness(
        clean_database, parse_org_config(ORG, "org.yaml"), clock, graph=True, names=names
    ) as harness:
        assert harness.graph is not None
        for user, (name, mail, _) in PEOPLE.items():
            harness.graph.add_user(user, name, mail)
        harness.connector.installed = {KATO, SUZUKI, YAMADA, SATO}  # the executive never opened the bot
        harness.bot.graph.backoff = 0.01  # a failing Graph is retried quickly in tests
        yield harness
        assert harness.connector.violations == [], "nothing Teams would refuse, every card valid"


async def report(teams: TeamsHarness) -> None:
    status, _ = await teams.say("29:sato", "leak 顧客リストを誤送信", aad=SATO)
    assert status in (200, 202)
    form = teams.connector.cards_in("a:personal-29:sato")[-1]
    data = execute_data(form, "leak.report", summary="顧客リストを誤送信しました", persons="5000")
    status, body = await teams.execute("29:sato", "leak.report", data, aad=SATO)
    assert status == 200 and REF in str(card_of(body))
    assert "非公開の対応チャネルを準備しています" in str(card_of(body)) or "スレッド" in str(card_of(body))
    await teams.settle()


def only_channel(teams: TeamsHarness) -> dict:
    assert teams.graph is not None
    [channel] = teams.graph.channels.values()
    return channel


async def test_a_private_channel_with_the_team_the_posts_a_click_and_an_executive_reached(teams) -> None:
    await report(teams)
    graph, connector = teams.graph, teams.connector
    channel = only_channel(teams)
    assert channel["membershipType"] == "private" and len(channel["displayName"]) <= 50
    assert channel["displayName"] == channel_name("leak", teams.core.clock.now(), REF)
    members = graph.members[channel["id"]]
    assert members == {KATO: ["owner"], SUZUKI: [], YAMADA: [], SATO: []}, "commander owns; reporter added"
    assert connector.thread() is None, "no thread in the response channel"

    cards = connector.cards_in(channel["id"])
    summary = connector.summary_in(channel["id"])
    assert REF in summary["body"][0]["text"], "the summary is posted in the private channel"
    assert any("初動" in c["body"][0]["text"] for c in cards), "and the playbook"
    shown = json.dumps(cards, ensure_ascii=False)
    assert "佐藤 報告者" in shown and not RAW_ID.search(shown), "people by name, never by id"
    said = " ".join(connector.texts_in(channel["id"]))
    assert "nobody@example.co.jp" in said, "an address Graph does not know is told to the team"

    dm = " ".join(connector.texts_in("a:personal-29:sato"))
    assert REF in dm and "非公開の対応チャネル" in dm and "スレッド" not in dm

    view = await teams.core.incidents.get(REF, OPERATOR)
    assert view.channel_id == channel["id"]
    assert {m.user_id for m in view.members if m.role == "commander"} == {KATO}

    phase = next(c for c in cards if "初動" in c["body"][0]["text"])
    done = execute_data(phase, "leak.step", where={"s": "report_to_superior", "t": "done"})
    status, body = await teams.execute("29:kato", "leak.step", done, conversation=channel["id"], aad=KATO)
    assert status == 200 and "✅" in str(card_of(body)), "the commander (known by Entra id) clicks"
    await teams.settle()
    posted = {a["id"] for a in connector.sent[channel["id"]]}
    assert any(u["id"] in posted for u in connector.updates), "the summary follows"

    reminders = teams.core.reminder_service({"teams": teams.bot.notifier}, "test")
    result = await reminders.sweep()
    assert result.sent and not result.failed
    assert [WATANABE] in connector.refused_chats, "Teams refused the chat: the app was not installed"
    assert WATANABE in graph.installed, "so it was installed for the executive"
    chat = next(c["id"] for c in connector.created if c["members"] == [{"id": WATANABE}])
    assert "速報" in json.dumps(connector.cards_in(chat), ensure_ascii=False)
    assert all(c.get("tenantId") for c in connector.created)


async def test_429s_are_waited_for(teams) -> None:
    teams.graph.throttle(2, retry_after=0.2)
    await report(teams)
    assert teams.graph.throttled == [0.2, 0.2] and teams.bot.graph.waited[:2] == [0.2, 0.2]
    assert only_channel(teams)["displayName"].startswith("leak-")


async def test_a_name_in_use_is_retried_with_the_next(teams) -> None:
    first = channel_name("leak", teams.core.clock.now(), REF)
    await teams.bot.graph.create_private_channel(
        "00000000-0000-0000-0000-00000000a11a", first, "an old channel", [KATO], []
    )
    await report(teams)
    names = sorted(c["displayName"] for c in teams.graph.channels.values())
    assert names == [first, channel_name("leak", teams.core.clock.now(), REF, 2)]
    view = await teams.core.incidents.get(REF, OPERATOR)
    assert view.channel_name == names[1]


async def test_graph_down_falls_back_to_a_thread_that_says_so(teams) -> None:
    teams.graph.failing = {"POST /channels": 503}
    await report(teams)
    assert teams.graph.channels == {}
    thread = teams.connector.thread()
    assert thread is not None, "a thread in the configured response channel instead"
    root = json.dumps(teams.connector.cards_in(thread)[0], ensure_ascii=False)
    assert "非公開チャネルを作成できなかった" in root and "このスレッドで対応します" in root
    assert REF in teams.connector.summary_in(thread)["body"][0]["text"]
    dm = " ".join(teams.connector.texts_in("a:personal-29:sato"))
    assert "対応スレッド" in dm and "チャンネル" not in dm


# --- without Graph: a thread, people still by name, never a conversation without the tenant ---------------

THREAD_ORG = """
organization: {name: テスト株式会社}
roles:
  commander: ["29:kato"]
  legal: ["29:yamada"]
  executives: ["29:watanabe"]
"""


@pytest.fixture
async def thread_teams(clean_database, clock):
    names = {bot_id: name for name, _, bot_id in PEOPLE.values()}
    async with TeamsHarness(
        clean_database, parse_org_config(THREAD_ORG, "org.yaml"), clock, names=names
    ) as harness:
        yield harness
        assert harness.connector.violations == [], "nothing Teams would refuse, every card valid"


async def test_a_thread_shows_names_and_every_new_conversation_carries_the_tenant(thread_teams) -> None:
    teams = thread_teams
    teams.bot.platform.tenant_id = None  # not configured: learnt from the first activity
    activity = teams.activity("29:sato", "a:personal-29:sato", type="message", text="leak")
    del activity["conversation"]["tenantId"]  # the tenant only in channelData
    status, _ = await teams.post(activity)
    assert status in (200, 202)
    form = teams.connector.cards_in("a:personal-29:sato")[-1]
    data = execute_data(form, "leak.report", summary="誤送信", persons="5000")
    status, body = await teams.execute("29:sato", "leak.report", data)
    assert "対応スレッドを準備しています" in str(card_of(body))
    await teams.settle()
    thread = teams.connector.thread()
    shown = json.dumps(teams.connector.cards_in(thread), ensure_ascii=False)
    assert "佐藤 報告者" in shown and not RAW_ID.search(shown), "people by name, never by id"
    calls = " ".join(teams.connector.texts_in(thread))
    assert "<at>加藤 一郎</at>" in calls, "the team called in by name"
    dm = " ".join(teams.connector.texts_in("a:personal-29:sato"))
    assert "対応スレッド" in dm and "チャンネル" not in dm
    await teams.core.reminder_service({"teams": teams.bot.notifier}, "test").sweep()
    chats = [c for c in teams.connector.created if not (c.get("channelData") or {}).get("channel")]
    assert chats and all(
        c["tenantId"] == c["channelData"]["tenant"]["id"] == TENANT for c in teams.connector.created
    )


async def test_sends_keep_to_seven_a_second_and_sixty_in_thirty_seconds() -> None:
    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    limiter = SendLimiter(clock=lambda: now[0], sleep=sleep)
    times = []
    for _ in range(70):
        await limiter.wait("19:x@thread.tacv2;messageid=1")
        times.append(now[0])
    assert all(times[i + 7] - times[i] >= 1.0 for i in range(len(times) - 7))
    assert all(times[i + 60] - times[i] >= 30.0 for i in range(len(times) - 60))
    await limiter.wait("a:another")
    assert now[0] == times[-1], "another conversation does not wait"
