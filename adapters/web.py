"""The one aiohttp application: /slack/events, /api/messages (Teams), /healthz and /metrics."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from adapters.metrics import Metrics
from bot.bootstrap import Core

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

CORE_KEY = web.AppKey("core", Core)
METRICS_KEY = web.AppKey("metrics", Metrics)


async def healthz(request: web.Request) -> web.Response:
    """Healthy when the database answers: it is the source of truth."""
    core = request.app[CORE_KEY]
    try:
        async with core.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:
        log.error("health check: database unreachable: %s", type(exc).__name__)
        return web.json_response({"status": "unhealthy", "database": "unreachable"}, status=503)
    return web.json_response({"status": "ok"})


async def metrics_view(request: web.Request) -> web.Response:
    body = generate_latest(request.app[METRICS_KEY].registry)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


def build_web_app(
    core: Core, metrics: Metrics, routes: dict[str, Handler], state: dict[str, object] | None = None
) -> web.Application:
    """``routes``: path → POST handler, from the platform adapters that are configured; ``state``: values
    a platform SDK expects on the application (the Agents SDK's JWT settings)."""
    app = web.Application(client_max_size=1024 * 1024)
    for key, value in (state or {}).items():
        app[key] = value
    app[CORE_KEY] = core
    app[METRICS_KEY] = metrics
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics_view)
    for path, handler in routes.items():
        app.router.add_post(path, handler)
    return app
