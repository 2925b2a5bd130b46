"""A small Microsoft Graph client: plain aiohttp, an app-only token by the OAuth 2.0 client-credentials grant,
and only the calls leakbot needs (private channels, their members, users, the app installed for a user).

Throttling is honoured: a 429 (or 503) waits for its Retry-After, a server error or a lost connection backs
off, a bounded number of times; then the call fails with ``GraphError`` (``retry=True``), and the caller
falls back. See docs/decisions.md for why this is not msgraph-sdk.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import aiohttp

log = logging.getLogger(__name__)
RETRIED = {429, 500, 502, 503, 504}
GRAPH = "https://graph.microsoft.com/v1.0"


class GraphError(Exception):
    """A Graph call that failed: ``status`` (0: no answer), Graph's error ``code``, and whether trying
    again later may help."""

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
        self.sleep = sleep
        self._token: tuple[str, float] | None = None
        self._token_lock = asyncio.Lock()
        self._session: aiohttp.ClientSession | None = None
        self.waited: list[float] = []  # the Retry-After waits honoured (seen by tests and logs)

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
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
            if not isinstance(token, str):
                raise GraphError(401, "no_token")
            lifetime = float(data.get("expires_in") or 3599)
            self._token = (token, time.monotonic() + max(60.0, lifetime - 300))
            return token

    # --- the calls ---------------------------------------------------------------------------------------

    async def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        url = path if path.startswith("http") else f"{self.base_url}{path}"

        async def send():
            headers = {"Authorization": f"Bearer {await self.token()}"}
            return self._http().request(method, url, json=body, headers=headers)

        return await self._retrying(method, path, send)

    async def _retrying(self, method: str, what: str, send: Callable[[], Any]) -> dict[str, Any]:
        for attempt in range(1, self.attempts + 1):
            last = attempt == self.attempts
            try:
                request = send()
                if asyncio.iscoroutine(request):
                    request = await request
                async with request as response:
                    if response.status < 300:
                        return await response.json() if response.content_length != 0 else {}
                    try:
                        error = (await response.json()).get("error") or {}
                    except (aiohttp.ContentTypeError, ValueError):
                        error = {}
                    code = (error.get("code") if isinstance(error, dict) else str(error)) or "error"
                    if response.status == 401 and self._token is not None and not last:
                        self._token = None  # expired early: a new token, once more
                        continue
                    if response.status not in RETRIED:
                        raise GraphError(response.status, code)
                    wait = _wait_of(response.headers, self.backoff * 2 ** (attempt - 1))
                    if last or wait > self.longest_wait:
                        raise GraphError(response.status, code, retry=True)
            except (aiohttp.ClientConnectionError, TimeoutError) as exc:
                if last:
                    raise GraphError(0, type(exc).__name__, retry=True) from exc
                wait = self.backoff * 2 ** (attempt - 1)
            log.info(
                "Graph %s %s: waiting %.1f s before try %d", method, what.split("?")[0], wait, attempt + 1
            )
            self.waited.append(wait)
            await self.sleep(wait)
        raise GraphError(0, "unreachable", retry=True)  # pragma: no cover: the loop returns or raises

    # --- what leakbot asks of Graph ------------------------------------------------------------------------

    def user_bind(self, user_id: str) -> str:
        return f"{self.base_url}/users('{user_id}')"

    async def create_private_channel(
        self, team_id: str, name: str, description: str, owners: list[str], members: list[str]
    ) -> dict[str, Any]:
        """A private channel with ``owners`` (at least one: an app cannot create one without) and members."""
        people = [*dict.fromkeys(owners)]
        body = {
            "displayName": name,
            "description": description,
            "membershipType": "private",
            "members": [self._member(u, owner=True) for u in people]
            + [self._member(u) for u in dict.fromkeys(members) if u not in people],
        }
        return await self.call("POST", f"/teams/{quote(team_id)}/channels", body)

    def _member(self, user_id: str, owner: bool = False) -> dict[str, Any]:
        return {
            "@odata.type": "#microsoft.graph.aadUserConversationMember",
            "user@odata.bind": self.user_bind(user_id),
            "roles": ["owner"] if owner else [],
        }

    async def find_channel(self, team_id: str, name: str) -> dict[str, Any] | None:
        where = quote("displayName eq '{}'".format(name.replace("'", "''")))
        found = await self.call("GET", f"/teams/{quote(team_id)}/channels?$filter={where}")
        return next(iter(found.get("value") or []), None)

    async def add_members(self, team_id: str, channel_id: str, user_ids: list[str]) -> list[tuple[str, str]]:
        """Everyone in one call (``members/add``); returns (user, error code) for those not added."""
        body = {"values": [self._member(u) for u in user_ids]}
        path = f"/teams/{quote(team_id)}/channels/{quote(channel_id)}/members/add"
        answer = await self.call("POST", path, body)
        failed = []
        for part in answer.get("value") or []:
            error = part.get("error")
            if error:
                failed.append((part.get("userId") or "", (error or {}).get("code") or "error"))
        return failed

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
            found = next(iter(listed.get("value") or []), None)
            if found is None:
                return None
        return User(found["id"], found.get("displayName") or "", found.get("mail") or "")

    async def install_app(self, user_id: str, catalog_app_id: str) -> None:
        """The app in this person's personal scope, so the bot can start a 1:1 chat; already there is fine."""
        body = {"teamsApp@odata.bind": f"{self.base_url}/appCatalogs/teamsApps/{catalog_app_id}"}
        try:
            await self.call("POST", f"/users/{quote(user_id)}/teamwork/installedApps", body)
        except GraphError as exc:
            if exc.status != 409:
                raise
