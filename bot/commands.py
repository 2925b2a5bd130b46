"""Commands that name an incident by its reference, said the same way on both platforms (`/leak hold
LEAK-2026-0001 理由` on Slack, `leak hold …` on Teams): they work anywhere, a direct message included, since a
closed incident's space is archived and nobody can type in it (issue 21)."""

from __future__ import annotations

from dataclasses import dataclass

REOPEN = ("reopen", "再開")
HOLD = ("hold", "保全")
RELEASE = ("release", "保全解除")


@dataclass(frozen=True)
class ByReference:
    verb: str  # "reopen", "hold", "release"
    reference: str
    reason: str = ""  # what follows the reference (a hold's reason), as typed


def by_reference(text: str) -> ByReference | None:
    """``reopen REF``, ``hold REF [reason]``, ``release REF``; None for anything else."""
    parts = text.strip().split(None, 2)
    if len(parts) < 2:
        return None
    word = parts[0].lower()
    for verb, words in (("reopen", REOPEN), ("hold", HOLD), ("release", RELEASE)):
        if word in words:
            return ByReference(verb, parts[1].upper(), parts[2].strip() if len(parts) > 2 else "")
    return None
