"""The bot keeps its connections to Slack open between Web API calls (issue 22): slack_sdk alone opens a new
session, and a new TCP and TLS connection, for every call, which costs every call a handshake with Slack and
the bot CPU under a burst."""

from __future__ import annotations

from collections import Counter

from adapters.fakes.slack_harness import SlackHarness


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
