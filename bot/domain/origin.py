"""Where a report made outside chat came from (`leakbot incidents import`): by phone, by e-mail, from a customer
or a vendor. A /leak report has none: its reporter is a chat user."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

TITLE_MAX = 200
REPORTED_BY_MAX = 200


class ReportSource(StrEnum):
    """How the report reached the company; said in the response channel and kept in the audit trail."""

    PHONE = "phone"  # 電話
    EMAIL = "email"  # メール
    LETTER = "letter"  # 書面・郵送
    IN_PERSON = "in_person"  # 対面・口頭
    WEB = "web"  # Webフォーム・問い合わせ窓口
    OTHER = "other"  # その他


@dataclass(frozen=True)
class Origin:
    """An imported report: how it came (optional), who reported it and a title (free text, never audited or
    logged: it may name a customer)."""

    source: ReportSource | None = None
    reported_by: str = ""
    title: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "source": None if self.source is None else str(self.source),
            "reported_by": self.reported_by,
            "title": self.title,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Origin:
        source = data.get("source")
        return cls(
            source=ReportSource(source) if source else None,
            reported_by=data.get("reported_by") or "",
            title=data.get("title") or "",
        )
