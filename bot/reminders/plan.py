"""Which reminders a deadline gets and when: pure functions of the deadline, the config and now.

A drill's deadlines are in drill time (issue 14): its reminders are planned in drill time like a real
incident's, without quiet hours and with overdue escalations every drill day (a drill runs in the exercise
hour, docs/decisions.md), then each planned moment is turned into the real moment to send it at with
:meth:`bot.drills.clock.DrillClock.real_at`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.appi.calendar import next_open_day
from bot.appi.deadlines import JST
from bot.config.org import Reminders

CHANNEL = "channel"  # the response channel, mentioning the owning role
EXECUTIVES = "executives"  # direct messages to executives and the commander


# Kinds said at once when a deadline appears: "opened" (速報 / 委託元通知 set), "late" (already past when it
# appeared: a late report, a reassessment, a corrected discovery date).
AT_ONCE = ("opened", "late")
URGENT = ("overdue", "late")  # not held by quiet hours


@dataclass(frozen=True)
class PlannedReminder:
    kind: str  # opened, late, before, due_morning, due, overdue
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


def drill_escalation(after: datetime, config: Reminders) -> datetime:
    """A drill's overdue deadline escalates the next drill day's morning, weekends and holidays included."""
    return _at(after.astimezone(JST).date() + timedelta(days=1), config.morning)


def escalation(after: datetime, config: Reminders, *, drill: bool = False) -> datetime:
    return drill_escalation(after, config) if drill else next_escalation(after, config)


def plan(
    kind: str, due_at: datetime, opened_at: datetime, config: Reminders, *, drill: bool = False
) -> list[PlannedReminder]:
    """Reminders for one pending deadline. ``opened_at``: when the deadline appeared in this form.

    A deadline already past when it appears is said at once ("late": by how much and what to do), then
    escalates every business day like any overdue deadline. One that appears on its due day after the
    morning ping gets that "due today" ping at once instead.

    ``drill``: the moments are drill time; quiet hours are not applied and overdue escalates every drill
    day."""

    def shifted(moment: datetime) -> datetime:
        return moment if drill else outside_quiet_hours(moment, config)

    if kind == "regime_hours" and not due_at <= opened_at:
        return hour_clock(due_at, opened_at, config, drill=drill)
    due_day = due_at.astimezone(JST).date()
    wanted: list[PlannedReminder] = []
    both = (CHANNEL, EXECUTIVES)
    late = due_at <= opened_at
    if kind == "step":
        if late:
            wanted.append(PlannedReminder("late", opened_at, CHANNEL))
        else:
            wanted += [
                PlannedReminder("before", due_at - timedelta(hours=h), CHANNEL)
                for h in config.step_before_hours
            ]
            wanted.append(PlannedReminder("due", due_at, CHANNEL))
    elif late:
        wanted += [PlannedReminder("late", opened_at, a) for a in both]
        wanted += [PlannedReminder("overdue", escalation(opened_at, config, drill=drill), a) for a in both]
    else:
        morning = shifted(_at(due_day, config.morning))
        local = opened_at.astimezone(JST)
        quiet_now = not drill and config.quiet_hours.contains(local.time())
        due_today = local.date() == due_day and morning < opened_at and not quiet_now
        if due_today:  # the morning ping passed before the deadline existed: say "due today" now
            wanted += [PlannedReminder("due_morning", opened_at, a) for a in both]
        elif kind in ("preliminary", "controller_notice"):
            wanted += [PlannedReminder("opened", opened_at, a) for a in both]
        if kind == "preliminary":
            wanted += [
                PlannedReminder("before", due_at - timedelta(hours=h), a)
                for h in config.preliminary_before_hours
                for a in both
            ]
        days = {
            "final": config.final_before_days,
            "individuals": config.individuals_before_days,
            "regime_days": config.regime_before_days,
        }.get(kind, ())
        wanted += [
            PlannedReminder("before", _at(due_day - timedelta(days=d), config.morning), a)
            for d in days
            for a in both
        ]
        wanted += [PlannedReminder("due_morning", _at(due_day, config.morning), a) for a in both]
        wanted += [PlannedReminder("overdue", escalation(due_at, config, drill=drill), a) for a in both]
    result: dict[tuple[str, datetime, str], PlannedReminder] = {}
    for reminder in wanted:
        at_once = reminder.kind in AT_ONCE or (
            reminder.kind == "due_morning" and reminder.due_at == opened_at
        )
        when = reminder.due_at if at_once or reminder.kind in URGENT else shifted(reminder.due_at)
        if not at_once and when < opened_at:
            continue  # e.g. "7 days before" a deadline 3 days away
        if reminder.kind not in ("overdue", "due", "late") and when > due_at:
            continue  # quiet hours pushed it past the deadline: the due-day ping covers it
        result[(reminder.kind, when, reminder.audience)] = PlannedReminder(
            reminder.kind, when, reminder.audience
        )
    return sorted(result.values(), key=lambda r: (r.due_at, r.audience))


def hour_clock(
    due_at: datetime, opened_at: datetime, config: Reminders, *, drill: bool = False
) -> list[PlannedReminder]:
    """A clock counted in hours (GDPR's 72 h, issue 20): said when it starts, pinged the configured hours
    before it (48, 24 and 6: at 24 h, 48 h and 66 h of 72), and overdue the moment it passes. Quiet hours hold
    a ping to their end only while that is still before the deadline; otherwise it goes out when planned:
    a deadline counted in hours does not wait for the morning."""
    wanted = [PlannedReminder("opened", opened_at, a) for a in (CHANNEL, EXECUTIVES)]
    for hours in sorted(config.regime_before_hours, reverse=True):
        moment = due_at - timedelta(hours=hours)
        if moment < opened_at:
            continue
        held = moment if drill else outside_quiet_hours(moment, config)
        when = held if held < due_at else moment
        wanted += [PlannedReminder("before", when, a) for a in (CHANNEL, EXECUTIVES)]
    wanted += [PlannedReminder("overdue", due_at, a) for a in (CHANNEL, EXECUTIVES)]
    unique = {(r.kind, r.due_at, r.audience): r for r in wanted}
    return sorted(unique.values(), key=lambda r: (r.due_at, r.audience))


def cannot_wait(item, release: datetime) -> bool:
    """A ping of an hour clock that holding until ``release`` (the end of quiet hours) would put past its
    deadline: it goes out now."""
    return item.deadline.kind == "regime_hours" and release >= item.deadline.due_at
