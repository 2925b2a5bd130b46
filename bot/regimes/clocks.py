"""Clock arithmetic for the regimes: hours counted as elapsed time, calendar days in the regime's own zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.appi.deadlines import END_OF_DAY, JST


def hours_after(instant: datetime, hours: int) -> datetime:
    """``hours`` elapsed hours after ``instant``, in JST. Counted in UTC: a daylight-saving change in between
    (Europe/Brussels, Europe/London) never makes the clock 71 or 73 hours long."""
    return (instant.astimezone(UTC) + timedelta(hours=hours)).astimezone(JST)


def day_in(instant: datetime, zone: ZoneInfo) -> date:
    """The calendar day ``instant`` falls on in ``zone``."""
    return instant.astimezone(zone).date()


def days_after(day: date, days: int) -> date:
    """``days`` calendar days after ``day`` (the day itself not counted): 3 days after the 1st is the 4th."""
    return day + timedelta(days=days)


def end_of_day_in(day: date, zone: ZoneInfo) -> datetime:
    """The last second of ``day`` in ``zone``, in JST (a calendar day of that law ends at its midnight)."""
    return datetime.combine(day, END_OF_DAY, tzinfo=zone).astimezone(JST)
