"""Escaping text for Adaptive Card TextBlocks, which render a subset of Markdown: bold and italics, links,
and lists at the start of a line."""

from __future__ import annotations

import re

from bot.i18n.inert import inert

_INLINE = re.compile(r"([\\`*_\[\]()<>|~])")  # emphasis, links, code, mentions anywhere
_LINE_START = re.compile(r"(?m)^(\s*)([-+#]|\d+(?=\.))")  # a list or a heading only where a line starts


def escape(text: str, limit: int = 3000) -> str:
    """No links, emphasis, lists or mentions forged from what a person typed; ordinary words (a reference
    such as LEAK-2026-0001, a date) read as they are."""
    text = _INLINE.sub(r"\\\1", inert(text)[:limit])
    return _LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", text)
