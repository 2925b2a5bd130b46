"""`leakbot serve`: the web application with every configured platform.

``LeakbotServer`` is the whole of it (checks, web app, reminders, Slack Socket Mode); the command only
builds one from the environment and runs it until interrupted. Tests drive the same class.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os

import aiohttp
import click
from aiohttp import web
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.cli.database import core_settings, database_errors
from adapters.cli.errors import CliError
from adapters.logging_setup import configure_logging
from adapters.metrics import Metrics
from adapters.slack.app import Installation, build_slack_app, slack_route
from adapters.slack.scopes import granted_scopes, missing_scopes
from adapters.slack.settings import SlackSettings
from adapters.teams.bot import TeamsBot
from adapters.teams.settings import TeamsSettings
from adapters.web import build_web_app
from bot.appi.calendar import warm as warm_calendar
from bot.bootstrap import Core, build_core
from bot.config.org import ConfigError
from bot.config.settings import CoreSettings
from bot.playbook.loader import PlaybookError
from bot.scheduling.runner import ReminderRunner
from bot.storage import migrate
from bot.storage.crypto import DataKeyError
from bot.storage.keycheck import KeyRefused, check_keys

log = logging.getLogger("leakbot")

# auth.test errors that mean the token itself is wrong (not that Slack is briefly unreachable).
TOKEN_REFUSED = {
    "invalid_auth",
    "not_authed",
    "token_revoked",
    "token_expired",
    "account_inactive",
    "not_allowed_token_type",
}


def _check(slack: SlackSettings, teams: TeamsSettings) -> None:
    if not slack.configured and not teams.configured:
        raise CliError(
            "cannot start: configure Slack (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET) or Teams (MICROSOFT_APP_ID …)"
        )
    problems = (slack.problems() if slack.configured else []) + (teams.problems() if teams.configured else [])
    if problems:
        raise CliError("cannot start: " + "; ".join(problems))


async def check_slack_token(client: AsyncWebClient, installation: Installation) -> None:
    """auth.test at start: the bot token works and was granted every scope the manifest asks for (named in
    one line if not, instead of a missing_scope mid-incident); learns the installed workspace and org.

    When Slack does not answer (network, 5xx after retries) the start goes on with a warning: the other
    platform keeps working, and bolt learns the workspace from its own auth.test on the first request."""
    try:
        response = await client.auth_test()
    except SlackApiError as exc:
        error = str(exc.response.get("error", "unknown")) if exc.response else "unknown"
        if error in TOKEN_REFUSED:
            raise CliError(f"cannot start: Slack refused SLACK_BOT_TOKEN ({error})") from None
        log.warning("could not check the Slack bot token at start: auth.test answered %s", error)
        return
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        log.warning(
            "could not check the Slack bot token at start: Slack did not answer (%s)", type(exc).__name__
        )
        return
    installation.learn(response.data if isinstance(response.data, dict) else {})
    granted = granted_scopes(response.headers)
    if granted is None:
        log.warning(
            "Slack did not say which scopes the bot token has (no x-oauth-scopes header): not checked"
        )
        return
    missing = missing_scopes(granted)
    if missing:
        raise CliError(
            "cannot start: the Slack bot token lacks the scope"
            + ("s " if len(missing) > 1 else " ")
            + ", ".join(missing)
            + " that adapters/slack/manifest.yml asks for; add it under OAuth & Permissions and reinstall the app"
        )
    log.info("Slack bot token checked: workspace %s, every scope the manifest asks for", installation.team_id)


async def check_app_token(client: AsyncWebClient, app_token: str) -> None:
    """A Socket Mode app token Slack refuses stops the start (the client would otherwise retry forever)."""
    try:
        await client.apps_connections_open(app_token=app_token)
    except SlackApiError as exc:
        error = str(exc.response.get("error", "unknown")) if exc.response else "unknown"
        if error in TOKEN_REFUSED:
            raise CliError(
                f"cannot start: Slack refused SLACK_APP_TOKEN ({error}); it must be an app-level token "
                "(xapp-…) with connections:write"
            ) from None
    except (aiohttp.ClientError, OSError, TimeoutError):
        pass  # Slack unreachable: the Socket Mode client keeps trying


class LeakbotServer:
    """Everything `leakbot serve` runs. ``core`` may be given (tests pass their clock and org config)."""

    def __init__(
        self,
        settings: CoreSettings,
        slack: SlackSettings,
        teams: TeamsSettings,
        *,
        core: Core | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.settings = settings
        self.slack_settings = slack
        self.teams_settings = teams
        self.core = core
        self.metrics = metrics or Metrics()
        self.installation = Installation()
        self.slack_app = None
        self.socket_mode = None
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._reminders: ReminderRunner | None = None
        self._teams: TeamsBot | None = None

    async def start(self, host: str, port: int) -> None:
        slack, teams = self.slack_settings, self.teams_settings
        _check(slack, teams)
        if self.core is None:
            self.core = build_core(self.settings)
        core = self.core
        with database_errors(self.settings, "use"):  # no schema, or an older one: run `leakbot db upgrade`
            await migrate.check_schema(core.engine)
            try:  # the wrong key, or none outside development mode: one line, nothing read or written
                keys = await check_keys(
                    core.engine,
                    self.settings.keyring(),
                    dev_insecure=self.settings.dev_insecure,
                    writes=True,
                )
            except KeyRefused as exc:
                raise CliError(f"cannot start: {exc}") from None
        for note in keys.notes:
            log.warning("%s", note)
        routes, state, notifiers = {}, {}, {}
        if slack.configured:
            self.slack_app = build_slack_app(core, slack, self.metrics, self.installation)
            await check_slack_token(self.slack_app.client, self.installation)
            if slack.app_token is not None:
                await check_app_token(self.slack_app.client, slack.app_token.get_secret_value())
            routes["/slack/events"] = slack_route(self.slack_app, self.metrics)
            notifiers["slack"] = core.notifiers()["slack"]
        if teams.configured:
            bot = self._teams = TeamsBot(core, teams, self.metrics)
            routes["/api/messages"] = bot.route()
            state["agent_configuration"] = bot.gateway.auth_config
            notifiers["teams"] = bot.notifier
            if teams.dev_mode:
                log.warning("Teams runs in development mode: inbound requests are not authenticated")
        app = build_web_app(core, self.metrics, routes, state)
        warm_calendar(core.clock.now().date())
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1] if site._server else port
        self._reminders = ReminderRunner(
            core.reminder_service(notifiers, core.worker),
            sweep_seconds=self.settings.sweep_seconds,
            resume=core.journey.resume,
            daily=[("purge", core.org.retention.purge_time, lambda: core.incidents.run_purge(core.worker))],
        )
        await self._reminders.start()
        core.incidents.after_commit.append(self._reminders.poke)
        if self.slack_app is not None and slack.app_token is not None:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            self.socket_mode = AsyncSocketModeHandler(self.slack_app, slack.app_token.get_secret_value())
            await self.socket_mode.connect_async()
            log.info("Slack Socket Mode connected")
        log.info(
            "leakbot listening on http://%s:%d (%s)", host, self.port, ", ".join(routes) or "no platform"
        )

    async def stop(self) -> None:
        """Inbound first (Socket Mode, then HTTP, which lets answers in flight finish), then the reminders
        (waiting a little for a sweep in flight), then the database, then the Slack client's connections."""
        if self.socket_mode is not None:
            await self.socket_mode.close_async()
        if self._runner is not None:
            await self._runner.cleanup()
        if self._reminders is not None:
            if self.core is not None and self._reminders.poke in self.core.incidents.after_commit:
                self.core.incidents.after_commit.remove(self._reminders.poke)
            await self._reminders.stop()  # a sweep in flight gets 10 s to finish
        if self._teams is not None:
            await self._teams.close()  # its Graph session
        if self.core is not None:
            await self.core.close()
        if self.slack_app is not None:
            await self.slack_app.client.close()  # its connections to Slack, after everything that posts


