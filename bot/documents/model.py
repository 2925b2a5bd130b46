"""The document model every draft is built in: plain text only, no markup; each renderer escapes for its format.

A draft says only what the facts, the assessment, the step states and the org config say. An item the team
does not know yet reads 「調査中」 and is named in ``missing``; an org-config value nobody filled in reads
「【要記入：…】」 and is named in ``to_fill``. Nothing is invented to fill a gap.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from bot.i18n import t

BlockKind = Literal["paragraph", "bullet", "field"]


@dataclass(frozen=True)
class Block:
    """A paragraph, a bullet, or a labelled field (``label``: ``text``)."""

    kind: BlockKind
    text: str
    label: str = ""


def paragraph(text: str) -> Block:
    return Block("paragraph", text)


def bullet(text: str) -> Block:
    return Block("bullet", text)


def field(label: str, text: str) -> Block:
    return Block("field", text, label)


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple[Block, ...] = ()
    key: str = (
        ""  # stable across languages and wording (the heading's catalog key): edits and snapshots use it
    )

    @property
    def text(self) -> str:
        """Every word of the section, for searching (tests, canvases)."""
        return "\n".join(f"{b.label} {b.text}".strip() for b in self.blocks)


@dataclass(frozen=True)
class Document:
    key: str  # ppc_report_preliminary, ppc_report_final, notice_letter, notice_email, announcement, …
    title: str
    lang: str
    sections: tuple[Section, ...]
    missing: tuple[str, ...] = ()  # items still 「調査中」, by name
    to_fill: tuple[str, ...] = ()  # org-config values shown as 【要記入】 placeholders
    warnings: tuple[str, ...] = ()  # notes to the team: review before publishing, untranslated text, …
    due: str = (
        ""  # the document's own deadline, for the team (「速やかに」 for a notice), when not in its text
    )

    def due_on(self, due: str) -> Document:
        return replace(self, due=due)

    def notes(self) -> list[str]:
        """What the team reads above the draft: its deadline, what is still unknown, what to fill in, what to
        check. Both renderers show these the same way."""
        sep = "、" if self.lang == "ja" else ", "
        notes = [t("doc.due_note", self.lang, due=self.due)] if self.due else []
        if self.missing:
            notes.append(t("doc.missing_note", self.lang, items=sep.join(self.missing)))
        if self.to_fill:
            notes.append(t("doc.to_fill_note", self.lang, items=sep.join(self.to_fill)))
        notes += [t("doc.warnings_note", self.lang, items=w) for w in self.warnings]
        return notes

    def section(self, heading: str) -> Section:
        return next(s for s in self.sections if s.heading == heading)

    @property
    def headings(self) -> tuple[str, ...]:
        return tuple(s.heading for s in self.sections)

    @property
    def text(self) -> str:
        return "\n".join([self.title, *(f"{s.heading}\n{s.text}" for s in self.sections)])
