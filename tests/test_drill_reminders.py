"""A drill's reminders (issue 14): planned in drill time like a real incident's, sent at the matching real
moment (720×: the 速報 and 確報 pings within the exercise's hour or two), said in drill time, marked
【訓練】 / [DRILL], never held by quiet hours; a real incident's reminders stay as they were."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.appi.deadlines import JST
from bot.bootstrap import build_core
from bot.config.org import parse_org_config
from bot.config.settings import CoreSettings
from bot.domain.facts import Facts
from bot.drills import DrillClock
from bot.reminders.plan import plan
from bot.services.incidents import ReportRequest
from bot.services.ports import Actor
from bot.storage.tables import Reminder
from bot.views.reminders import reminder_message
from tests.conftest import DATA, ORG_YAML
from tests.test_reminders import Directory
from tests.test_reminders import FakeNotifier as RecordingNotifier

COMMANDER = Actor("slack", "UCOMMANDER")


class FakeNotifier(RecordingNotifier):
    def items(self, key: str) -> list:
        return [i for d in self.deliveries for i in d.items if i.deadline.key == key]


@pytest.fixture
async def core(clean_database, clock):
    org = parse_org_config(ORG_YAML, "org.yaml")
    settings = CoreSettings(DATABASE_URL=clean_database)
    built = build_core(settings, clock=clock, org=org)
    yield built
    await built.close()


async def start_drill(core, scenario: str = "web_skimming", lang: str = "ja") -> str:
    ref = (await core.incidents.start_drill(scenario, COMMANDER, lang)).incident.reference
    await core.incidents.resolve_team(ref, Directory())
    return ref


async def rows(core, reference_id: int | None = None) -> list[Reminder]:
    async with core.incidents._sessions() as session:
        query = select(Reminder).order_by(Reminder.due_at, Reminder.id)
        if reference_id is not None:
            query = query.where(Reminder.incident_id == reference_id)
        return list(await session.scalars(query))


async def run_for(service, clock, real: timedelta, step: timedelta = timedelta(seconds=30)) -> None:
    """Let real time pass, sweeping like the in-process timer."""
    end = clock.now() + real
    while clock.now() < end:
        clock.advance(step)
        await service.sweep()


def _legal(view, key: str):
    return next(d for d in view.deadlines if d.key == key)


async def test_a_drill_at_720x_reminds_of_the_reports_within_the_hour_or_two(core, clock) -> None:
    start = clock.now()
    outcome = await core.incidents.start_drill("web_skimming", COMMANDER, "ja")
    await core.incidents.resolve_team(outcome.incident.reference, Directory())
    view = outcome.incident
    preliminary, final = _legal(view, "preliminary"), _legal(view, "final")
    drill = DrillClock(start, 720)
    # the deadlines are drill time from the real start: 3–5 days and 30/60 days away …
    assert final.due_at - start >= timedelta(days=29)
    # … and every ping of them is stored at its real moment: within about two real hours
    planned = [r for r in await rows(core) if r.deadline_key in ("preliminary", "final")]
    assert planned and all(r.state == "pending" for r in planned)
    assert max(r.due_at for r in planned) <= start + timedelta(hours=2, minutes=10)
    assert {r.planned_at for r in planned if r.deadline_key == "final" and r.kind == "due_morning"} == {
        drill.real_at(datetime.combine(final.due_at.astimezone(JST).date(), core.org.reminders.morning, JST))
    }
    notifier = FakeNotifier()
    service = core.reminder_service({"slack": notifier}, "w1")
    await service.sweep()  # the 速報 "opened" pings at once, in the channel and to the executives
    assert {i.kind for i in notifier.items("preliminary")} == {"opened"}
    await run_for(service, clock, drill.to_real(preliminary.due_at - start) + timedelta(minutes=5))
    kinds = [i.kind for i in notifier.items("preliminary")]
    assert {"before", "due_morning", "overdue"} <= set(kinds)
    await run_for(service, clock, drill.to_real(final.due_at - preliminary.due_at) + timedelta(minutes=1))
    assert clock.now() - start <= timedelta(hours=2, minutes=10)
    assert {"before", "due_morning", "overdue"} <= {i.kind for i in notifier.items("final")}
    # the executives were pinged too, and nothing was held for quiet hours
    assert {d.user_id for d in notifier.deliveries if d.user_id} >= {"UEXEC", "UCOMMANDER"}
    assert not [r for r in await rows(core) if r.state in ("pending", "claimed") and r.due_at < clock.now()]


async def test_a_drills_texts_tell_the_drill_time_truth(core, clock) -> None:
    start = clock.now()
    ref = await start_drill(core)
    notifier = FakeNotifier()
    service = core.reminder_service({"slack": notifier}, "w1")
    await service.sweep()
    drill = DrillClock(start, 720)
    # eight drill days later (16 real minutes) the 速報 (target: day 3–5) is days overdue in drill time
    await run_for(service, clock, drill.to_real(timedelta(days=8)))
    overdue = [i for i in notifier.items("preliminary") if i.kind == "overdue"]
    assert overdue
    # the planned moment is said in drill time, not as the real minute it was sent at
    assert all(i.scheduled_for - start >= timedelta(days=3) for i in overdue)
    latest = next(d for d in reversed(notifier.deliveries) if d.channel_of == ref)
    message = reminder_message(latest, clock.now(), "ja")
    text = "".join(s.text for e in message.entries for s in e.text)
    assert "日超過" in text and "本日" not in text


async def test_an_executive_ping_of_a_drill_is_marked(core, clock) -> None:
    ref = await start_drill(core)
    notifier = FakeNotifier()
    await core.reminder_service({"slack": notifier}, "w1").sweep()
    direct = next(d for d in notifier.deliveries if d.user_id == "UEXEC")
    channel = next(d for d in notifier.deliveries if d.channel_of == ref)
    for delivery in (direct, channel):
        for lang, mark in (("ja", "【訓練】"), ("en", "[DRILL]")):
            message = reminder_message(delivery, clock.now(), lang)
            assert message.header[0].text.startswith(mark)
            assert message.fallback.startswith(mark)


async def test_a_drill_goes_on_in_quiet_hours(clean_database) -> None:
    from bot.clock import FakeClock

    clock = FakeClock(datetime(2026, 12, 1, 14, 0, tzinfo=UTC))  # 23:00 JST: quiet hours
    built = build_core(
        CoreSettings(DATABASE_URL=clean_database), clock=clock, org=parse_org_config(ORG_YAML, "org.yaml")
    )
    try:
        await start_drill(built)
        notifier = FakeNotifier()
        result = await built.reminder_service({"slack": notifier}, "w1").sweep()
        assert result.postponed == 0 and notifier.items("preliminary")
    finally:
        await built.close()


async def test_a_real_incidents_reminders_are_unchanged(clean_database, clock) -> None:
    org = parse_org_config(ORG_YAML + "playbook: mini\n", "org.yaml")
    settings = CoreSettings(DATABASE_URL=clean_database, LEAKBOT_PLAYBOOKS_DIR=str(DATA / "playbooks"))
    built = build_core(settings, clock=clock, org=org)
    try:
        request = ReportRequest(
            "slack", "UREPORTER", "ja", clock.now(), Facts(summary="誤送信", persons=2000)
        )
        view = (await built.incidents.report(request)).incident
        await built.incidents.resolve_team(view.reference, Directory())
        stored = [r for r in await rows(built) if r.target == "channel"]
        expected = {
            (d.key, p.kind, p.due_at)
            for d in view.deadlines
            if d.status == "pending"
            for p in plan(d.kind, d.due_at, clock.now(), org.reminders)
            if p.audience == "channel"
        }
        assert {(r.deadline_key, r.kind, r.planned_at) for r in stored} == expected
        final = [r for r in stored if r.deadline_key == "final"]
        assert final and min(r.due_at for r in final) - clock.now() > timedelta(days=20)
        assert all(r.due_at.astimezone(JST).time() == org.reminders.morning for r in final)
    finally:
        await built.close()
