"""Answering a card's Action.Execute: reading its data strictly (a malformed field is a 400, never a crash),
and the answers Teams expects (a card, a message, an error), shared by the bot and its action mixins."""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any

from microsoft_agents.activity import AdaptiveCardInvokeResponse

from adapters.teams.sdk import CARD
from bot.i18n import t
from bot.playbook.engine import StepStatus, TransitionError
from bot.services.errors import ServiceError

MESSAGE = "application/vnd.microsoft.activity.message"
ERROR = "application/vnd.microsoft.error"
REFERENCE = re.compile(r"^[A-Z][A-Z0-9-]{2,31}$")
IDENTIFIER = re.compile(r"^[A-Za-z0-9_.:-]{1,80}$")
REFUSALS = (ServiceError, TransitionError)


class Malformed(ValueError):
    pass


def _field(data: dict[str, Any], key: str, pattern: re.Pattern[str] = IDENTIFIER) -> str:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, str) or not pattern.match(value):
        raise Malformed(key)
    return value


def _status(data: dict[str, Any]) -> StepStatus:
    try:
        return StepStatus(_field(data, "t"))
    except ValueError:
        raise Malformed("t") from None


def _card(card: dict[str, Any]) -> AdaptiveCardInvokeResponse:
    return AdaptiveCardInvokeResponse(status_code=HTTPStatus.OK, type=CARD, value=card)


def _message(text: str) -> AdaptiveCardInvokeResponse:
    return AdaptiveCardInvokeResponse(status_code=HTTPStatus.OK, type=MESSAGE, value=text)


def _malformed(lang: str) -> AdaptiveCardInvokeResponse:
    return AdaptiveCardInvokeResponse(
        status_code=HTTPStatus.BAD_REQUEST,
        type=ERROR,
        value={"code": "BadRequest", "message": t("error.malformed", lang)},
    )
