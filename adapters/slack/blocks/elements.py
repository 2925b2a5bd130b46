"""Small Block Kit builders shared by the views and messages."""

from __future__ import annotations

import json
from typing import Any

Block = dict[str, Any]


def plain(text: str, limit: int = 75) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:limit], "emoji": True}


def md(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def section(text: str, **extra: Any) -> Block:
    return {"type": "section", "text": md(text), **extra}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, 150)}


def context(*texts: str) -> Block:
    return {"type": "context", "elements": [md(t) for t in texts[:10]]}


def divider() -> Block:
    return {"type": "divider"}


def button(text: str, action_id: str, value: dict[str, Any], style: str | None = None) -> dict[str, Any]:
    element = {"type": "button", "text": plain(text), "action_id": action_id, "value": json.dumps(value)}
    if style:
        element["style"] = style
    return element


def option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text), "value": value}


def input_block(
    block_id: str, label: str, element: dict[str, Any], *, optional: bool = False, hint: str = ""
) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


def text_input(initial: str = "", *, multiline: bool = False, max_length: int = 3000) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "value",
        "multiline": multiline,
        "max_length": max_length,
    }
    if initial:
        element["initial_value"] = initial[:max_length]
    return element


def checkboxes(options: list[dict[str, Any]], selected: list[str]) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "checkboxes", "action_id": "value", "options": options}
    chosen = [o for o in options if o["value"] in selected]
    if chosen:
        element["initial_options"] = chosen
    return element


def multi_select(options: list[dict[str, Any]], selected: list[str]) -> dict[str, Any]:
    """A multi-select menu: for lists longer than checkboxes allow (10 options)."""
    element: dict[str, Any] = {"type": "multi_static_select", "action_id": "value", "options": options}
    chosen = [o for o in options if o["value"] in selected]
    if chosen:
        element["initial_options"] = chosen
    return element


def static_select(options: list[dict[str, Any]], selected: str | None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "static_select", "action_id": "value", "options": options}
    chosen = next((o for o in options if o["value"] == selected), None)
    if chosen:
        element["initial_option"] = chosen
    return element


def radio(options: list[dict[str, Any]], selected: str | None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "radio_buttons", "action_id": "value", "options": options}
    chosen = next((o for o in options if o["value"] == selected), None)
    if chosen:
        element["initial_option"] = chosen
    return element


def modal(callback_id: str, title: str, blocks: list[Block], submit: str, close: str, metadata: dict) -> dict:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, 24),
        "submit": plain(submit, 24),
        "close": plain(close, 24),
        "private_metadata": json.dumps(metadata),
        "blocks": blocks,
    }
