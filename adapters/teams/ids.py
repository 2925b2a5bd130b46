"""Teams' ids and the keys leakbot stores its conversations under."""

from __future__ import annotations

import re

PLATFORM = "teams"
THREAD, CHANNEL = "thread", "channel"
TEAMS_ID = re.compile(
    r"^(?:29:[A-Za-z0-9_\-]+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
)
ENTRA_ID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def space_key(space_id: str) -> str:
    return f"space:{space_id}"


def info_key(space_id: str) -> str:
    return f"space-info:{space_id}"


def user_key(user_id: str) -> str:
    return f"user:{user_id}"
