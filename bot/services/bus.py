"""A small message bus: after a unit of work commits, its events go to the handlers subscribed to their
type. Handlers run in the background, one incident's events in the order they happened; a failing handler
is logged (its type only) and does not stop the others."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable

from bot.domain.events import Event

log = logging.getLogger(__name__)
Handler = Callable[[Event], Awaitable[None]]


class MessageBus:
    def __init__(self) -> None:
        self._handlers: dict[type[Event], list[Handler]] = defaultdict(list)
        self._chains: dict[str, asyncio.Future] = {}
        self._tasks: set[asyncio.Future] = set()

    def subscribe(self, event_type: type[Event], handler: Handler) -> None:
        self._handlers[event_type].append(handler)

    def handlers_for(self, event: Event) -> list[Handler]:
        return [h for kind in type(event).__mro__ for h in self._handlers.get(kind, ())]  # type: ignore[arg-type]

    def dispatch(self, events: list[Event]) -> None:
        """Called after commit; returns at once. Per incident, handlers run in the order of the events."""
        for event in events:
            handlers = self.handlers_for(event)
            if not handlers:
                continue
            previous = self._chains.get(event.reference)
            task = asyncio.ensure_future(self._run(previous, handlers, event))
            self._chains[event.reference] = task
            self._tasks.add(task)
            task.add_done_callback(self._done(event.reference))

    def _done(self, reference: str) -> Callable[[asyncio.Future], None]:
        def forget(task: asyncio.Future) -> None:
            self._tasks.discard(task)
            if self._chains.get(reference) is task:
                del self._chains[reference]

        return forget

    async def _run(self, previous: asyncio.Future | None, handlers: list[Handler], event: Event) -> None:
        if previous is not None:
            await asyncio.wait([previous])
        for handler in handlers:
            try:
                await handler(event)
            except Exception as exc:
                log.error(
                    "a handler of %s failed: %s", type(event).__name__, type(exc).__name__, exc_info=exc
                )

    async def settle(self) -> None:
        """Wait until every handler has run (tests, the demo, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
