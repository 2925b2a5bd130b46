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
from collections.abc import Awaitable, Callable
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
from bot.i18n.rich import Rich, plain, r
from bot.journey.closing import Closing
from bot.journey.drafts import DraftsKeeper
from bot.journey.drills import DrillConductor
from bot.journey.lookalikes import LookalikeDesk
from bot.journey.port import Message, NameTaken, Platform, PlatformFailure, Posted, Space
from bot.journey.scheduled import ScheduledPings
from bot.journey.updates import PER_SECOND, Updates
from bot.playbook.engine import FINISHED
from bot.reminders.ics import deadlines_calendar
from bot.services.bus import MessageBus
from bot.services.incidents import IncidentService
from bot.services.naming import channel_name
from bot.services.policy import REPORTER_ROLE, TEAM_ROLES
from bot.services.ports import SYSTEM
from bot.services.posts import PostService
from bot.services.provisioning import DONE, HELD, POPULATE, SPACE, TELL, Claim, ProvisioningService
from bot.services.scheduled_pings import ScheduledPingStore
from bot.views.incident import phase_ids, phase_view, summary_view
from bot.views.notices import changes_notice, imported_notice, problems_notice, receipt
from bot.views.reminders import space_word

log = logging.getLogger(__name__)
NAME_ATTEMPTS = 5
MAX_ATTEMPTS = 5
SUMMARY, RECEIPT, IMPORTED = "summary", "receipt", "imported"
ABANDONED_CLAIM = timedelta(minutes=2)  # a post claimed this long ago and never recorded was cut short


def phase_key(phase_id: str) -> str:
    return f"phase:{phase_id}"


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(15 * 2 ** (attempts - 1), 900))


