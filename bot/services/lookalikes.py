"""At report time: does the report look like an open incident (bot.domain.lookalike over the stored facts,
decrypted here), and which question to the commander it joins. Used inside the report's own transaction, after
the reference is numbered: on PostgreSQL that upsert holds the counter's row lock until the commit, so reports
made at the same moment are compared one after the other and a burst opens one incident, not several."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.org import OrgConfig
from bot.domain.facts import Facts
from bot.domain.lookalike import Candidate, Likeness, most_alike
from bot.services.provisioning import HELD
from bot.storage.tables import Incident, Provisioning

QUESTION = "lookalike:"  # the question's post key: this prefix and the reference of its first held report


async def lookalike_of(
    session: AsyncSession, org: OrgConfig, platform: str, facts: Facts, now: datetime
) -> tuple[Incident, Likeness] | None:
    """The open incident this report looks most like, among the real (never a drill) incidents on the same
    platform reported within the window and not themselves waiting for an answer; None when none does."""
    config = org.lookalikes
    if not config.enabled:
        return None
    window = timedelta(minutes=config.window_minutes)
    waiting = select(Provisioning.incident_id).where(Provisioning.stage == HELD)
    rows = list(
        await session.scalars(
            select(Incident)
            .where(
                Incident.status == "open",
                Incident.drill.is_(None),
                Incident.platform == platform,
                Incident.created_at >= now - window,
                Incident.id.not_in(waiting),
            )
            .order_by(Incident.id)
        )
    )
    if not rows:
        return None
    candidates = [Candidate(r.reference, Facts.model_validate(r.facts), r.created_at) for r in rows]
    found = most_alike(facts, now, candidates, window)
    if found is None:
        return None
    return next(r for r in rows if r.reference == found.reference), found


async def question_for(session: AsyncSession, survivor: Incident, reference: str) -> str:
    """The pending question about ``survivor`` that a new look-alike joins (one per burst), or a new one."""
    pending = await session.scalar(
        select(Provisioning.question)
        .where(Provisioning.held_for == survivor.id, Provisioning.stage == HELD)
        .order_by(Provisioning.incident_id)
        .limit(1)
    )
    return pending or f"{QUESTION}{reference}"
