"""Deadlines already due or overdue when they appear: a leak reported 2, 10 or 40 days after awareness, a
reassessment that adds a past deadline, a correction that moves one into the past. The channel and the
executives hear at once that it is overdue, by how much and what to do; then it escalates every business
day. Real database (SQLite, and PostgreSQL when configured), fake clock, a recording notifier."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.appi.deadlines import JST
from bot.bootstrap import build_core
from bot.config.org import Reminders, parse_org_config
from bot.config.settings import CoreSettings
from bot.domain.facts import Facts
from bot.domain.vocabulary import Cause
from bot.presentation import days_left
from bot.reminders.plan import CHANNEL, EXECUTIVES, plan
from bot.reminders.texts import action_text, item_line
from bot.services.incidents import ReportRequest
from bot.services.ports import Actor
from bot.storage.tables import Deadline, Incident, Reminder
from tests.conftest import DATA, ORG_YAML
from tests.test_reminders import Directory, FakeNotifier

LEGAL = Actor("slack", "ULEGAL")
EXECUTIVE_TARGETS = {"user:slack:UCOMMANDER", "user:slack:UEXEC"}
NEXT_MORNING = datetime(2026, 12, 2, 9, 0, tzinfo=JST)  # the clock starts Tue 2026-12-01 10:00 JST


@pytest.fixture
async def core(clean_database, clock):
    org = parse_org_config(ORG_YAML + "playbook: mini\n", "org.yaml")
    settings = CoreSettings(DATABASE_URL=clean_database, LEAKBOT_PLAYBOOKS_DIR=str(DATA / "playbooks"))
    built = build_core(settings, clock=clock, org=org)
    yield built
    await built.close()


async def report_late(core, clock, days: int, **facts) -> str:
    aware = clock.now() - timedelta(days=days)
    request = ReportRequest("slack", "UREPORTER", "ja", aware, Facts(summary="遅れて報告", **facts))
    ref = (await core.incidents.report(request)).incident.reference
    await core.incidents.resolve_team(ref, Directory())
    return ref


async def rows_of(core, ref: str) -> tuple[dict[str, Deadline], list[Reminder]]:
    async with core.incidents._sessions() as session:
        incident = await session.scalar(select(Incident).where(Incident.reference == ref))
        deadlines = {
            d.key: d
            for d in await session.scalars(select(Deadline).where(Deadline.incident_id == incident.id))
            if d.status == "pending"
        }
        reminders = list(
            await session.scalars(
                select(Reminder).where(Reminder.incident_id == incident.id, Reminder.state != "cancelled")
            )
        )
    return deadlines, reminders


def assert_overdue_said_at_once(deadlines, reminders, now: datetime, keys=None) -> set[str]:
    """Every deadline (of ``keys``) already past has a "late" row at ``now`` for the channel (and the
    executives for a legal deadline) and an escalation the next business morning; the others have no
    "late" row."""
    overdue = {key for key, d in deadlines.items() if d.due_at <= now}
    for key, deadline in deadlines.items():
        if keys is not None and key not in keys:
            continue
        late = {r.target for r in reminders if r.deadline_key == key and r.kind == "late"}
        if key not in overdue:
            assert not late, key
            assert any(r.planned_at >= now for r in reminders if r.deadline_key == key), key
            continue
        assert all(r.planned_at == now for r in reminders if r.deadline_key == key and r.kind == "late"), key
        if deadline.kind == "step":
            assert late == {"channel"}, key
            continue
        assert late == {"channel"} | EXECUTIVE_TARGETS, key
        escalations = {
            r.target
            for r in reminders
            if r.deadline_key == key and r.kind == "overdue" and r.planned_at == NEXT_MORNING
        }
        assert escalations == {"channel"} | EXECUTIVE_TARGETS, key
    return overdue


@pytest.mark.parametrize(
    ("days", "expect_overdue"),
    [
        (2, {"step:tell_boss", "controller_notice"}),
        (10, {"step:tell_boss", "preliminary"}),
        (40, {"step:tell_boss", "preliminary", "final"}),
    ],
)
async def test_a_late_report_is_said_overdue_at_once(core, clock, days, expect_overdue) -> None:
    facts = {"persons": 2000, "cause": Cause.MISDELIVERY}
    if days == 2:  # we hold the data for another company: the 委託元 notice is due at the end of day 2
        facts |= {"acting_for_controller": True}
    ref = await report_late(core, clock, days, **facts)
    deadlines, reminders = await rows_of(core, ref)
    overdue = assert_overdue_said_at_once(deadlines, reminders, clock.now())
    assert expect_overdue <= overdue
    if days == 40 and "individuals" in deadlines:
        assert "individuals" in overdue

    notifier = FakeNotifier()
    service = core.reminder_service({"slack": notifier}, "w1")
    await service.sweep()
    by_recipient = {d.channel_of or d.user_id: d for d in notifier.deliveries}
    assert set(by_recipient) >= {ref, "UCOMMANDER", "UEXEC"}
    now = clock.now()
    for recipient, delivery in by_recipient.items():
        said = {i.deadline.key: i for i in delivery.latest_per_deadline() if i.kind == "late"}
        wanted = overdue if recipient == ref else {k for k in overdue if not k.startswith("step:")}
        assert set(said) == wanted, recipient
        for key, item in said.items():
            line = item_line(item, now, "ja")
            late = now - deadlines[key].due_at
            if late < timedelta(days=1):  # under a day: said in hours (issue 18), never 「1日超過」
                by = f"{max(1, int(late.total_seconds() // 3600))}時間超過"
            else:
                by = f"{-days_left(deadlines[key].due_at, now)}日超過"
            assert by in line and "既に過ぎています" in line, line
            assert "直ちに" in action_text(item, "ja"), key

    # then the normal escalation: every business day, for the legal deadlines
    legal_overdue = {k for k in overdue if not k.startswith("step:")}
    for day in (2, 3):
        notifier.deliveries.clear()
        clock.set(datetime(2026, 12, day, 9, 0, 30, tzinfo=JST))
        await service.sweep()
        escalated = {
            (d.channel_of or d.user_id, i.deadline.key)
            for d in notifier.deliveries
            for i in d.items
            if i.kind == "overdue"
        }
        assert escalated == {(r, k) for r in (ref, "UCOMMANDER", "UEXEC") for k in legal_overdue}, day


async def test_a_deadline_added_by_reassessment_after_it_passed(core, clock) -> None:
    """Reported 10 days late as 10 people (not reportable); the count turns out to be 2000: the 速報, due
    5 days ago, appears overdue and is said at once."""
    ref = await report_late(core, clock, 10, persons=10, cause=Cause.MISDELIVERY)
    deadlines, _ = await rows_of(core, ref)
    assert "preliminary" not in deadlines
    clock.advance(timedelta(hours=2))
    await core.incidents.update_facts(ref, {"persons": 2000}, LEGAL)
    deadlines, reminders = await rows_of(core, ref)
    assert "preliminary" in assert_overdue_said_at_once(deadlines, reminders, clock.now(), {"preliminary"})


async def test_a_deadline_moved_into_the_past_is_said_at_once(core, clock) -> None:
    """Reported 40 days after awareness as an attack (確報 60 days, still ahead); the cause is corrected to
    a misdelivery (30 days): the 確報 is now 10 days overdue, said at once, and said once only however
    often the incident is replanned."""
    ref = await report_late(core, clock, 40, persons=2000, cause=Cause.UNAUTHORIZED_ACCESS)
    deadlines, reminders = await rows_of(core, ref)
    assert deadlines["final"].due_at > clock.now()
    assert not [r for r in reminders if r.deadline_key == "final" and r.kind == "late"]
    clock.advance(timedelta(minutes=30))
    await core.incidents.update_facts(ref, {"cause": "misdelivery", "malicious": False}, LEGAL)
    moved_at = clock.now()
    deadlines, reminders = await rows_of(core, ref)
    assert deadlines["final"].due_at < moved_at
    late = [r for r in reminders if r.deadline_key == "final" and r.kind == "late"]
    assert {r.target for r in late} == {"channel"} | EXECUTIVE_TARGETS
    assert {r.planned_at for r in late} == {moved_at}
    clock.advance(timedelta(minutes=5))
    await core.incidents.set_step(ref, "tell_boss", "done", Actor("slack", "UCOMMANDER"))  # replans again
    _, again = await rows_of(core, ref)
    assert len([r for r in again if r.deadline_key == "final" and r.kind == "late"]) == len(late)


@pytest.mark.parametrize("kind", ["preliminary", "final", "individuals", "controller_notice", "step"])
@pytest.mark.parametrize("days_late", [0, 2, 10, 40])
def test_every_kind_already_past_gets_a_late_ping_then_escalates(kind: str, days_late: int) -> None:
    config = Reminders()
    opened = datetime(2026, 12, 1, 10, 0, tzinfo=JST)
    due = opened - timedelta(days=days_late, minutes=1)
    planned = plan(kind, due, opened, config)
    late = [(p.kind, p.audience) for p in planned if p.due_at == opened]
    audiences = [CHANNEL] if kind == "step" else [CHANNEL, EXECUTIVES]
    assert sorted(late) == sorted(("late", a) for a in audiences)
    if kind != "step":
        assert {(p.kind, p.due_at) for p in planned if p.kind == "overdue"} == {("overdue", NEXT_MORNING)}
    assert all(p.due_at >= opened for p in planned), "nothing planned before the deadline appeared"


def test_a_deadline_appearing_on_its_due_day_after_the_morning_ping_says_due_today_at_once() -> None:
    opened = datetime(2026, 12, 4, 11, 0, tzinfo=JST)
    due = datetime(2026, 12, 4, 23, 59, tzinfo=JST)
    planned = plan("final", due, opened, Reminders())
    assert sorted((p.kind, p.audience) for p in planned if p.due_at == opened) == [
        ("due_morning", CHANNEL),
        ("due_morning", EXECUTIVES),
    ]
