"""Deadline pings Slack posts even when leakbot is down (issue 22), end to end: the real app over HTTP
against the fake Slack, which holds scheduled messages and posts them when its clock (the app's fake clock)
passes their time, whether leakbot runs or not."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from bot.appi.deadlines import JST
from tests.test_slack_e2e import opened

PRELIMINARY_MORNING = datetime(2026, 12, 5, 9, 0, tzinfo=JST)  # the 速報 target's due-day morning
FINAL_MORNING = datetime(2027, 1, 4, 9, 0, tzinfo=JST)


def pending(app, channel_id: str) -> list[tuple[datetime, str]]:
    return [
        (datetime.fromtimestamp(s.post_at, JST), json.dumps(s.args, ensure_ascii=False))
        for s in app.slack.pending_in(channel_id)
    ]


def about(messages: list[dict], words: str) -> list[dict]:
    return [m for m in messages if words in json.dumps(m, ensure_ascii=False)]


async def test_each_legal_deadline_is_scheduled_in_the_channel_and_deleted_on_close(app) -> None:
    channel = await opened(app, persons="5000")
    held = pending(app, channel.id)
    assert [when for when, _ in held] == [PRELIMINARY_MORNING, FINAL_MORNING]
    assert "速報" in held[0][1] and "LEAK-2026-0001" in held[0][1] and "本日" in held[0][1]
    assert "確報" in held[1][1]
    await app.driver.command("UCOMMANDER", "close", channel=channel.id)
    await app.eventually(lambda: app.slack.latest(channel.id, "クローズしました"))
    await app.core.settle()
    assert pending(app, channel.id) == [], "a closed incident leaves nothing for Slack to post"
    assert len(app.slack.calls_to("chat.deleteScheduledMessage")) == 2


async def test_a_deadline_ping_is_posted_by_slack_while_leakbot_is_down_and_not_again_after(
    app, clock
) -> None:
    channel = await opened(app, persons="5000")
    reminders = app.core.reminder_service({"slack": app.notifier()}, "test")
    await reminders.sweep()  # the 速報's "opened" ping, while leakbot runs
    await app.stop_app()  # leakbot is down
    assert [w for w, _ in pending(app, channel.id)] == [PRELIMINARY_MORNING, FINAL_MORNING], "Slack holds"
    before = len(app.slack.messages[channel.id])

    clock.set(PRELIMINARY_MORNING + timedelta(hours=2))  # the due-day morning passes with leakbot down
    app.slack.deliver_due()
    posted = about(app.slack.messages[channel.id][before:], "速報")
    assert len(posted) == 1 and "⏰" in posted[0]["text"] + json.dumps(posted[0], ensure_ascii=False)

    await app.start_app()  # back, on the same database
    reminders = app.core.reminder_service({"slack": app.notifier()}, "test")
    result = await reminders.sweep()
    await app.core.journey.resume()
    await app.core.settle()
    assert result.suppressed >= 1
    pings = about(app.slack.messages[channel.id][before:], "速報")
    assert len(pings) == 1, "exactly one ping about the 速報 in the channel: Slack's"
    executive = next(cid for cid, c in app.slack.channels.items() if c.is_im and "UEXEC" in c.members)
    assert about(app.slack.messages[executive], "停止していた間"), "the executives hear it from leakbot"
    assert [when for when, _ in pending(app, channel.id)] == [FINAL_MORNING], "the 確報's still held"
