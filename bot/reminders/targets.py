"""Reminder targets as stored: the response channel, or one person on one platform."""

from __future__ import annotations

CHANNEL_TARGET = "channel"
EXECUTIVE_ROLES = ("executives", "commander")


def user_target(platform: str, user_id: str) -> str:
    return f"user:{platform}:{user_id}"


def parse_user_target(target: str) -> tuple[str, str]:
    _, platform, user_id = target.split(":", 2)
    return platform, user_id
