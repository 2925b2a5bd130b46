"""Plays Slack's side of inbound traffic: signed slash commands, view submissions, clicks and events,
sent over HTTP to the running leakbot app. Event envelopes are checked against Slack's Events API spec."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from functools import cache
from itertools import count
from typing import Any
from urllib.parse import urlencode

import aiohttp
import jsonschema

from adapters.fakes.specs import SLACK_EVENTS, load

TEAM = "T0LEAKBOT"
_ids = count(1)


@cache
def event_wrapper_schema() -> dict | None:
    spec = load(SLACK_EVENTS)
    return spec["components"]["schemas"]["GenericEventWrapper"] if spec is not None else None


def sign(secret: str, body: str, timestamp: int) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class SlackDriver:
    def __init__(self, base_url: str, signing_secret: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.secret = signing_secret
        self.session = aiohttp.ClientSession()

    async def close(self) -> None:
        await self.session.close()

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        secret: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        timestamp = int(time.time())
        signed = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(timestamp),
            "X-Slack-Signature": sign(secret or self.secret, body, timestamp),
            **(headers or {}),
        }
        async with self.session.post(
            f"{self.base_url}/slack/events", data=body.encode(), headers=signed
        ) as resp:
            return resp.status, await resp.text()

    async def command(
        self, user: str, text: str = "", channel: str = "CGENERAL", **kw: Any
    ) -> tuple[int, str]:
        form = {
            "token": "legacy-unused",
            "team_id": TEAM,
            "channel_id": channel,
            "user_id": user,
            "command": "/leak",
            "text": text,
            "trigger_id": f"trigger-{next(_ids)}",
            "response_url": "https://hooks.slack.invalid/commands/1",
            "api_app_id": "ALEAKBOT",
        }
        return await self.post(urlencode(form), "application/x-www-form-urlencoded", **kw)

    async def interactive(self, payload: dict[str, Any], **kw: Any) -> tuple[int, str]:
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, "application/x-www-form-urlencoded", **kw)

    async def submit_view(self, user: str, view: dict[str, Any], values: dict[str, dict]) -> tuple[int, str]:
        """Submit a modal the bot opened, with ``values`` as Slack's state.values."""
        submitted = {**view, "state": {"values": values}}
        payload = {
            "type": "view_submission",
            "team": {"id": TEAM},
            "user": {"id": user, "team_id": TEAM},
            "api_app_id": "ALEAKBOT",
            "trigger_id": f"trigger-{next(_ids)}",
            "view": submitted,
        }
        return await self.interactive(payload)

    async def click(
        self, user: str, message: dict[str, Any], channel: str, action_id: str
    ) -> tuple[int, str]:
        """Click the button ``action_id`` in a message the bot posted."""
        element, block_id = None, None
        for block in message.get("blocks", []):
            for candidate in block.get("elements", []) if block.get("type") == "actions" else []:
                if candidate.get("action_id") == action_id:
                    element, block_id = candidate, block.get("block_id")
        assert element is not None, f"no button {action_id} in the message"
        payload = {
            "type": "block_actions",
            "team": {"id": TEAM},
            "user": {"id": user, "team_id": TEAM},
            "api_app_id": "ALEAKBOT",
            "trigger_id": f"trigger-{next(_ids)}",
            "container": {"type": "message", "message_ts": message["ts"], "channel_id": channel},
            "channel": {"id": channel},
            "message": message,
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": block_id,
                    "value": element["value"],
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        return await self.interactive(payload)

    async def event(self, event: dict[str, Any], retry: int | None = None) -> tuple[int, str]:
        envelope = {
            "token": "legacy-unused",
            "team_id": TEAM,
            "api_app_id": "ALEAKBOT",
            "event": {"event_ts": f"{time.time():.6f}", **event},
            "type": "event_callback",
            "event_id": f"Ev{next(_ids):08d}",
            "event_time": int(time.time()),
            "authed_users": ["UBOT"],
        }
        schema = event_wrapper_schema()
        if schema is not None:
            jsonschema.validate(envelope, schema)
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        return await self.post(json.dumps(envelope), "application/json", headers=headers)
