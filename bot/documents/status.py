"""Where each draft stands: draft → reviewed (legal) → filed / sent / published, with who and when.

The 速報 and 確報 are filed by the same act as 提出済みにする on a reminder card: their "filed" is the legal
deadline's state, not a second record that could disagree with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.views import DeadlineView
from bot.domain.vocabulary import Role

DRAFT, REVIEWED = "draft", "reviewed"


@dataclass(frozen=True)
class DocumentKind:
    key: str
    final: str  # filed, sent, published
    owner: str  # the role that sets the final status (or the commander)
    deadline: str | None = None  # the legal deadline filing it meets


KINDS: tuple[DocumentKind, ...] = (
    DocumentKind("ppc-preliminary", "filed", str(Role.LEGAL), "preliminary"),
    DocumentKind("ppc-final", "filed", str(Role.LEGAL), "final"),
    DocumentKind("notice", "sent", str(Role.SUPPORT)),
    DocumentKind("announcement", "published", str(Role.PR)),
    DocumentKind("enquiry-script", "published", str(Role.SUPPORT)),
    DocumentKind("consultation", "sent", str(Role.COMMANDER)),
)
BY_KEY = {kind.key: kind for kind in KINDS}
REVIEWER = str(Role.LEGAL)


@dataclass(frozen=True)
class DocumentState:
    key: str
    status: str  # draft, reviewed, or the kind's final status
    by: str | None = None  # "slack:U…"
    at: datetime | None = None


def states(stored: dict, deadlines: tuple[DeadlineView, ...]) -> tuple[DocumentState, ...]:
    """Every kind's state from the incident's stored states and its deadlines."""
    filed = {d.kind: d for d in deadlines if d.kind != "step" and d.status in ("filed", "met")}
    result = []
    for kind in KINDS:
        entry = stored.get(kind.key) or {}
        at = entry.get("at")
        state = DocumentState(
            kind.key, entry.get("status", DRAFT), entry.get("by"), datetime.fromisoformat(at) if at else None
        )
        if kind.deadline and kind.deadline in filed:
            state = DocumentState(kind.key, kind.final, state.by, state.at)
        result.append(state)
    return tuple(result)


def allowed(kind: DocumentKind, status: str) -> bool:
    return status in (DRAFT, REVIEWED, kind.final)
