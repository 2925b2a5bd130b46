"""The document drafts where the team works on them (a Slack channel canvas), kept in step with the facts.

Published once the response space is ready, then after every change, coalesced like the living messages
(the newest state wins, about once a second per incident) and only when the drafts' text changed. The
timeline is left to `leakbot incidents export`: it grows with every click.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.appi.deadlines import JST
from bot.documents.current import current
from bot.documents.docx import render_docx
from bot.documents.markdown import escape, render_markdown
from bot.documents.regime_drafts import REGIME_FILE_NAMES
from bot.domain.views import IncidentView
from bot.i18n import t
from bot.i18n.rich import plain
from bot.journey.port import AS_FILES, Drafts, Platform, Space
from bot.journey.updates import Updates
from bot.services.document_edits import Papers
from bot.services.incidents import IncidentService
from bot.services.ports import SYSTEM
from bot.services.posts import PostService

log = logging.getLogger(__name__)
DRAFTS = "drafts"  # its key among the incident's posts: the canvas id, or AS_FILES
IN_THE_CANVAS = (
    "ppc-report",
    "notice",
    "announcement",
    "enquiry-script",
    "consultation",
    *REGIME_FILE_NAMES,  # each law's beyond Japan, when its people are affected
)


class DraftsKeeper:
    def __init__(
        self,
        incidents: IncidentService,
        posts: PostService,
        updates: Updates,
        placed: Callable[[str], Awaitable[None]],
    ) -> None:
        """``placed(reference)``: the drafts found a (new) home; the summary says where."""
        self.placed = placed
        self.incidents = incidents
        self.posts = posts
        self.updates = updates
        self._shown: dict[str, str] = {}  # reference -> the Markdown last published (skip identical edits)

    @property
    def lang(self) -> str:
        return self.incidents.org.language

    def refresh(self, incident: IncidentView, platform: Platform | None, asked: bool = False) -> None:
        """Publish the drafts soon (coalesced); nothing before the response space exists. Drafts posted as
        files are posted again only when a person asks (``asked``): files cannot be edited in place."""
        if platform is None or not incident.channel_id:
            return
        ref = incident.reference
        space = Space(incident.channel_id, incident.channel_name or "")

        async def send(_: object) -> None:
            await self._publish(ref, platform, space, asked)

        self.updates.submit((platform.name, ref, DRAFTS), incident.audit_events, None, send)

    def drafts(self, papers: Papers) -> Drafts:
        """The team's edits on the builders' text; a filed / sent / published document as it was frozen."""
        incident, now = papers.incident, self.incidents.clock.now()
        documents = current(
            incident,
            self.incidents.org,
            self.lang,
            events=papers.events,
            on=now.astimezone(JST).date(),
            edits=papers.edits,
            filed=papers.filed,
            at=now,
        )
        shown = [doc for name in IN_THE_CANVAS for doc in documents.get(name, ())]
        title = t("drafts.title", self.lang, reference=incident.reference)
        markdown = f"> {escape(t('drafts.how_to_edit', self.lang))}\n\n" + render_markdown(shown)

        def files() -> tuple[tuple[str, bytes], ...]:
            return (
                (f"{incident.reference}-drafts.md", markdown.encode("utf-8")),
                (f"{incident.reference}-drafts.docx", render_docx(shown)),
            )

        return Drafts(title, markdown, files, tuple(shown))

    async def _publish(self, reference: str, platform: Platform, space: Space, asked: bool) -> None:
        papers = await self.incidents.papers(reference, SYSTEM)
        incident, drafts = papers.incident, self.drafts(papers)
        existing = incident.post(platform.name, DRAFTS)
        existing_id = existing.message_id if existing and existing.message_id else None
        if existing_id and self._shown.get(reference) == drafts.markdown:
            return
        if existing_id == AS_FILES and not asked:
            return
        published = await platform.publish_drafts(space, drafts, existing_id)
        self._shown[reference] = drafts.markdown
        if published.id != existing_id or (published.link and existing and existing.link != published.link):
            await self.posts.remember(
                reference, platform.name, DRAFTS, space.id, published.id, published.link
            )
            await self.placed(reference)
        if published.fallback:
            note = plain(t("drafts.as_files", self.lang, reason=published.fallback))
            await platform.post(space, note, "drafts-note")
        log.info("drafts of %s published", reference)
