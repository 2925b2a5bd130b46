"""Sending reminders that fell due: claim rows atomically, deliver, record, retry, escalate.

The database is the source of truth. A sweep claims due rows with a lease (FOR UPDATE SKIP LOCKED on
PostgreSQL; on SQLite the same UPDATE runs inside BEGIN IMMEDIATE), so replicas never send one ping twice
and a crashed replica's claims are taken over once their lease expires.

A drill's rows are stored at real moments (bot.reminders.planner) and go out whatever the hour; what they say
is in drill time: the planned moment and "how long is left" are read on the drill's clock.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.appi.deadlines import JST
from bot.clock import Clock
from bot.config.org import OrgConfig
from bot.domain.views import IncidentView
from bot.drills.clock import drill_clock
from bot.playbook.loader import PlaybookRegistry
from bot.reminders.daily import DailyJobs
from bot.reminders.delivery import Delivery, Notifier, ReminderItem, split_messages
from bot.reminders.plan import URGENT, cannot_wait, escalation, outside_quiet_hours
from bot.reminders.scheduled import SUPPRESSED, suppressed
from bot.reminders.targets import CHANNEL_TARGET, parse_user_target
from bot.services import audit_log
from bot.services.records import build_views
from bot.storage.tables import Incident, Reminder
from bot.storage.uow import UnitOfWork

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)
MISSED_AFTER = timedelta(minutes=2)
BATCH = 500
CONCURRENT_DELIVERIES = 16  # Web API calls in flight at once; Slack's per-method limits are far above
ITEMS_PER_MESSAGE = 10  # deadlines shown in one message; more go out as further messages, never dropped


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))


@dataclass(frozen=True)
class ReminderFailure:
    """A reminder given up after its last try: what `leakbot incidents show` lists."""

    deadline_key: str
    kind: str
    target: str  # "channel" or "user:<platform>:<user id>"
    planned_at: datetime
    attempts: int
    last_attempt_at: datetime | None
    error: str | None


@dataclass
class SweepResult:
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    cancelled: int = 0
    postponed: int = 0
    suppressed: int = 0  # the platform's scheduled copy is the ping (bot/reminders/scheduled.py)
    deliveries: int = 0


class ReminderService(DailyJobs):
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        org: OrgConfig,
        playbooks: PlaybookRegistry,
        notifiers: dict[str, Notifier],
        worker: str,
    ) -> None:
        self._sessions = sessions
        self.clock = clock
        self.org = org
        self.playbooks = playbooks
        self.notifiers = notifiers
        self.worker = worker
        self.started_at = clock.now()  # reminders due before it fell due while this leakbot was not running

    async def next_due(self) -> datetime | None:
        """The earliest pending reminder: what the in-process timer waits for."""
        async with UnitOfWork(self._sessions) as uow:
            soonest_pending = await uow.session.scalar(
                select(func.min(Reminder.due_at)).where(Reminder.state == "pending")
            )
            soonest_lease = await uow.session.scalar(
                select(func.min(Reminder.lease_until)).where(Reminder.state == "claimed")
            )
        candidates = [t for t in (soonest_pending, soonest_lease) if t is not None]
        return min(candidates) if candidates else None

    async def claim(self, now: datetime, limit: int = BATCH) -> list[int]:
        due = or_(
            and_(Reminder.state == "pending", Reminder.due_at <= now),
            and_(Reminder.state == "claimed", Reminder.lease_until < now),
        )
        candidates = (
            select(Reminder.id)
            .where(due)
            .order_by(Reminder.due_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        statement = (
            update(Reminder)
            .where(Reminder.id.in_(candidates), due)
            .values(state="claimed", claimed_by=self.worker, lease_until=now + LEASE)
            .returning(Reminder.id)
            .execution_options(synchronize_session=False)
        )
        async with UnitOfWork(self._sessions) as uow:
            return list((await uow.session.execute(statement)).scalars())

    async def sweep(self) -> SweepResult:
        """Claim and deliver everything due now, batch after batch."""
        total = SweepResult()
        while True:
            now = self.clock.now()
            ids = await self.claim(now)
            if not ids:
                return total
            total.claimed += len(ids)
            await self._deliver(ids, now, total)
            if len(ids) < BATCH:
                return total

    async def _deliver(self, ids: list[int], now: datetime, result: SweepResult) -> None:
        """Send every recipient's messages at once (bounded; one recipient's parts in order), then record
        all outcomes in one transaction each. Each message carries exactly the rows it shows."""
        groups = await self._load(ids, now, result)
        quiet = self.org.reminders.quiet_hours.contains(now.astimezone(JST).time())
        release = outside_quiet_hours(now, self.org.reminders)
        held: list[Reminder] = []
        recipients: list[list[tuple[list[Reminder], Delivery]]] = []
        for (platform, channel_of, user_id, drill), rows_items in groups.items():
            rows = [r for r, _ in rows_items]
            items = tuple(i for _, i in rows_items)
            # overdue goes out even at night; a drill whatever the hour (it runs in the exercise hour)
            # and an hour clock's ping (GDPR's 72 h) that the end of quiet hours would put past its deadline
            urgent = any(i.kind in URGENT or cannot_wait(i, release) for i in items)
            if quiet and not drill and not urgent:
                held += rows
                continue
            missed = any(r.due_at < now - MISSED_AFTER for r in rows)
            offline = missed and any(r.due_at < self.started_at for r in rows)
            parts = split_messages(rows_items, ITEMS_PER_MESSAGE)
            recipients.append(
                [
                    (
                        [r for r, _ in part],
                        Delivery(
                            platform,
                            channel_of,
                            user_id,
                            tuple(i for _, i in part),
                            missed,
                            number,
                            len(parts),
                            offline,
                        ),
                    )
                    for number, part in enumerate(parts, start=1)
                ]
            )
        if held:
            await self._postpone(held, release)
            result.postponed += len(held)
        limit = asyncio.Semaphore(CONCURRENT_DELIVERIES)

        async def send(delivery: Delivery) -> str | None:
            notifier = self.notifiers.get(delivery.platform)
            try:
                if notifier is None:
                    raise RuntimeError(f"no notifier for {delivery.platform}")
                await notifier.deliver(delivery)
            except Exception as exc:
                log.warning("reminder delivery failed (%s): %s", delivery.platform, type(exc).__name__)
                return f"{type(exc).__name__}: {exc}"[:500]
            return None

        async def send_all(messages: list[tuple[list[Reminder], Delivery]]) -> list[str | None]:
            async with limit:
                return [await send(delivery) for _, delivery in messages]

        outcomes = await asyncio.gather(*(send_all(messages) for messages in recipients))
        done = [
            (rows, delivery, error)
            for messages, errors in zip(recipients, outcomes, strict=True)
            for (rows, delivery), error in zip(messages, errors, strict=True)
        ]
        sent = [row for rows, _, error in done if error is None for row in rows]
        if sent:
            await self._sent(sent, now)
            result.sent += len(sent)
            result.deliveries += sum(1 for _, _, error in done if error is None)
        for rows, delivery, error in done:
            if error is not None:
                result.failed += len(rows)
                await self._failed(rows, delivery.items, now, error)

    async def _load(self, ids: list[int], now: datetime, result: SweepResult):
        groups: dict[tuple[str, str | None, str | None, bool], list[tuple[Reminder, ReminderItem]]] = (
            defaultdict(list)
        )
        async with UnitOfWork(self._sessions) as uow:
            rows = list(
                await uow.session.scalars(
                    select(Reminder).where(Reminder.id.in_(ids)).order_by(Reminder.due_at)
                )
            )
            incidents = list(
                await uow.session.scalars(
                    select(Incident).where(Incident.id.in_({r.incident_id for r in rows}))
                )
            )
            built = await build_views(uow.session, incidents, self.org, self.playbooks)
            views = {incident.id: view for incident, view in zip(incidents, built, strict=True)}
            by_platform = await suppressed(uow.session, rows, now)
            for row in rows:
                if row.id in by_platform:  # recorded as such, not sent: exactly one ping
                    row.state = SUPPRESSED
                    result.suppressed += 1
                    continue
                view = views[row.incident_id]
                deadline = next((d for d in view.deadlines if d.key == row.deadline_key), None)
                if (
                    view.status != "open"
                    or deadline is None
                    or deadline.status != "pending"
                    or deadline.due_at != row.deadline_due_at
                ):
                    row.state = "cancelled"  # replaced while it was in flight
                    result.cancelled += 1
                    continue
                late = row.attempts > 0 and row.planned_at < now - MISSED_AFTER
                drill = drill_clock(view.drill)
                planned = drill.drill_now(row.planned_at) if drill else row.planned_at  # as the deadline
                item = ReminderItem(
                    view,
                    deadline,
                    row.kind,
                    planned,
                    owner_role(view, deadline),
                    delayed_from=planned if late else None,
                )
                # a drill's pings are their own messages: marked, and never held with real ones
                if row.target == CHANNEL_TARGET:
                    key = (view.platform, view.reference, None, view.is_drill)
                else:
                    platform, user_id = parse_user_target(row.target)
                    key = (platform, None, user_id, view.is_drill)
                groups[key].append((row, item))
            for rows_items in groups.values():
                for row, _ in rows_items:
                    uow.session.expunge(row)
        return groups

    async def _postpone(self, rows: list[Reminder], until: datetime) -> None:
        async with UnitOfWork(self._sessions) as uow:
            await uow.session.execute(
                update(Reminder)
                .where(Reminder.id.in_([r.id for r in rows]), Reminder.claimed_by == self.worker)
                .values(state="pending", due_at=until, claimed_by=None, lease_until=None)
            )

    async def _sent(self, rows: list[Reminder], now: datetime) -> None:
        async with UnitOfWork(self._sessions) as uow:
            await uow.session.execute(
                update(Reminder)
                .where(Reminder.id.in_([r.id for r in rows]))
                .values(
                    state="sent",
                    sent_at=now,
                    last_attempt_at=now,
                    attempts=Reminder.attempts + 1,
                    lease_until=None,
                )
            )
            drills: dict[int, dict | None] = {}
            for row in rows:
                if row.kind == "overdue":  # escalate again the next business day while it stays open
                    if row.incident_id not in drills:
                        drills[row.incident_id] = await uow.session.scalar(
                            select(Incident.drill).where(Incident.id == row.incident_id)
                        )
                    following = self._escalation(
                        max(row.planned_at, now), drill_clock(drills[row.incident_id])
                    )
                    uow.session.add(
                        Reminder(
                            incident_id=row.incident_id,
                            deadline_key=row.deadline_key,
                            deadline_due_at=row.deadline_due_at,
                            kind="overdue",
                            target=row.target,
                            planned_at=following,
                            due_at=following,
                            state="pending",
                            attempts=0,
                        )
                    )

    def _escalation(self, after: datetime, drill) -> datetime:
        """The next overdue ping after the real moment ``after``: the next business morning, or for a drill
        the next drill day's morning, sent at its real moment."""
        if drill is None:
            return escalation(after, self.org.reminders)
        return drill.real_at(escalation(drill.drill_now(after), self.org.reminders, drill=True))

    async def _failed(
        self, rows: list[Reminder], items: tuple[ReminderItem, ...], now: datetime, error: str
    ) -> None:
        gave_up: list[Reminder] = []
        async with UnitOfWork(self._sessions) as uow:
            for row in rows:
                attempts = row.attempts + 1
                values = {
                    "attempts": attempts,
                    "last_error": error,
                    "last_attempt_at": now,
                    "claimed_by": None,
                    "lease_until": None,
                }
                if attempts >= self.org.reminders.max_attempts:
                    values["state"] = "failed"
                    gave_up.append(row)
                else:  # only the next try moves: the planned moment stays what replanning matches on
                    values |= {"state": "pending", "due_at": now + backoff(attempts)}
                await uow.session.execute(update(Reminder).where(Reminder.id == row.id).values(**values))
            for row in gave_up:
                incident = await uow.session.get(Incident, row.incident_id)
                await audit_log.record(
                    uow.session,
                    incident,
                    now,
                    "system:leakbot",
                    "reminder_failed",
                    {
                        "deadline": row.deadline_key,
                        "kind": row.kind,
                        "target": row.target,
                        "attempts": row.attempts + 1,
                    },
                )
        told: set[tuple[str, str]] = set()  # once per incident and recipient, however many deadlines
        for row in gave_up:
            item = next(i for r, i in zip(rows, items, strict=True) if r.id == row.id)
            if (item.incident.reference, row.target) in told:
                continue
            told.add((item.incident.reference, row.target))
            notifier = self.notifiers.get(item.incident.platform)
            if notifier is not None:
                try:
                    await notifier.alert_failure(item.incident, row.target, error)
                except Exception as exc:
                    log.error("could not tell the commander about a failed reminder: %s", type(exc).__name__)

    async def failures(self, reference: str) -> list[ReminderFailure]:
        """Reminders of one incident given up after their last try, oldest planned first."""
        async with UnitOfWork(self._sessions) as uow:
            rows = await uow.session.scalars(
                select(Reminder)
                .join(Incident, Incident.id == Reminder.incident_id)
                .where(Incident.reference == reference, Reminder.state == "failed")
                .order_by(Reminder.planned_at, Reminder.id)
            )
            return [
                ReminderFailure(
                    r.deadline_key,
                    r.kind,
                    r.target,
                    r.planned_at,
                    r.attempts,
                    r.last_attempt_at,
                    r.last_error,
                )
                for r in rows
            ]


def owner_role(view: IncidentView, deadline) -> str | None:
    if deadline.kind == "step":
        step = next((s for s in view.steps if s.step.id == deadline.step_id), None)
        return str(step.step.owner) if step else None
    step = next((s for s in view.steps if s.step.deadline and str(s.step.deadline) == deadline.kind), None)
    return str(step.step.owner) if step else "legal"
