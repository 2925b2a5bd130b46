"""One leak, many reports (issue 22), end to end over HTTP against the fake Slack: a burst of look-alike
reports opens one response channel and asks the commander once; every reporter hears their own reference."""

from __future__ import annotations

import asyncio
import json
import re

import pytest

from adapters.fakes.slack_harness import SlackHarness, modal_state
from bot.services.ports import OPERATOR

MAIL = "営業部から顧客リストが添付されたメールが全社員に誤送信されました"
REFERENCE = re.compile(r"LEAK-\d{4}-\d{4}")
FIRST = "LEAK-2026-0001"


def retold(i: int) -> str:
    """What the i-th person writes: the same message in their own words around it."""
    before = ("", "さきほど", "今朝、")[i % 3]
    after = ("", "。至急確認してください", "（私にも届きました）", "。添付を開いてしまいました")[i % 4]
    return before + MAIL + after


async def burst(app: SlackHarness, count: int, start: int = 0) -> list[str]:
    """``count`` people type /leak at once and submit the form at once."""
    users = [f"UR{i:03d}" for i in range(start, start + count)]
    for user in users:
        app.slack.add_user(user, f"{user.lower()}@example.co.jp")
    before = len(app.slack.opened_views)
    await asyncio.gather(*(app.driver.command(user, "") for user in users))
    await app.eventually(lambda: len(app.slack.opened_views) >= before + count, within=60)
    views = app.slack.opened_views[before : before + count]
    answers = await asyncio.gather(
        *(
            app.driver.submit_view(user, view, modal_state({"summary": retold(i)}))
            for i, (user, view) in enumerate(zip(users, views, strict=True))
        )
    )
    assert all(status == 200 for status, _ in answers)
    return users


def receipts(app: SlackHarness) -> list[tuple[str, dict]]:
    """(to whom, the message) for every direct message naming a reference."""
    return [
        (app.slack.channels[cid].name, m)
        for cid, ms in list(app.slack.messages.items())
        if cid.startswith("D")
        for m in ms
        if "LEAK-" in m["text"]
    ]


def response_channels(app: SlackHarness) -> list:
    return [c for c in app.slack.channels.values() if c.name.startswith("leak-")]


def questions(app: SlackHarness, channel_id: str) -> list[dict]:
    return [m for m in app.slack.messages[channel_id] if "と同じ事案ですか" in m["text"]]


def shown(message: dict) -> str:
    return json.dumps(message, ensure_ascii=False)


async def settled_burst(app: SlackHarness, count: int) -> tuple[object, dict]:
    """The burst, then everything that follows it: the channel, the receipts, the question with its count."""
    await burst(app, count)
    await app.eventually(lambda: len(receipts(app)) >= count, within=90)
    (channel,) = response_channels(app)
    await app.eventually(lambda: f"{count - 1} 件" in shown(questions(app, channel.id)), within=30)
    await app.core.settle()
    return channel, questions(app, channel.id)[0]


@pytest.mark.slow  # a stress test: 200 reports at once, each answered within Slack's 3 s (CI runs it)
async def test_two_hundred_look_alike_reports_open_one_channel_with_one_question(app) -> None:
    channel, question = await settled_burst(app, 200)
    assert len(response_channels(app)) == 1 and channel.name == "leak-20261201-0001"
    assert len(app.slack.calls_to("conversations.create")) == 1
    assert len(questions(app, channel.id)) == 1, "one question, updated with the count, never posted again"
    assert f"{FIRST} と同じ事案ですか？" in shown(question) and "199 件" in shown(question)
    assert "統合する" in shown(question) and "別事案として対応" in shown(question)
    incidents = await app.core.incidents.list(OPERATOR)
    assert len(incidents) == 200, "every report saved"
    by_reporter = {i.reporter_id: i.reference for i in incidents}
    told = receipts(app)
    assert len(told) == 200 and {to for to, _ in told} == set(by_reporter), "every reporter heard, once"
    for to, receipt in told:
        assert set(REFERENCE.findall(receipt["text"])) == {by_reporter[to]}, (
            "each hears their own reference, never the other incident's"
        )

    status, _ = await app.driver.click("UCOMMANDER", question, channel.id, "lookalike:merge")
    assert status == 200
    await app.eventually(lambda: "統合しました" in shown(questions(app, channel.id)[0]), within=30)
    await app.core.settle()
    answered = questions(app, channel.id)[0]
    assert "lookalike:merge" not in shown(answered), "answered: no buttons left"
    survivor = await app.core.incidents.get(FIRST, OPERATOR)
    assert len(survivor.merged) == 199, "every report is in the surviving incident"
    assert len(response_channels(app)) == 1
