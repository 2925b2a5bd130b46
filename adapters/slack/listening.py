"""What every Slack listener shares: whose commands a refusal names, which errors are refusals, who acts."""

from __future__ import annotations

from bot.playbook.engine import TransitionError
from bot.services.errors import ServiceError
from bot.services.ports import Actor

PLATFORM = "slack"
REFUSALS = (ServiceError, TransitionError)


def actor(user_id: str) -> Actor:
    return Actor(PLATFORM, user_id)
