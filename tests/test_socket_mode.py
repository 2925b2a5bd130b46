"""Socket Mode end to end: `leakbot serve`'s own server (LeakbotServer) with SLACK_APP_TOKEN opens a
connection through apps.connections.open on the fake workspace, and a fake Socket Mode endpoint delivers
Slack's envelopes over a real WebSocket. Acknowledgements come back over the socket; the journey runs."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import text

from adapters.cli.serve import LeakbotServer
from adapters.fakes.slack.server import APP_TOKEN, TOKEN, FakeSlack
from adapters.fakes.slack_harness import modal_state
from adapters.fakes.socket_mode import FakeSocketMode
from adapters.slack.scopes import METHOD_SCOPES
from adapters.slack.settings import SlackSettings
from adapters.teams.settings import TeamsSettings
from bot.bootstrap import build_core
from bot.config.org import parse_org_config
from bot.config.settings import CoreSettings
from tests.conftest import PEOPLE, SLACK_ORG


async def eventually(check: Callable[[], Any], within: float = 10.0) -> Any:
    deadline = asyncio.get_running_loop().time() + within
    while True:
        try:
            result = check()
            if result:
                return result
        except (AssertionError, KeyError, StopIteration):
            pass
        assert asyncio.get_running_loop().time() < deadline, "the app did not get there in time"
        await asyncio.sleep(0.02)


async def incident_count(core) -> int:
    async with core.engine.connect() as conn:
        return (await conn.execute(text("SELECT count(*) FROM incidents"))).scalar_one()


@pytest.fixture
async def socket_app(clean_database, clock):
    slack = FakeSlack()
    await slack.start()
    for user, email in PEOPLE.items():
        slack.add_user(user, email)
    link = FakeSocketMode()
    await link.start()
    link.attach(slack)
    settings = CoreSettings(DATABASE_URL=clean_database)
    core = build_core(settings, clock=clock, org=parse_org_config(SLACK_ORG, "org.yaml"))
    slack_settings = SlackSettings(
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET="not-used-by-socket-mode",
        SLACK_APP_TOKEN=APP_TOKEN,
        LEAKBOT_SLACK_API_URL=slack.base_url,
        LEAKBOT_SLACK_RETRY_BACKOFF=0.01,
    )
    teams = TeamsSettings(MICROSOFT_APP_ID=None, LEAKBOT_TEAMS_DEV_MODE=False)
    server = LeakbotServer(settings, slack_settings, teams, core=core)
    try:
        async with asyncio.timeout(60):  # the Socket Mode client retries forever: a hang must fail the test
            await server.start("127.0.0.1", 0)
            await link.connected()
        yield SimpleNamespace(slack=slack, link=link, server=server, core=core)
    finally:
        async with asyncio.timeout(60):
            await server.stop()
            await link.stop()
            await slack.stop()
    assert slack.violations == [], "every call matched Slack's spec and Block Kit"
    assert link.violations == [], "every acknowledgement was one Slack accepts"


async def test_a_report_over_socket_mode(socket_app) -> None:
    slack, link = socket_app.slack, socket_app.link
    assert slack.calls_to("apps.connections.open"), "the connection URL came from the Web API"

    ack = await link.command("UREPORTER", "顧客リストを誤送信した")
    assert set(ack) == {"envelope_id"}, "a /leak that opens a modal is acknowledged with no payload"
    view = await eventually(lambda: slack.opened_views and slack.opened_views[-1])
    assert view["callback_id"]

    values = modal_state({"summary": "顧客リストを誤送信した", "persons": "1500"})
    ack = await link.submit_view("UREPORTER", view, values)
    assert ack["payload"]["response_action"] == "update", "the modal answer goes back over the socket"
    assert "LEAK-2026-0001" in json.dumps(ack["payload"]["view"], ensure_ascii=False)

    channel = await eventually(lambda: slack.channel_named("leak-20261201-0001"))
    assert channel.is_private
    await eventually(lambda: {"UCOMMANDER", "UIT", "ULEGAL"} <= channel.members)
    await eventually(lambda: slack.latest(channel.id, "LEAK-2026-0001"))
    assert await incident_count(socket_app.core) == 1

    # a click and a command answered with text, over the same socket
    message = await eventually(lambda: slack.latest(channel.id, "stepmenu:report_to_superior"))
    ack = await link.click("UCOMMANDER", message, channel.id, "step:report_to_superior:done")
    assert set(ack) == {"envelope_id"}
    await eventually(
        lambda: "✅" in json.dumps(slack.latest(channel.id, "report_to_superior"), ensure_ascii=False)
    )
    ack = await link.command("UREPORTER", "help")
    assert "/leak" in ack["payload"]["text"]

    # the audit: every Web API method the journey used is one adapters/slack/scopes.py accounts for
    used = {method for method, _ in slack.calls} - {"apps.connections.open"}
    assert used <= set(METHOD_SCOPES), used - set(METHOD_SCOPES)


async def test_an_event_is_acknowledged_without_a_payload(socket_app) -> None:
    slack, link = socket_app.slack, socket_app.link
    ack = await link.event({"type": "app_home_opened", "user": "ULEGAL", "channel": "DHOME", "tab": "home"})
    assert set(ack) == {"envelope_id"}
    await eventually(lambda: "ULEGAL" in slack.home_views)


async def test_another_workspace_over_socket_mode_gets_an_empty_ack(socket_app) -> None:
    slack, link = socket_app.slack, socket_app.link
    ack = await link.command("UREPORTER", "顧客リストを誤送信した", team="T0OTHERCO")
    assert set(ack) == {"envelope_id"}
    ack = await link.command("UREPORTER", "help", team="T0OTHERCO")
    assert set(ack) == {"envelope_id"}, "not even the help text"
    await asyncio.sleep(0.2)
    assert slack.calls_to("views.open") == []
    assert socket_app.server.installation.team_id == "T0LEAKBOT", "learned from auth.test at start"
