"""What the core asks of a chat platform, implemented by each adapter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Actor:
    platform: str  # "slack", "teams", "cli", "system"
    user_id: str

    def __str__(self) -> str:
        return f"{self.platform}:{self.user_id}"


SYSTEM = Actor("system", "leakbot")


class Directory(Protocol):
    """Turns a member as written in the org config (an id or an email) into a user id on one platform."""

    platform: str

    async def resolve(self, member: str) -> str | None: ...
