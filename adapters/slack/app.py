"""The slack-bolt AsyncApp: HTTP mode at /slack/events (signatures verified), or Socket Mode."""

from __future__ import annotations

import logging
import time
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

from adapters.metrics import Metrics
from adapters.slack.client import make_client
from adapters.slack.listeners import SlackListeners
from adapters.slack.settings import SlackSettings
from bot.bootstrap import Core

log = logging.getLogger(__name__)


async def _on_error(error: Exception, body: dict[str, Any], logger: logging.Logger) -> None:
    """Log without the payload (it may hold personal data); nothing of it reaches a chat."""
    logger.error("a Slack listener failed: %s", type(error).__name__, exc_info=error)


def build_slack_app(core: Core, settings: SlackSettings, metrics: Metrics) -> AsyncApp:
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
    SlackListeners(core, app, metrics).register(app)
    return app


def slack_route(app: AsyncApp, metrics: Metrics):
    async def handle(request: web.Request) -> web.Response:
        started = time.perf_counter()
        response = await app.async_dispatch(await to_bolt_request(request))
        metrics.ack_latency.labels("slack").observe(time.perf_counter() - started)
        return await to_aiohttp_response(response)

    return handle
