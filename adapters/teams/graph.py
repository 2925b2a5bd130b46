"""A small Microsoft Graph client: plain aiohttp, an app-only token by the OAuth 2.0 client-credentials grant,
and only the calls leakbot needs (private channels, their members, users, the app installed for a user, events
in a user's calendar).

Throttling is honoured: a 429 (or 503) waits for its Retry-After, a server error or a lost connection backs
off, a bounded number of times; then the call fails with ``GraphError`` (``retry=True``), and the caller
falls back. See docs/decisions.md for why this is not msgraph-sdk.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import aiohttp

log = logging.getLogger(__name__)
RETRIED = {429, 500, 502, 503, 504}
GRAPH = "https://graph.microsoft.com/v1.0"
MALFORMED = "malformed_answer"
CODE = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
# path segments that name no one: everything else in a path (an address, an id) is shown as {…} in the log
ROUTE_WORDS = {
    *("v1.0", "beta", "teams", "channels", "members", "add", "users", "teamwork", "installedApps"),
    *("appCatalogs", "teamsApps", "oauth2", "v2.0", "token", "archive", "unarchive", "events"),
}


class GraphError(Exception):
    """A Graph call that failed: ``status`` (0: no answer), Graph's error ``code``, and whether trying
    again later may help. A 2xx whose body is not what Graph sends is ``malformed_answer``."""

    def __init__(self, status: int, code: str, retry: bool = False) -> None:
        super().__init__(f"{status} {code}")
        self.status = status
        self.code = code
        self.retry = retry


@dataclass(frozen=True)
class User:
    id: str
    name: str
    mail: str = ""


def _wait_of(headers: Any, default: float) -> float:
    try:
        return max(0.0, float(headers.get("Retry-After", default)))
    except (TypeError, ValueError):
        return default


def route(what: str) -> str:
    """A request's path as the log may show it: the route, never an address, a name or an id."""
    path = urlsplit(what).path
    return "/".join(s if not s or s in ROUTE_WORDS else "{…}" for s in path.split("/"))


def _json(status: int, raw: bytes) -> dict[str, Any]:
    """A 2xx body: a JSON object, or nothing. Anything else (an HTML page, broken JSON, a list) did not
    come from Graph as we know it."""
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise GraphError(status, MALFORMED, retry=True)
    return data


def _code_of(raw: bytes) -> str:
    try:
        error = json.loads(raw).get("error") or {}
    except (ValueError, AttributeError):
        return "error"
    code = error.get("code") if isinstance(error, dict) else error
    return code if isinstance(code, str) and CODE.match(code) else "error"


def _malformed(status: int = 200) -> GraphError:
    return GraphError(status, MALFORMED, retry=True)


def _id_of(item: Any) -> str:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
        raise _malformed()
    return item["id"]


def _listed(answer: dict[str, Any]) -> list[Any]:
    value = answer.get("value")
    if not isinstance(value, list):
        raise _malformed()
    return value


