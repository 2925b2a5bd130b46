"""確報 deadlines counted the PPC's way, and the 速報 target window."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.appi.calendar import is_closed
from bot.appi.deadlines import JST, final_deadline, preliminary_target

# (aware, malicious, raw day N, deadline): the four worked examples of appi-rules.md, then our own.
WORKED = [
    (date(2026, 12, 1), False, date(2026, 12, 30), date(2027, 1, 4)),  # 年末年始 skipped whole
    (date(2026, 12, 5), True, date(2027, 2, 2), date(2027, 2, 2)),  # 60 days, open day
    (date(2026, 10, 25), False, date(2026, 11, 23), date(2026, 11, 24)),  # 勤労感謝の日
    (date(2026, 11, 7), False, date(2026, 12, 6), date(2026, 12, 7)),  # Sunday
    (date(2026, 4, 6), False, date(2026, 5, 5), date(2026, 5, 7)),  # GW: こどもの日 + 振替休日 5/6
    (date(2027, 4, 4), False, date(2027, 5, 3), date(2027, 5, 6)),  # GW: 5/3, 5/4, 5/5 in a row
    (date(2026, 10, 31), True, date(2026, 12, 29), date(2027, 1, 4)),  # 60 days into 12/29–1/3
    (date(2026, 8, 23), False, date(2026, 9, 21), date(2026, 9, 24)),  # 敬老の日, 国民の休日 9/22, 秋分の日
    (date(2028, 1, 31), False, date(2028, 2, 29), date(2028, 2, 29)),  # leap day, a Tuesday
    (date(2028, 1, 1), True, date(2028, 2, 29), date(2028, 2, 29)),  # leap year, 60 days
    (date(2027, 1, 31), False, date(2027, 3, 1), date(2027, 3, 1)),  # no leap day in 2027
    (date(2026, 12, 31), False, date(2027, 1, 29), date(2027, 1, 29)),  # aware during the closure
]


@pytest.mark.parametrize(("aware", "malicious", "raw", "due"), WORKED)
def test_worked_cases(aware: date, malicious: bool, raw: date, due: date) -> None:
    deadline = final_deadline(aware, malicious)
    assert deadline.days == (60 if malicious else 30)
    assert deadline.raw_day == raw
    assert deadline.due_on == due
    assert deadline.due_at == datetime(due.year, due.month, due.day, 23, 59, 59, tzinfo=JST)


def test_the_skipped_days_are_listed() -> None:
    deadline = final_deadline(date(2026, 12, 1), malicious=False)
    assert [d.isoformat() for d in deadline.skipped] == [
        "2026-12-30",
        "2026-12-31",
        "2027-01-01",
        "2027-01-02",
        "2027-01-03",
    ]


def test_preliminary_target_is_day_three_to_day_five() -> None:
    target = preliminary_target(date(2026, 12, 1))
    assert (target.start, target.end) == (date(2026, 12, 3), date(2026, 12, 5))
    assert target.due_at.tzinfo is JST


@pytest.mark.parametrize(
    ("day", "closed"),
    [
        (date(2026, 9, 22), True),  # 国民の休日 (between two holidays)
        (date(2026, 5, 6), True),  # 振替休日
        (date(2026, 12, 29), True),
        (date(2027, 1, 3), True),
        (date(2027, 1, 4), False),
        (date(2026, 12, 28), False),
        (date(2026, 11, 24), False),
    ],
)
def test_closed_days(day: date, closed: bool) -> None:
    assert is_closed(day) is closed


@given(aware=st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31)), malicious=st.booleans())
def test_deadline_properties(aware: date, malicious: bool) -> None:
    deadline = final_deadline(aware, malicious)
    raw = aware + timedelta(days=deadline.days - 1)
    assert deadline.raw_day == raw
    assert not is_closed(deadline.due_on), "the deadline is never a closed day"
    assert deadline.due_on >= raw, "never before raw day N"
    between = [raw + timedelta(days=i) for i in range((deadline.due_on - raw).days)]
    assert all(is_closed(d) for d in between), "no open day lies between raw day N and the deadline"
    assert list(deadline.skipped) == between
