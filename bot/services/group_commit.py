"""Group commit: requests for one key that arrive while its transaction runs wait and go in the next one.

Under a burst (a whole team clicking, plus Slack's retries) an incident's clicks queue on its row lock
anyway; applying the queued ones together costs one transaction instead of one each, so the bot keeps up
at 100 clicks/s. At a human pace a batch holds one request and nothing waits.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

Request = TypeVar("Request")
Result = TypeVar("Result")

# Applies a batch in one transaction: one result or one exception per request, in the requests' order.
Apply = Callable[[str, Sequence[Request]], Awaitable[Sequence[Result | BaseException]]]


class GroupCommit(Generic[Request, Result]):
    def __init__(self, apply: Apply) -> None:
        self._apply = apply
        self._queued: dict[str, list[tuple[Request, asyncio.Future]]] = defaultdict(list)
        self._draining: dict[str, asyncio.Task] = {}

    async def submit(self, key: str, request: Request) -> Result:
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        self._queued[key].append((request, future))
        if key not in self._draining:
            self._draining[key] = asyncio.create_task(self._drain(key), name=f"group-commit:{key}")
        return await future

    async def _drain(self, key: str) -> None:
        try:
            while self._queued.get(key):
                batch = self._queued.pop(key)
                try:
                    results = await self._apply(key, [request for request, _ in batch])
                except asyncio.CancelledError:
                    for _, future in batch:
                        future.cancel()
                    raise
                except Exception as failed:  # the transaction as a whole: every request hears it
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(failed)
                    continue
                for (_, future), result in zip(batch, results, strict=True):
                    if future.done():
                        continue
                    if isinstance(result, BaseException):
                        future.set_exception(result)
                    else:
                        future.set_result(result)
        finally:
            self._draining.pop(key, None)
            for _, future in self._queued.pop(key, []):  # cancelled while requests waited
                future.cancel()
