"""Readable text for the demo's transcript: Block Kit messages and Adaptive Cards as plain lines."""

from __future__ import annotations

import re
from typing import Any

WIDTH = 100


def _clean(text: str) -> str:
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return re.sub(r"\*([^*\n]+)\*", r"\1", text)


def _element(element: dict[str, Any]) -> str:
    """A button as [label]; an overflow menu as [⋯ option / option]."""
    if element.get("type") == "overflow":
        return "[⋯ " + " / ".join(o["text"]["text"] for o in element.get("options", [])) + "]"
    return f"[{element['text']['text']}]"


def blocks_as_text(blocks: list[dict[str, Any]], text: str = "") -> list[str]:
    if not blocks:
        return [_clean(line) for line in text.splitlines()]
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            lines.append("▌" + block["text"]["text"])
        elif kind == "section":
            if block.get("text"):
                lines += [_clean(line) for line in block["text"]["text"].splitlines()]
            if block.get("accessory"):
                lines.append("  " + _element(block["accessory"]))
            for field in block.get("fields", []):
                lines.append("  " + _clean(field["text"]).replace("\n", ": ", 1))
        elif kind == "context":
            lines.append("  " + " · ".join(_clean(e.get("text", "")) for e in block.get("elements", [])))
        elif kind == "actions":
            lines.append("  " + " ".join(_element(e) for e in block.get("elements", [])))
        elif kind == "divider":
            lines.append("  " + "─" * 40)
    return lines


def card_as_text(card: dict[str, Any]) -> list[str]:
    lines: list[str] = []

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            kind = item.get("type")
            if kind == "TextBlock":
                lines.extend(line for line in item["text"].replace("**", "").splitlines() if line.strip())
            elif kind == "FactSet":
                lines.extend(f"  {f['title']}: {f['value']}" for f in item.get("facts", []))
            elif kind == "Container":
                walk(item.get("items", []))
            elif kind == "ActionSet":
                lines.append("  " + " ".join(f"[{a['title']}]" for a in item.get("actions", [])))
            elif kind and kind.startswith("Input."):
                lines.append(f"  ({item.get('label', item.get('id'))})")

    walk(card.get("body", []))
    if card.get("actions"):
        lines.append("  " + " ".join(f"[{a['title']}]" for a in card["actions"]))
    return lines
