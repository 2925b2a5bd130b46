"""An in-memory chat platform for testing the core's journey without any SDK.

Every call is recorded with its *wave*: one more than the latest wave that had finished when it started,
so the number of sequential round trips a flow needs is the highest wave it reaches. Knobs make calls fail
(refused or retryable), or succeed on the platform while the answer is lost (a crash right after)."""

from __future__ import annotations

import asyncio
import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.i18n.rich import text_of
from bot.journey.port import Drafts, Message, NameTaken, Posted, Published, Space


@dataclass
class Call:
    method: str
    wave: int
    args: dict = field(default_factory=dict)


class AnswerLost(Exception):
    """The platform did it, but the answer never arrived (a crash or a cut connection right after)."""


class FakePlatform:
    name = "slack"

    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        self.calls: list[Call] = []
        self.drafts: dict[str, str] = {}  # space -> the drafts' Markdown as last published
        self.spaces: dict[str, Space] = {}
        self.members: dict[str, set[str]] = defaultdict(set)
        self.messages: dict[str, list[dict]] = defaultdict(list)
        self.pins: list[str] = []
        self.archived: set[str] = set()
        self.taken: set[str] = set()
        self.failures: dict[str, list[Exception]] = defaultdict(list)
        self.lose_answer: dict[str, int] = {}
        self._finished_wave = 0
        self._ids = itertools.count(1)
        # scheduled messages the platform holds: id -> {"space", "post_at", "message"}; ``delivered`` posted
        self.held: dict[str, dict] = {}
        self.delivered: list[dict] = []

    # --- knobs -----------------------------------------------------------------------------------------

    def fail_next(self, method: str, failure: Exception, times: int = 1) -> None:
        self.failures[method] += [failure] * times

    def waves(self, method: str) -> list[int]:
        return [c.wave for c in self.calls if c.method == method]

    def posted_keys(self, space_id: str) -> list[str]:
        return [m["key"] for m in self.messages[space_id]]

    # --- the port ----------------------------------------------------------------------------------------

    async def _call(self, method: str, **args) -> None:
        call = Call(method, self._finished_wave + 1, args)
        self.calls.append(call)
        await asyncio.sleep(self.latency)
        self._finished_wave = max(self._finished_wave, call.wave)
        if self.failures[method]:
            raise self.failures[method].pop(0)

    def _lost(self, method: str) -> None:
        if self.lose_answer.get(method):
            self.lose_answer[method] -= 1
            raise AnswerLost(method)

    async def create_space(self, name: str, reference: str) -> Space:
        await self._call("create_space", name=name)
        if name in self.taken or any(s.name == name for s in self.spaces.values()):
            raise NameTaken(name)
        space = Space(f"C{next(self._ids):04d}", name)
        self.spaces[space.id] = space
        self._lost("create_space")
        return space

    async def find_space(self, name: str) -> Space | None:
        await self._call("find_space", name=name)
        return next((s for s in self.spaces.values() if s.name == name), None)

    async def invite(self, space: Space, user_ids: Sequence[str]) -> list[tuple[str, str]]:
        await self._call("invite", users=list(user_ids))
        self.members[space.id] |= set(user_ids)
        return []

    async def set_topic(self, space: Space, topic: str) -> None:
        await self._call("set_topic", topic=topic)

    async def post(self, space: Space, message: Message, key: str) -> Posted:
        await self._call("post", key=key)
        ts = f"{next(self._ids)}.000"
        self.messages[space.id].append({"ts": ts, "key": key, "message": message})
        self._lost("post")
        return Posted(space.id, ts)

    async def find_post(self, space: Space, key: str) -> Posted | None:
        await self._call("find_post", key=key)
        found = next((m for m in self.messages[space.id] if m["key"] == key), None)
        return Posted(space.id, found["ts"]) if found else None

    async def update(self, posted: Posted, message: Message) -> None:
        await self._call("update", ts=posted.message_id)
        for stored in self.messages[posted.space_id]:
            if stored["ts"] == posted.message_id:
                stored["message"] = message

    async def pin(self, space: Space, posted: Posted, title: str) -> None:
        await self._call("pin")
        self.pins.append(posted.message_id)

    async def post_private(self, space_id: str | None, user_id: str, text) -> None:
        await self._call("post_private", user=user_id, text=text_of(text))

    async def direct(self, user_id: str, message: Message, key: str | None = None) -> Posted:
        await self._call("direct", user=user_id, key=key)
        self.messages[f"D-{user_id}"].append({"ts": "d", "key": key, "message": message})
        return Posted(f"D-{user_id}", f"{next(self._ids)}.000")

    async def upload(self, space: Space, filename: str, content: bytes, title: str) -> None:
        await self._call("upload", filename=filename)

    async def resolve(self, written: str) -> str | None:
        await self._call("resolve", written=written)
        return written if written.startswith("U") else {"legal@example.co.jp": "ULEGAL2"}.get(written)

    async def publish_drafts(self, space: Space, drafts: Drafts, existing: str | None) -> Published:
        await self._call("publish_drafts", space=space.id, existing=existing)
        self.drafts[space.id] = drafts.markdown
        return Published(existing or f"CANVAS-{space.id}")

    # --- scheduled messages (issue 22) -----------------------------------------------------------------

    async def schedule(self, space: Space, message: Message, post_at: datetime) -> str:
        await self._call("schedule", space=space.id, post_at=post_at)
        scheduled_id = f"Q{next(self._ids):08d}"
        self.held[scheduled_id] = {"space": space.id, "post_at": post_at, "message": message}
        self._lost("schedule")
        return scheduled_id

    async def unschedule(self, space_id: str, scheduled_id: str) -> None:
        await self._call("unschedule", space=space_id, id=scheduled_id)
        self.held.pop(scheduled_id, None)

    async def scheduled(self, space: Space) -> list[tuple[str, datetime]]:
        await self._call("scheduled", space=space.id)
        return [(i, s["post_at"]) for i, s in self.held.items() if s["space"] == space.id]

    def deliver_due(self, now: datetime) -> None:
        """What the platform does on its own when the time comes."""
        for scheduled_id, item in sorted(self.held.items(), key=lambda kv: kv[1]["post_at"]):
            if item["post_at"] <= now:
                del self.held[scheduled_id]
                self.messages[item["space"]].append(
                    {"ts": "s", "key": "scheduled", "message": item["message"]}
                )
                self.delivered.append(item)

    async def archive_space(self, space: Space) -> bool:
        await self._call("archive_space", space=space.id)
        self.archived.add(space.id)
        return True

    async def unarchive_space(self, space: Space) -> None:
        await self._call("unarchive_space", space=space.id)
        self.archived.discard(space.id)
