"""The fake workspace itself: it must catch what real Slack would reject, or the e2e tests prove nothing."""

from __future__ import annotations

import time

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.fakes.slack.server import APP_TOKEN, TOKEN, FakeSlack
from adapters.fakes.specs import SLACK_WEB, spec_path
from adapters.slack.scopes import requested_scopes


@pytest.fixture
async def slack():
    fake = FakeSlack()
    await fake.start()
    fake.add_user("UALICE", "alice@example.co.jp")
    yield fake
    await fake.stop()


def client(fake: FakeSlack, **kw) -> AsyncWebClient:
    return AsyncWebClient(token=TOKEN, base_url=fake.base_url, **kw)


async def test_a_valid_conversation(slack) -> None:
    api = client(slack)
    created = await api.conversations_create(name="leak-20261201-0001", is_private=True)
    channel = created["channel"]["id"]
    await api.conversations_invite(channel=channel, users="UALICE")
    posted = await api.chat_postMessage(
        channel=channel, text="hi", blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "*hi*"}}]
    )
    await api.chat_update(channel=channel, ts=posted["ts"], text="bye")
    assert slack.messages[channel][0]["text"] == "bye"
    assert (await api.users_lookupByEmail(email="alice@example.co.jp"))["user"]["id"] == "UALICE"
    assert (await api.users_info(user="UALICE", include_locale=True))["user"]["locale"] == "ja-JP"
    assert slack.violations == []


@pytest.mark.skipif(
    spec_path(SLACK_WEB) is None, reason=f"{SLACK_WEB} not found (LEAKBOT_SPECS_DIR or ../shared/specs)"
)
async def test_unknown_and_missing_arguments_are_violations(slack) -> None:
    """Only the spec knows every method's arguments: without it this check is skipped, nothing else."""
    api = client(slack)
    with pytest.raises(SlackApiError):
        await api.api_call("chat.postMessage", json={"channel": "C1", "colour": "red"})
    with pytest.raises(SlackApiError):
        await api.api_call("chat.postMessage", json={"text": "no channel"})
    with pytest.raises(SlackApiError):
        await api.api_call("chat.sendSmoke", json={})
    assert any("unknown argument 'colour'" in v for v in slack.violations)
    assert any("missing required argument 'channel'" in v for v in slack.violations)
    assert any("not a Slack Web API method" in v for v in slack.violations)


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("Leak Room", "invalid_name_specials"),
        ("x" * 81, "invalid_name_maxlength"),
        ("", "invalid_name_required"),
    ],
)
async def test_channel_name_rules(slack, name, error) -> None:
    with pytest.raises(SlackApiError) as failed:
        await client(slack).conversations_create(name=name, is_private=True)
    assert failed.value.response["error"] == error


async def test_name_taken(slack) -> None:
    slack.add_channel("leak-20261201-0001")
    with pytest.raises(SlackApiError) as failed:
        await client(slack).conversations_create(name="leak-20261201-0001", is_private=True)
    assert failed.value.response["error"] == "name_taken"


async def test_invalid_block_kit_is_rejected(slack) -> None:
    api = client(slack)
    channel = (await api.conversations_create(name="room", is_private=True))["channel"]["id"]
    too_many = [{"type": "section", "text": {"type": "mrkdwn", "text": str(i)}} for i in range(51)]
    long_button = [
        {
            "type": "actions",
            "elements": [
                {"type": "button", "action_id": "a", "text": {"type": "plain_text", "text": "x" * 76}}
            ],
        }
    ]
    for blocks in (too_many, long_button):
        with pytest.raises(SlackApiError):
            await api.chat_postMessage(channel=channel, text="t", blocks=blocks)
    assert any("51 blocks" in v for v in slack.violations)
    assert any("button text over 75" in v or "75" in v for v in slack.violations)


