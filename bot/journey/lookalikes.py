"""Look-alike reports in the journey (issue 22): the held report's receipt to its reporter, and the one question
per burst in the open incident's space, a living message: posted once its space is ready, then updated with
the count as more look-alikes join, and with the answer (or the timeout) once settled."""

from __future__ import annotations

import itertools
import logging
from typing import TYPE_CHECKING

from bot.domain.events import LookalikeHeld, LookalikesAnswered
from bot.journey.port import Space
from bot.views.lookalike import held_receipt, lookalike_question

if TYPE_CHECKING:
    from bot.journey.journey import Journey

log = logging.getLogger(__name__)
HELD_RECEIPT = "receipt-held"  # the held report's receipt; "receipt" stays for the one naming its own space


class LookalikeDesk:
    def __init__(self, journey: Journey) -> None:
        self.journey = journey
        self._versions = itertools.count(1)  # taken before each read: a later read shows a newer state
        self._asking: set[tuple[str, str]] = set()  # questions being read and shown right now
        self._again: set[tuple[str, str]] = set()  # ... asked for again meanwhile: read once more after

    @property
    def incidents(self):
        return self.journey.incidents

    async def on_held(self, event: LookalikeHeld) -> None:
        """Received, under the reporter's own reference (never the other incident's); then the question."""
        incident = event.incident
        platform = self.journey.platforms.get(incident.platform)
        if platform is None:
            return
        notice = held_receipt(incident.reference, incident.reporter_lang)
        await self.journey._once(
            incident.reference,
            platform,
            HELD_RECEIPT,
            incident.reporter_id,
            lambda: platform.direct(incident.reporter_id, notice, HELD_RECEIPT),
        )
        await self.ask(event.survivor, event.question)

    async def on_answered(self, event: LookalikesAnswered) -> None:
        await self.ask(event.reference, event.question)
        if event.reask:  # reports that came after the ones the commander saw: asked anew
            await self.ask(event.reference, event.reask)

    async def on_provisioned(self, reference: str) -> None:
        """The open incident's space is ready: ask what waited for it."""
        for question in await self.incidents.waiting_questions(reference):
            await self.ask(reference, question)

    async def ask(self, reference: str, question: str) -> None:
        """Show the question as it stands. In a burst, asks that come while one is under way are folded into
        one more read after it (a read that starts after their reports were saved shows them all)."""
        key = (reference, question)
        if key in self._asking:
            self._again.add(key)
            return
        self._asking.add(key)
        try:
            while True:
                self._again.discard(key)
                await self._show(reference, question)
                if key not in self._again:
                    return
        finally:
            self._asking.discard(key)

    async def _show(self, reference: str, question: str) -> None:
        """Post the question once, then keep it showing the newest state (coalesced updates)."""
        round_ = await self.incidents.lookalike_round(reference, question)
        if round_ is None or not round_.ready or round_.channel_id is None:
            return  # the open incident's provisioning asks once its space is ready
        platform = self.journey.platforms.get(round_.platform)
        if platform is None:
            return
        lang = self.journey.lang
        space = Space(round_.channel_id, round_.channel_name or "")
        view = lookalike_question(round_, lang)
        posted = await self.journey._once(
            reference,
            platform,
            question,
            space.id,
            lambda: platform.post(space, view, question),
            resuming=False,  # many look-alikes ask at once: one posts, the others leave it to them
        )
        if posted is None:
            return  # being posted right now: its poster shows the newest state after
        version = next(self._versions)
        fresh = await self.incidents.lookalike_round(reference, question)
        if fresh is None:
            return
        self.journey.updates.submit(
            (platform.name, reference, question),
            version,
            lookalike_question(fresh, lang),
            lambda m: platform.update(posted, m),
        )
