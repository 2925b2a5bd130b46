"""Every reminder exactly once, at the core: a retry waiting for its backoff is not planned again by the
next replan, a ping that went out late after failed tries says so, a given-up ping is listed for the
incident, and many deadlines for one person go out as several messages of a few each. Real database (SQLite,
and PostgreSQL when configured), fake clock, a recording notifier."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.appi.deadlines import JST
from bot.domain.facts import Facts
from bot.reminders.texts import item_line
from bot.services.incidents import ReportRequest
from bot.services.ports import Actor
from bot.storage.tables import Reminder
from tests.test_reminders import Directory, FakeNotifier, open_incident
from tests.test_reminders import core as mini_core

COMMANDER = Actor("slack", "UCOMMANDER")
core = mini_core  # the fixture: the mini playbook on a clean database


def said(notifier: FakeNotifier, key: str = "preliminary", kind: str = "opened") -> Counter:
    """How many times each recipient was told (one line per deadline and message)."""
    return Counter(
        d.channel_of or d.user_id
        for d in notifier.deliveries
        for i in d.latest_per_deadline()
        if i.deadline.key == key and i.kind == kind
    )


async def test_a_retry_waiting_for_its_backoff_is_not_planned_twice(core, clock) -> None:
    """The channel ping fails (no channel yet, or Slack down); team resolution replans while it waits for
    its retry: it is still sent once."""
    notifier = FakeNotifier()
    service = core.reminder_service({"slack": notifier}, "w1")
    request = ReportRequest("slack", "UREPORTER", "ja", clock.now(), Facts(summary="誤送信", persons=2000))
    ref = (await core.incidents.report(request)).incident.reference
    notifier.down = True
    assert (await service.sweep()).failed >= 1
    notifier.down = False
    await core.incidents.resolve_team(ref, Directory())  # replans
    await core.incidents.set_step(ref, "tell_boss", "in_progress", COMMANDER)  # a click: replans again
    for _ in range(4):
        clock.advance(timedelta(seconds=20))
        await service.sweep()
    assert said(notifier) == Counter({ref: 1, "UCOMMANDER": 1, "UEXEC": 1})
    async with core.incidents._sessions() as session:
        opened = list(
            await session.scalars(
                select(Reminder).where(Reminder.deadline_key == "preliminary", Reminder.kind == "opened")
            )
        )
    assert Counter(r.target for r in opened) == Counter(
        {"channel": 1, "user:slack:UCOMMANDER": 1, "user:slack:UEXEC": 1}
    ), "no twin rows"


async def test_a_ping_sent_late_after_failed_tries_says_when_it_was_due(core, clock) -> None:
    ref = await open_incident(core, clock, persons=2000)
    notifier = FakeNotifier()
    service = core.reminder_service({"slack": notifier}, "w1")
    notifier.down = True
    await service.sweep()
    clock.advance(timedelta(minutes=1))
    await service.sweep()  # the second try fails too
    notifier.down = False
    clock.advance(timedelta(minutes=3))
    await service.sweep()
    channel = next(d for d in notifier.deliveries if d.channel_of == ref)
    item = next(i for i in channel.items if i.deadline.key == "preliminary")
    assert item.delayed_from == datetime(2026, 12, 1, 10, 0, tzinfo=JST)
    assert "（配信遅延: 予定 2026年12月1日(火) 10:00）" in item_line(item, clock.now(), "ja")
    on_time = await open_incident(core, clock, persons=2000)
    await service.sweep()
    fresh = next(d for d in notifier.deliveries if d.channel_of == on_time)
    assert all(i.delayed_from is None for i in fresh.items), "a ping on time says nothing of delays"


async def test_given_up_pings_are_listed_for_the_incident(core, clock) -> None:
    ref = await open_incident(core, clock, persons=2000)
    notifier = FakeNotifier()
    service = core.reminder_service({"slack": notifier}, "w1")
    notifier.down = True
    for _ in range(8):
        await service.sweep()
        clock.advance(timedelta(minutes=20))
    failures = await service.failures(ref)
    opened = [f for f in failures if f.deadline_key == "preliminary" and f.kind == "opened"]
    assert {f.target for f in opened} == {"channel", "user:slack:UCOMMANDER", "user:slack:UEXEC"}
    assert all(f.attempts == 5 and "slack is down" in (f.error or "") for f in opened)
    assert all(f.last_attempt_at and f.last_attempt_at > f.planned_at for f in opened)
    # 速報 "opened" and the step's "1 hour before" failed in the same message, the step's "due" later:
    # the commander hears once per failed message, not once per line
    assert len([f for f in failures if f.target == "channel"]) == 3
    assert notifier.alerts.count((ref, "channel")) == 2


async def test_thirty_incidents_due_at_once_go_out_in_messages_of_a_few_each(core, clock) -> None:
    refs = [await open_incident(core, clock, persons=2000) for _ in range(30)]
    notifier = FakeNotifier()
    service = core.reminder_service({"slack": notifier}, "w1")
    result = await service.sweep()
    assert result.failed == 0
    to_exec = [d for d in notifier.deliveries if d.user_id == "UEXEC"]
    assert all(len(d.latest_per_deadline()) <= 10 for d in notifier.deliveries), "a few per message"
    assert [(getattr(d, "part", 1), getattr(d, "parts", 1)) for d in to_exec] == [(1, 3), (2, 3), (3, 3)]
    assert said(notifier)["UEXEC"] == 30 and {i.incident.reference for d in to_exec for i in d.items} == set(
        refs
    )
