"""Closing an incident (issue 21): the export is written where the org config says (``retention.export_dir``),
then the response space is archived — read-only, kept as the record; reopening unarchives it first.

Runs after commit like every rule of the journey: the archive comes last, once the summary, the phases and the
drafts show the incident closed (they cannot be updated in an archived space); the unarchive comes first, so
the reopened incident's notice and updates can be posted. When the export cannot be written, the space is not
archived: the team is told why, and closing again (after a reopen) tries again."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping

from bot.domain.events import Changed, StatusChanged
from bot.domain.views import IncidentView
from bot.i18n import t
from bot.i18n.rich import plain
from bot.journey.drills import DrillConductor
from bot.journey.export import export_bundle, write_bundle
from bot.journey.port import Platform, PlatformFailure, Space
from bot.services.incidents import IncidentService
from bot.services.ports import SYSTEM

log = logging.getLogger(__name__)


class Closing:
    def __init__(
        self,
        incidents: IncidentService,
        drills: DrillConductor,
        platforms: Mapping[str, Platform],
        settle: Callable[[], Awaitable[None]],
    ) -> None:
        """``settle``: waits until the living messages and the drafts show the newest state."""
        self.incidents = incidents
        self.drills = drills
        self.platforms = platforms
        self.settle = settle

    @property
    def lang(self) -> str:
        return self.incidents.org.language

    async def on_reopened(self, event: StatusChanged) -> None:
        incident = event.incident
        platform = self.platforms.get(incident.platform)
        if incident.status != "open" or platform is None or not incident.channel_id:
            return
        try:
            await platform.unarchive_space(_space(incident))
        except PlatformFailure as exc:
            log.warning("could not unarchive the space of %s: %s", incident.reference, exc.code)
            await self.incidents.note(incident.reference, "space_unarchive_failed", {"error": exc.code})
            await self._tell_commanders(incident, platform, "closing.unarchive_failed", exc.code)
            return
        await self.incidents.note(incident.reference, "space_unarchived", {})

    async def on_closed(self, event: Changed) -> None:
        incident = event.incident
        if not isinstance(event, StatusChanged) or incident.status != "closed":
            return
        platform = self.platforms.get(incident.platform)
        if not await self._export(incident, platform):
            return
        if platform is None or not incident.channel_id:
            return
        await self.settle()
        space = _space(incident)
        try:
            await platform.post(space, plain(t("closing.archiving", self.lang)), "closing")
            archived = await platform.archive_space(space)
        except PlatformFailure as exc:
            log.warning("could not archive the space of %s: %s", incident.reference, exc.code)
            await self.incidents.note(incident.reference, "space_archive_failed", {"error": exc.code})
            await self._tell_commanders(incident, platform, "closing.archive_failed", exc.code)
            return
        if archived:
            await self.incidents.note(incident.reference, "space_archived", {})
        else:  # a Teams thread: it cannot be made read-only on its own
            await platform.post(space, plain(t("closing.kept_as_record", self.lang)), "closing-kept")

    async def _export(self, incident: IncidentView, platform: Platform | None) -> bool:
        """The export on close, where the org config says; False when it could not be written."""
        directory = self.incidents.org.retention.export_dir
        if directory is None:
            return True
        reference = incident.reference
        try:
            files = await export_bundle(
                self.incidents, self.drills, reference, SYSTEM, self.lang, self.incidents.org
            )
            await asyncio.to_thread(write_bundle, directory / reference, files)
        except OSError as exc:
            error = exc.strerror or type(exc).__name__
            log.warning("the export of %s on close could not be written: %s", reference, error)
            await self.incidents.note(reference, "export_failed", {"error": error})
            if platform is not None and incident.channel_id:
                text = plain(t("closing.export_failed", self.lang, error=error))
                await platform.post(_space(incident), text, "closing-export-failed")
            return False
        await self.incidents.note(reference, "exported", {"files": len(files)})
        return True

    async def _tell_commanders(
        self, incident: IncidentView, platform: Platform, key: str, error: str
    ) -> None:
        text = plain(t(key, self.lang, reference=incident.reference, error=error))
        for person in incident.members_with_role("commander"):
            try:
                await platform.direct(person, text)
            except Exception as exc:
                log.error("could not tell %s's commander: %s", incident.reference, type(exc).__name__)


def _space(incident: IncidentView) -> Space:
    assert incident.channel_id
    return Space(incident.channel_id, incident.channel_name or "")
