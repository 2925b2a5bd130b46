"""The legal deadlines in people's own calendars (issue 22, Teams: Outlook through Microsoft Graph), kept equal
to the incident's pending legal deadlines like the channel's scheduled pings (bot/journey/scheduled.py, whose
sync and sweep run this too): each pending legal deadline is an event in the calendar of each commander and
executive of the incident, with a reminder at the moment of the deadline's scheduled ping (the due-day morning,
6 hours before an hour clock); updated in place when the deadline moves, deleted when it is filed or cancelled
and when the incident closes. One ``scheduled_pings`` row per (deadline, person), the person as its target.

Crash safety: a create is recorded with a transaction id before Graph is asked (``external_id`` "txn:…"
until the event's id is known); asked again with the same id, Graph does not make a second event. An update
is recorded with the event's id: sent twice, it does the same thing. A failure waits and is retried by the
sweep; it never blocks the journey, and leakbot's own reminders go out as before.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import datetime, timedelta

from bot.config.org import Reminders
from bot.domain.views import IncidentView
from bot.journey.port import CalendarEvent, DeadlineCalendar, Platform, PlatformFailure, calendar_of
from bot.reminders.ics import event_description, event_title
from bot.reminders.scheduled import LEAD, Wanted, wanted_pings
from bot.reminders.targets import CHANNEL_TARGET, EXECUTIVE_ROLES, parse_user_target, user_target
from bot.services.incidents import IncidentService
from bot.services.ports import SYSTEM
from bot.services.scheduled_pings import PingRow, ScheduledPingStore

log = logging.getLogger(__name__)
TXN = "txn:"  # external_id of a create asked for, its answer not recorded yet
EVENT_LENGTH = timedelta(minutes=30)  # the event ends at the deadline's minute
MAX_ATTEMPTS = 5
ROUNDS = 3
GONE = "event_gone"

Key = tuple[str, str]  # deadline key, target (user:<platform>:<id>)


def backoff(attempts: int, after: float | None = None) -> timedelta:
    if after:
        return timedelta(seconds=after)
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))


def people(incident: IncidentView) -> list[str]:
    """Whose calendars hold the deadlines: the incident's commanders and executives on its platform."""
    return sorted(
        {m.user_id for m in incident.members if m.role in EXECUTIVE_ROLES and m.platform == incident.platform}
    )


def wanted_events(incident: IncidentView, config: Reminders) -> dict[Key, Wanted]:
    """For each person, each pending legal deadline with its reminder moment (the scheduled ping's)."""
    pings = wanted_pings(incident, config)
    return {
        (key, user_target(incident.platform, user)): want
        for key, want in pings.items()
        for user in people(incident)
    }


