"""Teams' per-conversation send limits, kept by the bot: a send waits until it fits."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable


class SendLimiter:
    """Teams' bot limits per conversation: about 7 messages a second and 60 in 30 seconds. A send waits
    until it fits both windows."""

    def __init__(
        self,
        windows: tuple[tuple[int, float], ...] = ((7, 1.0), (60, 30.0)),
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.windows = windows
        self.clock = clock
        self.sleep = sleep
        self._sent: dict[str, deque[float]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def wait(self, conversation_id: str) -> None:
        key = conversation_id.split(";")[0]  # a thread shares its channel's limit
        longest = max(n for n, _ in self.windows)
        sent = self._sent.setdefault(key, deque(maxlen=longest))
        async with self._locks.setdefault(key, asyncio.Lock()):
            while True:
                now = self.clock()
                wait = max((sent[-n] + span - now for n, span in self.windows if len(sent) >= n), default=0.0)
                if wait <= 0:
                    break
                await self.sleep(wait)
            sent.append(self.clock())
