"""A document as it was filed, sent or published: frozen, kept with its facts and its SHA-256.

Marking a draft filed / sent / published freezes the text as it was (rendered in the org's language, with
the facts of that moment); the channel and the export then show that copy, stamped with who and when,
instead of the live draft. Taking the final status back unfreezes it (the copy stays in the audit history).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.documents.edits import when
from bot.documents.model import Block, Document, Section
from bot.i18n import t

# Each status kind (bot.documents.status.KINDS) → the export file holding it and the documents it freezes.
KIND_DOCUMENTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "ppc-preliminary": ("ppc-report", ("ppc_report_preliminary",)),
    "ppc-final": ("ppc-report", ("ppc_report_final",)),
    "notice": ("notice", ("notice_letter", "notice_email")),
    "announcement": ("announcement", ("announcement",)),
    "enquiry-script": ("enquiry-script", ("enquiry_script",)),
    "consultation": ("consultation", ("consultation",)),
    "eu-notification": ("eu-notification", ("eu_notification",)),
    "eu-communication": ("eu-communication", ("eu_communication",)),
    "breach-register": ("breach-register", ("breach_register",)),
    **{
        name: (name, (name.replace("-", "_"),))
        for name in (
            "uk-notification",
            "uk-communication",
            "kr-notification",
            "kr-notice",
            "sg-notification",
            "sg-notice",
            "au-statement",
            "au-notice",
            "th-notification",
        )
    },
}
DOCUMENT_KIND = {doc: kind for kind, (_, docs) in KIND_DOCUMENTS.items() for doc in docs}


@dataclass(frozen=True)
class Filed:
    """The frozen copy of one status kind's documents, and its stamp."""

    kind: str  # ppc-preliminary, notice, …
    status: str  # filed, sent, published
    documents: tuple[Document, ...]
    markdown: str  # exactly as rendered when frozen: what the SHA-256 covers
    facts: Mapping[str, Any]  # the facts at that moment (JSON)
    by: str  # "slack:U…"
    at: datetime
    sha256: str

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(d.key for d in self.documents)


def sha256(markdown: str) -> str:
    return hashlib.sha256(markdown.encode("utf-8")).hexdigest()


def to_json(documents: tuple[Document, ...]) -> list[dict[str, Any]]:
    return [
        {
            "key": d.key,
            "title": d.title,
            "lang": d.lang,
            "missing": list(d.missing),
            "to_fill": list(d.to_fill),
            "sections": [
                {
                    "heading": s.heading,
                    "key": s.key,
                    "blocks": [{"kind": b.kind, "text": b.text, "label": b.label} for b in s.blocks],
                }
                for s in d.sections
            ],
        }
        for d in documents
    ]


def from_json(data: list[dict[str, Any]]) -> tuple[Document, ...]:
    return tuple(
        Document(
            key=d["key"],
            title=d["title"],
            lang=d["lang"],
            missing=tuple(d.get("missing", ())),
            to_fill=tuple(d.get("to_fill", ())),
            sections=tuple(
                Section(
                    s["heading"],
                    tuple(Block(b["kind"], b["text"], b.get("label", "")) for b in s["blocks"]),
                    s.get("key", ""),
                )
                for s in d["sections"]
            ),
        )
        for d in data
    )


def stamp(copy: Filed) -> str:
    """「提出済み（2026年12月03日 10:00、ULEGAL）…」: the line above a frozen copy."""
    lang = copy.documents[0].lang if copy.documents else "ja"
    who = copy.by.split(":", 1)[-1]
    status = t(f"document.status.{copy.status}", lang)
    return t("doc.filed.stamp", lang, status=status, at=when(copy.at, lang), who=who, sha=copy.sha256)
