"""The reminder service's once-a-day jobs, each claimed across replicas in ``job_runs``: the executives'
digest of their open incidents, and the business morning's request for the number of people where it is still
unknown."""

from __future__ import annotations

import logging

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.appi.calendar import is_closed
from bot.appi.deadlines import JST
from bot.domain.views import IncidentView
from bot.presentation import headcount_undetermined
from bot.services.records import build_views
from bot.storage.tables import Deadline, Incident, JobRun, Member
from bot.storage.uow import UnitOfWork

log = logging.getLogger(__name__)
DIGEST_LIMIT = 20  # incidents per executive digest, nearest legal deadline first


class DailyJobs:
    """Mixed into ReminderService (its sessions, clock, org, playbooks, notifiers and worker)."""

    async def run_digest(self) -> int:
        """The daily executive digest, once a day across all replicas; returns how many were sent."""
        now = self.clock.now()
        local = now.astimezone(JST)
        if local.time() < self.org.reminders.digest_time:
            return 0
        try:
            async with UnitOfWork(self._sessions) as uow:
                uow.session.add(
                    JobRun(key=f"digest:{local.date().isoformat()}", worker=self.worker, ran_at=now)
                )
        except IntegrityError:
            return 0
        async with UnitOfWork(self._sessions) as uow:
            executives = list(
                await uow.session.execute(
                    select(Member.platform, Member.user_id).where(Member.role == "executives").distinct()
                )
            )
        sent = 0
        for platform, user_id in executives:
            mine = await self._digest_incidents(platform, user_id)
            notifier = self.notifiers.get(platform)
            if not mine or notifier is None:
                continue
            try:
                await notifier.digest(user_id, mine)
                sent += 1
            except Exception as exc:
                log.warning("digest delivery failed: %s", type(exc).__name__)
        return sent

    async def run_headcount_asks(self) -> int:
        """Every business morning, once across replicas: each open incident whose number of people is
        still unknown asks its channel for an estimate or an upper bound; returns how many were asked."""
        now = self.clock.now()
        local = now.astimezone(JST)
        if is_closed(local.date()) or local.time() < self.org.reminders.morning:
            return 0
        try:
            async with UnitOfWork(self._sessions) as uow:
                uow.session.add(
                    JobRun(key=f"ask-headcount:{local.date().isoformat()}", worker=self.worker, ran_at=now)
                )
        except IntegrityError:
            return 0
        async with UnitOfWork(self._sessions) as uow:
            rows = list(
                await uow.session.scalars(
                    select(Incident).where(Incident.status == "open", Incident.channel_id.is_not(None))
                )
            )
            views = await build_views(uow.session, rows, self.org, self.playbooks)
        asked = 0
        for view in views:
            notifier = self.notifiers.get(view.platform)
            if notifier is None or not headcount_undetermined(view.assessment):
                continue
            try:
                await notifier.ask_headcount(view)
                asked += 1
            except Exception as exc:
                log.warning("asking for the headcount failed: %s", type(exc).__name__)
        return asked

    async def _digest_incidents(self, platform: str, user_id: str) -> list[IncidentView]:
        """The open incidents of one executive whose legal deadlines come first (at most DIGEST_LIMIT)."""
        next_deadline = (
            select(func.min(Deadline.due_at))
            .where(Deadline.incident_id == Incident.id, Deadline.status == "pending", Deadline.kind != "step")
            .correlate(Incident)
            .scalar_subquery()
        )
        mine = select(Member.incident_id).where(
            Member.platform == platform, Member.user_id == user_id, Member.role == "executives"
        )
        async with UnitOfWork(self._sessions) as uow:
            rows = list(
                await uow.session.scalars(
                    select(Incident)
                    # a drill is no real incident: its pings are its own, the digest leaves it out
                    .where(Incident.status == "open", Incident.drill.is_(None), Incident.id.in_(mine))
                    .order_by(next_deadline.is_(None), next_deadline, Incident.id)
                    .limit(DIGEST_LIMIT)
                )
            )
            return await build_views(uow.session, rows, self.org, self.playbooks)