class GraphClient:
    def __init__(
        self,
        tenant_id: str,
        client_id: str,
        client_secret: str,
        base_url: str = GRAPH,
        authority: str = "https://login.microsoftonline.com",
        *,
        attempts: int = 4,
        longest_wait: float = 30.0,
        backoff: float = 0.5,
        timeout: float = 20.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.tenant_id = tenant_id
        self.client_id = client_id
        self._secret = client_secret
        self.base_url = base_url.rstrip("/")
        self.authority = authority.rstrip("/")
        parts = urlsplit(self.base_url)
        self.scope = f"{parts.scheme}://{parts.netloc}/.default"  # the resource: https://graph.microsoft.com
        self.attempts = attempts
        self.longest_wait = longest_wait
        self.backoff = backoff
        self.timeout = timeout  # seconds for one try of one call: its answer, body included
        self.sleep = sleep
        self._token: tuple[str, float] | None = None
        self._token_lock = asyncio.Lock()
        self._session: aiohttp.ClientSession | None = None
        self.waited: list[float] = []  # the Retry-After waits honoured (seen by tests and logs)

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    # --- the token -------------------------------------------------------------------------------------

    async def token(self) -> str:
        async with self._token_lock:
            if self._token and self._token[1] > time.monotonic():
                return self._token[0]
            url = f"{self.authority}/{quote(self.tenant_id)}/oauth2/v2.0/token"
            form = {
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self._secret,
                "scope": self.scope,
            }
            data = await self._retrying("POST", url, lambda: self._http().post(url, data=form))
            token = data.get("access_token")
            if not isinstance(token, str) or not token:
                raise GraphError(401, "no_token", retry=True)
            try:
                lifetime = float(data.get("expires_in") or 3599)
            except (TypeError, ValueError):
                lifetime = 3599.0
            self._token = (token, time.monotonic() + max(60.0, lifetime - 300))
            return token

    # --- the calls ---------------------------------------------------------------------------------------

    async def call(
        self, method: str, path: str, body: dict[str, Any] | None = None, *, repeatable: bool = True
    ) -> dict[str, Any]:
        """One Graph call, retried as Graph asks. ``repeatable=False``: a call that must not be made twice
        (it creates something) is not sent again when its answer was lost (a timeout, a dropped connection)."""
        url = path if path.startswith("http") else f"{self.base_url}{path}"

        async def send():
            headers = {"Authorization": f"Bearer {await self.token()}"}
            return self._http().request(method, url, json=body, headers=headers)

        return await self._retrying(method, path, send, repeatable)

    async def _retrying(
        self, method: str, what: str, send: Callable[[], Any], repeatable: bool = True
    ) -> dict[str, Any]:
        for attempt in range(1, self.attempts + 1):
            last = attempt == self.attempts
            try:
                request = send()
                if asyncio.iscoroutine(request):
                    request = await request  # the token first, with its own tries
                async with asyncio.timeout(self.timeout), request as response:
                    status, headers, raw = response.status, response.headers, await response.read()
            except GraphError:
                raise
            except (aiohttp.ClientError, TimeoutError) as exc:
                sent = not isinstance(exc, aiohttp.ClientConnectorError)  # it may have reached Graph
                if last or (sent and not repeatable):
                    raise GraphError(0, type(exc).__name__, retry=True) from exc
                wait = self.backoff * 2 ** (attempt - 1)
            else:
                if status < 300:
                    return _json(status, raw)  # never sent again: the call may have done its work
                code = _code_of(raw)
                if status == 401 and self._token is not None and not last:
                    self._token = None  # expired early: a new token, once more
                    continue
                if status not in RETRIED:
                    raise GraphError(status, code)
                wait = _wait_of(headers, self.backoff * 2 ** (attempt - 1))
                if last or wait > self.longest_wait:
                    raise GraphError(status, code, retry=True)
            log.info("Graph %s %s: waiting %.1f s before try %d", method, route(what), wait, attempt + 1)
            self.waited.append(wait)
            await self.sleep(wait)
        raise GraphError(0, "unreachable", retry=True)  # pragma: no cover: the loop returns or raises

    # --- what leakbot asks of Graph ------------------------------------------------------------------------

    def user_bind(self, user_id: str) -> str:
        return f"{self.base_url}/users('{user_id}')"

    async def create_private_channel(
        self, team_id: str, name: str, description: str, owners: list[str], members: list[str]
    ) -> dict[str, Any]:
        """A private channel with ``owners`` (at least one: an app cannot create one without) and members.
        The answer has the channel's ``id``; it is not sent twice (a lost answer may have made it)."""
        people = [*dict.fromkeys(owners)]
        body = {
            "displayName": name,
            "description": description,
            "membershipType": "private",
            "members": [self._member(u, owner=True) for u in people]
            + [self._member(u) for u in dict.fromkeys(members) if u not in people],
        }
        created = await self.call("POST", f"/teams/{quote(team_id)}/channels", body, repeatable=False)
        _id_of(created)
        return created

    def _member(self, user_id: str, owner: bool = False) -> dict[str, Any]:
        return {
            "@odata.type": "#microsoft.graph.aadUserConversationMember",
            "user@odata.bind": self.user_bind(user_id),
            "roles": ["owner"] if owner else [],
        }

    async def find_channel(self, team_id: str, name: str) -> dict[str, Any] | None:
        where = quote("displayName eq '{}'".format(name.replace("'", "''")))
        found = await self.call("GET", f"/teams/{quote(team_id)}/channels?$filter={where}")
        channel = next(iter(_listed(found)), None)
        if channel is not None:
            _id_of(channel)
        return channel

    async def add_members(self, team_id: str, channel_id: str, user_ids: list[str]) -> list[tuple[str, str]]:
        """Everyone in one call (``members/add``); returns (user, error code) for those not added."""
        body = {"values": [self._member(u) for u in user_ids]}
        path = f"/teams/{quote(team_id)}/channels/{quote(channel_id)}/members/add"
        answer = await self.call("POST", path, body)
        failed = []
        for part in _listed(answer):
            if not isinstance(part, dict) or not isinstance(part.get("userId"), str | None):
                raise _malformed()
            error = part.get("error")
            if error:
                code = error.get("code") if isinstance(error, dict) else None
                failed.append((part.get("userId") or "", code if isinstance(code, str) else "error"))
            elif not part.get("userId"):
                raise _malformed()  # added, but who? We cannot tell the team who is in
        return failed

    async def archive_channel(self, team_id: str, channel_id: str, archived: bool = True) -> None:
        """``channel: archive`` (v1.0, ChannelSettings.ReadWrite.All): nobody posts, reacts or edits in it;
        its members keep reading it. Asynchronous on Graph's side (202). ``archived=False``: unarchive."""
        verb = "archive" if archived else "unarchive"
        await self.call("POST", f"/teams/{quote(team_id)}/channels/{quote(channel_id)}/{verb}", {})

    async def user(self, written: str) -> User | None:
        """A person by user principal name or object id, then by e-mail address; None when unknown."""
        try:
            found = await self.call("GET", f"/users/{quote(written)}?$select=id,displayName,mail")
        except GraphError as exc:
            if exc.status != 404:
                raise
            if "@" not in written:
                return None
            where = quote("mail eq '{}'".format(written.replace("'", "''")))
            listed = await self.call("GET", f"/users?$filter={where}&$select=id,displayName,mail")
            found = next(iter(_listed(listed)), None)
            if found is None:
                return None
        user_id = _id_of(found)
        name, mail = found.get("displayName"), found.get("mail")
        return User(user_id, name if isinstance(name, str) else "", mail if isinstance(mail, str) else "")

    async def catalog_app(self, external_id: str) -> str | None:
        """The app's id in the organization's app catalog, found by its manifest id; None when not there."""
        where = quote("externalId eq '{}'".format(external_id.replace("'", "''")))
        found = await self.call("GET", f"/appCatalogs/teamsApps?$filter={where}")
        app = next(iter(_listed(found)), None)
        return _id_of(app) if app is not None else None

    async def install_app(self, user_id: str, catalog_app_id: str) -> None:
        """The app in this person's personal scope, so the bot can start a 1:1 chat; already there is fine."""
        body = {"teamsApp@odata.bind": f"{self.base_url}/appCatalogs/teamsApps/{catalog_app_id}"}
        try:
            await self.call("POST", f"/users/{quote(user_id)}/teamwork/installedApps", body)
        except GraphError as exc:
            if exc.status != 409:
                raise

    async def create_event(self, user_id: str, event: dict[str, Any]) -> str:
        """An event in the user's default calendar (Calendars.ReadWrite); its id. Safe to send again when it
        carries a ``transactionId``: Graph does not make the same event twice."""
        return _id_of(await self.call("POST", f"/users/{quote(user_id)}/events", event))

    async def update_event(self, user_id: str, event_id: str, changes: dict[str, Any]) -> str:
        path = f"/users/{quote(user_id)}/events/{quote(event_id, safe='')}"
        return _id_of(await self.call("PATCH", path, changes))

    async def delete_event(self, user_id: str, event_id: str) -> None:
        """Deleted (an event without attendees has no one to send a cancellation to); gone already is fine."""
        try:
            await self.call("DELETE", f"/users/{quote(user_id)}/events/{quote(event_id, safe='')}")
        except GraphError as exc:
            if exc.status != 404:
                raise
