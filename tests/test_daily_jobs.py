"""The scheduler runs more once-a-day jobs than the digest (issue 21: the retention purge): each at its Japan
time, and once at start, so a day missed while leakbot was stopped is caught up (the job claims its day in
job_runs itself, so a replica starting later that day does nothing)."""

from __future__ import annotations

import asyncio
from datetime import time
from types import SimpleNamespace

from bot.config.org import Reminders
from bot.scheduling.runner import ReminderRunner


class QuietService:
    """The reminder service's surface the runner uses, with nothing due."""

    org = SimpleNamespace(reminders=Reminders())

    async def sweep(self):
        return SimpleNamespace(claimed=0)

    async def next_due(self):
        return None

    async def run_digest(self) -> int:
        return 0

    async def run_headcount_asks(self) -> int:
        return 0


async def test_a_daily_job_is_scheduled_at_its_time_and_caught_up_at_start() -> None:
    ran = asyncio.Event()

    async def purge() -> int:
        ran.set()
        return 0

    runner = ReminderRunner(QuietService(), sweep_seconds=3600, daily=[("purge", time(3, 0), purge)])
    await runner.start()
    try:
        await asyncio.wait_for(ran.wait(), 10)
        trigger = runner.scheduler.get_job("purge").trigger
        assert str(trigger) == "cron[hour='3', minute='0']" and str(trigger.timezone) == "Asia/Tokyo"
    finally:
        await runner.stop()
