"""Reminder plans for the regimes' hour clocks (issue 20, pure functions): GDPR's 72 h is pinged at 24 h, 48 h
and 66 h to the channel and the executives, and overdue the moment it passes; quiet hours hold a ping to their
end only while that is still before the deadline, never past it."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from bot.config.org import Reminders
from bot.reminders.plan import CHANNEL, EXECUTIVES, cannot_wait, plan
from tests.test_reminder_plan import jst, times

CONFIG = Reminders()  # quiet hours 22:00–08:00 JST


def test_a_72_hour_clock_is_pinged_at_24_48_and_66_hours_to_the_channel_and_the_executives() -> None:
    aware = jst(2026, 12, 1, 10)
    planned = plan("regime_hours", aware + timedelta(hours=72), aware, CONFIG)
    for audience in (CHANNEL, EXECUTIVES):
        assert times(planned, audience) == [
            ("opened", "2026-12-01 10:00"),
            ("before", "2026-12-02 10:00"),  # 24 h
            ("before", "2026-12-03 10:00"),  # 48 h: 24 h before
            ("before", "2026-12-04 08:00"),  # 66 h fell at 04:00, in quiet hours: held to 08:00, before 10:00
            ("overdue", "2026-12-04 10:00"),  # the moment it passes
        ]


def test_quiet_hours_never_hold_a_ping_past_the_deadline() -> None:
    aware = jst(2026, 12, 1, 5)  # due 2026-12-04 05:00, in quiet hours
    planned = plan("regime_hours", aware + timedelta(hours=72), aware, CONFIG)
    assert times(planned) == [
        ("opened", "2026-12-01 05:00"),
        ("before", "2026-12-02 08:00"),  # 24 h fell at 05:00: held to 08:00
        ("before", "2026-12-03 08:00"),
        (
            "before",
            "2026-12-03 23:00",
        ),  # 66 h: the end of quiet hours (08:00) is past 05:00, so it goes at once
        ("overdue", "2026-12-04 05:00"),  # overdue at night too
    ]


def test_a_clock_opened_late_gets_only_the_pings_still_ahead_and_one_already_past_is_said_at_once() -> None:
    aware = jst(2026, 12, 1, 10)
    planned = plan("regime_hours", aware + timedelta(hours=72), aware + timedelta(hours=50), CONFIG)
    assert times(planned) == [
        ("opened", "2026-12-03 12:00"),
        ("before", "2026-12-04 08:00"),
        ("overdue", "2026-12-04 10:00"),
    ]
    past = plan("regime_hours", aware + timedelta(hours=72), aware + timedelta(hours=80), CONFIG)
    assert times(past)[0] == ("late", "2026-12-04 18:00"), "already past when it appears: said at once"


def test_the_sweep_does_not_hold_a_ping_that_the_morning_would_make_late() -> None:
    due = jst(2026, 12, 4, 5)
    item = SimpleNamespace(deadline=SimpleNamespace(kind="regime_hours", due_at=due))
    assert cannot_wait(item, jst(2026, 12, 4, 8)), "08:00 is past the 05:00 deadline: send now"
    assert not cannot_wait(item, jst(2026, 12, 4, 4)), "held to 04:00 is still in time"
    japan = SimpleNamespace(deadline=SimpleNamespace(kind="final", due_at=due))
    assert not cannot_wait(japan, jst(2026, 12, 4, 8)), "Japan's day-counted deadlines keep the old rule"
