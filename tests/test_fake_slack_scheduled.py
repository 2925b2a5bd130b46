"""The fake workspace's scheduled messages, through the real slack_sdk client: checked against Slack's spec
(the three methods are in the 2021 spec), refusing what Slack refuses (a time in the past, more than 120
days ahead, more than 30 messages posting within 5 minutes in one channel), listing and deleting, and
posting a message on its own when its clock passes the message's time."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.fakes.slack.server import TOKEN, FakeSlack
from adapters.fakes.specs import SLACK_WEB, spec_path

NOW = 1_796_086_800  # 2026-12-01 01:00 UTC
DAY = 24 * 3600


@pytest.fixture
async def slack():
    fake = FakeSlack()
    fake.now = lambda: clock[0]
    await fake.start()
    yield fake
    await fake.stop()
    assert fake.violations == [], "every call and answer matched Slack's spec"


clock = [NOW]


@pytest.fixture(autouse=True)
def _reset_clock():
    clock[0] = NOW


async def channel(slack: FakeSlack) -> tuple[AsyncWebClient, str]:
    api = AsyncWebClient(token=TOKEN, base_url=slack.base_url, retry_handlers=[])
    created = await api.conversations_create(name="leak-20261201-0001", is_private=True)
    return api, created["channel"]["id"]


async def refusal(call) -> str:
    with pytest.raises(SlackApiError) as raised:
        await call
    return raised.value.response["error"]


async def test_scheduled_listed_deleted_and_posted_when_the_time_comes(slack) -> None:
    api, cid = await channel(slack)
    first = await api.chat_scheduleMessage(channel=cid, post_at=NOW + DAY, text="速報の目安は本日です")
    second = await api.chat_scheduleMessage(channel=cid, post_at=NOW + 2 * DAY, text="確報")
    listed = await api.chat_scheduledMessages_list(channel=cid)
    assert [(m["id"], m["post_at"]) for m in listed["scheduled_messages"]] == [
        (first["scheduled_message_id"], NOW + DAY),
        (second["scheduled_message_id"], NOW + 2 * DAY),
    ]
    await api.chat_deleteScheduledMessage(channel=cid, scheduled_message_id=second["scheduled_message_id"])
    assert "invalid_scheduled_message_id" == await refusal(
        api.chat_deleteScheduledMessage(channel=cid, scheduled_message_id=second["scheduled_message_id"])
    ), "deleted once: it is gone"
    assert slack.messages[cid] == []
    clock[0] = NOW + DAY  # Slack posts it with nobody calling anything
    slack.deliver_due()
    assert [m["text"] for m in slack.messages[cid]] == ["速報の目安は本日です"]
    assert (await api.chat_scheduledMessages_list(channel=cid))["scheduled_messages"] == []
    assert "invalid_scheduled_message_id" == await refusal(
        api.chat_deleteScheduledMessage(channel=cid, scheduled_message_id=first["scheduled_message_id"])
    ), "posted already: nothing to delete"


async def test_what_slack_refuses(slack) -> None:
    api, cid = await channel(slack)
    assert await refusal(api.chat_scheduleMessage(channel=cid, post_at=NOW - 60, text="x")) == "time_in_past"
    assert (
        await refusal(api.chat_scheduleMessage(channel=cid, post_at=NOW + 121 * DAY, text="x"))
        == "time_too_far"
    )
    await api.chat_scheduleMessage(channel=cid, post_at=NOW + 120 * DAY, text="120 days is allowed")
    for n in range(30):
        await api.chat_scheduleMessage(channel=cid, post_at=NOW + DAY + n * 9, text=f"#{n}")
    assert (
        await refusal(api.chat_scheduleMessage(channel=cid, post_at=NOW + DAY + 120, text="31st"))
        == "restricted_too_many"
    ), "at most 30 posting within 5 minutes in one channel"
    await api.chat_scheduleMessage(channel=cid, post_at=NOW + DAY + 600, text="later window")


async def test_a_rate_limited_call_is_answered_429(slack) -> None:
    api, cid = await channel(slack)
    slack.fail_next("chat.scheduleMessage", status=429, retry_after=3)
    with pytest.raises(SlackApiError) as raised:
        await api.chat_scheduleMessage(channel=cid, post_at=NOW + DAY, text="x")
    assert raised.value.response.status_code == 429 and raised.value.response.headers["Retry-After"] == "3"
    assert slack.scheduled == {}


@pytest.mark.skipif(
    spec_path(SLACK_WEB) is None, reason=f"{SLACK_WEB} not found (LEAKBOT_SPECS_DIR or ../shared/specs)"
)
async def test_unknown_arguments_are_violations(slack) -> None:
    api, cid = await channel(slack)
    with pytest.raises(SlackApiError):
        await api.api_call(
            "chat.scheduleMessage", json={"channel": cid, "post_at": NOW + DAY, "text": "x", "colour": "red"}
        )
    assert any("unknown argument 'colour'" in v for v in slack.violations)
    slack.violations.clear()
