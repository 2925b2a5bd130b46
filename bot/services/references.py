"""Incident references such as LEAK-2026-0001, numbered per year without gaps or duplicates."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.tables import ReferenceCounter

PREFIX = "LEAK"


async def next_reference(session: AsyncSession, year: int) -> tuple[str, int]:
    """One atomic upsert on either engine, so replicas sharing PostgreSQL never hand out a number twice."""
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(ReferenceCounter)
        .values(year=year, last=1)
        .on_conflict_do_update(index_elements=["year"], set_={"last": ReferenceCounter.last + 1})
        .returning(ReferenceCounter.last)
    )
    number = (await session.execute(statement)).scalar_one()
    return f"{PREFIX}-{year}-{number:04d}", number
