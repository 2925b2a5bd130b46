"""The slack-bolt AsyncApp: HTTP mode at /slack/events (signatures verified), or Socket Mode.

Two guards run before any listener, for both modes:
- the route refuses a malformed HTTP request with a 4xx (never a 500) before bolt parses it;
- a global middleware refuses, with an empty acknowledgement and no effect, a request from a workspace or
  Enterprise Grid org other than the one the bot token belongs to (learned from auth.test).
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from adapters.metrics import Metrics
from adapters.slack.client import make_client
from adapters.slack.listeners import SlackListeners
from adapters.slack.platform import SlackPlatform
from adapters.slack.settings import SlackSettings
from bot.bootstrap import Core

log = logging.getLogger(__name__)
PLATFORM = "slack"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
TIMESTAMP = re.compile(r"^[0-9]{1,12}$")  # ASCII digits only: int() would also read other scripts' digits


@dataclass
class Installation:
    """The workspace (and Enterprise Grid org, if any) the bot token belongs to, from auth.test.

    ``leakbot serve`` fills it at start; until then (an app built without serve) the middleware uses what
    bolt learned from its own auth.test of the same token."""

    team_id: str | None = None
    enterprise_id: str | None = None

    @property
    def known(self) -> bool:
        return self.team_id is not None

    def learn(self, auth_test: dict[str, Any]) -> None:
        self.team_id = auth_test.get("team_id") or None
        self.enterprise_id = auth_test.get("enterprise_id") or None


async def _on_error(error: Exception, body: dict[str, Any], logger: logging.Logger) -> None:
    """Log without the payload (it may hold personal data); nothing of it reaches a chat."""
    logger.error("a Slack listener failed: %s", type(error).__name__, exc_info=error)


def build_slack_app(
    core: Core, settings: SlackSettings, metrics: Metrics, installation: Installation | None = None
) -> AsyncApp:
    problems = settings.problems()
    if problems:
        raise RuntimeError("; ".join(problems))
    assert settings.bot_token is not None and settings.signing_secret is not None
    client = make_client(
        settings.bot_token.get_secret_value(), settings.api_url, metrics, settings.retry_backoff
    )
    app = AsyncApp(
        client=client,
        signing_secret=settings.signing_secret.get_secret_value(),
        raise_error_for_unhandled_request=False,
    )
    app.error(_on_error)
    app.use(only_the_installed_workspace(installation or Installation(), metrics))
    SlackListeners(core, app, metrics).register(app)
    core.journey.add_platform(SlackPlatform(app.client))
    return app


# --- another workspace or org ------------------------------------------------------------------------------


def _ids(body: dict[str, Any], key: str) -> set[str]:
    """``key`` ("team" or "enterprise") ids a request names: ``<key>_id`` and ``<key>.id`` at the top,
    and ``team.enterprise_id`` (view submissions from a Grid org)."""
    found: list[Any] = [body.get(f"{key}_id")]
    nested = body.get(key)
    found.append(nested.get("id") if isinstance(nested, dict) else nested)
    team = body.get("team")
    if key == "enterprise" and isinstance(team, dict):
        found.append(team.get("enterprise_id"))
    # anything that is not a string id (a list, a number) cannot be the installed workspace
    return {
        value if isinstance(value, str) else "<invalid>"
        for value in found
        if value is not None and value != ""
    }


def foreign(body: dict[str, Any], installation: Installation) -> str | None:
    """Why a request does not come from the installed workspace, or None when it does."""
    teams, enterprises = _ids(body, "team"), _ids(body, "enterprise")
    if not teams:
        return "no_workspace"
    if teams != {installation.team_id}:
        return "foreign_workspace"
    if enterprises - {installation.enterprise_id}:
        return "foreign_org"
    return None


def _kind(body: dict[str, Any]) -> str:
    if "command" in body:
        return "command"
    kind = body.get("type")
    return kind if isinstance(kind, str) and re.fullmatch(r"[a-z_]{1,40}", kind) else "other"


def only_the_installed_workspace(
    installation: Installation, metrics: Metrics
) -> Callable[..., Awaitable[BoltResponse]]:
    async def middleware(
        req: AsyncBoltRequest, resp: BoltResponse, next: Callable[[], Awaitable[BoltResponse]]
    ) -> BoltResponse:
        installed = installation
        if not installed.known:
            authorized = req.context.authorize_result
            installed = Installation(
                authorized.team_id if authorized else None, authorized.enterprise_id if authorized else None
            )
        reason = foreign(req.body, installed)
        if reason is None:
            return await next()
        metrics.refused.labels(PLATFORM, reason).inc()
        # Workspace and org ids identify companies, not people; no user id, no text, no payload.
        log.warning(
            "refused a Slack %s from outside the installed workspace (%s: team %s, enterprise %s)",
            _kind(req.body),
            reason,
            ",".join(sorted(_ids(req.body, "team"))) or "-",
            ",".join(sorted(_ids(req.body, "enterprise"))) or "-",
        )
        return BoltResponse(status=200, body="")  # acknowledged: Slack shows nothing, nothing happened

    return middleware


# --- HTTP ---------------------------------------------------------------------------------------------------


class Malformed(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def _json_object(text: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        raise Malformed(400, f"{what} is not JSON") from None
    if not isinstance(value, dict):
        raise Malformed(400, f"{what} is not a JSON object")
    return value


async def check_well_formed(request: web.Request) -> None:
    """Raise Malformed for what Slack never sends and bolt would answer with a 500: a timestamp header
    that is not a number, a body that is neither a form nor JSON, a ``payload`` that is not a JSON object.
    A missing or wrong signature is left to bolt (401)."""
    timestamp = request.headers.get("X-Slack-Request-Timestamp")
    if timestamp is not None and not TIMESTAMP.match(timestamp):
        raise Malformed(400, "X-Slack-Request-Timestamp is not a number")
    signature = request.headers.get("X-Slack-Signature")
    if signature is not None and not signature.isascii():
        raise Malformed(400, "X-Slack-Signature is not ASCII")
    raw = await request.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Malformed(400, "the body is not UTF-8") from None
    if request.content_type not in (FORM, JSON):
        raise Malformed(415, "the body is neither a form nor JSON")
    if request.content_type == JSON or text.startswith("{"):  # how bolt decides to read JSON
        _json_object(text, "the body")
        return
    form = dict(parse_qsl(text, keep_blank_values=True))
    if "payload" in form:
        _json_object(form["payload"], "payload")


def slack_route(app: AsyncApp, metrics: Metrics):
    async def handle(request: web.Request) -> web.Response:
        started = time.perf_counter()
        try:
            await check_well_formed(request)
        except Malformed as bad:
            metrics.refused.labels(PLATFORM, "malformed").inc()
            log.warning("refused a malformed Slack request: %s", bad.reason)
            return web.json_response({"ok": False, "error": bad.reason}, status=bad.status)
        response = await app.async_dispatch(await to_bolt_request(request))
        metrics.ack_latency.labels(PLATFORM).observe(time.perf_counter() - started)
        return await to_aiohttp_response(response)

    return handle
