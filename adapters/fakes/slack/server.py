"""A fake Slack workspace: the Web API over HTTP on 127.0.0.1 for the real slack_sdk client.

Every call is checked against Slack's official spec (method, arguments), every Block Kit payload with
slack_sdk's models and Slack's limits; violations are recorded in ``violations`` and answered as errors.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from adapters.fakes.slack.blockkit import block_problems
from adapters.fakes.slack.channels import Channel, Conversations
from adapters.fakes.slack.errors import SlackApiFailure
from adapters.fakes.slack.scheduling import ScheduledMessages
from adapters.fakes.slack.spec import check_call, response_errors
from adapters.fakes.slack.surfaces import Surfaces
from adapters.fakes.slack.workspace import BOT_USER, TEAM
from adapters.slack.scopes import requested_scopes

TOKEN = "xoxb-test"
APP_TOKEN = "xapp-1-test"  # app-level token: Socket Mode's apps.connections.open only
APP_TOKEN_METHODS = {"apps.connections.open": {"token", "team_id"}}  # not in the 2021 spec: known arguments

JSON_ARGS = ("blocks", "view", "attachments", "files", "metadata")


class FakeSlack(Conversations, ScheduledMessages, Surfaces):
    def __init__(self) -> None:
        self._init_scheduling()  # scheduled messages, and the fake's clock that posts them (``now``)
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, Channel] = {}
        self.messages: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.ephemerals: list[dict[str, Any]] = []
        self.views: dict[str, dict[str, Any]] = {}
        self.opened_views: list[dict[str, Any]] = []
        self.home_views: dict[str, dict[str, Any]] = {}
        self.files: list[dict[str, Any]] = []
        self.pins: dict[str, list[str]] = defaultdict(list)
        # Called after a successful call is done, before its answer is sent (the crash tests kill the app here).
        self.after_call: Callable[[str, dict[str, Any]], Awaitable[None]] | None = None
        self.bookmarks: dict[str, list[dict[str, Any]]] = defaultdict(list)
        # Channel canvases: id -> {"channel_id", "title", "markdown", "edits"}; ``canvas_refusal`` is the error
        # conversations.canvases.create answers on a plan without them (team_tier_cannot_create_channel_canvases).
        self.canvases: dict[str, dict[str, Any]] = {}
        self.canvas_refusal: str | None = None
        self.calls: list[tuple[str, dict[str, Any]]] = []
        # (method, received, answered, arguments): perf_counter seconds, for the benchmarks
        self.timeline: list[tuple[str, float, float, dict[str, Any]]] = []
        self.violations: list[str] = []
        # the client's (host, port) of each Web API call's TCP connection: a reused connection repeats it
        self.connections: list[tuple[str, int] | None] = []
        self._faults: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._invite_failures: dict[str, str] = {}
        self._ids = itertools.count(1)
        self._ts = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.base_url = ""
        # Knobs for load and resilience tests: seconds every Web API answer is delayed, and per method.
        self.latency: float = 0.0
        self.method_latency: dict[str, float] = {}
        # The bot token's scopes, as if installed from adapters/slack/manifest.yml: every answer carries them
        # in the x-oauth-scopes header, and a call needing one the token lacks fails with missing_scope.
        self.scopes: list[str] = list(requested_scopes())
        # Socket Mode: the WebSocket URL apps.connections.open hands out (adapters/fakes/socket_mode.py).
        self.socket_mode_url: str | None = None
        self.add_user(BOT_USER, "leakbot@bot.invalid", name="leakbot")

    # --- set-up and inspection ---------------------------------------------------------------------------

    def add_user(self, user_id: str, email: str, *, name: str | None = None, locale: str = "ja-JP") -> None:
        self.users[user_id] = {
            "id": user_id,
            "name": name or user_id.lower(),
            "email": email,
            "locale": locale,
        }

    def add_channel(self, name: str, *, private: bool = False) -> str:
        channel = Channel(self._id("C"), name, private, BOT_USER)
        self.channels[channel.id] = channel
        return channel.id

    def fail_next(self, method: str, status: int = 429, times: int = 1, retry_after: int = 1) -> None:
        """The next ``times`` calls to ``method`` answer HTTP ``status`` (429 with Retry-After, or a 5xx)."""
        if status != 429 and not 500 <= status < 600:
            raise ValueError(f"fail_next takes 429 or a 5xx status, not {status}")
        self._faults[method].extend([(status, retry_after)] * times)

    def latency_of(self, method: str) -> float:
        return self.method_latency.get(method, self.latency)

    def needed_scope(self, method: str, args: dict[str, Any]) -> str | None:
        """The bot scope Slack's method documentation names for this call (None: none, or not modelled)."""
        fixed = {
            "chat.postMessage": "chat:write",
            "chat.postEphemeral": "chat:write",
            "chat.update": "chat:write",
            "chat.scheduleMessage": "chat:write",
            "chat.deleteScheduledMessage": "chat:write",
            "users.info": "users:read",
            "users.list": "users:read",
            "users.lookupByEmail": "users:read.email",
            "files.getUploadURLExternal": "files:write",
            "files.completeUploadExternal": "files:write",
            "conversations.open": "im:write",
            "pins.add": "pins:write",
            "bookmarks.add": "bookmarks:write",
            "conversations.canvases.create": "canvases:write",
            "canvases.edit": "canvases:write",
            "conversations.list": "groups:read",  # types=private_channel
        }
        if method in fixed:
            return fixed[method]
        if method == "conversations.create":
            private = str(args.get("is_private", "")).lower() in ("true", "1")
            return "groups:write" if private else "channels:manage"
        if method in (
            "conversations.invite",
            "conversations.setTopic",
            "conversations.archive",
            "conversations.unarchive",
            "conversations.info",
            "conversations.members",
            "conversations.history",
        ):
            channel = self.channels.get(str(args.get("channel") or ""))
            if channel is None:
                return None  # channel_not_found comes first
            kind = "im" if channel.is_im else "groups" if channel.is_private else "channels"
            if method in ("conversations.info", "conversations.members"):
                return f"{kind}:read"
            if method == "conversations.history":
                return f"{kind}:history"
            return f"{kind}:write" if kind != "channels" else "channels:manage"
        return None

    def fail_invite_for(self, user_id: str, error: str = "user_not_found") -> None:
        self._invite_failures[user_id] = error

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        return [args for name, args in self.calls if name == method]

    def channel_named(self, prefix: str) -> Channel | None:
        return next((c for c in self.channels.values() if c.name.startswith(prefix)), None)

    def latest(self, channel_id: str, containing: str = "") -> dict[str, Any]:
        found = [m for m in self.messages[channel_id] if containing in json.dumps(m, ensure_ascii=False)]
        assert found, f"no message containing {containing!r} in {channel_id}"
        return found[-1]

    # --- the HTTP server ---------------------------------------------------------------------------------

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._handle)
        app.router.add_post("/upload/{file_id}", self._upload)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}/api/"
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _arguments(self, request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query)
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                args |= await request.json()
            else:
                args |= dict(await request.post())
        for key in JSON_ARGS:
            if isinstance(args.get(key), str):
                try:
                    args[key] = json.loads(args[key])
                except json.JSONDecodeError:
                    self.violations.append(f"{key}: not JSON")
        return args

    async def _handle(self, request: web.Request) -> web.Response:
        started = time.perf_counter()
        method = request.match_info["method"]
        peer = request.transport.get_extra_info("peername") if request.transport else None
        self.connections.append(tuple(peer[:2]) if peer else None)
        args = await self._arguments(request)
        try:
            return await self._answer(request, method, args)
        finally:
            self.timeline.append((method, started, time.perf_counter(), args))

    async def _answer(self, request: web.Request, method: str, args: dict[str, Any]) -> web.Response:
        delay = self.latency_of(method)
        if delay > 0:
            await asyncio.sleep(delay)
        self.deliver_due()  # Slack posts what was scheduled when its time comes, leakbot running or not
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else args.get("token")
        self.calls.append((method, args))
        if method in APP_TOKEN_METHODS:
            unknown = sorted(set(args) - APP_TOKEN_METHODS[method])
            problems = [f"{method}: unknown argument {name!r}" for name in unknown]
        else:
            problems = check_call(method, args, has_token=bool(token))
        if problems:
            self.violations += problems
            return web.json_response(
                {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": problems}}
            )
        if token not in (TOKEN, APP_TOKEN):
            return web.json_response({"ok": False, "error": "invalid_auth" if token else "not_authed"})
        if (token == APP_TOKEN) != (method in APP_TOKEN_METHODS):
            return web.json_response({"ok": False, "error": "not_allowed_token_type"})
        headers = {"x-oauth-scopes": ",".join(self.scopes)} if token == TOKEN else {}
        needed = self.needed_scope(method, args) if token == TOKEN else None
        if needed is not None and needed not in self.scopes:
            return web.json_response(
                {"ok": False, "error": "missing_scope", "needed": needed, "provided": ",".join(self.scopes)},
                headers=headers,
            )
        if self._faults[method]:
            status, retry_after = self._faults[method].pop(0)
            if status == 429:
                return web.json_response(
                    {"ok": False, "error": "ratelimited"},
                    status=429,
                    headers={"Retry-After": str(retry_after)},
                )
            return web.json_response({"ok": False, "error": "fatal_error"}, status=status)
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            self.violations.append(f"{method}: the fake does not implement it")
            return web.json_response({"ok": False, "error": "unknown_method"})
        try:
            body = {"ok": True, **handler(args)}
        except SlackApiFailure as failure:
            return web.json_response({"ok": False, "error": failure.error, **failure.extra}, headers=headers)
        self.violations += response_errors(method, body)
        if self.after_call is not None:
            await self.after_call(method, args)  # done on Slack's side; the answer may never leave (a crash)
        return web.json_response(body, headers=headers)

    def _id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08X}"

    def _user(self, user_id: str) -> dict[str, Any]:
        if user_id not in self.users:
            raise SlackApiFailure("user_not_found")
        return self.users[user_id]

    def _user_json(self, user: dict[str, Any], with_locale: bool) -> dict[str, Any]:
        body = {
            "id": user["id"],
            "team_id": TEAM,
            "name": user["name"],
            "deleted": False,
            "is_bot": False,
            "is_app_user": False,
            "updated": int(time.time()),
            "tz": "Asia/Tokyo",
            "profile": {"email": user["email"], "real_name": user["name"], "display_name": user["name"]},
        }
        if with_locale:
            body["locale"] = user["locale"]
        return body

    def _channel(self, channel_id: str) -> Channel:
        if channel_id not in self.channels:
            raise SlackApiFailure("channel_not_found")
        return self.channels[channel_id]

    def _check_blocks(self, args: dict[str, Any], surface: str = "message") -> None:
        problems = block_problems(args.get("blocks") or [], surface)
        if len(args.get("text") or "") > 40000:
            problems.append("text over 40000 characters")
        if problems:
            self.violations += problems
            raise SlackApiFailure("invalid_blocks", response_metadata={"messages": problems})

    # --- methods -----------------------------------------------------------------------------------------

    def _auth_test(self, args: dict) -> dict:
        return {
            "url": "https://leakbot-test.slack.com/",
            "team": "leakbot test",
            "user": "leakbot",
            "team_id": TEAM,
            "user_id": BOT_USER,
            "bot_id": "B0LEAKBOT1",
            "is_enterprise_install": False,
        }

    def _apps_connections_open(self, args: dict) -> dict:
        if self.socket_mode_url is None:
            self.violations.append("apps.connections.open: no Socket Mode server attached to the fake")
            raise SlackApiFailure("internal_error")
        return {"url": self.socket_mode_url}

    def _users_info(self, args: dict) -> dict:
        with_locale = str(args.get("include_locale", "")).lower() in ("true", "1")
        return {"user": self._user_json(self._user(args["user"]), with_locale)}

    def _users_lookupByEmail(self, args: dict) -> dict:
        user = next((u for u in self.users.values() if u["email"] == args["email"]), None)
        if user is None:
            raise SlackApiFailure("users_not_found")
        return {"user": self._user_json(user, False)}

    def _message(self, args: dict, ts: str) -> dict:
        message = {
            "type": "message",
            "text": args.get("text") or "",
            "ts": ts,
            "user": BOT_USER,
            "bot_id": "B0LEAKBOT1",
        }
        if args.get("blocks"):
            message["blocks"] = args["blocks"]
        metadata = args.get("metadata")
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        if metadata:
            message["metadata"] = metadata
        return message

    def _chat_postMessage(self, args: dict) -> dict:
        channel_id = args["channel"]
        if channel_id.startswith("U"):  # a DM by user id
            channel_id = self._conversations_open({"users": channel_id})["channel"]["id"]
        self._writable(channel_id)
        self._check_blocks(args)
        ts = f"{1_700_000_000 + next(self._ts)}.000100"
        message = self._message(args, ts)
        self.messages[channel_id].append(message)
        return {"channel": channel_id, "ts": ts, "message": message}

    def _chat_update(self, args: dict) -> dict:
        self._writable(args["channel"])
        self._check_blocks(args)
        for index, message in enumerate(self.messages[args["channel"]]):
            if message["ts"] == args["ts"]:
                updated = self._message(args, args["ts"])
                if "metadata" not in args and "metadata" in message:  # kept unless the update sets it
                    updated["metadata"] = message["metadata"]
                self.messages[args["channel"]][index] = updated
                return {
                    "channel": args["channel"],
                    "ts": args["ts"],
                    "text": args.get("text") or "",
                    "message": self.messages[args["channel"]][index],
                }
        raise SlackApiFailure("message_not_found")

    def _chat_postEphemeral(self, args: dict) -> dict:
        self._channel(args["channel"])
        self._check_blocks(args)
        self.ephemerals.append(
            {"channel": args["channel"], "user": args["user"], "text": args.get("text") or ""}
        )
        return {"message_ts": f"{1_700_000_000 + next(self._ts)}.000200"}
