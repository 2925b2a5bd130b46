"""The drafts as the team sees them (the channel, the export): the builders' text, the team's section edits on
top (flagged where the facts under them changed since), and each filed / sent / published document replaced
by its frozen copy. The 確報's changes are counted from the 速報 as filed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime

from bot.config.org import OrgConfig
from bot.documents.announcement import announcement
from bot.documents.bundle import bundle
from bot.documents.consultation import consultation
from bot.documents.edits import SectionEdit, apply_edits
from bot.documents.enquiry_script import enquiry_script
from bot.documents.model import Document, Section
from bot.documents.notice import notice
from bot.documents.ppc_report import ppc_report
from bot.documents.regime_drafts import BUILDERS
from bot.documents.snapshots import DOCUMENT_KIND, KIND_DOCUMENTS, Filed
from bot.documents.timeline import TimelineEvent
from bot.domain.facts import Facts
from bot.domain.views import IncidentView

Item = Document | Filed  # what an export file holds, in order


def build(
    key: str,
    view: IncidentView,
    org: OrgConfig | None,
    lang: str,
    *,
    events: Sequence[TimelineEvent] = (),
    since: Facts | None = None,
    on: date | None = None,
    at: datetime | None = None,
) -> Document:
    """One document by its key, as its builder makes it (no edits)."""
    if key.startswith("ppc_report_"):
        kind = "preliminary" if key.endswith("preliminary") else "final"
        return ppc_report(view, org, lang, kind=kind, since=since, events=events, on=on)
    if key.startswith("notice_"):
        return notice(view, org, lang, form="letter" if key.endswith("letter") else "email", on=on)
    if key == "announcement":
        return announcement(view, org, lang, on=on)
    if key == "enquiry_script":
        return enquiry_script(view, org, lang)
    if key == "consultation":
        return consultation(view, org, lang)
    if key in BUILDERS:  # the regimes' drafts are in their own language, whatever ``lang``
        return BUILDERS[key](view, org, on, at)
    raise KeyError(key)


EDITABLE = frozenset(DOCUMENT_KIND)  # the timeline is the audit trail's: nobody edits it


def since_filed(filed: Mapping[str, Filed]) -> Facts | None:
    """The facts of the 速報 as filed: what the 確報's changes are counted from."""
    copy = filed.get("ppc-preliminary")
    return Facts.model_validate(dict(copy.facts)) if copy is not None else None


def _section(doc: Document, key: str) -> Section | None:
    return next((s for s in doc.sections if s.key == key), None)


def facts_changed_under(
    edit: SectionEdit, now: Document, view: IncidentView, org: OrgConfig | None, lang: str, **context
) -> bool:
    """Whether the builder's text of the edited section differs between the facts when it was edited and
    the facts now: the person's words may no longer match the facts."""
    then_facts = Facts.model_validate(dict(edit.facts))
    if then_facts == view.facts:
        return False
    then = build(now.key, replace(view, facts=then_facts), org, lang, **context)
    before, after = _section(then, edit.section), _section(now, edit.section)
    return before is None or after is None or before.text != after.text


def current(
    view: IncidentView,
    org: OrgConfig | None,
    lang: str = "ja",
    *,
    events: Sequence[TimelineEvent] = (),
    on: date | None = None,
    edits: Sequence[SectionEdit] = (),
    filed: Mapping[str, Filed] | None = None,
    at: datetime | None = None,
) -> dict[str, tuple[Item, ...]]:
    """File name → what it holds: a filed kind's frozen copy in place of its live documents, the others with
    the team's edits applied."""
    filed = filed or {}
    since = since_filed(filed)
    context = {"events": events, "since": since, "on": on, "at": at}
    by_document: dict[str, list[SectionEdit]] = defaultdict(list)
    for edit in edits:
        by_document[edit.document].append(edit)
    files: dict[str, tuple[Item, ...]] = {}
    for name, documents in bundle(view, org, lang, **context).items():
        items: list[Item] = []
        for doc in documents:
            copy = filed.get(DOCUMENT_KIND.get(doc.key, ""))
            if copy is not None:
                if copy not in items:
                    items.append(copy)
                continue
            mine = by_document.get(doc.key, [])
            flagged = [(e, facts_changed_under(e, doc, view, org, lang, **context)) for e in mine]
            items.append(apply_edits(doc, flagged))
        files[name] = tuple(items)
    return files


def live_documents(
    kind: str,
    view: IncidentView,
    org: OrgConfig | None,
    lang: str,
    *,
    events: Sequence[TimelineEvent] = (),
    on: date | None = None,
    edits: Sequence[SectionEdit] = (),
    filed: Mapping[str, Filed] | None = None,
    at: datetime | None = None,
) -> tuple[Document, ...]:
    """A kind's documents as the team sees them now (edits applied): what freezing it keeps."""
    others = {k: v for k, v in (filed or {}).items() if k != kind}
    name, keys = KIND_DOCUMENTS[kind]
    items = current(view, org, lang, events=events, on=on, edits=edits, filed=others, at=at)[name]
    return tuple(i for i in items if isinstance(i, Document) and i.key in keys)
