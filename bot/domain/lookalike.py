"""Does a new report look like an open incident? A pure function over the facts as stored (decrypted): the
same wording, the same cause and data, within a time window. The thresholds and why are in docs/decisions.md
(issue 22, "One leak, many reports").

Wording is compared as sets of character bigrams of the normalized text (NFKC, case folded, only letters and
digits): Japanese has no spaces to split words on, and bigrams catch 「誤送信」 in 「メールを誤送信しました」 and
「誤送信メールが届いた」 alike. The score is Dice's coefficient, 2|A∩B| / (|A| + |B|).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.facts import Facts
from bot.domain.vocabulary import Cause

WINDOW = timedelta(hours=2)  # only incidents opened this recently are compared (org config: window_minutes)
SAME_WORDING = 0.6  # Dice over bigrams: the same message retold (most of its pairs of characters shared)
WORDING_WITH_CONTEXT = 0.4  # enough when the same cause, or the same kinds of data, are reported too
MIN_GRAMS = 4  # shorter texts (「漏えい」) say too little to call two reports the same


@dataclass(frozen=True)
class Candidate:
    """An open incident, as stored: its reference, facts and when it was reported."""

    reference: str
    facts: Facts
    created_at: datetime


@dataclass(frozen=True)
class Likeness:
    reference: str
    score: float  # the wording's Dice coefficient
    signals: tuple[str, ...]  # what else matched: "cause", "data_items"


def normalized(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c for c in folded if unicodedata.category(c)[0] in "LN")


def bigrams(text: str) -> frozenset[str]:
    clean = normalized(text)
    return frozenset(clean[i : i + 2] for i in range(len(clean) - 1))


def wording(a: str, b: str) -> float:
    """How alike two texts are, 0 to 1 (0 when either is too short to tell)."""
    left, right = bigrams(a), bigrams(b)
    if len(left) < MIN_GRAMS or len(right) < MIN_GRAMS:
        return 0.0
    return 2 * len(left & right) / (len(left) + len(right))


def _words(facts: Facts) -> str:
    return " ".join(x for x in (facts.summary, facts.cause_detail) if x)


def likeness(facts: Facts, at: datetime, candidate: Candidate, window: timedelta = WINDOW) -> Likeness | None:
    """Why the report (``facts``, made ``at``) looks like ``candidate``, or None when it does not."""
    if not timedelta(0) <= at - candidate.created_at <= window:
        return None
    theirs = candidate.facts
    known = {facts.cause, theirs.cause} - {Cause.UNKNOWN}
    if len(known) > 1:
        return None  # two different known causes: two incidents, however alike the words
    signals = []
    if len(known) == 1 and facts.cause == theirs.cause:
        signals.append("cause")
    if set(facts.data_items) & set(theirs.data_items):
        signals.append("data_items")
    score = wording(_words(facts), _words(theirs))
    threshold = WORDING_WITH_CONTEXT if signals else SAME_WORDING
    return Likeness(candidate.reference, round(score, 3), tuple(signals)) if score >= threshold else None


def most_alike(
    facts: Facts, at: datetime, candidates: Iterable[Candidate], window: timedelta = WINDOW
) -> Likeness | None:
    """The open incident the report looks most like (the earliest among equals), or None."""
    found = [x for c in candidates if (x := likeness(facts, at, c, window)) is not None]
    return max(found, key=lambda x: (x.score, len(x.signals)), default=None)


# --- the question to the commander, as read back (bot.services.merging) ------------------------------

MERGED, SEPARATE, TIMEOUT = "merged", "separate", "timeout"


@dataclass(frozen=True)
class HeldReport:
    reference: str
    at: datetime
    answer: str | None  # None while it waits; merged, separate or timeout


@dataclass(frozen=True)
class LookalikeRound:
    """One question to the commander: the open incident, the reports it asks about, and what came of it."""

    reference: str  # the open incident the reports look like
    platform: str
    channel_id: str | None
    channel_name: str | None
    ready: bool  # its space is provisioned: the question can be asked there
    question: str  # the question's post key
    reports: tuple[HeldReport, ...]
    latest_summary: str  # what the newest report says, for the commander to judge
    due_at: datetime | None  # when the waiting ones go ahead on their own
    answered_by: str | None  # who answered (an actor), once someone did
    drill: bool = False

    @property
    def waiting(self) -> tuple[HeldReport, ...]:
        return tuple(r for r in self.reports if r.answer is None)

    def count(self, answer: str) -> int:
        return sum(1 for r in self.reports if r.answer == answer)
