"""`leakbot serve`: the web application with every configured platform."""

from __future__ import annotations

import asyncio
import logging
import os

import click
from aiohttp import web

from adapters.cli.errors import CliError
from adapters.logging_setup import configure_logging
from adapters.metrics import Metrics
from adapters.slack.app import build_slack_app, slack_route
from adapters.slack.notifier import SlackNotifier
from adapters.slack.settings import SlackSettings
from adapters.web import build_web_app
from bot.bootstrap import build_core
from bot.config.org import ConfigError
from bot.config.settings import CoreSettings
from bot.playbook.loader import PlaybookError
from bot.scheduling.runner import ReminderRunner, worker_id

log = logging.getLogger("leakbot")


async def _serve(host: str, port: int) -> None:
    settings = CoreSettings()
    configure_logging(settings.log_level)
    slack = SlackSettings()
    if slack.problems():
        raise CliError("cannot start: " + "; ".join(slack.problems()))
    core = build_core(settings)
    metrics = Metrics()
    slack_app = build_slack_app(core, slack, metrics)
    app = build_web_app(core, metrics, {"/slack/events": slack_route(slack_app, metrics)})
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    runner_ = ReminderRunner(
        core.reminder_service({"slack": SlackNotifier(core, slack_app.client)}, worker_id()),
        sweep_seconds=settings.sweep_seconds,
    )
    await runner_.start()
    core.incidents.after_commit.append(runner_.poke)
    socket_mode = None
    if slack.app_token is not None:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        socket_mode = AsyncSocketModeHandler(slack_app, slack.app_token.get_secret_value())
        await socket_mode.connect_async()
        log.info("Slack Socket Mode connected")
    log.info("leakbot listening on http://%s:%d", host, port)
    try:
        await asyncio.Event().wait()
    finally:
        await runner_.stop()
        if socket_mode is not None:
            await socket_mode.close_async()
        await runner.cleanup()
        await core.close()


@click.command("serve")
@click.option("--host", default=lambda: os.environ.get("LEAKBOT_HOST", "0.0.0.0"), show_default="0.0.0.0")  # noqa: S104
@click.option(
    "--port", type=int, default=lambda: int(os.environ.get("LEAKBOT_PORT", "3000")), show_default="3000"
)
def serve(host: str, port: int) -> None:
    """Serve /slack/events, /healthz and /metrics (and Socket Mode when SLACK_APP_TOKEN is set)."""
    try:
        asyncio.run(_serve(host, port))
    except (ConfigError, PlaybookError) as exc:
        raise CliError(f"cannot start: {exc}") from None
    except KeyboardInterrupt:
        pass
