"""APScheduler keeps time in-process; the database says what is due.

At start the timer is rebuilt from the database (one query for the earliest due reminder), a wake-up job
fires at that moment, and a periodic sweep catches anything else (other replicas' work, expired leases).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, time, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger

from bot.appi.deadlines import JST
from bot.reminders.service import ReminderService

log = logging.getLogger(__name__)
WAKE_JOB = "wake"


class ReminderRunner:
    def __init__(
        self,
        service: ReminderService,
        sweep_seconds: float = 15.0,
        resume: Callable[[], Awaitable[int]] | None = None,
        daily: Sequence[tuple[str, time, Callable[[], Awaitable[object]]]] = (),
    ) -> None:
        """``resume``: picks up work left by a crash or waiting for a retry (the journey's provisioning),
        run with every sweep. ``daily``: more once-a-day jobs (id, Japan time, job), e.g. the retention
        purge; each claims its day in ``job_runs`` itself, and one missed while offline runs at start."""
        self.service = service
        self.daily = tuple(daily)
        self.sweep_seconds = sweep_seconds
        self.resume = resume
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self._lock = asyncio.Lock()
        self._in_flight: set[asyncio.Task] = set()

    def _tracked(self, job: Callable[[], Awaitable[object]]) -> Callable[[], Awaitable[None]]:
        """A job whose run ``stop`` can wait for: APScheduler's shutdown would cancel it mid-transaction,
        and a cancelled database session left closing on a disposed engine hangs the event loop."""

        async def run() -> None:
            task = asyncio.current_task()
            if task is not None:
                self._in_flight.add(task)
            try:
                await job()
            finally:
                if task is not None:
                    self._in_flight.discard(task)

        run.__name__ = getattr(job, "__name__", "job")
        run.__qualname__ = getattr(job, "__qualname__", run.__name__)  # how APScheduler names it in logs
        return run

    async def start(self) -> None:
        digest = self.service.org.reminders.digest_time
        self.scheduler.add_job(
            self._tracked(self.tick),
            "interval",
            seconds=self.sweep_seconds,
            id="sweep",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )
        self.scheduler.add_job(
            self._tracked(self.service.run_digest),
            CronTrigger(hour=digest.hour, minute=digest.minute, timezone=JST),
            id="digest",
            coalesce=True,
            misfire_grace_time=3600,
        )
        morning = self.service.org.reminders.morning
        self.scheduler.add_job(
            self._tracked(self.service.run_headcount_asks),
            CronTrigger(hour=morning.hour, minute=morning.minute, timezone=JST),
            id="ask-headcount",
            coalesce=True,
            misfire_grace_time=3600,
        )
        for job_id, at, job in self.daily:
            self.scheduler.add_job(
                self._tracked(job),
                CronTrigger(hour=at.hour, minute=at.minute, timezone=JST),
                id=job_id,
                coalesce=True,
                misfire_grace_time=3600,
            )
        self.scheduler.start()
        await self.tick()  # catch up on what fell due while offline, then wait for the next one
        # A digest missed while offline is sent in the background: it must not delay the start.
        self.scheduler.add_job(self._tracked(self.service.run_digest), id="digest-catch-up")
        self.scheduler.add_job(self._tracked(self.service.run_headcount_asks), id="ask-headcount-catch-up")
        for job_id, _, job in self.daily:
            self.scheduler.add_job(self._tracked(job), id=f"{job_id}-catch-up")

    def poke(self) -> None:
        """Something changed in the database: look again at what is due next, soon."""
        if self.scheduler.running:
            self.scheduler.add_job(self._tracked(self.reschedule), id="poke", replace_existing=True)

    async def stop(self, grace: float = 10.0) -> None:
        """No new runs; the runs in flight get ``grace`` seconds to finish before they are cancelled."""
        if self.scheduler.running:
            self.scheduler.pause()
        running = [t for t in self._in_flight if not t.done()]
        if running:
            _, late = await asyncio.wait(running, timeout=grace)
            if late:
                log.warning("stopping while %d scheduled job(s) still run", len(late))
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    async def tick(self) -> None:
        async with self._lock:
            try:
                result = await self.service.sweep()
                if result.claimed:
                    log.info(
                        "reminders: %d claimed, %d sent, %d failed, %d postponed",
                        result.claimed,
                        result.sent,
                        result.failed,
                        result.postponed,
                    )
            except Exception as exc:
                log.error("reminder sweep failed: %s", type(exc).__name__, exc_info=exc)
            if self.resume is not None:
                try:
                    await self.resume()
                except Exception as exc:
                    log.error("resuming provisioning failed: %s", type(exc).__name__, exc_info=exc)
            await self.reschedule()

    async def reschedule(self) -> None:
        """Point the wake-up job at the earliest due reminder (the database's answer, not a cache)."""
        when = await self.service.next_due()
        if when is None:
            return
        when = max(when, datetime.now(UTC) + timedelta(milliseconds=10))
        self.scheduler.add_job(
            self._tracked(self.tick),
            DateTrigger(run_date=when),
            id=WAKE_JOB,
            replace_existing=True,
            misfire_grace_time=None,
        )
