"""Stored conversation references: what a platform needs to post into a conversation later (reminders,
executive pings). Opaque to the core: the adapter decides what goes in."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.storage.tables import ConversationRef
from bot.storage.uow import UnitOfWork


class ConversationService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def remember(self, platform: str, key: str, reference: dict[str, Any]) -> None:
        async with UnitOfWork(self._sessions) as uow:
            row = await uow.session.scalar(
                select(ConversationRef).where(
                    ConversationRef.platform == platform, ConversationRef.key == key
                )
            )
            if row is None:
                row = ConversationRef(platform=platform, key=key)
                uow.session.add(row)
            row.reference, row.updated_at = reference, self._clock.now()

    async def get(self, platform: str, key: str) -> dict[str, Any] | None:
        async with UnitOfWork(self._sessions) as uow:
            row = await uow.session.scalar(
                select(ConversationRef).where(
                    ConversationRef.platform == platform, ConversationRef.key == key
                )
            )
            return dict(row.reference) if row else None