async def _serve(settings: CoreSettings, host: str, port: int) -> None:
    configure_logging(settings.log_level)
    server = LeakbotServer(settings, SlackSettings(), TeamsSettings())
    try:
        await server.start(host, port)
        # What start-up built (modules, playbooks, the catalog, the app) lives as long as the process: keep it
        # out of the cyclic collector, whose full collections would otherwise scan it all while every request
        # in flight waits (0.15-0.3 s each on the 2-core bench machine, bench/ack.py).
        gc.collect()
        gc.freeze()
        await asyncio.Event().wait()
    finally:
        await server.stop()


@click.command("serve")
@click.option(
    "--host",
    default=lambda: os.environ.get("LEAKBOT_HOST", "0.0.0.0"),  # noqa: S104
    show_default="LEAKBOT_HOST, else 0.0.0.0",
    help="The address to listen on.",
)
@click.option(
    "--port",
    type=int,
    default=lambda: int(os.environ.get("LEAKBOT_PORT", "3000")),
    show_default="LEAKBOT_PORT, else 3000",
    help="The port to listen on.",
)
def serve(host: str, port: int) -> None:
    """Serve /slack/events and/or /api/messages (Teams), /healthz and /metrics."""
    settings = core_settings()
    try:
        asyncio.run(_serve(settings, host, port))
    except (ConfigError, PlaybookError, DataKeyError) as exc:
        raise CliError(f"cannot start: {exc}") from None
    except KeyboardInterrupt:
        pass
