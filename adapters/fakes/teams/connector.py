"""A fake Bot Framework connector: the real Agents SDK reaches it through each activity's serviceUrl.

It records what the bot sends, updates and creates, and checks every Adaptive Card against the official
Adaptive Card 1.5 schema; violations are recorded and answered with 400.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from typing import Any

from aiohttp import web

from adapters.fakes.card_schema import card_errors

CARD = "application/vnd.microsoft.card.adaptive"


class FakeConnector:
    def __init__(self) -> None:
        self.sent: dict[str, list[dict[str, Any]]] = defaultdict(list)  # conversation id → activities
        self.updates: list[dict[str, Any]] = []
        self.created: list[dict[str, Any]] = []
        self.violations: list[str] = []
        self.members: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.fail_status: int | None = None
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
        for attachment in activity.get("attachments") or []:
            if attachment.get("contentType") == CARD:
                problems += [f"card: {e}" for e in card_errors(attachment.get("content") or {})]
        self.violations += problems
        return problems

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
        number = next(self._ids)
        channel = (body.get("channelData") or {}).get("channel", {}).get("id")
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

    async def _members(self, request: web.Request) -> web.Response:
        return web.json_response(self.members[request.match_info["cid"]])

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
