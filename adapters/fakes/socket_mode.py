"""A fake Slack Socket Mode endpoint: the WebSocket server that ``apps.connections.open`` points an app to.

Plays Slack's side of docs.slack.dev/apis/events-api/using-socket-mode: on connection it says ``hello``,
then delivers envelopes ``{type, envelope_id, payload, accepts_response_payload}`` (``slash_commands``,
``interactive``, ``events_api``) and collects the app's acknowledgements ``{envelope_id[, payload]}``.
An acknowledgement that is not JSON, names no outstanding envelope, or carries a payload where Slack does
not accept one is recorded in ``violations``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from typing import Any

from aiohttp import WSMsgType, web

from adapters.fakes.slack.server import FakeSlack
from adapters.fakes.slack_driver import (
    TEAM,
    block_action_payload,
    command_payload,
    view_submission_payload,
)

ENVELOPE_TYPES = {"slash_commands", "interactive", "events_api"}


class FakeSocketMode:
    def __init__(self, app_id: str = "ALEAKBOT") -> None:
        self.app_id = app_id
        self.violations: list[str] = []
        self.acks: dict[str, dict[str, Any]] = {}
        self.connections = 0
        self._sockets: list[web.WebSocketResponse] = []
        self._accepts_payload: dict[str, bool] = {}
        self._acked = asyncio.Condition()
        self._connected = asyncio.Event()
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.url = ""

    # --- life cycle --------------------------------------------------------------------------------------

    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/link/", self._link)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        self.url = f"ws://127.0.0.1:{port}/link/?ticket={uuid.uuid4()}&app_id={self.app_id}"
        return self.url

    def attach(self, slack: FakeSlack) -> None:
        """Make the fake workspace's apps.connections.open hand out this server's URL."""
        slack.socket_mode_url = self.url

    async def stop(self) -> None:
        for socket in list(self._sockets):
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def connected(self, within: float = 10.0) -> None:
        await asyncio.wait_for(self._connected.wait(), within)

    # --- Slack's side --------------------------------------------------------------------------------------

    async def _link(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        self._sockets.append(socket)
        self.connections += 1
        await socket.send_json(
            {
                "type": "hello",
                "num_connections": len(self._sockets),
                "debug_info": {"host": "applink-fake", "approximate_connection_time": 18060},
                "connection_info": {"app_id": self.app_id},
            }
        )
        self._connected.set()
        try:
            async for message in socket:
                if message.type == WSMsgType.TEXT:
                    await self._acknowledged(message.data)
        finally:
            self._sockets.remove(socket)
            if not self._sockets:
                self._connected.clear()
        return socket

    async def _acknowledged(self, data: str) -> None:
        try:
            ack = json.loads(data)
        except ValueError:
            self.violations.append("an acknowledgement is not JSON")
            return
        envelope_id = ack.get("envelope_id") if isinstance(ack, dict) else None
        if envelope_id not in self._accepts_payload:
            self.violations.append(f"an acknowledgement names no outstanding envelope: {envelope_id!r}")
            return
        if envelope_id in self.acks:
            self.violations.append(f"envelope {envelope_id} acknowledged twice")
        if "payload" in ack and not self._accepts_payload[envelope_id]:
            self.violations.append(f"envelope {envelope_id}: a payload where Slack accepts none")
        if set(ack) - {"envelope_id", "payload"}:
            self.violations.append(
                f"envelope {envelope_id}: unknown fields {sorted(set(ack) - {'envelope_id', 'payload'})}"
            )
        async with self._acked:
            self.acks[envelope_id] = ack
            self._acked.notify_all()

    async def send(self, kind: str, payload: dict[str, Any], *, accepts_response_payload: bool = True) -> str:
        """Deliver one envelope to the connected app; returns its envelope_id."""
        assert kind in ENVELOPE_TYPES, kind
        assert self._sockets, "no app is connected"
        envelope_id = f"{uuid.uuid4()}"
        self._accepts_payload[envelope_id] = accepts_response_payload
        envelope = {
            "envelope_id": envelope_id,
            "payload": payload,
            "type": kind,
            "accepts_response_payload": accepts_response_payload,
        }
        if kind == "events_api":
            envelope["retry_attempt"], envelope["retry_reason"] = 0, ""
        await self._sockets[-1].send_json(envelope)
        return envelope_id

    async def acknowledgement(self, envelope_id: str, within: float = 3.0) -> dict[str, Any]:
        """The app's acknowledgement of an envelope; Slack gives up after 3 seconds."""
        async with self._acked:
            await asyncio.wait_for(self._acked.wait_for(lambda: envelope_id in self.acks), within)
        return self.acks[envelope_id]

    async def deliver(self, kind: str, payload: dict[str, Any], within: float = 3.0) -> dict[str, Any]:
        """Send an envelope and wait for its acknowledgement."""
        return await self.acknowledgement(await self.send(kind, payload), within)

    # --- the moves of a journey ----------------------------------------------------------------------------

    async def command(
        self, user: str, text: str = "", channel: str = "CGENERAL", **kw: Any
    ) -> dict[str, Any]:
        payload = command_payload(user, text, channel, **kw)
        payload["is_enterprise_install"] = payload.get("is_enterprise_install", "false")
        return await self.deliver("slash_commands", payload)

    async def submit_view(
        self, user: str, view: dict[str, Any], values: dict[str, dict], **kw: Any
    ) -> dict[str, Any]:
        return await self.deliver("interactive", view_submission_payload(user, view, values, **kw))

    async def click(
        self, user: str, message: dict[str, Any], channel: str, action_id: str, **kw: Any
    ) -> dict[str, Any]:
        return await self.deliver(
            "interactive", block_action_payload(user, message, channel, action_id, **kw)
        )

    async def event(self, event: dict[str, Any], team: str = TEAM) -> dict[str, Any]:
        payload = {
            "token": "legacy-unused",
            "team_id": team,
            "api_app_id": self.app_id,
            "event": {"event_ts": f"{time.time():.6f}", **event},
            "type": "event_callback",
            "event_id": f"Ev{next(self._ids):08d}",
            "event_time": int(time.time()),
        }
        envelope_id = await self.send("events_api", payload, accepts_response_payload=False)
        return await self.acknowledgement(envelope_id)
