"""Logging for every entry point that runs the app (`leakbot serve`, `leakbot demo`, the fake-platform harnesses).

Our own messages carry incident references, never what people typed. The libraries below log request bodies,
SQL parameters or user text at some level (found by reading their source); each is held at the lowest level
at which it does not, whatever level the operator or a test asks for. A held logger gets its level *and* a
filter: slack-bolt copies the root logger's level onto its loggers each time an app is built, and the filter
survives that.
"""

from __future__ import annotations

import logging

# logger name → the lowest level at which it logs no payload (what it logs below that, in the comment)
PAYLOAD_LOGGERS: dict[str, int] = {
    # INFO: the whole body of a request whose signature check fails (a late retry, a forged request);
    # DEBUG: every response body. Its WARNING lines keep only ids, except for features we do not use
    # (dialogs, external selects).
    "slack_bolt": logging.WARNING,
    "slack_bolt.AsyncApp": logging.WARNING,  # named: created (with root's level) when the app is built
    "slack_bolt.App": logging.WARNING,
    "slack_bolt.RequestVerification": logging.WARNING,
    # DEBUG: every Web API request (message text, modal values) and response body; Socket Mode messages.
    "slack_sdk": logging.INFO,
    # DEBUG: headers and ids; INFO: conversation and activity ids only.
    "microsoft_agents": logging.INFO,
    # WARNING: the text of a message no route takes ("No route found … with text: …"); ERROR: the
    # exception's text. Our turn-error handler (adapters/teams/sdk.py) logs the failure itself.
    "microsoft_agents.hosting.core.app.agent_application": logging.CRITICAL,
    # ERROR: pydantic's validation error of an inbound activity, with the offending input values.
    "microsoft_agents.activity.activity": logging.CRITICAL,
    # DEBUG: token-cache events (accounts, user names), IMDS and WS-Trust response bodies.
    "msal": logging.WARNING,
    # DEBUG: every call with its arguments: SQL and its parameters (the facts of a report).
    "aiosqlite": logging.INFO,
    "asyncpg": logging.WARNING,
    # INFO: SQL with its parameters; DEBUG: the rows read.
    "sqlalchemy.engine": logging.WARNING,
    "sqlalchemy.pool": logging.WARNING,
    # DEBUG: cookies, .netrc; INFO (aiohttp.access): method, path and user agent only.
    "aiohttp": logging.INFO,
    # job names and run times only, at any level; held so a DEBUG run stays readable.
    "apscheduler": logging.INFO,
    # DEBUG: every URL with its query string (msal's token requests go through requests/urllib3).
    "urllib3": logging.INFO,
    # not installed today; INFO logs every URL with its query, DEBUG (httpcore) headers and bodies.
    "httpx": logging.WARNING,
    "httpcore": logging.INFO,
    # INFO: request and response headers (azure-core's HttpLoggingPolicy).
    "azure": logging.WARNING,
}


class PayloadFloor(logging.Filter):
    """Drops records below ``floor`` from the logger it is attached to, whatever that logger's level."""

    def __init__(self, floor: int) -> None:
        super().__init__()
        self.floor = floor

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= self.floor


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    quiet_payload_loggers()


def quiet_payload_loggers() -> None:
    """Hold every payload logger, and every logger that already exists below one, at its floor.

    Call it again after building an app that creates loggers of its own (slack-bolt's AsyncApp does): the
    entry points call it once the routes are built. Raising the root level later changes nothing here."""
    for name, floor in PAYLOAD_LOGGERS.items():
        _hold(logging.getLogger(name), floor)
    for name, logger in list(logging.Logger.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger) and name not in PAYLOAD_LOGGERS:
            floor = _floor_of(name)
            if floor is not None:
                _hold(logger, floor)


def _floor_of(name: str) -> int | None:
    """The floor of the nearest held ancestor of ``name``."""
    parts = name.split(".")
    for end in range(len(parts) - 1, 0, -1):
        floor = PAYLOAD_LOGGERS.get(".".join(parts[:end]))
        if floor is not None:
            return floor
    return None


def _hold(logger: logging.Logger, floor: int) -> None:
    target = max(floor, logger.getEffectiveLevel())  # never below the floor, never chattier than asked
    if logger.level != target:
        logger.setLevel(target)
    held = [f for f in logger.filters if isinstance(f, PayloadFloor)]
    if not held:
        logger.addFilter(PayloadFloor(floor))
    else:
        held[0].floor = floor
