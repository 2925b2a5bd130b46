"""The legal deadlines in the commander's and the executives' Outlook calendars (issue 22, Teams), end to end:
Bot Framework activities over HTTP into the running app in private-channel mode with
``LEAKBOT_TEAMS_CALENDAR=1``, Microsoft Graph answered by the fake Graph, which checks each event's body.
Each pending legal deadline is an event with a reminder in each commander's and executive's calendar; a facts
change that moves the 確報 updates its events in place, filing the 速報 deletes its events, closing deletes
them all; a Graph 5xx is retried by the sweep; without the setting there is no calendar call at all."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from adapters.fakes.teams.graph import RESET
from adapters.fakes.teams_harness import TeamsHarness, card_of, execute_data
from adapters.teams.graph import GraphError
from bot.appi.deadlines import JST
from bot.config.org import parse_org_config
from bot.services.ports import OPERATOR
from bot.storage.tables import ScheduledPing
from tests.test_teams_graph_e2e import KATO, ORG, PEOPLE, REF, SUZUKI, WATANABE, YAMADA, only_channel, report

TOKYO = "Tokyo Standard Time"
PRELIMINARY_DAY = "2026-12-05"  # the 速報 target (day 5) — its event ends at 23:59, reminded at 09:00


async def harness(clean_database, clock, env: dict) -> TeamsHarness:
    names = {bot_id: name for name, _, bot_id in PEOPLE.values()}
    return TeamsHarness(
        clean_database, parse_org_config(ORG, "org.yaml"), clock, graph=True, names=names, env=env
    )


@pytest.fixture
async def teams(clean_database, clock):
    async with await harness(clean_database, clock, {"LEAKBOT_TEAMS_CALENDAR": "1"}) as running:
        assert running.graph is not None
        for user, (name, mail, _) in PEOPLE.items():
            running.graph.add_user(user, name, mail)
        running.connector.installed = {KATO, SUZUKI, YAMADA, WATANABE}
        running.bot.graph.backoff = 0.01
        yield running
        assert running.connector.violations == []


def events(teams: TeamsHarness, user: str, words: str = "") -> list[dict]:
    assert teams.graph is not None
    return [e for e in teams.graph.events_of(user) if words in e["subject"]]


def the_event(teams: TeamsHarness, user: str, words: str) -> dict:
    [event] = events(teams, user, words)
    return event


def reminded_at(event: dict) -> datetime:
    start = datetime.fromisoformat(event["start"]["dateTime"]).replace(tzinfo=JST)
    return start - timedelta(minutes=event["reminderMinutesBeforeStart"])


async def test_deadlines_in_the_calendars_moved_filed_and_closed(teams, clock) -> None:
    await report(teams)
    channel = only_channel(teams)
    view = await teams.core.incidents.get(REF, OPERATOR)
    final = next(d for d in view.deadlines if d.key == "final")
    for person in (KATO, WATANABE):  # the commander and the executive
        preliminary = the_event(teams, person, "速報")
        assert preliminary["subject"].startswith(REF)
        assert preliminary["start"] == {"dateTime": f"{PRELIMINARY_DAY}T23:29:00", "timeZone": TOKYO}
        assert preliminary["end"] == {"dateTime": f"{PRELIMINARY_DAY}T23:59:00", "timeZone": TOKYO}
        assert preliminary["isReminderOn"] is True
        assert reminded_at(preliminary) == datetime(2026, 12, 5, 9, 0, tzinfo=JST), "the due-day morning"
        confirmed = the_event(teams, person, "確報")
        assert confirmed["end"]["dateTime"] == final.due_at.astimezone(JST).strftime("%Y-%m-%dT%H:%M:00")
        shown = json.dumps(teams.graph.events_of(person), ensure_ascii=False)
        assert "顧客リスト" not in shown and "5000" not in shown and "5,000" not in shown, "no facts"
        assert "佐藤" not in shown and "sato@" not in shown, "no names"
        assert "teams.microsoft.com/l/channel/" in preliminary["body"]["content"], "the channel is linked"
    assert events(teams, SUZUKI) == [] and events(teams, YAMADA) == [], "only commanders and executives"

    # unauthorized access: the 確報 is due in 60 days; the same events move
    before = {p: the_event(teams, p, "確報")["id"] for p in (KATO, WATANABE)}
    summary = teams.connector.summary_in(channel["id"])
    status, body = await teams.execute(
        "29:kato", "leak.facts", execute_data(summary, "leak.facts"), conversation=channel["id"], aad=KATO
    )
    assert status == 200
    data = execute_data(
        card_of(body),
        "leak.facts.save",
        cause="unauthorized_access",
        persons="5000",
        persons_upper_bound="",
        flags="",
        data_items="",
        involvement="",
        secondary_damage="",
    )
    status, _ = await teams.execute("29:kato", "leak.facts.save", data, conversation=channel["id"], aad=KATO)
    assert status == 200
    await teams.settle()
    moved = next(d for d in (await teams.core.incidents.get(REF, OPERATOR)).deadlines if d.key == "final")
    assert moved.due_at > final.due_at + timedelta(days=20)
    for person in (KATO, WATANABE):
        confirmed = the_event(teams, person, "確報")
        assert confirmed["id"] == before[person], "updated in place"
        assert confirmed["end"]["dateTime"] == moved.due_at.astimezone(JST).strftime("%Y-%m-%dT%H:%M:00")
        assert reminded_at(confirmed).date() == moved.due_at.astimezone(JST).date()
    assert any(method == "PATCH" and "/events/" in path for method, path in teams.graph.calls)

    # the 速報 is filed: its events go; the 確報's stay
    status, body = await teams.execute(
        "29:kato", "leak.file", {"r": REF, "k": "preliminary"}, conversation=channel["id"], aad=KATO
    )
    assert status == 200
    await teams.settle()
    for person in (KATO, WATANABE):
        assert events(teams, person, "速報") == [] and len(events(teams, person, "確報")) == 1

    status, _ = await teams.say("29:kato", "leak close", conversation=channel["id"], aad=KATO)
    assert status in (200, 202)
    await teams.settle()
    assert events(teams, KATO) == [] and events(teams, WATANABE) == [], "closed: nothing left in calendars"
    async with teams.core.incidents._sessions() as session:
        assert list(await session.scalars(select(ScheduledPing))) == []

    await teams.say("29:kato", f"leak reopen {REF}", aad=KATO)
    await teams.settle()
    for person in (KATO, WATANABE):
        assert events(teams, person, "速報") == [] and len(events(teams, person, "確報")) == 1, "reopened"


async def test_a_graph_5xx_on_creation_is_retried_by_the_sweep(teams, clock) -> None:
    teams.graph.failing = {"POST /events": 503}
    await report(teams)
    assert events(teams, KATO) == [], "Graph is down"
    view = await teams.core.incidents.get(REF, OPERATOR)
    assert view.channel_id == only_channel(teams)["id"], "the journey went on"
    async with teams.core.incidents._sessions() as session:
        rows = list(await session.scalars(select(ScheduledPing)))
    assert rows and {r.state for r in rows} == {"scheduling"} and all(r.due_at for r in rows)

    teams.graph.failing = {}
    await teams.core.journey.resume()  # too early: each waits for its retry time
    await teams.settle()
    assert events(teams, KATO) == []
    clock.advance(timedelta(minutes=5))
    await teams.core.journey.resume()
    await teams.settle()
    assert len(events(teams, KATO, "速報")) == 1 and len(events(teams, WATANABE, "確報")) == 1
    assert all(len(teams.graph.events_of(p)) == len(events(teams, KATO)) for p in (KATO, WATANABE))


async def test_off_by_default_no_calendar_call(clean_database, clock) -> None:
    async with await harness(clean_database, clock, {}) as teams:
        assert teams.graph is not None
        for user, (name, mail, _) in PEOPLE.items():
            teams.graph.add_user(user, name, mail)
        teams.connector.installed = {KATO, SUZUKI, YAMADA, WATANABE}
        await report(teams)
        await teams.core.journey.resume()
        await teams.settle()
        assert only_channel(teams)["membershipType"] == "private", "Graph is used, for the channel"
        assert not any("/events" in path for _, path in teams.graph.calls) and teams.graph.events == {}


async def test_a_create_whose_answer_was_lost_is_not_made_twice(teams, clock) -> None:
    """Graph made the event and the connection dropped before its answer, every time: asked again later with
    the same transaction id, Graph answers the event it made; one event per deadline and person."""
    teams.graph.faults = {"POST /events": RESET}
    await report(teams)
    made = {p: len(teams.graph.events_of(p)) for p in (KATO, WATANABE)}
    assert any(made.values()), "Graph made events; leakbot never heard back"
    teams.graph.faults = {}
    for _ in range(3):
        clock.advance(timedelta(minutes=10))
        await teams.core.journey.resume()
        await teams.settle()
    for person in (KATO, WATANABE):
        assert len(events(teams, person, "速報")) == 1 and len(events(teams, person, "確報")) == 1
    async with teams.core.incidents._sessions() as session:
        rows = list(await session.scalars(select(ScheduledPing)))
    assert {r.state for r in rows} == {"scheduled"}
    assert {r.external_id for r in rows} == {e["id"] for p in (KATO, WATANABE) for e in events(teams, p)}


async def test_the_fake_graph_refuses_what_graph_would(teams) -> None:
    client = teams.bot.graph
    start = {"dateTime": "2026-12-05T23:29:00", "timeZone": TOKYO}
    end = {"dateTime": "2026-12-05T23:59:00", "timeZone": TOKYO}
    good = {
        "subject": "x",
        "start": start,
        "end": end,
        "isReminderOn": True,
        "reminderMinutesBeforeStart": 60,
    }
    wrong = [
        {**good, "attendees": []},  # a property leakbot never sends
        {**good, "start": {"dateTime": "2026-12-05T23:29:00+09:00", "timeZone": TOKYO}},
        {**good, "end": {"dateTime": "2026-12-05T23:59:00"}},
        {**good, "reminderMinutesBeforeStart": "60"},
        {**good, "isReminderOn": "yes"},
        {**good, "end": start, "start": end},
    ]
    for body in wrong:
        with pytest.raises(GraphError) as refused:
            await client.create_event(KATO, body)
        assert refused.value.status == 400 and not refused.value.retry, body
    event_id = await client.create_event(KATO, {**good, "transactionId": "t-1"})
    assert await client.create_event(KATO, {**good, "transactionId": "t-1"}) == event_id, "not made twice"
    with pytest.raises(GraphError):
        await client.update_event(KATO, event_id, {"transactionId": "t-2"})
    await client.delete_event(KATO, event_id)
    await client.delete_event(KATO, event_id)  # gone already: no error
    assert teams.graph.events_of(KATO) == []
