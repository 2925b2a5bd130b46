"""Which reminders a deadline gets and when: pure functions of the deadline, the config and now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.appi.calendar import next_open_day
from bot.appi.deadlines import JST
from bot.config.org import Reminders

CHANNEL = "channel"  # the response channel, mentioning the owning role
EXECUTIVES = "executives"  # direct messages to executives and the commander


@dataclass(frozen=True)
class PlannedReminder:
    kind: str  # opened, before, due_morning, overdue
    due_at: datetime
    audience: str  # CHANNEL or EXECUTIVES


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=JST)


def outside_quiet_hours(moment: datetime, config: Reminders) -> datetime:
    """Move a ping that would fall in quiet hours to the end of them (the same or the next morning)."""
    local = moment.astimezone(JST)
    quiet = config.quiet_hours
    if not quiet.contains(local.time()):
        return moment
    day = local.date()
    if quiet.start > quiet.end and local.time() >= quiet.start:
        day += timedelta(days=1)
    return _at(day, quiet.end)


def next_escalation(after: datetime, config: Reminders) -> datetime:
    """The next business day's morning after ``after``: overdue deadlines escalate once a business day."""
    day = next_open_day(after.astimezone(JST).date() + timedelta(days=1))
    return _at(day, config.morning)


def plan(kind: str, due_at: datetime, opened_at: datetime, config: Reminders) -> list[PlannedReminder]:
    """Reminders for one pending deadline. ``opened_at``: when the deadline appeared."""
    due_day = due_at.astimezone(JST).date()
    wanted: list[PlannedReminder] = []
    both = (CHANNEL, EXECUTIVES)
    if kind == "step":
        wanted += [
            PlannedReminder("before", due_at - timedelta(hours=h), CHANNEL) for h in config.step_before_hours
        ]
        wanted.append(PlannedReminder("due", due_at, CHANNEL))
    else:
        if kind in ("preliminary", "controller_notice"):
            wanted += [PlannedReminder("opened", opened_at, a) for a in both]
        if kind == "preliminary":
            wanted += [
                PlannedReminder("before", due_at - timedelta(hours=h), a)
                for h in config.preliminary_before_hours
                for a in both
            ]
        days = {"final": config.final_before_days, "individuals": config.individuals_before_days}.get(
            kind, ()
        )
        wanted += [
            PlannedReminder("before", _at(due_day - timedelta(days=d), config.morning), a)
            for d in days
            for a in both
        ]
        wanted += [PlannedReminder("due_morning", _at(due_day, config.morning), a) for a in both]
        wanted += [PlannedReminder("overdue", next_escalation(due_at, config), a) for a in both]
    result: dict[tuple[str, datetime, str], PlannedReminder] = {}
    for reminder in wanted:
        when = reminder.due_at if reminder.kind == "overdue" else outside_quiet_hours(reminder.due_at, config)
        if reminder.kind != "opened" and when < opened_at:
            continue  # e.g. "7 days before" a deadline 3 days away
        if reminder.kind not in ("overdue", "due") and when > due_at:
            continue  # quiet hours pushed it past the deadline: the due-day ping covers it
        result[(reminder.kind, when, reminder.audience)] = PlannedReminder(
            reminder.kind, when, reminder.audience
        )
    return sorted(result.values(), key=lambda r: (r.due_at, r.audience))