class Journey:
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

    # --- provisioning --------------------------------------------------------------------------------------

    async def on_reported(self, event: Reported) -> None:
        await self.provision(event.reference)

    async def provision(self, reference: str) -> None:
        for claim in await self.provisioning.claim(self.worker, reference):
            await self._advance(claim)

    async def resume(self) -> int:
        """Provisioning that is due (a retry, or one a crashed worker left): the reminder runner's sweep."""
        claims = await self.provisioning.claim(self.worker)
        for claim in claims:
            await self._advance(claim)
        await self.drills.run_injects()  # a drill's scenario reveals what its drill time has reached
        if self.scheduled is not None:
            await self.scheduled.resume()
        return len(claims)

    async def _advance(self, claim: Claim) -> None:
        reference, stage = claim.reference, claim.stage
        incident = await self.incidents.get(reference, SYSTEM)
        platform = self.platforms.get(incident.platform)
        if platform is None:  # this process does not serve that platform: leave it to one that does
            await self.provisioning.release(reference)
            return
        try:
            if stage == HELD:  # nobody answered whether it is the same incident: it goes ahead on its own
                released = await self.incidents.release_held(reference)
                if released is None:  # answered meanwhile (merged, or already going ahead)
                    await self.provisioning.release(reference)
                    return
                await self.lookalikes.ask(*released)
                stage = SPACE
            if stage == SPACE:
                incident = await self._create_space(claim, incident, platform)
                stage = POPULATE
                await self.provisioning.advance(reference, stage)
            if stage == POPULATE:
                rendered = await self._populate(incident, platform)
                await self._catch_up(rendered)
                stage = TELL
                await self.provisioning.advance(reference, stage)
            if stage == TELL:
                incident = await self.incidents.get(reference, SYSTEM)
                await self._tell_reporter(incident, platform)
                if incident.drill:
                    await self._once(
                        reference,
                        platform,
                        "drill-briefing",
                        incident.channel_id or "",
                        lambda: self.drills.brief(incident, platform),
                    )
                await self.provisioning.advance(reference, DONE)
                if self.scheduled is not None:  # the response space exists: its deadline pings
                    await self.scheduled.sync(reference)
                self.drafts.refresh(incident, platform)  # best effort: the next change tries again
                await self.lookalikes.on_provisioned(reference)  # look-alikes waiting for this space
            await self.provisioning.release(reference)
        except Exception as exc:
            await self._failed(claim, stage, incident, platform, exc)

    async def _create_space(self, claim: Claim, incident: IncidentView, platform: Platform) -> IncidentView:
        """Wave 1: the space, and the people looked up at the same time. Both end before a failure is told,
        so a commander the look-up found hears of a space that could not be made."""
        space, team = await asyncio.gather(
            self._space(claim, incident, platform),
            self.incidents.resolve_team(incident.reference, platform),
            return_exceptions=True,
        )
        for result in (space, team):
            if isinstance(result, BaseException):
                raise result
        self._unresolved[incident.reference] = team[1]
        log.info("response space ready for %s", incident.reference)
        return (await self.incidents.attach_channel(incident.reference, space.id, space.name)).incident

    async def _space(self, claim: Claim, incident: IncidentView, platform: Platform) -> Space:
        if incident.channel_id:
            return Space(incident.channel_id, incident.channel_name or "")
        prefix = "drill" if incident.drill else self.org.channels.prefix  # never mistaken for a real one
        for attempt in range(1, NAME_ATTEMPTS + 1):
            name = channel_name(prefix, incident.created_at, incident.reference, attempt)
            if claim.space_name == name:  # tried before a crash: it may exist already, ours
                found = await platform.find_space(name)
                if found is not None:
                    return found
            await self.provisioning.naming(incident.reference, name)
            try:
                return await platform.create_space(name, incident.reference)
            except NameTaken:
                continue
        raise PlatformFailure("name_taken")

    async def _catch_up(self, rendered: IncidentView) -> None:
        """A change that landed while posts were on their way found no message id to update: show it now."""
        fresh = await self.incidents.get(rendered.reference, SYSTEM)
        if fresh.audit_events != rendered.audit_events:
            await self._show(fresh, None)

    async def _populate(self, incident: IncidentView, platform: Platform) -> IncidentView:
        """Wave 2: invite, topic, summary (then pinned) and the phases (in order), all at once.
        Returns the incident as the posts show it."""
        ref = incident.reference
        if ref not in self._unresolved:  # resumed after a crash: look the people up again
            _, self._unresolved[ref] = await self.incidents.resolve_team(ref, platform)
            incident = await self.incidents.get(ref, SYSTEM)
        space = _space_of(incident)
        wanted = [m.user_id for m in incident.members if m.platform == platform.name and m.role in TEAM_ROLES]
        if self.org.channels.invite_reporter:
            wanted += [m.user_id for m in incident.members if m.role == REPORTER_ROLE]
        invited, topic, summary, phases = await asyncio.gather(
            platform.invite(space, list(dict.fromkeys(wanted))),
            platform.set_topic(space, t("channel.topic", self.lang, reference=ref)),
            self._post_summary(incident, platform, space),
            self._post_phases(incident, platform, space),
            return_exceptions=True,
        )
        for outcome in (summary, phases):
            if isinstance(outcome, BaseException):
                raise outcome  # the posts are what the team works from: retry the stage
        problems: list[Rich] = [
            plain(t("channel.unresolved", self.lang, member=m)) for m in self._unresolved.pop(ref, [])
        ]
        if isinstance(invited, BaseException):
            problems.append(plain(t("channel.invite_failed_all", self.lang, error=_code(invited))))
        else:
            problems += [
                r(t("channel.invite_failed_who", self.lang, error=error), " ", _mention(user))
                for user, error in invited
            ]
        if isinstance(topic, BaseException):
            problems.append(plain(t("channel.topic_failed", self.lang, error=_code(topic))))
        if problems:
            await self.incidents.note(ref, "provisioning_problems", {"count": len(problems)})
            await self._once(
                ref,
                platform,
                "problems",
                space.id,
                lambda: platform.post(
                    space, problems_notice(problems, self.lang, incident=incident), "problems"
                ),
            )
        return incident

    async def _post_summary(self, incident: IncidentView, platform: Platform, space: Space) -> None:
        view = summary_view(incident, self.incidents.clock.now(), self.lang)
        posted = await self._once(
            incident.reference, platform, SUMMARY, space.id, lambda: platform.post(space, view, SUMMARY)
        )
        if posted is not None:
            await self._once(
                incident.reference,
                platform,
                "pinned",
                space.id,
                lambda: _pin(platform, space, posted, view.title),
            )

    async def _post_phases(
        self, incident: IncidentView, platform: Platform, space: Space, resuming: bool = True
    ) -> None:
        """Every phase up to the furthest one the team needs now, in the playbook's order."""
        lock = self._posting.setdefault(incident.reference, asyncio.Lock())
        async with lock:
            playbook = self.incidents.playbooks.get(incident.playbook_id)
            now = self.incidents.clock.now()
            for phase_id in phases_to_show(incident, phase_ids(incident, playbook)):
                view = phase_view(incident, playbook, phase_id, now, self.lang)
                key = phase_key(phase_id)
                await self._once(
                    incident.reference,
                    platform,
                    key,
                    space.id,
                    lambda v=view, k=key: platform.post(space, v, k),
                    resuming,
                )

    async def _tell_reporter(self, incident: IncidentView, platform: Platform) -> None:
        """Wave 3: the reporter hears the reference and where the response happens. An imported report's
        reporter is no chat user: the channel is told where the report came from instead."""
        if incident.imported:
            space, notice = _space_of(incident), imported_notice(incident, self.lang)
            await self._once(
                incident.reference,
                platform,
                IMPORTED,
                space.id,
                lambda: platform.post(space, notice, IMPORTED),
            )
            return
        lang = incident.reporter_lang
        notice = receipt(incident, incident.channel_id, incident.channel_name or "", lang)
        await self._once(
            incident.reference,
            platform,
            RECEIPT,
            incident.reporter_id,
            lambda: platform.direct(incident.reporter_id, notice, RECEIPT),
        )

    async def _once(
        self,
        reference: str,
        platform: Platform,
        key: str,
        where: str,
        send: Callable[[], Awaitable[Posted | None]],
        resuming: bool = True,
    ) -> Posted | None:
        """Do ``send`` once across crashes and replicas: claimed first, recorded after. A claim without a
        record was cut short by a crash: provisioning holds the incident's lease (``resuming``), elsewhere
        only an old claim counts, since another replica may be sending it right now. The platform is asked
        whether the post exists before it is sent again."""
        existing = (await self.posts.all(reference, platform.name)).get(key)
        if existing is not None and existing.message_id:
            return Posted(existing.channel_id, existing.message_id)
        if existing is None:
            if not await self.posts.claim(reference, platform.name, key, where):
                return None  # someone else is sending it right now
        elif not resuming and self.incidents.clock.now() - existing.updated_at < ABANDONED_CLAIM:
            return None
        else:
            space = Space(existing.channel_id, "")
            found = await platform.find_post(space, key) if key not in ("pinned",) else None
            if found is not None:
                await self.posts.remember(reference, platform.name, key, found.space_id, found.message_id)
                return found
        posted = await send()
        posted = posted or Posted(where, "done")
        await self.posts.remember(reference, platform.name, key, posted.space_id, posted.message_id)
        return posted

    async def _failed(
        self, claim: Claim, stage: str, incident: IncidentView, platform: Platform, exc: Exception
    ) -> None:
        reference, code = claim.reference, _code(exc)
        attempts = claim.attempts + 1
        retry = not isinstance(exc, PlatformFailure) or exc.retry
        log.warning("provisioning %s failed at %s (%s), try %d", reference, stage, code, attempts)
        await self.incidents.note(
            reference, "provisioning_failed", {"stage": stage, "error": code, "try": attempts}
        )
        if retry and attempts < MAX_ATTEMPTS:
            await self.provisioning.retry_later(reference, attempts, code, self.backoff(attempts))
            return
        await self.provisioning.give_up(reference, attempts, code)
        await self._tell_failure(incident, platform, stage, code)

    async def _tell_failure(self, incident: IncidentView, platform: Platform, stage: str, code: str) -> None:
        """Persisting failure: the commander and the reporter hear what failed and what to do."""
        incident = await self.incidents.get(incident.reference, SYSTEM)
        space = space_word(incident, self.lang)
        what = t(f"provisioning.stage.{stage}", self.lang, space=space)
        text = plain(
            t(
                "provisioning.failed",
                self.lang,
                reference=incident.reference,
                what=what,
                error=code,
                space=space,
            )
        )
        reporter = () if incident.imported else (incident.reporter_id,)  # an imported one's is no chat user
        for person in {*incident.members_with_role("commander"), *reporter}:
            try:
                await platform.direct(person, text)
            except Exception as again:
                log.error(
                    "could not tell %s's team about a failed set-up: %s", incident.reference, _code(again)
                )

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
            await platform.invite(_space_of(incident), list(event.added))
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
            await self._post_phases(incident, platform, _space_of(incident), resuming=False)
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
            await platform.post(_space_of(incident), view, "status")

    async def share_calendar(self, incident: IncidentView) -> None:
        """The legal deadlines as an .ics file in the response channel."""
        platform = self.platforms.get(incident.platform)
        if platform is None or not incident.channel_id:
            return
        data = deadlines_calendar(incident, self.incidents.clock.now(), self.lang)
        title = t("summary.calendar_title", self.lang, reference=incident.reference)
        await platform.upload(_space_of(incident), f"{incident.reference}.ics", data, title)

    async def _say(self, event: Changed) -> None:
        incident = event.incident
        platform = self.platforms.get(incident.platform)
        if platform is None or not incident.channel_id:
            return
        playbook = self.incidents.playbooks.get(incident.playbook_id)
        notice = changes_notice(incident, event.changes, playbook, event.actor, self.lang)
        if notice is not None:
            await platform.post(_space_of(incident), notice, "notice")


def phases_to_show(incident: IncidentView, ids: list[str]) -> list[str]:
    """Every phase up to the furthest the team needs now: the one being worked on, and any holding an open
    step with a legal deadline or a due time (the 速報 cannot wait for the investigation to finish, and a
    step that is reminded about is always visible). Shown in order, none skipped."""
    current = incident.progress.current_phase
    needed = {current} if current in ids else set(ids)
    needed |= {
        s.step.phase
        for s in incident.steps
        if s.status not in FINISHED and (s.step.deadline or s.due_at is not None)
    }
    furthest = max((ids.index(p) for p in needed if p in ids), default=-1)
    return ids[: furthest + 1]


def _space_of(incident: IncidentView) -> Space:
    assert incident.channel_id
    return Space(incident.channel_id, incident.channel_name or "")


async def _pin(platform: Platform, space: Space, posted: Posted, title: str) -> Posted:
    await platform.pin(space, posted, title)
    return posted


def _mention(user_id: str) -> Rich:
    from bot.i18n.rich import mention

    return (mention(user_id),)


def _code(exc: BaseException) -> str:
    return exc.code if isinstance(exc, PlatformFailure) else type(exc).__name__
