"""Escaping user text for Adaptive Card TextBlocks, which render a subset of Markdown."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~])")


def escape(text: str, limit: int = 3000) -> str:
    """No links, emphasis or mentions forged from a report: every Markdown character is escaped."""
    text = text[:limit]
    return _SPECIAL.sub(r"\\\1", text)
