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
    deadline: str | None = None  # the legal deadline filing it meets (through its playbook step)
    regime: str | None = None  # a regime beyond Japan's draft: listed only when its people are affected
    meets: str | None = None  # the regime deadline marking it final meets (no playbook step: the row's key)


KINDS: tuple[DocumentKind, ...] = (
    DocumentKind("ppc-preliminary", "filed", str(Role.LEGAL), "preliminary"),
    DocumentKind("ppc-final", "filed", str(Role.LEGAL), "final"),
    DocumentKind("notice", "sent", str(Role.SUPPORT)),
    DocumentKind("announcement", "published", str(Role.PR)),
    DocumentKind("enquiry-script", "published", str(Role.SUPPORT)),
    DocumentKind("consultation", "sent", str(Role.COMMANDER)),
    # GDPR (issue 20): the Art. 33 notification, the Art. 34 communication, the Art. 33(5) breach register
    DocumentKind("eu-notification", "filed", str(Role.LEGAL), regime="EU", meets="regime:EU:authority"),
    DocumentKind("eu-communication", "sent", str(Role.SUPPORT), regime="EU"),
    DocumentKind("breach-register", "filed", str(Role.LEGAL), regime="EU"),
    # The other laws beyond Japan: marking the notification filed files the law's deadline, as the EU's; Korea's
    # notice to the people meets its own 72 hours. AU's statement is due "as soon as practicable": no row.
    DocumentKind("uk-notification", "filed", str(Role.LEGAL), regime="UK", meets="regime:UK:authority"),
    DocumentKind("uk-communication", "sent", str(Role.SUPPORT), regime="UK"),
    DocumentKind("kr-notification", "filed", str(Role.LEGAL), regime="KR", meets="regime:KR:authority"),
    DocumentKind("kr-notice", "sent", str(Role.SUPPORT), regime="KR", meets="regime:KR:individuals"),
    DocumentKind("sg-notification", "filed", str(Role.LEGAL), regime="SG", meets="regime:SG:authority"),
    DocumentKind("sg-notice", "sent", str(Role.SUPPORT), regime="SG"),
    DocumentKind("au-statement", "filed", str(Role.LEGAL), regime="AU"),
    DocumentKind("au-notice", "sent", str(Role.SUPPORT), regime="AU"),
    DocumentKind("th-notification", "filed", str(Role.LEGAL), regime="TH", meets="regime:TH:authority"),
)
BY_KEY = {kind.key: kind for kind in KINDS}
REVIEWER = str(Role.LEGAL)


@dataclass(frozen=True)
class DocumentState:
    key: str
    status: str  # draft, reviewed, or the kind's final status
    by: str | None = None  # "slack:U…"
    at: datetime | None = None


def kinds_for(jurisdictions: tuple[str, ...] | list[str]) -> tuple[DocumentKind, ...]:
    """The kinds an incident has: Japan's, and each regime's whose people are affected."""
    return tuple(k for k in KINDS if k.regime is None or k.regime in jurisdictions)


def met_by_documents(stored: dict) -> set[str]:
    """The regime deadline keys met because their draft reached its final status."""
    return {k.meets for k in KINDS if k.meets and (stored.get(k.key) or {}).get("status") == k.final}


def states(
    stored: dict, deadlines: tuple[DeadlineView, ...], jurisdictions: tuple[str, ...] | list[str] = ("JP",)
) -> tuple[DocumentState, ...]:
    """Every kind's state from the incident's stored states and its deadlines (legal deadlines have the
    key of their kind, bot.services.assessing)."""
    filed = {d.key: d for d in deadlines if d.kind != "step" and d.status in ("filed", "met")}
    result = []
    for kind in kinds_for(jurisdictions):
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


def fileable(deadline_key: str) -> bool:
    """Whether 提出済みにする can file this deadline: Japan's (through its playbook step) or a regime's whose
    draft meets it."""
    return not deadline_key.startswith("regime:") or any(k.meets == deadline_key for k in KINDS)
