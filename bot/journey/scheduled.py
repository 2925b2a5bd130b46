"""Deadline pings the platform delivers even when leakbot is down (issue 22), kept equal to the incident's
pending legal deadlines after every change (after commit, like the living messages): scheduled when a
deadline appears, replaced (deleted, then scheduled anew) when it moves, deleted when it is filed or
cancelled and when the incident closes. What is scheduled, where, for which due date and when it posts is
persisted (``scheduled_pings``), so replicas and restarts know it; leakbot's own reminder for that moment is
then suppressed by the sweep (bot/reminders/scheduled.py).

Crash safety: the moment asked for is recorded before the platform is asked; a row left "scheduling" (the
answer never recorded) is reconciled from the platform's own list of what it holds in that space: anything
there at that moment that no row knows is ours from before the crash and is deleted before scheduling again.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.domain.views import IncidentView
from bot.journey.calendar_events import CalendarEvents
from bot.journey.port import MessageScheduler, Platform, PlatformFailure, Space
from bot.reminders.delivery import Delivery, ReminderItem
from bot.reminders.scheduled import (
    Wanted,
    beyond_horizon,
    schedulable,
    wanted_pings,
    window_full,
)
from bot.reminders.service import owner_role
from bot.reminders.targets import CHANNEL_TARGET
from bot.services.incidents import IncidentService
from bot.services.ports import SYSTEM
from bot.services.scheduled_pings import PingRow, ScheduledPingStore
from bot.views.reminders import ReminderMessage, reminder_message

log = logging.getLogger(__name__)
ROUNDS = 3  # look again after our own work: a change committed meanwhile by another replica is seen
MAX_ATTEMPTS = 5


def backoff(attempts: int, after: float | None = None) -> timedelta:
    if after:
        return timedelta(seconds=after)
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))


def scheduled_message(incident: IncidentView, wanted: Wanted, lang: str) -> ReminderMessage | None:
    """The channel ping exactly as leakbot would post it at ``post_at``."""
    deadline = next((d for d in incident.deadlines if d.key == wanted.deadline_key), None)
    if deadline is None:
        return None
    item = ReminderItem(incident, deadline, wanted.kind, wanted.post_at, owner_role(incident, deadline))
    delivery = Delivery(incident.platform, incident.reference, None, (item,), missed=False)
    return reminder_message(delivery, wanted.post_at, lang)


def needs_work(wanted: Wanted | None, row: PingRow | None, now: datetime) -> bool:
    if row is None:
        return wanted is not None and schedulable(wanted.post_at, now)
    if row.claimed:
        return False  # another replica is on it; it looks again when done
    if row.state in ("scheduling", "scheduled") and row.due_at is not None and row.due_at > now:
        return False  # a failure's backoff: the sweep tries again at due_at
    if wanted is None or row.state == "scheduling":  # gone; or asked and never recorded, or a retry due
        return True
    moved = (row.kind, row.post_at, row.deadline_due_at) != (
        wanted.kind,
        wanted.post_at,
        wanted.deadline_due_at,
    )
    return moved or (row.state in ("later", "scheduled") and row.due_at is not None and row.due_at <= now)


class ScheduledPings:
    def __init__(
        self, incidents: IncidentService, store: ScheduledPingStore, platforms: dict[str, Platform]
    ) -> None:
        self.incidents = incidents
        self.store = store
        self.platforms = platforms
        self.calendars = CalendarEvents(store, incidents, platforms)  # people's own calendars

    @property
    def clock(self):
        return self.incidents.clock

    async def sync(self, reference: str) -> None:
        """Make what the platform holds for this incident what its deadlines call for now; people's
        calendars in the background (Graph's retries never hold the incident's other work)."""
        for _ in range(ROUNDS):
            try:
                if not await self._sync_once(reference):
                    break
            except Exception as exc:  # best effort: leakbot's own reminders still go out
                log.warning("scheduling deadline pings failed: %s", type(exc).__name__)
                break
        self.calendars.follow(reference)

    async def resume(self) -> int:
        """The sweep: pings due for another try, ones that came within the platform's horizon, and ones
        whose asker crashed."""
        references = await self.store.needing_work(self.clock.now())
        for reference in references:
            await self.sync(reference)
        return len(references)

    async def settle(self) -> None:
        await self.calendars.settle()

    async def _sync_once(self, reference: str) -> bool:
        incident = await self.incidents.get(reference, SYSTEM)
        platform = self.platforms.get(incident.platform)
        if not isinstance(platform, MessageScheduler):
            return False
        rows = await self.store.rows(reference, platform.name)
        channel = {key: row for (key, target), row in rows.items() if target == CHANNEL_TARGET}
        return await self._sync_channel(platform, incident, channel, self.clock.now())

    async def _sync_channel(
        self, platform: MessageScheduler, incident: IncidentView, rows: dict[str, PingRow], now: datetime
    ) -> bool:
        reference = incident.reference
        wanted = wanted_pings(incident, self.incidents.org.reminders)
        worked = False
        for key in sorted(set(wanted) | set(rows)):
            want, row = wanted.get(key), rows.get(key)
            if not needs_work(want, row, now):
                continue
            if row is None:
                assert want is not None and incident.channel_id
                row = await self.store.claim_new(
                    reference,
                    platform.name,
                    key,
                    CHANNEL_TARGET,
                    incident.channel_id,
                    want.kind,
                    want.post_at,
                    want.deadline_due_at,
                )
                if row is None:
                    continue  # another replica made it first
            elif not await self.store.claim(row):
                continue
            worked = True
            await self._redo(platform, incident, row, want, now)
        return worked

    async def _redo(
        self,
        platform: MessageScheduler,
        incident: IncidentView,
        row: PingRow,
        want: Wanted | None,
        now: datetime,
    ) -> None:
        """Under our lease: take down what the platform may hold for the row, then schedule ``want``."""
        try:
            if row.state == "scheduling" and not row.claimed:  # found, not just made: asked before a crash
                await self._reconcile(platform, incident.platform, row)
            elif row.state == "scheduled" and row.external_id and row.post_at > now:
                await platform.unschedule(row.space_id, row.external_id)
        except PlatformFailure as failure:
            if failure.retry and row.attempts + 1 < MAX_ATTEMPTS:
                await self.store.release(
                    row.id,
                    due_at=now + backoff(row.attempts + 1, failure.after),
                    attempts=row.attempts + 1,
                    last_error=failure.code[:64],
                )
                return
            log.warning("could not delete a scheduled deadline ping: %s", failure.code)
        if want is None or not schedulable(want.post_at, now):
            await self.store.forget(row.id)  # filed, cancelled, closed; or passed: leakbot's own covers it
            return
        await self._schedule(platform, incident, row, want, now)

    async def _reconcile(self, platform: MessageScheduler, name: str, row: PingRow) -> None:
        """What the platform holds at the row's moment that no row knows is ours, from before a crash."""
        known = await self.store.known_ids(name, row.space_id)
        for scheduled_id, post_at in await platform.scheduled(Space(row.space_id, "")):
            if post_at == row.post_at and scheduled_id not in known:
                await platform.unschedule(row.space_id, scheduled_id)

    async def _schedule(
        self, platform: MessageScheduler, incident: IncidentView, row: PingRow, want: Wanted, now: datetime
    ) -> None:
        values = {"kind": want.kind, "post_at": want.post_at, "deadline_due_at": want.deadline_due_at}
        later = beyond_horizon(want.post_at, now)
        if later is not None:  # Slack takes 120 days ahead at most: scheduled when it comes within range
            await self.store.release(row.id, state="later", due_at=later, external_id=None, **values)
            return
        others = await self.store.posting_near(incident.platform, row.space_id, row.id)
        message = scheduled_message(incident, want, self.incidents.org.language)
        if message is None or window_full(want.post_at, others):
            await self.store.release(
                row.id, state="refused", due_at=None, external_id=None, last_error="window_full", **values
            )
            return
        await self.store.asking(row.id, **values)
        try:
            scheduled_id = await platform.schedule(Space(row.space_id, ""), message, want.post_at)
        except PlatformFailure as failure:
            attempts = row.attempts + 1
            if failure.retry and attempts < MAX_ATTEMPTS:  # it may have been done: reconciled next time
                await self.store.release(
                    row.id,
                    due_at=now + backoff(attempts, failure.after),
                    attempts=attempts,
                    last_error=failure.code[:64],
                )
            else:  # time_in_past, restricted_too_many, …: leakbot's own reminder covers it
                await self.store.release(
                    row.id, state="refused", due_at=None, attempts=attempts, last_error=failure.code[:64]
                )
            return
        except Exception as exc:  # the answer was lost: left "scheduling", reconciled by the next sweep
            await self.store.release(
                row.id, due_at=now, attempts=row.attempts + 1, last_error=type(exc).__name__[:64]
            )
            return
        await self.store.release(
            row.id, state="scheduled", external_id=scheduled_id, due_at=None, attempts=0, last_error=None
        )
