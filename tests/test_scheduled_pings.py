"""Deadline pings the platform delivers even when leakbot is down (issue 22), in the core against the
in-memory platform: each legal deadline's last channel ping before it passes is scheduled on the platform,
replaced when the deadline moves, deleted when it is filed and when the incident closes; leakbot's own
reminder for that moment is suppressed (exactly one ping); too far ahead it waits until it comes within the
platform's 120 days; a crash between asking and recording is reconciled, not doubled."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.appi.deadlines import JST
from bot.config.org import parse_org_config
from bot.domain.facts import Facts
from bot.journey.port import PlatformFailure
from bot.reminders.scheduled import PER_WINDOW, window_full
from bot.services.incidents import ReportRequest
from bot.services.ports import OPERATOR, Actor
from bot.storage.tables import Reminder, ScheduledPing
from bot.views.reminders import ReminderMessage
from tests.conftest import ORG_YAML
from tests.fake_platform import FakePlatform

COMMANDER = Actor("slack", "UCOMMANDER")
LEGAL = Actor("slack", "ULEGAL")
PRELIMINARY_MORNING = datetime(2026, 12, 5, 9, 0, tzinfo=JST)  # 速報 target: day 5 (Sat), its morning
FINAL_MORNING = datetime(2027, 1, 4, 9, 0, tzinfo=JST)  # 確報: 30 days, moved past the new-year holidays


@pytest.fixture
def org():
    return parse_org_config(ORG_YAML + "reminders: {individuals_target_days: 200}\n", "org.yaml")


@pytest.fixture
def platform(core) -> FakePlatform:
    fake = FakePlatform()
    core.journey.add_platform(fake)
    core.journey.backoff = lambda attempts: timedelta(0)
    return fake


async def report(core, clock, **facts) -> str:
    request = ReportRequest(
        "slack", "UREPORTER", "ja", clock.now(), Facts(summary="顧客リストを誤送信", **facts)
    )
    reference = (await core.incidents.report(request)).incident.reference
    await core.settle()
    return reference


def held(platform: FakePlatform) -> dict[datetime, str]:
    """post_at -> the deadline key the held message is about."""
    found = {}
    for item in platform.held.values():
        message = item["message"]
        assert isinstance(message, ReminderMessage) and not message.direct, "the channel's ping"
        [entry] = message.entries
        found[item["post_at"]] = entry.deadline_key
    return found


async def rows(core) -> list[ScheduledPing]:
    async with core.incidents._sessions() as session:
        return list(await session.scalars(select(ScheduledPing).order_by(ScheduledPing.deadline_key)))


def pings_about(platform: FakePlatform, space: str, key: str, since: int = 0) -> list:
    """Channel messages (leakbot's and the platform's scheduled ones) that remind of deadline ``key``."""
    return [
        m
        for m in platform.messages[space][since:]
        if isinstance(m["message"], ReminderMessage)
        and any(e.deadline_key == key for e in m["message"].entries)
    ]


async def test_scheduled_replaced_when_the_deadline_moves_and_deleted_when_filed_or_closed(
    core, clock, platform
) -> None:
    reference = await report(core, clock, persons=5000)
    view = await core.incidents.get(reference, OPERATOR)
    assert held(platform) == {PRELIMINARY_MORNING: "preliminary", FINAL_MORNING: "final"}
    assert {item["space"] for item in platform.held.values()} == {view.channel_id}
    stored = await rows(core)
    assert [(r.deadline_key, r.state, r.post_at) for r in stored if r.deadline_key != "individuals"] == [
        ("final", "scheduled", FINAL_MORNING),
        ("preliminary", "scheduled", PRELIMINARY_MORNING),
    ]
    assert all(r.external_id in platform.held for r in stored if r.state == "scheduled")
    assert next(r for r in stored if r.deadline_key == "individuals").state == "later", "200 days ahead"

    # unauthorized access: the 確報 is due in 60 days; its ping moves with it (deleted, then a new one)
    await core.incidents.update_facts(reference, {"cause": "unauthorized_access"}, LEGAL)
    await core.settle()
    final = next(d for d in (await core.incidents.get(reference, OPERATOR)).deadlines if d.key == "final")
    new_morning = datetime.combine(final.due_at.astimezone(JST).date(), datetime.min.time(), JST) + timedelta(
        hours=9
    )
    assert held(platform) == {PRELIMINARY_MORNING: "preliminary", new_morning: "final"}
    assert len([c for c in platform.calls if c.method == "unschedule"]) == 1

    await core.incidents.mark_filed(reference, "preliminary", COMMANDER)
    await core.settle()
    assert held(platform) == {new_morning: "final"}, "a filed report is not pinged by Slack either"

    await core.incidents.close(reference, COMMANDER)
    await core.settle()
    assert platform.held == {} and await rows(core) == []

    await core.incidents.reopen(reference, COMMANDER)
    await core.settle()
    assert held(platform) == {new_morning: "final"}, "reopened: the pending deadline's ping is back"


async def test_exactly_one_ping_when_the_platform_posts_it(core, clock, platform) -> None:
    reference = await report(core, clock, persons=5000)
    space = (await core.incidents.get(reference, OPERATOR)).channel_id
    reminders = core.reminder_service(core.notifiers(), "test")
    await reminders.sweep()  # the 速報's "opened" ping, now
    clock.set(PRELIMINARY_MORNING - timedelta(minutes=1))
    await reminders.sweep()  # leakbot runs all along: the earlier pings went out
    before = len(platform.messages[space])
    clock.set(PRELIMINARY_MORNING)
    platform.deliver_due(clock.now())  # Slack posts it on its own
    result = await reminders.sweep()
    assert len(pings_about(platform, space, "preliminary", before)) == 1, "Slack's, and not leakbot's too"
    assert result.suppressed == 1
    async with core.incidents._sessions() as session:
        states = set(
            await session.scalars(
                select(Reminder.state).where(
                    Reminder.deadline_key == "preliminary",
                    Reminder.kind == "due_morning",
                    Reminder.target == "channel",
                )
            )
        )
    assert states == {"by_platform"}, "recorded as such, not sent"
    direct = [m for m in platform.messages["D-UEXEC"] if "due_morning" not in str(m)]
    assert direct, "the executives' direct messages are leakbot's, as before"


async def test_a_refused_schedule_leaves_the_ping_to_leakbot(core, clock, platform) -> None:
    platform.fail_next("schedule", PlatformFailure("restricted_too_many"), times=2)
    reference = await report(core, clock, persons=5000)
    space = (await core.incidents.get(reference, OPERATOR)).channel_id
    assert platform.held == {}
    assert {r.state for r in await rows(core) if r.deadline_key != "individuals"} == {"refused"}
    reminders = core.reminder_service(core.notifiers(), "test")
    await reminders.sweep()
    before = len(platform.messages[space])
    clock.set(PRELIMINARY_MORNING)
    await reminders.sweep()
    assert len(pings_about(platform, space, "preliminary", before)) == 1, "leakbot's own went out"


async def test_a_ping_beyond_120_days_is_scheduled_when_it_comes_within_range(core, clock, platform) -> None:
    reference = await report(core, clock, persons=5000)
    individuals = next(r for r in await rows(core) if r.deadline_key == "individuals")
    assert individuals.state == "later" and individuals.external_id is None
    assert individuals.post_at - individuals.due_at < timedelta(days=120), "asked again within the range"
    clock.set(individuals.due_at)
    await core.journey.resume()  # the sweep
    assert held(platform)[individuals.post_at] == "individuals"
    assert (await core.incidents.get(reference, OPERATOR)).channel_id


async def test_a_schedule_whose_answer_was_lost_is_reconciled_not_doubled(core, clock, platform) -> None:
    platform.lose_answer["schedule"] = 1  # Slack scheduled it; the answer never arrived (a crash)
    await report(core, clock, persons=5000)
    await core.journey.resume()  # the sweep (it was already looked at again right after the failure)
    assert held(platform) == {PRELIMINARY_MORNING: "preliminary", FINAL_MORNING: "final"}, "one each"
    assert [c.method for c in platform.calls if c.method in ("scheduled", "unschedule")] == [
        "scheduled",
        "unschedule",
    ]
    assert {r.deadline_key: r.state for r in await rows(core)}["final"] == "scheduled"


def test_the_per_channel_window_is_respected() -> None:
    at = PRELIMINARY_MORNING
    assert not window_full(at, [at + timedelta(minutes=1)] * (PER_WINDOW - 1))
    assert window_full(at, [at - timedelta(minutes=4)] * PER_WINDOW)
    assert not window_full(at, [at + timedelta(minutes=5)] * PER_WINDOW), "outside the 5 minutes"


async def test_a_rate_limited_schedule_is_tried_again_after_the_wait(core, clock, platform) -> None:
    platform.fail_next("schedule", PlatformFailure("ratelimited", retry=True, after=30), times=2)
    await report(core, clock, persons=5000)
    assert platform.held == {}
    await core.journey.resume()
    assert platform.held == {}, "Retry-After is respected"
    clock.advance(timedelta(seconds=30))
    await core.journey.resume()
    assert held(platform) == {PRELIMINARY_MORNING: "preliminary", FINAL_MORNING: "final"}
