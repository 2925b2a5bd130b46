"""Malformed requests to /slack/events, correctly signed: a 4xx, never a 500, and nothing changes."""

from __future__ import annotations

import time
from urllib.parse import urlencode

import pytest
from sqlalchemy import text

from adapters.fakes.slack_driver import command_payload

FORM = "application/x-www-form-urlencoded"


async def incident_count(app) -> int:
    async with app.core.engine.connect() as conn:
        return (await conn.execute(text("SELECT count(*) FROM incidents"))).scalar_one()


async def nothing_happened(app) -> None:
    assert await incident_count(app) == 0
    assert [m for m, _ in app.slack.calls if m != "auth.test"] == [], "no Web API call was made"
    assert app.slack.opened_views == []


@pytest.mark.parametrize(
    ("payload", "why"),
    [
        ("{not json", "not JSON"),
        ("", "empty"),
        ("[1, 2]", "a JSON array"),
        ('"view_submission"', "a JSON string"),
        ("42", "a JSON number"),
        ("null", "JSON null"),
    ],
)
async def test_a_payload_that_is_not_a_json_object_is_a_400(app, payload, why) -> None:
    status, body = await app.driver.post(urlencode({"payload": payload}), FORM)
    assert status == 400, why
    assert "Traceback" not in body
    await nothing_happened(app)


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        ("hello world", "text/plain", 415),
        ("<xml/>", "application/xml", 415),
        ("{not json", "application/json", 400),
        ("[1, 2]", "application/json", 400),
        ('"event_callback"', "application/json", 400),
        (b"\xff\xfe\x00payload", FORM, 400),
        (b"\xff\xfe\x00", "application/json", 400),
        ("payload=%7B%22type%22", FORM, 400),  # a payload cut short
    ],
)
async def test_a_body_that_is_not_form_or_json_is_a_4xx(app, body, content_type, expected) -> None:
    status, answer = await app.driver.post(body, content_type)
    assert status == expected
    assert "Traceback" not in answer
    await nothing_happened(app)


@pytest.mark.parametrize("timestamp", ["abc", "12.5", "", "1e9", "-1", "١٧٠٠٠٠٠٠٠٠"])
async def test_a_non_numeric_timestamp_header_is_a_400(app, timestamp) -> None:
    form = urlencode(command_payload("UREPORTER", "顧客リストを誤送信した"))
    status, _ = await app.driver.post(form, FORM, headers={"X-Slack-Request-Timestamp": timestamp})
    assert status == 400
    await nothing_happened(app)


async def test_a_stale_or_unsigned_request_is_still_refused_by_the_signature_check(app) -> None:
    form = urlencode(command_payload("UREPORTER", "help"))
    old = str(int(time.time()) - 3600)
    status, _ = await app.driver.post(form, FORM, headers={"X-Slack-Request-Timestamp": old})
    assert status == 401
    await nothing_happened(app)


async def test_malformed_requests_are_counted_in_metrics(app) -> None:
    await app.driver.post(urlencode({"payload": "{not json"}), FORM)
    await app.driver.post("hello", "text/plain")
    async with app.driver.session.get(f"{app.url}/metrics") as resp:
        text = await resp.text()
    assert 'leakbot_refused_requests_total{platform="slack",reason="malformed"} 2.0' in text


async def test_a_well_formed_request_still_works(app) -> None:
    status, body = await app.driver.command("UREPORTER", "help")
    assert status == 200 and "/leak help" in body


async def test_a_signature_header_that_is_not_ascii_is_a_400(app) -> None:
    form = urlencode(command_payload("UREPORTER", "help"))
    status, _ = await app.driver.post(form, FORM, headers={"X-Slack-Signature": "v0=é"})
    assert status == 400
    await nothing_happened(app)


async def test_slacks_url_verification_is_still_answered(app) -> None:
    """It names no workspace: the workspace check must not swallow it."""
    body = '{"token": "legacy-unused", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", "type": "url_verification"}'
    status, answer = await app.driver.post(body, "application/json")
    assert status == 200 and "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in answer
