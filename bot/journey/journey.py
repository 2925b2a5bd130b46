"""The response journey, written once for every platform: provisioning the response space after a report,
and what to post or update after each change. Driven by domain events after commit; talks to the chat
platform only through the Platform port.

Provisioning is a persisted sequence (bot.services.provisioning) in three waves of platform calls:
1. create the space, and look up the team's people at the same time;
2. invite everyone in one call, set the topic, post the summary (then pin it) and the phases (in order);
3. tell the reporter.
A crash at any moment resumes where it stopped: a space or a post made just before the crash is found again
instead of being made twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta

from bot.domain.events import (
    Changed,
    DeadlineFiled,
    DocumentChanged,
    DrillInjected,
    FactsChanged,
    LookalikeHeld,
    LookalikesAnswered,
    Reported,
    StatusChanged,
    StepChanged,
    TeamChanged,
)
from bot.domain.views import IncidentView
from bot.i18n import t
from bot.journey.closing import Closing
from bot.journey.drafts import DraftsKeeper
from bot.journey.drills import DrillConductor
from bot.journey.lookalikes import LookalikeDesk
from bot.journey.port import Message, Platform, Posted
from bot.journey.provisioner import SUMMARY, Provisioner, backoff, phase_key, phases_to_show, space_of
from bot.journey.scheduled import ScheduledPings
from bot.journey.updates import PER_SECOND, Updates
from bot.reminders.ics import deadlines_calendar
from bot.services.bus import MessageBus
from bot.services.incidents import IncidentService
from bot.services.ports import SYSTEM
from bot.services.posts import PostService
from bot.services.provisioning import ProvisioningService
from bot.services.scheduled_pings import ScheduledPingStore
from bot.views.incident import phase_ids, phase_view, summary_view
from bot.views.notices import changes_notice

log = logging.getLogger(__name__)


class Journey(Provisioner):
    def __init__(
        self,
        incidents: IncidentService,
        posts: PostService,
        provisioning: ProvisioningService,
        bus: MessageBus,
        worker: str,
        updates_per_second: float = PER_SECOND,
        scheduled: ScheduledPingStore | None = None,
    ) -> None:
        self.incidents = incidents
        self.posts = posts
        self.provisioning = provisioning
        self.worker = worker
        self.platforms: dict[str, Platform] = {}
        self.updates = Updates(per_second=updates_per_second)
        self.drafts = DraftsKeeper(incidents, posts, self.updates, self._drafts_placed)
        self.drills = DrillConductor(incidents, self.platforms)
        # deadline pings the platform delivers even when leakbot is down (issue 22)
        self.scheduled = ScheduledPings(incidents, scheduled, self.platforms) if scheduled else None
        self.closing = Closing(incidents, self.drills, self.platforms, self.settle)
        self.lookalikes = LookalikeDesk(self)
        self.backoff: Callable[[int], timedelta] = backoff
        self._unresolved: dict[str, list[str]] = {}
        self._posting: dict[str, asyncio.Lock] = {}
        bus.subscribe(Reported, self.on_reported)
        bus.subscribe(StepChanged, self.on_step_changed)
        bus.subscribe(FactsChanged, self.on_changed_everywhere)
        bus.subscribe(StatusChanged, self.closing.on_reopened)  # unarchived before anything is posted
        bus.subscribe(StatusChanged, self.on_changed_everywhere)
        bus.subscribe(TeamChanged, self.on_team_changed)
        bus.subscribe(DocumentChanged, self.on_document_changed)
        bus.subscribe(DrillInjected, self.drills.on_injected)
        bus.subscribe(StatusChanged, self.drills.on_status_changed)
        bus.subscribe(Changed, self.on_any_change)  # the drafts follow every change
        bus.subscribe(LookalikeHeld, self.lookalikes.on_held)
        bus.subscribe(LookalikesAnswered, self.lookalikes.on_answered)
        bus.subscribe(LookalikesAnswered, self.on_changed_everywhere)  # the summary lists merged reports
        bus.subscribe(Changed, self.closing.on_closed)  # last: exported, then archived once all is shown

    @property
    def org(self):
        return self.incidents.org

    @property
    def lang(self) -> str:
        return self.org.language

    def add_platform(self, platform: Platform) -> None:
        self.platforms[platform.name] = platform

    async def settle(self) -> None:
        await self.updates.settle()
        if self.scheduled is not None:
            await self.scheduled.settle()  # people's calendars, written in the background

    # --- after a change ------------------------------------------------------------------------------------

    async def on_step_changed(self, event: StepChanged) -> None:
        phases = {s.step.phase for s in event.incident.steps if s.step.id in event.step_ids}
        await self._show(event.incident, phases)
        await self._say(event)

    async def on_changed_everywhere(self, event: Changed) -> None:
        await self._say(event)
        await self._show(event.incident, None)

    async def _drafts_placed(self, reference: str) -> None:
        await self._show(await self.incidents.get(reference, SYSTEM), set())

    async def on_document_changed(self, event: DocumentChanged) -> None:
        await self._show(event.incident, set())
        await self._say(event)

    async def on_any_change(self, event: Changed) -> None:
        self.drafts.refresh(event.incident, self.platforms.get(event.incident.platform))
        deadlines = any(  # a legal deadline appeared, moved, was filed or cancelled (not a step's due time)
            c.what.startswith("deadline_") and not str(c.detail.get("key", "")).startswith("step:")
            for c in event.changes
        )
        # TeamChanged: a commander or an executive added, whose calendar gets the deadlines
        changed = isinstance(event, StatusChanged | DeadlineFiled | TeamChanged)
        if self.scheduled is not None and (deadlines or changed):
            await self.scheduled.sync(event.reference)

    async def on_team_changed(self, event: TeamChanged) -> None:
        incident, platform = event.incident, self.platforms.get(event.incident.platform)
        if platform is not None and incident.channel_id and event.actor != str(SYSTEM) and event.added:
            await platform.invite(space_of(incident), list(event.added))
        await self._show(incident, set())

    async def _show(self, incident: IncidentView, phases: set[str] | None) -> None:
        """Update the summary and the given phases (None: all of them), coalesced; post phases newly needed."""
        platform = self.platforms.get(incident.platform)
        if platform is None or not incident.channel_id:
            return
        ref, now = incident.reference, self.incidents.clock.now()
        playbook = self.incidents.playbooks.get(incident.playbook_id)
        posts = {p.key: p for p in incident.posts if p.platform == platform.name}  # read with the change
        version = incident.audit_events
        summary = posts.get(SUMMARY)
        if summary and summary.message_id:
            self._update(
                platform,
                summary.channel_id,
                summary.message_id,
                (ref, SUMMARY),
                version,
                summary_view(incident, now, self.lang),
            )
        for phase_id in phase_ids(incident, playbook):
            post = posts.get(phase_key(phase_id))
            if post and post.message_id and (phases is None or phase_id in phases):
                view = phase_view(incident, playbook, phase_id, now, self.lang)
                self._update(
                    platform, post.channel_id, post.message_id, (ref, phase_key(phase_id)), version, view
                )
        missing = [
            p for p in phases_to_show(incident, phase_ids(incident, playbook)) if phase_key(p) not in posts
        ]
        if missing and summary is not None:  # provisioning posts the first ones
            await self._post_phases(incident, platform, space_of(incident), resuming=False)
            await self._catch_up(incident)

    def _update(
        self, platform: Platform, space_id: str, message_id: str, key: tuple, version: int, message: Message
    ) -> None:
        posted = Posted(space_id, message_id)
        self.updates.submit((platform.name, *key), version, message, lambda m: platform.update(posted, m))

    # --- asked for by a person ---------------------------------------------------------------------------

    async def refresh(self, incident: IncidentView) -> None:
        """Every living message to the incident's current state (最新の状態), the drafts too."""
        await self._show(incident, None)
        self.drafts.refresh(incident, self.platforms.get(incident.platform), asked=True)

    async def post_summary(self, incident: IncidentView) -> None:
        """/leak status: the summary as a new message at the bottom of the channel."""
        platform = self.platforms.get(incident.platform)
        if platform is not None and incident.channel_id:
            view = summary_view(incident, self.incidents.clock.now(), self.lang)
            await platform.post(space_of(incident), view, "status")

    async def share_calendar(self, incident: IncidentView) -> None:
        """The legal deadlines as an .ics file in the response channel."""
        platform = self.platforms.get(incident.platform)
        if platform is None or not incident.channel_id:
            return
        data = deadlines_calendar(incident, self.incidents.clock.now(), self.lang)
        title = t("summary.calendar_title", self.lang, reference=incident.reference)
        await platform.upload(space_of(incident), f"{incident.reference}.ics", data, title)

    async def _say(self, event: Changed) -> None:
        incident = event.incident
        platform = self.platforms.get(incident.platform)
        if platform is None or not incident.channel_id:
            return
        playbook = self.incidents.playbooks.get(incident.playbook_id)
        notice = changes_notice(incident, event.changes, playbook, event.actor, self.lang)
        if notice is not None:
            await platform.post(space_of(incident), notice, "notice")
