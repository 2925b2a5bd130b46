"""Reminders on Slack under faults, end to end: the real app and notifier, the real slack_sdk client, the
fake workspace answering slowly (latency knobs) or failing (fail_next, a deleted channel), many incidents
due in one sweep, and a leak reported weeks late. Each reminder arrives exactly once, says when it is late,
and a given-up one reaches the commander by another route."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from datetime import timedelta

import pytest

from adapters.fakes.slack_harness import SlackHarness
from bot.domain.facts import Facts
from bot.services.incidents import ReportRequest
from bot.services.ports import OPERATOR
from tests.test_slack_e2e import opened
from tests.test_slack_reminders_e2e import dm_channel


def reminder_posts(app: SlackHarness, channel_id: str, about: str = "速報") -> int:
    """Reminder messages (they start with ⏰) in a channel that mention ``about``."""
    return sum("⏰" in t and about in t for t in texts(app, channel_id))


def texts(app: SlackHarness, channel_id: str) -> list[str]:
    return [json.dumps(m, ensure_ascii=False) for m in app.slack.messages[channel_id]]


async def many_incidents(app: SlackHarness, count: int) -> list[tuple[str, str]]:
    """``count`` incidents with their response channels, reported now (速報 "opened" due at once)."""
    made = []
    for _ in range(count):
        request = ReportRequest(
            "slack", "UREPORTER", "ja", app.core.clock.now(), Facts(summary="誤送信", persons=2000)
        )
        ref = (await app.core.incidents.report(request)).incident.reference
        await app.core.settle()  # the journey provisions its response channel
        channel_id = (await app.core.incidents.get(ref, OPERATOR)).channel_id
        made.append((ref, channel_id))
    return made


@pytest.mark.slow
async def test_thirty_incidents_due_in_one_sweep_each_reach_the_executive_once(app) -> None:
    """A slow workspace (50 ms an answer) that also answers 503 and 429 now and then: every incident's
    速報 reaches the executive's DM exactly once, in messages Slack accepts (the fake checks the block
    limits), and every channel hears its own once."""
    made = await many_incidents(app, 30)
    app.slack.latency = 0.05
    app.slack.fail_next("chat.postMessage", status=503, times=2)
    app.slack.fail_next("chat.postMessage", status=429, times=1, retry_after=0)
    reminders = app.core.reminder_service({"slack": app.notifier()}, "test")
    result = await reminders.sweep()
    assert result.failed == 0 and result.sent == result.claimed
    dm = "\n".join(texts(app, dm_channel(app, "UEXEC")))
    per_incident = Counter(ref for ref, _ in made for _ in range(dm.count(f"*{ref}* 速報")))
    assert per_incident == Counter({ref: 1 for ref, _ in made}), "every incident once, none dropped"
    for _, channel_id in made:
        assert reminder_posts(app, channel_id) == 1
    assert (await reminders.sweep()).claimed == 0


async def test_a_slow_workspace_does_not_make_the_opened_ping_twice(app, clock) -> None:
    """Slack answers conversations.create slowly: the sweep runs before the response channel exists, the
    channel ping fails and waits for its retry; creating the channel and calling the team in replans the
    incident meanwhile. The 速報 "opened" ping is posted once."""
    app.slack.method_latency["conversations.create"] = 0.5
    reminders = app.core.reminder_service({"slack": app.notifier()}, "test")
    status, _body, _ = await app.report(
        "UREPORTER", "顧客リストを誤送信した", {"summary": "誤送信", "persons": "5000"}
    )
    assert status == 200
    first = await reminders.sweep()  # the channel is still being created
    assert first.failed >= 1
    channel = await app.eventually(lambda: app.slack.channel_named("leak-"))
    await app.eventually(lambda: any("初動" in t for t in texts(app, channel.id)))
    await asyncio.sleep(0.1)
    for _ in range(4):
        await reminders.sweep()
        clock.advance(timedelta(seconds=20))
    assert reminder_posts(app, channel.id) == 1


async def test_a_ping_delivered_after_retries_says_it_is_late(app, clock) -> None:
    channel = await opened(app, persons="5000")
    reminders = app.core.reminder_service({"slack": app.notifier()}, "test")
    app.slack.fail_next("chat.postMessage", status=503, times=1000)
    await reminders.sweep()
    clock.advance(timedelta(minutes=1))
    await reminders.sweep()
    app.slack._faults["chat.postMessage"].clear()  # Slack is back
    clock.advance(timedelta(minutes=3))
    await reminders.sweep()
    late_note = "配信遅延: 予定 2026年12月1日(火) 10:00"
    assert any(late_note in t and "速報" in t for t in texts(app, channel.id))
    assert any(late_note in t for t in texts(app, dm_channel(app, "UEXEC")))


async def test_a_channel_that_keeps_failing_is_reported_to_the_commander_by_dm(app, clock) -> None:
    """The response channel is gone (channel_not_found): after the last try the commander hears it by
    direct message (not in the channel that failed), and the failure is listed for the incident."""
    channel = await opened(app, persons="5000")
    del app.slack.channels[channel.id]
    reminders = app.core.reminder_service({"slack": app.notifier()}, "test")
    for _ in range(8):
        await reminders.sweep()
        clock.advance(timedelta(minutes=20))
    commander_dm = "\n".join(texts(app, dm_channel(app, "UCOMMANDER")))
    assert "LEAK-2026-0001 の対応チャンネル" in commander_dm and "届けられませんでした" in commander_dm
    failures = await reminders.failures("LEAK-2026-0001")
    assert {(f.deadline_key, f.target) for f in failures} >= {("preliminary", "channel")}
    assert all(f.attempts == 5 and "channel_not_found" in (f.error or "") for f in failures)


async def test_a_leak_reported_weeks_late_is_said_overdue_at_once(app) -> None:
    """Discovered 2026-11-01, reported 2026-12-01: the 速報 (due 11-05) and the 確報 (due 12-01 23:59 is
    not yet past; the 30-day count ends on 12-01) — the 速報 is 26 days overdue, said at once to the
    executive and in the channel with what to do."""
    values = {
        "summary": "顧客リストを誤送信した",
        "persons": "5000",
        "discovered_on": "2026-11-01",
        "discovered_time": "10:00",
    }
    status, body, _ = await app.report("UREPORTER", "顧客リストを誤送信した", values)
    assert status == 200, body
    channel = await app.eventually(lambda: app.slack.channel_named("leak-"))
    await app.eventually(lambda: any("初動" in t for t in texts(app, channel.id)))
    reminders = app.core.reminder_service({"slack": app.notifier()}, "test")
    await reminders.sweep()
    dm = "\n".join(texts(app, dm_channel(app, "UEXEC")))
    in_channel = "\n".join(texts(app, channel.id))
    for said in (dm, in_channel):
        assert "速報" in said and "26日超過" in said and "既に過ぎています" in said
        assert "直ちに個人情報保護委員会へ速報を提出" in said
