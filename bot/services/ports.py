"""What the core asks of a chat platform, implemented by each adapter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

OPERATOR_PLATFORMS = frozenset({"cli", "system"})
NO_PLATFORM = "none"  # an incident with no response space (imported with `platform: none`)


@dataclass(frozen=True)
class Actor:
    platform: str  # "slack", "teams"; "cli" for an operator of the installation, "system" for leakbot itself
    user_id: str

    def __str__(self) -> str:
        return f"{self.platform}:{self.user_id}"

    @property
    def is_operator(self) -> bool:
        """The command line (run by an administrator of the installation) and leakbot's own work."""
        return self.platform in OPERATOR_PLATFORMS

    @classmethod
    def operator(cls, name: str = "admin") -> Actor:
        return cls("cli", name)


SYSTEM = Actor("system", "leakbot")
OPERATOR = Actor.operator()


class Directory(Protocol):
    """Turns a member as written in the org config (an id or an email) into a user id on one platform (the
    Platform port of bot.journey is one)."""

    name: str  # the platform: "slack", "teams"

    async def resolve(self, member: str) -> str | None: ...
