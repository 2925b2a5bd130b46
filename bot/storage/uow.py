"""Unit of work: one transaction per use case; services are the only code that touches the ORM."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.storage.tables import Incident

MAX_ALIAS_HOPS = 8  # a merged report's survivor may itself have been merged later


class NotFound(LookupError):
    pass


def serialize_sqlite_writers(engine: AsyncEngine) -> None:
    """Make every SQLite transaction BEGIN IMMEDIATE, so read-then-write use cases cannot interleave."""

    @event.listens_for(engine.sync_engine, "connect")
    def _no_implicit_begin(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine.sync_engine, "begin")
    def _begin_immediate(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class UnitOfWork:
    """One transaction. Use cases record domain events on it; they are dispatched only after the commit."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        after_commit: tuple[Callable[[], None], ...] = (),
        dispatch: Callable[[list], None] | None = None,
    ) -> None:
        self._sessions = sessions
        self._after_commit = after_commit
        self._dispatch = dispatch
        self.events: list = []
        self.session: AsyncSession

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._sessions()
        await self.session.begin()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if exc_type is None:
                await self.session.commit()
                for callback in self._after_commit:
                    callback()
                if self._dispatch is not None and self.events:
                    self._dispatch(self.events)
            else:
                await self.session.rollback()
        finally:
            await self.session.close()

    async def incident(self, reference: str, *, lock: bool = False, exact: bool = False) -> Incident:
        """The incident row; ``lock`` takes its row lock (PostgreSQL) so writers to one incident queue up.
        A report merged into another incident (issue 22) answers as the incident it was merged into, so every
        command naming the old reference acts on the survivor; ``exact`` reads the row itself."""
        row = await self._row(Incident.reference == reference, lock)
        for _ in range(MAX_ALIAS_HOPS):
            if row is None:
                raise NotFound(reference)
            if exact or row.merged_into is None:
                return row
            row = await self._row(Incident.id == row.merged_into, lock)
        if row is None:
            raise NotFound(reference)
        return row

    async def _row(self, where, lock: bool) -> Incident | None:
        query = select(Incident).where(where)
        if lock:
            query = query.with_for_update()
        return await self.session.scalar(query)
