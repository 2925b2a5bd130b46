"""Reminders on Slack end to end: the real notifier through the real client to the fake workspace,
time moved by a fake clock."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.services.ports import OPERATOR
from tests.test_slack_e2e import opened


def dm_channel(app, user: str) -> str:
    return next(cid for cid, c in app.slack.channels.items() if c.is_im and user in c.members)


async def test_executive_ping_with_buttons_acknowledge_and_file(app, clock) -> None:
    channel = await opened(app, persons="5000")
    reminders = app.core.reminder_service({"slack": app.notifier()}, "test")
    await reminders.sweep()
    card = app.slack.latest(dm_channel(app, "UEXEC"), "LEAK-2026-0001")
    text = json.dumps(card, ensure_ascii=False)
    assert "速報" in text and "2026年12月5日(土)" in text and "あと4日" in text
    assert "確認しました" in text and "提出済みにする" in text and f"<#{channel.id}>" in text
    assert app.slack.latest(channel.id, "⏰"), "the owning role hears it in the channel"

    await app.driver.click("UEXEC", card, dm_channel(app, "UEXEC"), "reminder:ack:1")
    acked = await app.eventually(
        lambda: (
            "が確認しました"
            in json.dumps(app.slack.latest(dm_channel(app, "UEXEC"), "LEAK"), ensure_ascii=False)
        )
    )
    assert acked

    # The executive holds no owner role: filing is refused and nothing changes.
    await app.driver.click("UEXEC", card, dm_channel(app, "UEXEC"), "reminder:file:1")
    await app.eventually(lambda: next(e for e in app.slack.ephemerals if e["user"] == "UEXEC"))
    view = await app.core.incidents.get("LEAK-2026-0001", OPERATOR)
    assert next(d for d in view.deadlines if d.key == "preliminary").status == "pending"

    commander_card = app.slack.latest(dm_channel(app, "UCOMMANDER"), "LEAK-2026-0001")
    await app.driver.click("UCOMMANDER", commander_card, dm_channel(app, "UCOMMANDER"), "reminder:file:1")
    said = await app.eventually(lambda: app.slack.latest(channel.id, "提出済みになりました"))
    assert "速報" in said["text"]
    clock.advance(timedelta(days=4))
    before = len(app.slack.messages[dm_channel(app, "UEXEC")])
    await reminders.sweep()
    later = app.slack.messages[dm_channel(app, "UEXEC")][before:]
    assert not any("速報" in m["text"] for m in later), "a filed report is not reminded again"


async def test_a_slack_outage_is_retried_then_reported_in_the_channel(app, clock) -> None:
    """Direct messages fail (Slack answers 503 to conversations.open) while the channel still works:
    each ping is retried with backoff, then given up and the commander is told in the channel."""
    channel = await opened(app, persons="5000")
    reminders = app.core.reminder_service({"slack": app.notifier()}, "test")
    app.slack.fail_next("conversations.open", status=503, times=1000)
    first = await reminders.sweep()
    assert first.failed == 2 and first.sent >= 1, "the channel ping went out, the two DMs did not"
    for _ in range(6):  # backoff 30 s, 60 s, 120 s, 240 s … up to max_attempts (5)
        clock.advance(timedelta(minutes=10))
        await reminders.sweep()
    assert (await reminders_state(app)).count("failed") == 2
    alerts = [m["text"] for m in app.slack.messages[channel.id] if "届けられませんでした" in m["text"]]
    assert len(alerts) == 2 and all("<@UCOMMANDER>" in a for a in alerts)
    assert {"<@UEXEC>" in a or "<@UCOMMANDER>" in a.split("宛先")[1] for a in alerts} == {True}
    attempts = len(app.slack.calls_to("conversations.open"))
    assert attempts >= 2 * 5, "each DM was tried max_attempts times (each try with slack_sdk's own retries)"


async def reminders_state(app) -> list[str]:
    from sqlalchemy import select

    from bot.storage.tables import Reminder

    async with app.core.incidents._sessions() as session:
        return list((await session.scalars(select(Reminder.state).where(Reminder.kind == "opened"))).all())


async def test_closing_cancels_reminders_and_is_said(app, clock) -> None:
    channel = await opened(app, persons="5000")
    await app.driver.command("UIT", "close", channel=channel.id)
    refusal = await app.eventually(lambda: next(e for e in app.slack.ephemerals if e["user"] == "UIT"))
    assert "対策本部長だけ" in refusal["text"]
    await app.driver.command("UCOMMANDER", "close", channel=channel.id)
    said = await app.eventually(lambda: app.slack.latest(channel.id, "クローズしました"))
    assert said
    reminders = app.core.reminder_service({"slack": app.notifier()}, "test")
    clock.advance(timedelta(days=10))
    assert (await reminders.sweep()).sent == 0
