"""The administrative calendar the PPC counts deadlines on.

Closed days (行政機関の休日に関する法律 1条): Saturdays, Sundays, national holidays (including substitute
holidays and 国民の休日, from the maintained ``holidays`` package) and the year-end closure 12/29–1/3,
which no holiday package knows.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=256)
def _national_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("JP", years=year)


def warm(today: date) -> None:
    """Load this year's and next year's holidays now: the first look-up imports the holidays package's
    country modules (0.1-0.3 s), which `leakbot serve` does before it takes requests, not in the event loop
    while a burst of them waits."""
    for year in (today.year, today.year + 1):
        _national_holidays(year)


def is_year_end_closure(day: date) -> bool:
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


def is_closed(day: date) -> bool:
    """True when government offices are closed on ``day``."""
    return day.weekday() >= 5 or is_year_end_closure(day) or day in _national_holidays(day.year)


def closed_reason(day: date) -> str | None:
    """A short English reason why ``day`` is closed, or None when it is open."""
    if is_year_end_closure(day):
        return "year-end closure"
    name = _national_holidays(day.year).get(day)
    if name:
        return name
    if day.weekday() >= 5:
        return "Saturday" if day.weekday() == 5 else "Sunday"
    return None


def next_open_day(day: date) -> date:
    """``day`` itself when open, else the first open day after a run of closed days."""
    while is_closed(day):
        day += timedelta(days=1)
    return day


def day_n(aware_on: date, n: int) -> date:
    """Day ``n`` counted the PPC's way: the day of awareness is day 1 (GL 3-5-3-4)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    return aware_on + timedelta(days=n - 1)
