"""Erasing an incident's free text and drafts when its retention has run out (issue 21), keeping the skeleton.

What goes: every word people wrote and every draft — the facts' free text (the summary, the cause in words, who
discovered it, the measures, …), where an imported report came from in words, step reasons, the audit trail's
sealed texts, the team's section edits, the filed copies' text and facts, delivery errors, the Teams
conversation reference (it carries display names). What stays (the record of having complied): the reference,
the dates, the facts' flags and counts (so the grounds read the same), the assessment, the deadlines and whether
they were met, the steps' states with who and when, the members, who filed what and when with each filed
document's SHA-256, and the audit chain, which keeps verifying: only ``audit_events.sealed`` is erased, never
``details``, ``hash`` or ``prev_hash`` (the purge contract of docs/decisions.md, "Encryption at rest").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.facts import Facts
from bot.storage.tables import (
    AuditEvent,
    ConversationRef,
    DocumentEdit,
    DocumentSnapshot,
    Incident,
    Provisioning,
    Reminder,
    StepState,
)

# The facts people write in words: every text field of Facts. Flags, counts, dates and vocabularies stay.
FREE_TEXT_FACTS = tuple(name for name, field in Facts.model_fields.items() if field.annotation is str)


@dataclass(frozen=True)
class Erased:
    """How much of each kind a purge erases (or would erase): what `--dry-run` prints and the audit keeps."""

    facts: int = 0  # free-text fields of the facts that held words
    origin: int = 0  # 1: an imported report's "reported by" and title
    step_reasons: int = 0
    audit_texts: int = 0  # reasons in the audit trail (their salted digests stay in the chain)
    edits: int = 0  # the team's section edits (rows deleted)
    filed_texts: int = 0  # the text of filed, sent or published copies (their SHA-256 stays)
    other: int = 0  # delivery errors, the Teams conversation reference

    def as_json(self) -> dict[str, int]:
        return {k: v for k, v in self.__dict__.items() if v}

    @property
    def total(self) -> int:
        return sum(self.__dict__.values())


def kept_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """The facts without their words: each free-text field emptied, everything else as it was."""
    return {k: ("" if k in FREE_TEXT_FACTS else v) for k, v in facts.items()}


async def _count(session: AsyncSession, query) -> int:
    return int(await session.scalar(query) or 0)


async def measure(session: AsyncSession, incident: Incident) -> Erased:
    """What purging ``incident`` would erase, read without changing anything."""
    facts = dict(incident.facts or {})
    i = incident.id
    return Erased(
        facts=sum(1 for k in FREE_TEXT_FACTS if facts.get(k)),
        origin=1 if incident.origin else 0,
        step_reasons=await _count(
            session,
            select(func.count()).where(StepState.incident_id == i, StepState.reason.is_not(None)),
        ),
        audit_texts=await _count(
            session,
            select(func.count()).where(AuditEvent.incident_id == i, AuditEvent.sealed.is_not(None)),
        ),
        edits=await _count(session, select(func.count()).where(DocumentEdit.incident_id == i)),
        filed_texts=sum(  # the text is encrypted: looked at here, not compared in SQL
            1
            for text in await session.scalars(
                select(DocumentSnapshot.markdown).where(DocumentSnapshot.incident_id == i)
            )
            if text
        ),
        other=await _count(
            session,
            select(func.count()).where(Reminder.incident_id == i, Reminder.last_error.is_not(None)),
        )
        + await _count(
            session,
            select(func.count()).where(Provisioning.incident_id == i, Provisioning.last_error.is_not(None)),
        )
        + await _count(
            session,
            select(func.count()).where(ConversationRef.key == f"incident:{incident.reference}"),
        ),
    )


async def erase(session: AsyncSession, incident: Incident) -> Erased:
    """Erase the free text and the drafts of ``incident`` (the caller holds its lock and records the purge in
    the audit trail); returns what was erased."""
    erased = await measure(session, incident)
    i = incident.id
    incident.facts = kept_facts(dict(incident.facts or {}))
    incident.origin = None
    await session.execute(update(StepState).where(StepState.incident_id == i).values(reason=None))
    await session.execute(update(AuditEvent).where(AuditEvent.incident_id == i).values(sealed=None))
    await session.execute(delete(DocumentEdit).where(DocumentEdit.incident_id == i))
    await session.execute(
        update(DocumentSnapshot)
        .where(DocumentSnapshot.incident_id == i)
        .values(documents=[], markdown="", facts={}, withdrawn_reason=None)
    )
    await session.execute(update(Reminder).where(Reminder.incident_id == i).values(last_error=None))
    await session.execute(update(Provisioning).where(Provisioning.incident_id == i).values(last_error=None))
    await session.execute(
        delete(ConversationRef).where(ConversationRef.key == f"incident:{incident.reference}")
    )
    return erased
