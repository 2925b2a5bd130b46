"""Where the bot's living messages for an incident are, so adapters can update them in place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.services.errors import NotFoundError
from bot.storage.tables import Post
from bot.storage.uow import NotFound, UnitOfWork


@dataclass(frozen=True)
class PostRef:
    key: str
    channel_id: str
    message_id: str  # "" while claimed and not yet sent
    updated_at: datetime


class PostService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def remember(
        self,
        reference: str,
        platform: str,
        key: str,
        channel_id: str,
        message_id: str,
        link: str | None = None,
    ) -> None:
        async with UnitOfWork(self._sessions) as uow:
            try:
                incident = await uow.incident(reference, exact=True)
            except NotFound:
                raise NotFoundError(reference) from None
            row = await uow.session.scalar(
                select(Post).where(
                    Post.incident_id == incident.id, Post.platform == platform, Post.key == key
                )
            )
            if row is None:
                row = Post(incident_id=incident.id, platform=platform, key=key)
                uow.session.add(row)
            row.channel_id, row.message_id, row.updated_at = channel_id, message_id, self._clock.now()
            if link is not None:
                row.link = link

    async def claim(self, reference: str, platform: str, key: str, channel_id: str) -> bool:
        """Reserve a post before sending it, so two replicas never post the same message twice."""
        try:
            async with UnitOfWork(self._sessions) as uow:
                try:
                    incident = await uow.incident(reference, exact=True)
                except NotFound:
                    raise NotFoundError(reference) from None
                uow.session.add(
                    Post(
                        incident_id=incident.id,
                        platform=platform,
                        key=key,
                        channel_id=channel_id,
                        message_id="",
                        updated_at=self._clock.now(),
                    )
                )
        except IntegrityError:
            return False
        return True

    async def all(self, reference: str, platform: str) -> dict[str, PostRef]:
        async with UnitOfWork(self._sessions) as uow:
            try:
                incident = await uow.incident(reference, exact=True)
            except NotFound:
                raise NotFoundError(reference) from None
            rows = await uow.session.scalars(
                select(Post).where(Post.incident_id == incident.id, Post.platform == platform)
            )
            return {r.key: PostRef(r.key, r.channel_id, r.message_id, r.updated_at) for r in rows}
