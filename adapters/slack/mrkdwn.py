"""Escaping user text for Slack mrkdwn: no @channel pings, no forged links or mentions, no autolinked address
and no hidden or reordered words (bot.i18n.inert)."""

from __future__ import annotations

from bot.i18n.inert import inert

MAX_SECTION = 3000


def escape(text: str) -> str:
    """Slack's three control characters; with them escaped, <!channel>, <@U…> and <url|label> are inert."""
    return inert(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int = MAX_SECTION) -> str:
    """Shorten to ``limit`` characters without cutting an escape such as &amp; in half."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + "…"


def safe(text: str, limit: int = MAX_SECTION) -> str:
    return clip(escape(text), limit)


def user(user_id: str) -> str:
    return f"<@{user_id}>"