async def test_a_modal_is_checked_whole_every_time_it_is_opened(slack) -> None:
    # The fake parses a block the same way every time, so it parses each distinct block once: a block it
    # refused stays refused, and a view's own rules (its title) are still checked around blocks it knows.
    api = client(slack)
    field = {
        "type": "input",
        "block_id": "summary",
        "label": {"type": "plain_text", "text": "概要"},
        "element": {"type": "plain_text_input", "action_id": "value"},
    }
    broken = {"type": "input", "block_id": "when", "label": {"type": "plain_text", "text": "日時"}}

    def modal(title: str, *blocks: dict) -> dict:
        return {"type": "modal", "title": {"type": "plain_text", "text": title}, "blocks": list(blocks)}

    for _ in range(2):
        await api.views_open(trigger_id="1.2.3", view=modal("報告", field))
        with pytest.raises(SlackApiError):
            await api.views_open(trigger_id="1.2.3", view=modal("報告", field, broken))
        with pytest.raises(SlackApiError):
            await api.views_open(trigger_id="1.2.3", view=modal("x" * 25, field))
    assert len(slack.opened_views) == 2
    assert sum("block 1 (input)" in v for v in slack.violations) == 2
    assert sum("title" in v for v in slack.violations) >= 2


async def test_rate_limits_and_server_errors_are_retried(slack) -> None:
    api = client(
        slack,
        retry_handlers=[
            AsyncRateLimitErrorRetryHandler(max_retry_count=2),
            AsyncServerErrorRetryHandler(max_retry_count=2),
        ],
    )
    slack.fail_next("auth.test", status=429, retry_after=0)
    slack.fail_next("auth.test", status=503)
    assert (await api.auth_test())["ok"]
    assert len(slack.calls_to("auth.test")) == 3


async def test_bad_token(slack) -> None:
    with pytest.raises(SlackApiError) as failed:
        await AsyncWebClient(token="xoxb-wrong", base_url=slack.base_url).auth_test()
    assert failed.value.response["error"] == "invalid_auth"


async def test_latency_knob_delays_every_answer_and_per_method(slack) -> None:
    api = client(slack)
    started = time.monotonic()
    await api.auth_test()
    assert time.monotonic() - started < 0.2

    slack.latency = 0.3
    started = time.monotonic()
    await api.auth_test()
    assert time.monotonic() - started >= 0.3

    slack.latency = 0.0
    slack.method_latency = {"users.info": 0.3}
    started = time.monotonic()
    await api.auth_test()
    assert time.monotonic() - started < 0.2
    started = time.monotonic()
    await api.users_info(user="UALICE")
    assert time.monotonic() - started >= 0.3


async def test_server_errors_answer_the_given_status(slack) -> None:
    slack.fail_next("auth.test", status=500, times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as failed:
            await client(slack).auth_test()
        assert failed.value.response.status_code == 500
    assert (await client(slack).auth_test())["ok"]


async def test_scopes_come_back_in_the_header_and_a_missing_one_is_refused(slack) -> None:
    api = client(slack)
    response = await api.auth_test()
    assert set(response.headers["x-oauth-scopes"].split(",")) == set(requested_scopes())
    slack.scopes = ["chat:write"]
    assert (await api.auth_test()).headers["x-oauth-scopes"] == "chat:write"
    with pytest.raises(SlackApiError) as failed:
        await api.conversations_create(name="leak-room", is_private=True)
    assert failed.value.response["error"] == "missing_scope"
    assert failed.value.response["needed"] == "groups:write"
    assert slack.channels == {}


async def test_apps_connections_open_takes_the_app_token_only(slack) -> None:
    slack.socket_mode_url = "ws://127.0.0.1:9/link/"
    opened = await AsyncWebClient(base_url=slack.base_url).apps_connections_open(app_token=APP_TOKEN)
    assert opened["url"] == "ws://127.0.0.1:9/link/"
    with pytest.raises(SlackApiError) as failed:
        await client(slack).apps_connections_open(app_token=TOKEN)
    assert failed.value.response["error"] == "not_allowed_token_type"
    with pytest.raises(SlackApiError) as failed:
        await AsyncWebClient(token=APP_TOKEN, base_url=slack.base_url).chat_postMessage(
            channel="C1", text="x"
        )
    assert failed.value.response["error"] == "not_allowed_token_type"
    assert slack.violations == []
