"""Incident references such as LEAK-2026-0001 (or DRILL-2026-0001 for a drill), numbered per series and year
without gaps or duplicates."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.tables import ReferenceCounter

PREFIX = "LEAK"
DRILL_PREFIX = "DRILL"  # a drill's own series: it never consumes a LEAK- number


async def next_reference(session: AsyncSession, year: int, prefix: str = PREFIX) -> tuple[str, int]:
    """One atomic upsert on either engine, so replicas sharing PostgreSQL never hand out a number twice."""
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(ReferenceCounter)
        .values(series=prefix, year=year, last=1)
        .on_conflict_do_update(index_elements=["series", "year"], set_={"last": ReferenceCounter.last + 1})
        .returning(ReferenceCounter.last)
    )
    number = (await session.execute(statement)).scalar_one()
    return f"{prefix}-{year}-{number:04d}", number