def calendar_event(
    incident: IncidentView, want: Wanted, lang: str, transaction_id: str
) -> CalendarEvent | None:
    """The event for ``want``: 30 minutes ending at the deadline's minute, the reminder at the ping's moment."""
    deadline = next((d for d in incident.deadlines if d.key == want.deadline_key), None)
    if deadline is None or not incident.channel_id:
        return None
    end = want.deadline_due_at.replace(second=0, microsecond=0)
    start = end - EVENT_LENGTH
    minutes = max(0, int((start - want.post_at).total_seconds() // 60))
    return CalendarEvent(
        title=event_title(incident, deadline, lang),
        description=event_description(incident, deadline, lang),
        start=start,
        end=end,
        reminder_minutes=minutes,
        space_id=incident.channel_id,
        space_name=incident.channel_name or incident.reference,
        transaction_id=transaction_id,
    )


def needs_work(want: Wanted | None, row: PingRow | None, now: datetime) -> bool:
    if row is None:
        return want is not None and want.deadline_due_at > now + LEAD
    if row.claimed or (row.due_at is not None and row.due_at > now):
        return False  # another replica is on it, or a failure's wait
    if want is None or row.state == "scheduling":  # gone; or asked and never recorded, or a retry due
        return True
    return (row.kind, row.post_at, row.deadline_due_at) != (want.kind, want.post_at, want.deadline_due_at)


def _values(want: Wanted) -> dict:
    return {"kind": want.kind, "post_at": want.post_at, "deadline_due_at": want.deadline_due_at}


class CalendarEvents:
    """Runs in the background, one incident at a time: a change meanwhile runs it once more after."""

    def __init__(
        self, store: ScheduledPingStore, incidents: IncidentService, platforms: dict[str, Platform]
    ) -> None:
        self.store = store
        self.incidents = incidents
        self.platforms = platforms
        self._running: dict[str, asyncio.Task] = {}
        self._again: set[str] = set()

    @property
    def lang(self) -> str:
        return self.incidents.org.language

    def follow(self, reference: str) -> None:
        """Bring the incident's events in step with it, soon, without waiting here."""
        if not any(calendar_of(p) is not None for p in self.platforms.values()):
            return
        if reference in self._running:
            self._again.add(reference)
            return
        self._running[reference] = asyncio.ensure_future(self._follow(reference))

    async def settle(self) -> None:
        while self._running:
            await asyncio.gather(*list(self._running.values()), return_exceptions=True)

    async def _follow(self, reference: str) -> None:
        try:
            while True:
                self._again.discard(reference)
                for _ in range(ROUNDS):  # read again after our work: another replica's change is seen
                    try:
                        if not await self._sync_once(reference):
                            break
                    except Exception as exc:  # best effort: leakbot's own reminders still go out
                        log.warning("deadline calendar events failed: %s", type(exc).__name__)
                        break
                if reference not in self._again:
                    return
        finally:
            self._running.pop(reference, None)

    async def _sync_once(self, reference: str) -> bool:
        incident = await self.incidents.get(reference, SYSTEM)
        platform = self.platforms.get(incident.platform)
        calendar = calendar_of(platform)
        if platform is None or calendar is None:
            return False
        rows = {
            key: row
            for key, row in (await self.store.rows(reference, platform.name)).items()
            if key[1] != CHANNEL_TARGET
        }
        return await self.sync(calendar, platform.name, incident, rows, self.incidents.clock.now())

    async def sync(
        self,
        calendar: DeadlineCalendar,
        platform: str,
        incident: IncidentView,
        rows: dict[Key, PingRow],
        now: datetime,
    ) -> bool:
        """One round over the incident's people and deadlines; True when there may be more to do. Stops at
        the first failure: the sweep takes the rest up when that one is due again."""
        wanted = wanted_events(incident, self.incidents.org.reminders)
        worked = False
        for key in sorted(set(wanted) | set(rows)):
            want, row = wanted.get(key), rows.get(key)
            if not needs_work(want, row, now):
                continue
            if row is None:
                assert want is not None
                _, user = parse_user_target(key[1])
                row = await self.store.claim_new(
                    incident.reference, platform, key[0], key[1], user, **_values(want)
                )
                if row is None:
                    continue  # another replica made it first
            elif not await self.store.claim(row):
                continue
            worked = True
            if not await self._redo(calendar, incident, row, want, now):
                return False
        return worked

    async def _redo(
        self,
        calendar: DeadlineCalendar,
        incident: IncidentView,
        row: PingRow,
        want: Wanted | None,
        now: datetime,
    ) -> bool:
        """Under our lease: make the person's event what ``want`` says (None: no event). False when Graph
        failed and the row waits for another try."""
        try:
            if want is None:
                await self._remove(calendar, incident, row)
                await self.store.forget(row.id)
            else:
                event_id = await self._put(calendar, incident, row, want)
                await self.store.release(
                    row.id, state="scheduled", external_id=event_id, due_at=None, attempts=0, last_error=None
                )
        except PlatformFailure as failure:
            attempts = row.attempts + 1
            if failure.retry and attempts < MAX_ATTEMPTS:
                await self.store.release(
                    row.id,
                    state="scheduling",
                    due_at=now + backoff(attempts, failure.after),
                    attempts=attempts,
                    last_error=failure.code[:64],
                )
                return False
            log.warning("a deadline's calendar event failed: %s", failure.code)
            if want is None:
                await self.store.forget(row.id)  # nothing more to do for a deadline that is gone
            else:  # no permission, not a person Graph knows: leakbot's own reminders stand
                await self.store.release(
                    row.id, state="refused", due_at=None, attempts=attempts, last_error=failure.code[:64]
                )
        except Exception as exc:  # the answer was lost: asked again by the sweep, with the same ids
            await self.store.release(
                row.id,
                state="scheduling",
                due_at=now + backoff(row.attempts + 1),
                attempts=row.attempts + 1,
                last_error=type(exc).__name__[:64],
            )
            return False
        return True

    async def _put(
        self, calendar: DeadlineCalendar, incident: IncidentView, row: PingRow, want: Wanted
    ) -> str:
        held = row.external_id
        repeated = bool(held and held.startswith(TXN))  # asked before, the answer never recorded
        event_id = held if held and not repeated else None
        transaction = held if held and repeated else f"{TXN}{uuid.uuid4()}"
        event = calendar_event(incident, want, self.lang, transaction.removeprefix(TXN))
        if event is None:
            raise PlatformFailure("no_response_space")
        await self.store.asking(row.id, **_values(want), external_id=event_id or transaction)
        if event_id is not None:
            try:
                return await calendar.put_event(row.space_id, event, event_id)
            except PlatformFailure as failure:
                if failure.code != GONE:
                    raise
            # the person deleted it, and the deadline moved since: it is made again
            transaction = f"{TXN}{uuid.uuid4()}"
            event = calendar_event(incident, want, self.lang, transaction.removeprefix(TXN))
            assert event is not None
            await self.store.asking(row.id, **_values(want), external_id=transaction)
        made = await calendar.put_event(row.space_id, event, None)
        # a repeated create answers the event first made, as it was then: brought up to date
        return await calendar.put_event(row.space_id, event, made) if repeated else made

    async def _remove(self, calendar: DeadlineCalendar, incident: IncidentView, row: PingRow) -> None:
        held = row.external_id
        if held and held.startswith(TXN):  # made or not before a crash: asked again, Graph answers the one
            made = Wanted(row.deadline_key, row.kind, row.post_at, row.deadline_due_at)
            event = calendar_event(incident, made, self.lang, held.removeprefix(TXN))
            held = await calendar.put_event(row.space_id, event, None) if event is not None else None
        if held:
            await calendar.remove_event(row.space_id, held)
