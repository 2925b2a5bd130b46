"""Reminder plans for the worked deadline cases, quiet hours and escalation days (pure functions)."""

from __future__ import annotations

from datetime import datetime

from bot.appi.deadlines import JST, final_deadline, preliminary_target
from bot.config.org import Reminders
from bot.reminders.plan import CHANNEL, outside_quiet_hours, plan

CONFIG = Reminders()


def jst(*args: int) -> datetime:
    return datetime(*args, tzinfo=JST)


def times(planned, audience=CHANNEL) -> list[tuple[str, str]]:
    return [
        (p.kind, p.due_at.astimezone(JST).strftime("%Y-%m-%d %H:%M"))
        for p in planned
        if p.audience == audience
    ]


def test_final_report_reminders_across_the_year_end() -> None:
    due = final_deadline(jst(2026, 12, 1).date(), malicious=False).due_at  # 2027-01-04 (Mon)
    assert times(plan("final", due, jst(2026, 12, 1, 10), CONFIG)) == [
        ("before", "2026-12-28 09:00"),
        ("before", "2027-01-01 09:00"),
        ("before", "2027-01-03 09:00"),
        ("due_morning", "2027-01-04 09:00"),
        ("overdue", "2027-01-05 09:00"),
    ]


def test_preliminary_reminders_at_creation_and_before_the_window_ends() -> None:
    due = preliminary_target(jst(2026, 12, 1).date()).due_at  # end of 2026-12-05 (Sat)
    assert times(plan("preliminary", due, jst(2026, 12, 1, 10, 30), CONFIG)) == [
        ("opened", "2026-12-01 10:30"),
        ("before", "2026-12-05 08:00"),  # 24 h before is 23:59 on the 4th: quiet hours hold it until 08:00
        ("due_morning", "2026-12-05 09:00"),
        ("overdue", "2026-12-07 09:00"),  # the next business day after Saturday the 5th
    ]


def test_reminders_already_past_when_the_deadline_appears_are_dropped() -> None:
    due = final_deadline(jst(2026, 12, 1).date(), malicious=False).due_at
    late = plan("final", due, jst(2027, 1, 2, 12), CONFIG)
    assert times(late) == [
        ("before", "2027-01-03 09:00"),
        ("due_morning", "2027-01-04 09:00"),
        ("overdue", "2027-01-05 09:00"),
    ]


def test_quiet_hours() -> None:
    assert outside_quiet_hours(jst(2026, 12, 1, 23, 30), CONFIG) == jst(2026, 12, 2, 8)
    assert outside_quiet_hours(jst(2026, 12, 2, 3, 0), CONFIG) == jst(2026, 12, 2, 8)
    assert outside_quiet_hours(jst(2026, 12, 2, 12, 0), CONFIG) == jst(2026, 12, 2, 12)


def test_step_reminders_go_to_the_channel_only() -> None:
    planned = plan("step", jst(2026, 12, 1, 14), jst(2026, 12, 1, 10), CONFIG)
    assert {p.audience for p in planned} == {CHANNEL}
    assert times(planned) == [("before", "2026-12-01 13:00"), ("due", "2026-12-01 14:00")]
