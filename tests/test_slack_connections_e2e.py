"""The bot keeps its connections to Slack open between Web API calls (issue 22): slack_sdk alone opens a new
session, and a new TCP and TLS connection, for every call, which costs every call a handshake with Slack and
the bot CPU under a burst."""

from __future__ import annotations

import logging
from collections import Counter

from adapters.fakes.slack.server import TOKEN, FakeSlack
from adapters.fakes.slack_harness import SlackHarness
from adapters.slack.client import make_client


async def test_a_report_and_its_channel_travel_over_a_few_reused_connections(app: SlackHarness) -> None:
    await app.report("UREPORTER", "営業二課のCSVを外部へ誤送信", {"summary": "営業二課のCSVを外部へ誤送信"})
    await app.eventually(lambda: app.slack.channel_named("leak-20261201-0001"))
    await app.core.settle()
    for _ in range(3):  # one after another: each finds an idle connection to reuse
        await app.driver.command("UREPORTER", "")
    await app.eventually(lambda: len(app.slack.opened_views) == 4)

    calls = app.slack.connections
    assert None not in calls
    per_connection = Counter(calls)
    assert len(calls) >= 15  # the open, the channel, the invites, the posts, the three later modals
    assert len(per_connection) <= len(calls) // 3, per_connection
    assert per_connection.most_common(1)[0][1] >= 4


class Watched(str):
    """A value that counts how often something formats it for display (repr), as a debug message would."""

    formatted = 0

    def __repr__(self) -> str:
        Watched.formatted += 1
        return super().__repr__()


async def test_a_web_api_call_does_not_format_what_it_sends_into_a_dropped_debug_message() -> None:
    # slack_sdk formats every call's arguments (modal text people typed) and every response body into a debug
    # message whenever its logger has no level of its own, then drops it: CPU under a burst, for nothing.
    # As in a fresh `leakbot serve`, which configures logging before slack_sdk creates its loggers (other
    # tests in this worker may have held those loggers already).
    defaults = [logging.getLogger(f"slack_sdk.web.{name}") for name in ("async_base_client", "async_client")]
    levels = [logger.level for logger in defaults]
    for logger in defaults:
        logger.setLevel(logging.NOTSET)
    slack = FakeSlack()
    slack.add_user("UREPORTER", "reporter@example.co.jp")
    client = make_client(TOKEN, await slack.start())
    try:
        Watched.formatted = 0
        response = await client.users_info(user=Watched("UREPORTER"), include_locale=True)
        assert response["user"]["id"] == "UREPORTER"
        assert Watched.formatted == 0
    finally:
        await client.close()
        await slack.stop()
        for logger, level in zip(defaults, levels, strict=True):
            logger.setLevel(level)
