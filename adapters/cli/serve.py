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
from adapters.teams.bot import TeamsBot
from adapters.teams.settings import TeamsSettings
from adapters.web import build_web_app
from bot.bootstrap import build_core
from bot.config.org import ConfigError
from bot.config.settings import CoreSettings
from bot.playbook.loader import PlaybookError
from bot.scheduling.runner import ReminderRunner, worker_id

log = logging.getLogger("leakbot")


def _check(slack: SlackSettings, teams: TeamsSettings) -> None:
    if not slack.configured and not teams.configured:
        raise CliError(
            "cannot start: configure Slack (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET) or Teams (MICROSOFT_APP_ID …)"
        )
    problems = (slack.problems() if slack.configured else []) + (teams.problems() if teams.configured else [])
    if problems:
        raise CliError("cannot start: " + "; ".join(problems))


async def _serve(host: str, port: int) -> None:
    settings = CoreSettings()
    configure_logging(settings.log_level)
    slack, teams = SlackSettings(), TeamsSettings()
    _check(slack, teams)
    core = build_core(settings)
    metrics = Metrics()
    routes, state, notifiers = {}, {}, {}
    slack_app = None
    if slack.configured:
        slack_app = build_slack_app(core, slack, metrics)
        routes["/slack/events"] = slack_route(slack_app, metrics)
        notifiers["slack"] = SlackNotifier(core, slack_app.client)
    if teams.configured:
        bot = TeamsBot(core, teams, metrics)
        routes["/api/messages"] = bot.route()
        state["agent_configuration"] = bot.gateway.auth_config
        notifiers["teams"] = bot.notifier
        if teams.dev_mode:
            log.warning("Teams runs in development mode: inbound requests are not authenticated")
    app = build_web_app(core, metrics, routes, state)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    reminders = ReminderRunner(
        core.reminder_service(notifiers, worker_id()), sweep_seconds=settings.sweep_seconds
    )
    await reminders.start()
    core.incidents.after_commit.append(reminders.poke)
    socket_mode = None
    if slack_app is not None and slack.app_token is not None:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        socket_mode = AsyncSocketModeHandler(slack_app, slack.app_token.get_secret_value())
        await socket_mode.connect_async()
        log.info("Slack Socket Mode connected")
    log.info("leakbot listening on http://%s:%d (%s)", host, port, ", ".join(routes) or "no platform")
    try:
        await asyncio.Event().wait()
    finally:
        await reminders.stop()
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
    """Serve /slack/events and/or /api/messages (Teams), /healthz and /metrics."""
    try:
        asyncio.run(_serve(host, port))
    except (ConfigError, PlaybookError) as exc:
        raise CliError(f"cannot start: {exc}") from None
    except KeyboardInterrupt:
        pass
