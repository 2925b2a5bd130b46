"""Block Kit checks: slack_sdk's models parse every block, and Slack's documented limits hold."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MAX_BLOCKS = {"message": 50, "modal": 100, "home": 100}


def _text_len(obj: dict | None) -> int:
    return len((obj or {}).get("text", ""))


def _element_problems(element: dict[str, Any], where: str) -> list[str]:
    problems = []
    if element.get("type") == "button":
        if _text_len(element.get("text")) > 75:
            problems.append(f"{where}: button text over 75 characters")
        if len(element.get("value", "")) > 2000:
            problems.append(f"{where}: button value over 2000 characters")
    if len(element.get("action_id", "")) > 255:
        problems.append(f"{where}: action_id over 255 characters")
    for option in element.get("options", []) or []:
        if _text_len(option.get("text")) > 75:
            problems.append(f"{where}: option text over 75 characters")
    if element.get("type") in ("checkboxes", "radio_buttons") and len(element.get("options", [])) > 10:
        problems.append(f"{where}: more than 10 options")
    return problems


@lru_cache(maxsize=4096)
def _parsed(block_json: str) -> tuple[Block | None, str | None]:
    """A block as slack_sdk's models parse it, or why they cannot. The verdict depends on the block alone,
    so the blocks a bot sends again and again (a form's fixed fields) are parsed once."""
    try:
        parsed = Block.parse(json.loads(block_json))
        if parsed is None:
            return None, "slack_sdk cannot parse it"
        parsed.validate_json()
        return parsed, None
    except (SlackObjectFormationError, Exception) as exc:
        return None, str(exc)


def block_problems(blocks: list[dict[str, Any]], surface: str = "message") -> list[str]:
    return _checked(blocks, surface)[0]


def _checked(blocks: list[dict[str, Any]], surface: str) -> tuple[list[str], list[Block]]:
    """The blocks' problems, and the blocks slack_sdk could parse."""
    problems: list[str] = []
    models: list[Block] = []
    if len(blocks) > MAX_BLOCKS[surface]:
        problems.append(f"{len(blocks)} blocks in a {surface} (limit {MAX_BLOCKS[surface]})")
    block_ids, action_ids = set(), set()
    for index, block in enumerate(blocks):
        if not isinstance(block, dict):
            problems.append(f"block {index} ({type(block).__name__}): not an object")
            continue
        where = f"block {index} ({block.get('type')})"
        parsed, error = _parsed(json.dumps(block, sort_keys=True, ensure_ascii=False))
        if error is not None:
            problems.append(f"{where}: {error}")
        elif parsed is not None:
            models.append(parsed)
        block_id = block.get("block_id")
        if block_id:
            if len(block_id) > 255:
                problems.append(f"{where}: block_id over 255 characters")
            if block_id in block_ids:
                problems.append(f"{where}: duplicate block_id {block_id}")
            block_ids.add(block_id)
        kind = block.get("type")
        if kind == "section":
            if _text_len(block.get("text")) > 3000:
                problems.append(f"{where}: section text over 3000 characters")
            fields = block.get("fields") or []
            if len(fields) > 10 or any(_text_len(f) > 2000 for f in fields):
                problems.append(f"{where}: section fields over the limits")
        if kind == "header" and _text_len(block.get("text")) > 150:
            problems.append(f"{where}: header over 150 characters")
        if kind == "actions" and len(block.get("elements", [])) > 25:
            problems.append(f"{where}: more than 25 elements")
        if kind == "context" and len(block.get("elements", [])) > 10:
            problems.append(f"{where}: more than 10 context elements")
        elements = list(block.get("elements", []) if kind == "actions" else [])
        elements += [e for e in (block.get("accessory"), block.get("element")) if e]
        for element in elements:
            problems += _element_problems(element, where)
            action_id = element.get("action_id")
            if action_id and kind == "actions":
                if action_id in action_ids:
                    problems.append(f"{where}: duplicate action_id {action_id}")
                action_ids.add(action_id)
    return problems, models


def view_problems(view: dict[str, Any]) -> list[str]:
    kind = view.get("type")
    block_list, models = _checked(view.get("blocks", []), "home" if kind == "home" else "modal")
    problems = []
    try:  # the view's own checks, on the blocks parsed once above
        View(**{**view, "blocks": models}).validate_json()
    except Exception as exc:
        problems.append(f"view: {exc}")
    if kind == "modal":
        for key in ("title", "submit", "close"):
            if view.get(key) and _text_len(view[key]) > 24:
                problems.append(f"view: {key} over 24 characters")
        if len(view.get("private_metadata", "")) > 3000:
            problems.append("view: private_metadata over 3000 characters")
    return problems + block_list
