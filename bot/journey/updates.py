"""Updating a living message, coalesced: the newest state wins, and each message is updated at most about
once a second after a short burst, so a whole team clicking at once stays inside the platforms' rate limits
(Slack's chat.update is Tier 3) and every message still shows the final state soon after the burst."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.journey.port import PlatformFailure

log = logging.getLogger(__name__)
BURST = 2  # updates a message may get at once (着手 then 完了 at a human pace go out immediately)
PER_SECOND = 1.0  # then about one a second
RETRIES = 3

Send = Callable[[object], Awaitable[None]]


@dataclass
class _Slot:
    send: Send
    message: object = None
    version: int = -1
    sent_version: int = -1
    tokens: float = BURST
    refilled: float = field(default_factory=time.monotonic)
    task: asyncio.Task | None = None


class Updates:
    def __init__(self, burst: int = BURST, per_second: float = PER_SECOND) -> None:
        self.burst = burst
        self.per_second = per_second
        self._slots: dict[tuple, _Slot] = {}
        self.sent = 0  # updates actually made (benchmarks count them)

    def submit(self, key: tuple, version: int, message: object, send: Send) -> None:
        """Show ``message`` (made from the incident at ``version``) in the message ``key`` soon; an older
        version than one already given is dropped."""
        slot = self._slots.setdefault(key, _Slot(send))
        if version < slot.version:
            return
        slot.version, slot.message, slot.send = version, message, send
        if slot.task is None or slot.task.done():
            slot.task = asyncio.ensure_future(self._drain(key, slot))

    async def _drain(self, key: tuple, slot: _Slot) -> None:
        failures = 0
        while slot.sent_version < slot.version:
            await self._take_token(slot)
            version, message = slot.version, slot.message
            try:
                await slot.send(message)
            except PlatformFailure as failure:
                failures += 1
                if failures > RETRIES or not failure.retry:
                    log.warning("could not update a message: %s", failure.code)
                    return
                await asyncio.sleep(failure.after or 2**failures)
                continue
            except Exception as exc:
                log.warning("could not update a message: %s", type(exc).__name__)
                return
            self.sent += 1
            slot.sent_version = max(slot.sent_version, version)

    async def _take_token(self, slot: _Slot) -> None:
        while True:
            now = time.monotonic()
            slot.tokens = min(self.burst, slot.tokens + (now - slot.refilled) * self.per_second)
            slot.refilled = now
            if slot.tokens >= 1:
                slot.tokens -= 1
                return
            await asyncio.sleep((1 - slot.tokens) / self.per_second)

    async def settle(self) -> None:
        """Wait until every message shows its newest state (tests, the demo, shutdown)."""
        while pending := [s.task for s in self._slots.values() if s.task is not None and not s.task.done()]:
            await asyncio.gather(*pending, return_exceptions=True)
