"""A person's edits to a draft's sections, and what the drafts are made of (the incident, its trail, the edits
and the frozen copies), read in one transaction for the channel and the export."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from bot.appi.deadlines import JST
from bot.documents.current import EDITABLE, build, current
from bot.documents.edits import EDIT_MAX, Editable, SectionEdit, plain_text
from bot.documents.model import Document
from bot.documents.snapshots import DOCUMENT_KIND, Filed, sha256
from bot.documents.timeline import TimelineEvent, read_events
from bot.domain.events import DocumentChanged
from bot.domain.views import Change, IncidentView
from bot.services import audit_log
from bot.services.errors import ServiceError
from bot.services.filing import filed_copies, final_kinds, section_edits
from bot.services.incident_base import IncidentsBase, Outcome
from bot.services.policy import Permission
from bot.services.ports import Actor
from bot.storage.tables import DocumentEdit

NAME_MAX = 255


@dataclass(frozen=True)
class Papers:
    """Everything the drafts are made of, read together."""

    incident: IncidentView
    events: list[TimelineEvent]
    edits: list[SectionEdit]
    filed: dict[str, Filed]


class DocumentEdits(IncidentsBase):
    async def papers(self, reference: str, actor: Actor, *, audit: str | None = None) -> Papers:
        """``audit``: a person takes the documents away (``export``): recorded with who and when."""
        async with self._attempt(reference, actor, "read"):
            async with self._uow() as uow:
                # from Queries, in IncidentService
                incident = await self._readable(uow, reference, actor, audit)  # type: ignore[attr-defined]
                return Papers(
                    await self._view(uow.session, incident),
                    await read_events(uow.session, reference),
                    await section_edits(uow.session, incident),
                    await filed_copies(uow.session, incident),
                )

    async def editable(self, reference: str, actor: Actor) -> tuple[Editable, ...]:
        """The sections the team may rewrite now (not those of a filed, sent or published document), each
        with its current text; only for who may work the incident."""
        async with self._attempt(reference, actor, "open:edit"):
            async with self._uow() as uow:
                incident = await self._locked(uow, reference)
                await self._authorize(uow.session, incident, actor, Permission.WORK)
                view = await self._view(uow.session, incident)
                edits = await section_edits(uow.session, incident)
                filed = await filed_copies(uow.session, incident)
        on = self.clock.now().astimezone(JST).date()
        files = current(view, self.org, self.org.language, on=on, filed=filed)  # the builders' text
        mine = {(e.document, e.section): e for e in edits}
        result = []
        for items in files.values():
            for doc in items:
                if not isinstance(doc, Document) or doc.key not in EDITABLE:
                    continue
                for s in doc.sections:
                    edit = mine.get((doc.key, s.key))
                    result.append(Editable(doc.key, s.key, s.heading, edit.text if edit else plain_text(s)))
        return tuple(result)

    async def edit_section(
        self, reference: str, document: str, section: str, text: str, actor: Actor, by_name: str = ""
    ) -> Outcome:
        """The team's own words for one section of a draft, kept with who and when; an empty text gives the
        section back to the builder. A document already filed, sent or published is not edited (its final
        status is taken back first)."""
        now = self.clock.now()
        text = (text or "").strip()
        async with self._attempt(reference, actor, "edit", document=document, section=section):
            if document not in EDITABLE:
                raise ServiceError("unknown_document", reference=reference)
            if len(text) > EDIT_MAX:
                raise ServiceError("too_long", reference=reference, limit=EDIT_MAX)
            async with self._uow() as uow:
                session = uow.session
                incident = await self._locked(uow, reference)
                await self._authorize(session, incident, actor, Permission.WORK)
                if DOCUMENT_KIND[document] in await final_kinds(session, incident):
                    raise ServiceError("document_final", reference=reference)
                view = await self._view(session, incident)
                lang = self.org.language
                built = build(document, view, self.org, lang, on=now.astimezone(JST).date())
                heading = next((s.heading for s in built.sections if s.key == section), None)
                row = await session.scalar(
                    select(DocumentEdit).where(
                        DocumentEdit.incident_id == incident.id,
                        DocumentEdit.document == document,
                        DocumentEdit.section == section,
                    )
                )
                if heading is None and row is None:
                    raise ServiceError("unknown_document", reference=reference)
                if not text:
                    if row is None:
                        return Outcome(view)
                    await session.delete(row)
                    action, detail = "document_edit_cleared", {"document": document, "section": section}
                else:
                    if row is not None and row.text == text:
                        return Outcome(view)
                    if row is None:
                        row = DocumentEdit(incident_id=incident.id, document=document, section=section)
                        session.add(row)
                    row.heading = heading or row.heading
                    row.text, row.by, row.at = text, str(actor), now
                    row.by_name = (by_name or actor.user_id)[:NAME_MAX]
                    row.facts = view.facts.model_dump(mode="json")
                    action = "document_edited"
                    detail = {"document": document, "section": section, "sha256": sha256(text)}
                    detail["chars"] = len(text)
                incident.updated_at = now
                await audit_log.record(session, incident, now, actor, action, detail)
                view = await self._view(session, incident)
                change = Change(action, {"document": document, "section": section, "heading": heading or ""})
                uow.events.append(DocumentChanged(view, str(actor), (change,)))
                return Outcome(view, (change,))
