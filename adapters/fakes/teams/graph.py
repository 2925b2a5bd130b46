"""A fake Microsoft Graph (and its token endpoint) for tests and the demo, as strict as the real one where
leakbot relies on it: private channels (at least one owner, a name of at most 50 characters without the
characters Teams refuses, a name in use answered 400 ``NameAlreadyExists``), channel members, users by
object id, user principal name or ``mail`` filter, the app catalog by ``externalId``, and the app installed for
a user (which lets the fake connector open a 1:1 chat with them), and events in users' calendars. Knobs: ``throttle`` answers the next calls
429 with Retry-After, ``fail_status`` answers every call with that status (Graph down), ``failing`` only some
calls, and ``faults`` breaks the answer of some calls after they did their work (see ``FAULTS``).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import uuid
from typing import Any
from urllib.parse import unquote

from aiohttp import web

from adapters.fakes.teams.calendar import FakeCalendars

VERSION = "/v1.0"
NAME_MAX = 50
FORBIDDEN = re.compile(r"[~#%&*{}+/\\:<>?|'\"]|\.\.|^[_.]|\.$")
BIND = re.compile(r"users\('([^']+)'\)")
# What a broken answer can be: a 2xx whose body is cut-off JSON, the object without its id (``userId`` for
# members/add), the connection dropped, an answer that takes a minute (each after the call did its work); or
# an HTML page with 200 (a proxy's: the call never reached Graph).
MALFORMED, HTML, NO_ID, RESET, SLOW = "malformed", "html", "no_id", "reset", "slow"
FAULTS = (MALFORMED, HTML, NO_ID, RESET, SLOW)
SLOW_SECONDS = 60.0


def _error(status: int, code: str, message: str = "") -> web.Response:
    return web.json_response({"error": {"code": code, "message": message or code}}, status=status)


class FakeGraph(FakeCalendars):
    def __init__(self, tenant_id: str, client_id: str, client_secret: str, connector: Any = None) -> None:
        self.tenant_id = tenant_id
        self.client_id = client_id
        self.client_secret = client_secret
        self.connector = connector  # the fake connector: installing the app lets it open 1:1 chats
        self.users: dict[str, dict[str, Any]] = {}
        self.teams: set[str] = set()
        self.channels: dict[str, dict[str, Any]] = {}  # channel id → channel (with "team")
        self.members: dict[str, dict[str, list[str]]] = {}  # channel id → user id → roles
        self.installed: set[str] = set()
        self.events: dict[str, dict[str, dict[str, Any]]] = {}  # user id → event id → event (calendars)
        self.calls: list[tuple[str, str]] = []
        self.tokens: set[str] = set()
        self.throttled: list[float] = []  # Retry-After of each 429 we answered
        self.fail_status: int | None = None
        self.failing: dict[str, int] = {}  # "METHOD /path-suffix" → status: only those calls fail
        self.faults: dict[str, str] = {}  # "METHOD /path-suffix" → one of FAULTS, for every such call
        self.catalog: dict[str, str] = {}  # manifest id (externalId) → the app's catalog id
        self._stopping = asyncio.Event()
        self._throttle: tuple[int, float] = (0, 0.0)
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.url = ""
        self.authority = ""

    # --- set-up -----------------------------------------------------------------------------------------

    def add_user(self, user_id: str, name: str, mail: str, upn: str | None = None) -> None:
        self.users[user_id] = {
            "id": user_id,
            "displayName": name,
            "mail": mail,
            "userPrincipalName": upn or mail,
        }

    def add_team(self, team_id: str) -> None:
        self.teams.add(team_id)

    def throttle(self, calls: int, retry_after: float = 1.0) -> None:
        """The next ``calls`` Graph calls (not the token) are answered 429 with this Retry-After."""
        self._throttle = (calls, retry_after)

    def publish_app(self, external_id: str, catalog_id: str) -> None:
        """The app uploaded to the organization's catalog (Teams admin center)."""
        self.catalog[external_id] = catalog_id

    async def start(self) -> str:
        app = web.Application(middlewares=[self._faulty])
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        app.router.add_post(VERSION + "/teams/{team}/channels", self._create_channel)
        app.router.add_get(VERSION + "/teams/{team}/channels", self._list_channels)
        app.router.add_post(VERSION + "/teams/{team}/channels/{channel}/members/add", self._add_members)
        app.router.add_post(VERSION + "/teams/{team}/channels/{channel}/members", self._add_member)
        app.router.add_post(VERSION + "/teams/{team}/channels/{channel}/archive", self._archive)
        app.router.add_post(VERSION + "/teams/{team}/channels/{channel}/unarchive", self._archive)
        app.router.add_get(VERSION + "/users/{user}", self._user)
        app.router.add_get(VERSION + "/users", self._users)
        app.router.add_post(VERSION + "/users/{user}/teamwork/installedApps", self._install)
        app.router.add_get(VERSION + "/appCatalogs/teamsApps", self._catalog)
        self.calendar_routes(app, VERSION)  # /users/{id}/events (adapters/fakes/teams/calendar.py)
        self._runner = web.AppRunner(
            app, access_log=None
        )  # Microsoft's log, not ours: kept out of the tests'
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        root = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
        self.url, self.authority = root + VERSION, root
        return self.url

    async def stop(self) -> None:
        self._stopping.set()  # a slow answer still pending ends now
        if self._runner is not None:
            await self._runner.cleanup()

    # --- broken answers -----------------------------------------------------------------------------------

    def _fault_of(self, request: web.Request) -> str | None:
        for what, fault in self.faults.items():
            method, _, suffix = what.partition(" ")
            if request.method == method and request.path.endswith(suffix):
                return fault
        return None

    @web.middleware
    async def _faulty(self, request: web.Request, handler) -> web.StreamResponse:
        fault = self._fault_of(request)
        if fault == HTML:  # a proxy's sign-in page: the call never reached Graph
            self.calls.append((request.method, unquote(request.path_qs)))
            page = "<html><body><h1>Sign in to continue</h1></body></html>"
            return web.Response(status=200, text=page, content_type="text/html")
        response = await handler(request)
        if fault is None or response.status >= 300 or not isinstance(response, web.Response):
            return response
        if fault == SLOW:
            try:
                await asyncio.wait_for(self._stopping.wait(), SLOW_SECONDS)
            except TimeoutError:
                pass
            return response
        if fault == RESET:
            if request.transport is not None:
                request.transport.abort()
            return response
        if fault == MALFORMED:
            return web.Response(status=response.status, text='{"id": "19:', content_type="application/json")
        assert fault == NO_ID, fault
        return web.json_response(_without_ids(json.loads(response.body or b"{}")), status=response.status)

    # --- the token ----------------------------------------------------------------------------------------

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        if request.match_info["tenant"] != self.tenant_id:
            return _error(400, "invalid_request", "AADSTS90002: tenant not found")
        if form.get("grant_type") != "client_credentials" or form.get("client_id") != self.client_id:
            return _error(400, "unauthorized_client")
        if form.get("client_secret") != self.client_secret:
            return _error(401, "invalid_client")
        if not str(form.get("scope", "")).endswith("/.default"):
            return _error(400, "invalid_scope")
        token = f"graph-{uuid.uuid4().hex}"
        self.tokens.add(token)
        return web.json_response({"token_type": "Bearer", "expires_in": 3599, "access_token": token})

    def _refused(self, request: web.Request) -> web.Response | None:
        self.calls.append((request.method, unquote(request.path_qs)))
        for what, status in self.failing.items():
            method, _, suffix = what.partition(" ")
            if request.method == method and request.path.endswith(suffix):
                return _error(
                    status,
                    {503: "serviceNotAvailable"}.get(
                        status, "InternalServerError" if status >= 500 else "Forbidden"
                    ),
                )
        if self.fail_status:
            return _error(
                self.fail_status, "serviceNotAvailable" if self.fail_status == 503 else "InternalServerError"
            )
        left, after = self._throttle
        if left > 0:
            self._throttle = (left - 1, after)
            self.throttled.append(after)
            response = _error(429, "TooManyRequests", "Too many requests")
            response.headers["Retry-After"] = f"{after:g}"
            return response
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer ") or header.removeprefix("Bearer ") not in self.tokens:
            return _error(401, "InvalidAuthenticationToken")
        return None

    # --- channels -----------------------------------------------------------------------------------------

    def _bound(self, member: dict[str, Any]) -> str | None:
        found = BIND.search(str(member.get("user@odata.bind", "")))
        return found.group(1) if found and found.group(1) in self.users else None

    async def _create_channel(self, request: web.Request) -> web.Response:
        if refused := self._refused(request):
            return refused
        team = request.match_info["team"]
        if team not in self.teams:
            return _error(404, "NotFound", "team not found")
        body = await request.json()
        name = str(body.get("displayName") or "")
        if not name or len(name) > NAME_MAX or FORBIDDEN.search(name):
            return _error(400, "BadRequest", "invalid displayName")
        if body.get("membershipType") != "private":
            return _error(400, "BadRequest", "leakbot only creates private channels")
        if any(
            c["team"] == team and c["displayName"].lower() == name.lower() for c in self.channels.values()
        ):
            return _error(400, "NameAlreadyExists", f"Channel name already existed: {name}")
        roles: dict[str, list[str]] = {}
        for member in body.get("members") or []:
            user = self._bound(member)
            if user is None or member.get("@odata.type") != "#microsoft.graph.aadUserConversationMember":
                return _error(400, "BadRequest", "a member is not a known user")
            roles[user] = list(member.get("roles") or [])
        if not any("owner" in r for r in roles.values()):
            return _error(400, "BadRequest", "a private channel created by an app needs an owner")
        channel_id = f"19:private{next(self._ids)}@thread.tacv2"
        channel = {
            "id": channel_id,
            "displayName": name,
            "description": body.get("description"),
            "membershipType": "private",
            "team": team,
        }
        self.channels[channel_id] = channel
        self.members[channel_id] = roles
        self._roster(channel_id)
        return web.json_response({k: v for k, v in channel.items() if k != "team"}, status=201)

    def _roster(self, channel_id: str) -> None:
        if self.connector is not None:
            self.connector.members[channel_id] = [
                {"id": u, "name": self.users[u]["displayName"], "aadObjectId": u}
                for u in self.members[channel_id]
            ]
            for user in self.members[channel_id]:
                self.connector.names.setdefault(user, self.users[user]["displayName"])

    async def _list_channels(self, request: web.Request) -> web.Response:
        if refused := self._refused(request):
            return refused
        team = request.match_info["team"]
        wanted = re.match(r"displayName eq '(.*)'$", request.query.get("$filter", ""))
        channels = [
            {k: v for k, v in c.items() if k != "team"}
            for c in self.channels.values()
            if c["team"] == team
            and (wanted is None or c["displayName"] == wanted.group(1).replace("''", "'"))
        ]
        return web.json_response({"value": channels})

    async def _archive(self, request: web.Request) -> web.Response:
        """channel: archive / unarchive (v1.0): 202 Accepted, the work done asynchronously (here at once).
        A channel without an owner cannot be archived."""
        if refused := self._refused(request):
            return refused
        channel = self.channels.get(request.match_info["channel"])
        if channel is None or channel["team"] != request.match_info["team"]:
            return _error(404, "NotFound", "channel not found")
        if not any("owner" in roles for roles in self.members[channel["id"]].values()):
            return _error(400, "BadRequest", "a channel without an owner cannot be archived")
        channel["isArchived"] = request.path.endswith("/archive")
        return web.Response(status=202)

    async def _add_members(self, request: web.Request) -> web.Response:
        if refused := self._refused(request):
            return refused
        channel = request.match_info["channel"]
        if channel not in self.channels:
            return _error(404, "NotFound", "channel not found")
        results = []
        for member in (await request.json()).get("values") or []:
            user = self._bound(member)
            if user is None:
                results.append({"userId": None, "error": {"code": "NotFound", "message": "no such user"}})
                continue
            self.members[channel].setdefault(user, list(member.get("roles") or []))
            results.append(
                {
                    "@odata.type": "#microsoft.graph.aadUserConversationMemberResult",
                    "userId": user,
                    "error": None,
                }
            )
        self._roster(channel)
        return web.json_response({"value": results})

    async def _add_member(self, request: web.Request) -> web.Response:
        if refused := self._refused(request):
            return refused
        channel = request.match_info["channel"]
        user = self._bound(await request.json())
        if channel not in self.channels or user is None:
            return _error(404, "NotFound")
        self.members[channel].setdefault(user, [])
        self._roster(channel)
        return web.json_response({"id": f"member-{user}", "userId": user}, status=201)

    # --- users and apps ---------------------------------------------------------------------------------

    def _find(self, written: str) -> dict[str, Any] | None:
        return self.users.get(written) or next(
            (u for u in self.users.values() if u["userPrincipalName"].lower() == written.lower()), None
        )

    async def _user(self, request: web.Request) -> web.Response:
        if refused := self._refused(request):
            return refused
        found = self._find(request.match_info["user"])
        if found is None:
            return _error(404, "Request_ResourceNotFound", "user not found")
        return web.json_response(found)

    async def _users(self, request: web.Request) -> web.Response:
        if refused := self._refused(request):
            return refused
        wanted = re.match(r"mail eq '(.*)'$", request.query.get("$filter", ""))
        if wanted is None:
            return _error(400, "BadRequest", "unsupported filter")
        mail = wanted.group(1).replace("''", "'").lower()
        return web.json_response({"value": [u for u in self.users.values() if u["mail"].lower() == mail]})

    async def _catalog(self, request: web.Request) -> web.Response:
        if refused := self._refused(request):
            return refused
        wanted = re.match(r"externalId eq '(.*)'$", request.query.get("$filter", ""))
        if wanted is None:
            return _error(400, "BadRequest", "unsupported filter")
        external = wanted.group(1).replace("''", "'")
        apps = [
            {
                "id": catalog_id,
                "externalId": external,
                "displayName": "leakbot",
                "distributionMethod": "organization",
            }
            for manifest, catalog_id in self.catalog.items()
            if manifest == external
        ]
        return web.json_response({"value": apps})

    async def _install(self, request: web.Request) -> web.Response:
        if refused := self._refused(request):
            return refused
        user = request.match_info["user"]
        if user not in self.users:
            return _error(404, "NotFound", "user not found")
        bind = str((await request.json()).get("teamsApp@odata.bind", ""))
        if "/appCatalogs/teamsApps/" not in bind:
            return _error(400, "BadRequest", "teamsApp@odata.bind is required")
        if bind.rsplit("/", 1)[-1] not in self.catalog.values():
            return _error(404, "NotFound", "no such app in the catalog")
        if user in self.installed:
            return _error(409, "Conflict", "the app is already installed")
        self.installed.add(user)
        if self.connector is not None and self.connector.installed is not None:
            self.connector.installed.add(user)
        return web.json_response({"id": f"installed-{user}"}, status=201)


def _without_ids(answer):
    """The answer without the ids leakbot reads: ``id`` (users, channels, apps) and ``userId`` (members)."""
    if isinstance(answer, dict):
        return {k: _without_ids(v) for k, v in answer.items() if k not in ("id", "userId")}
    if isinstance(answer, list):
        return [_without_ids(v) for v in answer]
    return answer
