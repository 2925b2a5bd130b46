"""A fake Bot Framework connector: the real Agents SDK reaches it through each activity's serviceUrl.

It records what the bot sends, updates and creates, and checks every Adaptive Card against the official
Adaptive Card 1.5 schema; violations are recorded and answered with 400. It refuses what real Teams refuses:
a conversation created without its tenant (``tenantId`` and ``channelData.tenant.id``: 400 ``BadArgument``),
a card whose ``Input.*`` ids are not unique, and a 1:1 chat with someone who never installed the app (403,
when ``installed`` is a set: the fake Graph adds to it when it installs the app for a user).
"""

from __future__ import annotations

import itertools
import json
import time
from collections import defaultdict
from typing import Any

from aiohttp import web

from adapters.fakes.card_schema import card_errors

# Teams: a bot message of at most about 100 KB, the payload counted in UTF-16 (learn.microsoft.com, "Format
# your bot messages"; older pages said 40 KB, Power Automate's connector 28 KB)
MAX_ACTIVITY_BYTES = 100_000
CARD = "application/vnd.microsoft.card.adaptive"


class FakeConnector:
    def __init__(self) -> None:
        self.sent: dict[str, list[dict[str, Any]]] = defaultdict(list)  # conversation id → activities
        self.updates: list[dict[str, Any]] = []
        self.created: list[dict[str, Any]] = []
        self.violations: list[str] = []
        self.refused_chats: list[list[str]] = []  # 1:1 chats refused: the app not installed
        self.members: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.fail_status: int | None = None
        self.installed: set[str] | None = None  # None: everyone has the app; a set: only these people
        self.names: dict[str, str] = {}  # user id → display name, as the roster shows them
        self.sends_at: dict[str, list[float]] = defaultdict(list)  # conversation → monotonic send times
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_post("/v3/conversations/{cid}/activities", self._send)
        app.router.add_post("/v3/conversations/{cid}/activities/{aid}", self._send)
        app.router.add_put("/v3/conversations/{cid}/activities/{aid}", self._update)
        app.router.add_get("/v3/conversations/{cid}/members", self._members)
        app.router.add_get("/v3/conversations/{cid}/members/{mid}", self._member)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def _check(self, activity: dict[str, Any]) -> list[str]:
        problems = []
        size = len(json.dumps(activity, ensure_ascii=False).encode("utf-16-le"))  # as Teams counts it
        if size > MAX_ACTIVITY_BYTES:  # Teams refuses a larger message (413 MessageSizeTooBig)
            problems.append(f"activity: {size} bytes, over Teams' {MAX_ACTIVITY_BYTES}")
        for attachment in activity.get("attachments") or []:
            if attachment.get("contentType") == CARD:
                content = attachment.get("content") or {}
                problems += [f"card: {e}" for e in card_errors(content)]
                ids = input_ids(content)
                problems += [
                    f"card: Input id {i!r} is not unique"
                    for i in sorted({i for i in ids if ids.count(i) > 1})
                ]
        self.violations += problems
        return problems

    def _refuse(self, problem: str, status: int = 400, code: str = "BadArgument") -> web.Response:
        self.violations.append(problem)
        return web.json_response({"error": {"code": code, "message": problem}}, status=status)

    def _failing(self) -> web.Response | None:
        if self.fail_status:
            return web.json_response(
                {"error": {"code": "ServiceError", "message": "down"}}, status=self.fail_status
            )
        return None

    async def _create(self, request: web.Request) -> web.Response:
        if failure := self._failing():
            return failure
        body = await request.json()
        tenant = body.get("tenantId")
        if not tenant or ((body.get("channelData") or {}).get("tenant") or {}).get("id") != tenant:
            return self._refuse("create_conversation without the tenant (tenantId and channelData.tenant.id)")
        channel = (body.get("channelData") or {}).get("channel", {}).get("id")
        people = [m.get("id") for m in body.get("members") or []]
        if not channel and self.installed is not None and not set(people) <= self.installed:
            self.refused_chats.append(people)
            return web.json_response(
                {"error": {"code": "Forbidden", "message": "the app is not installed for the user"}},
                status=403,
            )
        number = next(self._ids)
        cid = f"{channel};messageid={number}" if channel else f"a:1:{number}"
        self.created.append({"id": cid, **body})
        self.members[cid] = body.get("members") or []
        response: dict[str, Any] = {"id": cid, "serviceUrl": self.url}
        if body.get("activity"):
            if self._check(body["activity"]):
                return web.json_response({"error": {"code": "BadArgument"}}, status=400)
            activity_id = f"act-{next(self._ids)}"
            self.sent[cid].append({**body["activity"], "id": activity_id})
            response["activityId"] = activity_id
        return web.json_response(response)

    async def _send(self, request: web.Request) -> web.Response:
        if failure := self._failing():
            return failure
        body = await request.json()
        if self._check(body):
            return web.json_response({"error": {"code": "BadArgument"}}, status=400)
        activity_id = f"act-{next(self._ids)}"
        self.sent[request.match_info["cid"]].append({**body, "id": activity_id})
        self.sends_at[request.match_info["cid"]].append(time.monotonic())
        return web.json_response({"id": activity_id})

    async def _update(self, request: web.Request) -> web.Response:
        if failure := self._failing():
            return failure
        body = await request.json()
        if self._check(body):
            return web.json_response({"error": {"code": "BadArgument"}}, status=400)
        cid, aid = request.match_info["cid"], request.match_info["aid"]
        self.updates.append({"conversation": cid, "id": aid, **body})
        for index, activity in enumerate(self.sent[cid]):
            if activity["id"] == aid:
                self.sent[cid][index] = {**body, "id": aid}
        return web.json_response({"id": aid})

    def _account(self, member: dict[str, Any]) -> dict[str, Any]:
        name = self.names.get(member.get("id", ""))
        return {**member, "name": name} if name else member

    async def _members(self, request: web.Request) -> web.Response:
        cid = request.match_info["cid"].split(";")[0]
        members = self.members.get(cid) or self.members.get(request.match_info["cid"]) or []
        if not members and cid.startswith("19:"):  # a team channel: its roster is everyone we know by name
            members = [{"id": user} for user in self.names]
        return web.json_response([self._account(m) for m in members])

    async def _member(self, request: web.Request) -> web.Response:
        mid = request.match_info["mid"]
        if mid not in self.names:
            return web.json_response({"error": {"code": "MemberNotFoundInConversation"}}, status=404)
        return web.json_response(self._account({"id": mid}))

    # --- inspection ----------------------------------------------------------------------------------------

    def cards_in(self, conversation_id: str) -> list[dict[str, Any]]:
        return [
            a["content"]
            for activity in self.sent[conversation_id]
            for a in activity.get("attachments") or []
            if a.get("contentType") == CARD
        ]

    def summary_in(self, conversation_id: str) -> dict[str, Any]:
        """The incident's summary card in a thread (the card with the 事実を更新 action), as last sent."""
        summaries = [c for c in self.cards_in(conversation_id) if '"leak.facts"' in json.dumps(c)]
        assert summaries, f"no summary card in {conversation_id}"
        return summaries[-1]

    def texts_in(self, conversation_id: str) -> list[str]:
        return [a.get("text") or "" for a in self.sent[conversation_id]]

    def thread(self) -> str | None:
        return next((c["id"] for c in self.created if (c.get("channelData") or {}).get("channel")), None)


def input_ids(node: Any) -> list[str]:
    """Every ``Input.*`` id in a card, nested cards (Action.ShowCard) included."""
    if isinstance(node, dict):
        own = [node.get("id", "")] if str(node.get("type", "")).startswith("Input.") else []
        return own + [i for value in node.values() for i in input_ids(value)]
    if isinstance(node, list):
        return [i for value in node for i in input_ids(value)]
    return []
