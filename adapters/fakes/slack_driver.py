"""Plays Slack's side of inbound traffic: signed slash commands, view submissions, clicks and events,
sent over HTTP to the running leakbot app. Event envelopes are checked against Slack's Events API spec.

The payload builders are shared with the fake Socket Mode server (adapters/fakes/socket_mode.py), which
delivers the same payloads in Socket Mode envelopes. ``team``/``enterprise`` play a request from another
workspace or Enterprise Grid org."""

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


def sign(secret: str, body: str | bytes, timestamp: int) -> str:
    raw = body.encode() if isinstance(body, str) else body
    base = f"v0:{timestamp}:".encode() + raw
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def command_payload(
    user: str, text: str = "", channel: str = "CGENERAL", *, team: str = TEAM, enterprise: str | None = None
) -> dict[str, Any]:
    """A /leak slash command as Slack sends it (form fields over HTTP, a JSON object over Socket Mode)."""
    payload = {
        "token": "legacy-unused",
        "team_id": team,
        "channel_id": channel,
        "user_id": user,
        "command": "/leak",
        "text": text,
        "trigger_id": f"trigger-{next(_ids)}",
        "response_url": "https://hooks.slack.invalid/commands/1",
        "api_app_id": "ALEAKBOT",
    }
    if enterprise is not None:
        payload |= {"enterprise_id": enterprise, "is_enterprise_install": "false"}
    return payload


def _team(team: str, enterprise: str | None) -> dict[str, Any]:
    return {"id": team} | ({"enterprise_id": enterprise} if enterprise is not None else {})


def view_submission_payload(
    user: str,
    view: dict[str, Any],
    values: dict[str, dict],
    *,
    team: str = TEAM,
    enterprise: str | None = None,
) -> dict[str, Any]:
    """Submitting a modal the bot opened, with ``values`` as Slack's state.values."""
    payload: dict[str, Any] = {
        "type": "view_submission",
        "team": _team(team, enterprise),
        "user": {"id": user, "team_id": team},
        "api_app_id": "ALEAKBOT",
        "trigger_id": f"trigger-{next(_ids)}",
        "view": {**view, "state": {"values": values}},
    }
    if enterprise is not None:
        payload["enterprise"] = {"id": enterprise, "name": "another org"}
    return payload


def block_action_payload(
    user: str,
    message: dict[str, Any],
    channel: str,
    action_id: str,
    *,
    team: str = TEAM,
    enterprise: str | None = None,
) -> dict[str, Any]:
    """Clicking the button ``action_id`` in a message the bot posted; for a step's "step:<id>:<state>" that is
    not a button, choosing that state in the step's overflow menu (as a person would)."""
    element, block_id = None, None
    for block in message.get("blocks", []):
        for candidate in _elements(block):
            if candidate.get("action_id") == action_id:
                element, block_id = candidate, block.get("block_id")
    if element is None and action_id.startswith("step:"):
        _, step, target = action_id.split(":")
        for block in message.get("blocks", []):
            for candidate in _elements(block):
                if candidate.get("action_id") == f"stepmenu:{step}":
                    option = next(
                        (o for o in candidate["options"] if o["value"].endswith(f"|{target}")), None
                    )
                    if option is not None:
                        return _menu_payload(
                            user, message, channel, candidate, block, option, team, enterprise
                        )
    assert element is not None, f"no button {action_id} in the message"
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": _team(team, enterprise),
        "user": {"id": user, "team_id": team},
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
    if enterprise is not None:
        payload["enterprise"] = {"id": enterprise, "name": "another org"}
    return payload


def _elements(block: dict[str, Any]) -> list[dict[str, Any]]:
    """The interactive elements of a block: an actions block's elements, or a section's accessory."""
    if block.get("type") == "actions":
        return list(block.get("elements", []))
    accessory = block.get("accessory")
    return [accessory] if isinstance(accessory, dict) else []


def _menu_payload(
    user: str,
    message: dict[str, Any],
    channel: str,
    menu: dict[str, Any],
    block: dict[str, Any],
    option: dict[str, Any],
    team: str,
    enterprise: str | None,
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": _team(team, enterprise),
        "user": {"id": user, "team_id": team},
        "api_app_id": "ALEAKBOT",
        "trigger_id": f"trigger-{next(_ids)}",
        "container": {"type": "message", "message_ts": message["ts"], "channel_id": channel},
        "channel": {"id": channel},
        "message": message,
        "actions": [
            {
                "type": "overflow",
                "action_id": menu["action_id"],
                "block_id": block.get("block_id"),
                "selected_option": option,
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    if enterprise is not None:
        payload["enterprise"] = {"id": enterprise, "name": "another org"}
    return payload


class SlackDriver:
    def __init__(self, base_url: str, signing_secret: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.secret = signing_secret
        self.session = aiohttp.ClientSession()

    async def close(self) -> None:
        await self.session.close()

    async def post(
        self,
        body: str | bytes,
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
            f"{self.base_url}/slack/events",
            data=body.encode() if isinstance(body, str) else body,
            headers=signed,
        ) as resp:
            return resp.status, await resp.text()

    async def command(
        self,
        user: str,
        text: str = "",
        channel: str = "CGENERAL",
        *,
        team: str = TEAM,
        enterprise: str | None = None,
        **kw: Any,
    ) -> tuple[int, str]:
        form = command_payload(user, text, channel, team=team, enterprise=enterprise)
        return await self.post(urlencode(form), "application/x-www-form-urlencoded", **kw)

    async def interactive(self, payload: dict[str, Any], **kw: Any) -> tuple[int, str]:
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, "application/x-www-form-urlencoded", **kw)

    async def submit_view(
        self,
        user: str,
        view: dict[str, Any],
        values: dict[str, dict],
        *,
        team: str = TEAM,
        enterprise: str | None = None,
    ) -> tuple[int, str]:
        """Submit a modal the bot opened, with ``values`` as Slack's state.values."""
        return await self.interactive(
            view_submission_payload(user, view, values, team=team, enterprise=enterprise)
        )

    async def click(
        self,
        user: str,
        message: dict[str, Any],
        channel: str,
        action_id: str,
        *,
        team: str = TEAM,
        enterprise: str | None = None,
    ) -> tuple[int, str]:
        """Click the button ``action_id`` in a message the bot posted."""
        return await self.interactive(
            block_action_payload(user, message, channel, action_id, team=team, enterprise=enterprise)
        )

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
