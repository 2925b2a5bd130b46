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
        api_url = await self.slack.start()
        settings = CoreSettings(DATABASE_URL=self.database_url, LEAKBOT_PLAYBOOKS_DIR=self.playbooks_dir)
        self.core = build_core(settings, clock=self.clock, org=self.org)
        slack_settings = SlackSettings(
            SLACK_BOT_TOKEN=TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            LEAKBOT_SLACK_API_URL=api_url,
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
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.driver.close()
        if self._runner is not None:
            await self._runner.cleanup()
        await self.core.close()
        await self.bolt.client.close()
        await self.slack.stop()

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
        elif block_id in ("data_items", "sensitive_kinds"):
            element = {"type": "multi_static_select", "selected_options": [{"value": v} for v in value]}
        elif block_id in ("cause",):
            element = {"type": "static_select", "selected_option": {"value": value} if value else None}
        elif block_id == "confirmed":
            element = {"type": "radio_buttons", "selected_option": {"value": value}}
        elif block_id == "discovered_on":
            element = {"type": "datepicker", "selected_date": value}
        elif block_id == "discovered_time":
            element = {"type": "timepicker", "selected_time": value}
        else:
            element = {"type": "plain_text_input", "value": value}
        state[block_id] = {"value": element}
    return state
