"""A person's words in a draft: a section the team rewrote replaces the builder's text, with who and when, and
is never overwritten by a facts change; when the facts under it changed since, it is flagged instead."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from bot.appi.deadlines import JST
from bot.documents.model import Document, Section, paragraph
from bot.i18n import t

EDIT_MAX = 3000  # characters of one section's text (Slack's plain_text_input holds 3,000)


@dataclass(frozen=True)
class SectionEdit:
    document: str  # Document.key: ppc_report_preliminary, notice_letter, …
    section: str  # Section.key: the heading's catalog key
    heading: str  # the heading when it was edited (shown should the section go away)
    text: str
    by: str  # "slack:U…"
    by_name: str  # the person's name as the platform gave it, else their id
    at: datetime
    facts: Mapping[str, Any]  # the facts when it was edited: what "the facts changed since" compares with


@dataclass(frozen=True)
class Editable:
    """A section someone may rewrite, with its text now (their edit, else the builder's) to start from."""

    document: str
    section: str
    heading: str
    text: str


def plain_text(section: Section) -> str:
    """A builder's section as plain lines to edit: a field as 「label：text」, a bullet as 「・text」."""
    lines = []
    for block in section.blocks:
        if block.kind == "field":
            lines.append(f"{block.label}：{block.text}")
        elif block.kind == "bullet":
            lines.append(f"・{block.text}")
        else:
            lines.append(block.text)
    return "\n".join(lines)


def when(moment: datetime, lang: str) -> str:
    local = moment.astimezone(JST)
    return f"{local:%Y年%m月%d日 %H:%M}" if lang == "ja" else f"{local:%Y-%m-%d %H:%M} JST"


def edited_section(section: Section | None, edit: SectionEdit, flagged: bool, lang: str) -> Section:
    """The person's text in place of the builder's, then who edited it and, when the facts under it changed
    since, a flag saying so."""
    notes = [paragraph(t("doc.edit.by", lang, who=edit.by_name, at=when(edit.at, lang)))]
    if flagged:
        notes.append(paragraph(t("doc.edit.facts_changed", lang, who=edit.by_name, at=when(edit.at, lang))))
    heading = section.heading if section is not None else edit.heading
    return Section(heading, (paragraph(edit.text), *notes), edit.section)


def apply_edits(doc: Document, edits: Sequence[tuple[SectionEdit, bool]]) -> Document:
    """``edits``: this document's edits, each with whether the facts under it changed since. A section that
    no longer exists keeps its edit at the end (a person's words are never lost)."""
    if not edits:
        return doc
    by_key = {edit.section: (edit, flagged) for edit, flagged in edits}
    sections = [edited_section(s, *by_key[s.key], doc.lang) if s.key in by_key else s for s in doc.sections]
    present = {s.key for s in doc.sections}
    sections += [
        edited_section(None, edit, True, doc.lang) for edit, _ in edits if edit.section not in present
    ]
    return replace(doc, sections=tuple(sections))
