"""Legal deadlines for a leak (規則8条, GL 3-5-3-3 / 3-5-3-4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.appi.calendar import day_n, is_closed, next_open_day

JST = ZoneInfo("Asia/Tokyo")
END_OF_DAY = time(23, 59, 59)

FINAL_DAYS = 30
FINAL_DAYS_MALICIOUS = 60
# 速報: due 「速やかに」 (規則8条1項); the guideline's target is 概ね3～5日以内. Counted like 確報 (awareness =
# day 1), the guideline range is day 3 to day 5 and the target we show and remind on is the end of day 5.
# It is a target, not a legal date: closed days do not move it.
PRELIMINARY_FROM_DAY = 3
PRELIMINARY_TO_DAY = 5
# 委託先 → 委託元: 「速やかに」. We aim at the end of day 2 so the controller can still meet its own 速報.
CONTROLLER_NOTICE_DAY = 2


def end_of_day(day: date) -> datetime:
    """The last second of ``day`` in Japan time: deadlines fall due then."""
    return datetime.combine(day, END_OF_DAY, tzinfo=JST)


@dataclass(frozen=True)
class FinalDeadline:
    days: int
    raw_day: date  # day N before closed days are skipped
    due_on: date
    skipped: tuple[date, ...]

    @property
    def due_at(self) -> datetime:
        return end_of_day(self.due_on)


@dataclass(frozen=True)
class PreliminaryTarget:
    """The 速報 is due 「速やかに」; ``end`` is the guideline's target (概ね3～5日以内), never a legal date."""

    start: date  # the guideline range's first day (day 3), for information only
    end: date  # the target: day 5

    @property
    def due_at(self) -> datetime:
        return end_of_day(self.end)


@dataclass(frozen=True)
class InternalTarget:
    """The organization's own target day for a duty the law only says is due 「速やかに」 (本人通知)."""

    days: int
    due_on: date

    @property
    def due_at(self) -> datetime:
        return end_of_day(self.due_on)


def final_days(malicious: bool) -> int:
    """30 days, or 60 when the 3号 (wrongful purpose) ground applies, alone or with others."""
    return FINAL_DAYS_MALICIOUS if malicious else FINAL_DAYS


def final_deadline(aware_on: date, malicious: bool) -> FinalDeadline:
    days = final_days(malicious)
    raw = day_n(aware_on, days)
    due = next_open_day(raw)
    skipped = tuple(
        raw + timedelta(days=i) for i in range((due - raw).days) if is_closed(raw + timedelta(days=i))
    )
    return FinalDeadline(days=days, raw_day=raw, due_on=due, skipped=skipped)


def preliminary_target(aware_on: date) -> PreliminaryTarget:
    return PreliminaryTarget(
        start=day_n(aware_on, PRELIMINARY_FROM_DAY), end=day_n(aware_on, PRELIMINARY_TO_DAY)
    )


def internal_target(aware_on: date, days: int) -> InternalTarget:
    """Day ``days`` counted like the PPC counts (awareness = day 1); closed days do not move a target."""
    return InternalTarget(days=days, due_on=day_n(aware_on, days))


def controller_notice_due(aware_on: date) -> date:
    return day_n(aware_on, CONTROLLER_NOTICE_DAY)
