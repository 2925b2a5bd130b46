"""The real leakbot app (aiohttp + slack-bolt + core + database) on 127.0.0.1, wired to the fake Slack
workspace. Used by the end-to-end tests and by `leakbot demo`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from aiohttp import web

from adapters.fakes.slack.server import TOKEN, FakeSlack
from adapters.fakes.slack_driver import SlackDriver
from adapters.logging_setup import quiet_payload_loggers
from adapters.metrics import Metrics
from adapters.slack.app import build_slack_app, slack_route
from adapters.slack.settings import SlackSettings
from adapters.web import build_web_app
from bot.bootstrap import Core, build_core
from bot.clock import Clock
from bot.config.org import OrgConfig
from bot.config.settings import CoreSettings
from bot.reminders.delivery import Notifier

SIGNING_SECRET = "test-signing-secret"


class SlackHarness:
    def __init__(
        self, database_url: str, org: OrgConfig, clock: Clock | None = None, playbooks_dir: str | None = None
    ):
        self.database_url = database_url
        self.org = org
        self.clock = clock
        self.playbooks_dir = playbooks_dir
        self.slack = FakeSlack()
        self.metrics = Metrics()
        self.core: Core
        self.driver: SlackDriver
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> SlackHarness:
        await self.slack.start()
        if self.clock is not None:  # Slack's own clock (scheduled messages) is the app's
            clock = self.clock
            self.slack.now = lambda: clock.now().timestamp()
        await self.start_app()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop_app()
        await self.slack.stop()

    async def start_app(self) -> None:
        """leakbot itself (core, Bolt, the HTTP server) against the running fake Slack: again after
        ``stop_app``, on the same database, as a restart."""
        settings = CoreSettings(DATABASE_URL=self.database_url, LEAKBOT_PLAYBOOKS_DIR=self.playbooks_dir)
        self.core = build_core(settings, clock=self.clock, org=self.org)
        slack_settings = SlackSettings(
            SLACK_BOT_TOKEN=TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            LEAKBOT_SLACK_API_URL=self.slack.base_url,
            LEAKBOT_SLACK_RETRY_BACKOFF=0.01,
        )
        self.bolt = build_slack_app(self.core, slack_settings, self.metrics)
        quiet_payload_loggers()  # after the app: slack-bolt gives its new loggers the root's level
        app = build_web_app(self.core, self.metrics, {"/slack/events": slack_route(self.bolt, self.metrics)})
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self.driver = SlackDriver(self.url, SIGNING_SECRET)

    async def stop_app(self) -> None:
        """leakbot stops; the fake Slack goes on (and posts what was scheduled when its time comes)."""
        await self.driver.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self.core.close()
        await self.bolt.client.close()  # the app's kept-alive session to the Web API

    def notifier(self) -> Notifier:
        return self.core.notifiers()["slack"]

    async def eventually(self, check: Callable[[], Any], within: float = 10.0) -> Any:
        """Wait for work the app does after acknowledging (Slack's 3-second rule)."""
        deadline = asyncio.get_running_loop().time() + within
        while True:
            try:
                result = check()
                if result:
                    return result
            except (AssertionError, KeyError, IndexError, StopIteration):
                pass
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError("the app did not get there in time")
            await asyncio.sleep(0.02)

    # --- the journey's moves -----------------------------------------------------------------------------

    async def report(self, user: str, text: str = "", values: dict | None = None) -> tuple[int, str, dict]:
        """/leak, then submit the modal the bot opened with ``values`` (field → raw value)."""
        before = len(self.slack.opened_views)
        status, _ = await self.driver.command(user, text)
        assert status == 200
        view = await self.eventually(
            lambda: len(self.slack.opened_views) > before and self.slack.opened_views[-1]
        )
        status, body = await self.driver.submit_view(user, view, modal_state(values or {"summary": text}))
        return status, body, view


def modal_state(values: dict[str, Any]) -> dict[str, dict]:
    """Slack's view.state.values for the report and facts modals, from plain field values."""
    state: dict[str, dict] = {}
    for block_id, value in values.items():
        if block_id in ("involvement", "flags"):
            element = {"type": "checkboxes", "selected_options": [{"value": v} for v in value]}
        elif block_id in ("data_items", "sensitive_kinds", "jurisdictions", "establishments"):
            element = {"type": "multi_static_select", "selected_options": [{"value": v} for v in value]}
        elif block_id in ("cause", "risk", "high_risk", "significant_harm", "serious_harm"):
            element = {"type": "static_select", "selected_option": {"value": value} if value else None}
        elif block_id == "confirmed":
            element = {"type": "radio_buttons", "selected_option": {"value": value}}
        elif block_id in ("discovered_on", "assessed_on"):
            element = {"type": "datepicker", "selected_date": value}
        elif block_id in ("discovered_time", "assessed_time"):
            element = {"type": "timepicker", "selected_time": value}
        else:
            element = {"type": "plain_text_input", "value": value}
        state[block_id] = {"value": element}
    return state
