"""Logging for `leakbot serve`: our messages carry incident references only; libraries that log request
payloads at DEBUG (slack_sdk, slack_bolt, the Agents SDK, aiohttp) are held at INFO (SQLAlchemy at WARNING) whatever the level."""

from __future__ import annotations

import logging

PAYLOAD_LOGGERS = {
    "slack_sdk": logging.INFO,
    "slack_bolt": logging.INFO,
    "microsoft_agents": logging.INFO,
    "aiohttp.access": logging.INFO,
    "aiohttp.client": logging.INFO,
    "sqlalchemy.engine": logging.WARNING,  # INFO already logs SQL parameters: the facts of a report
    "sqlalchemy.pool": logging.WARNING,
}


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    quiet_payload_loggers()


def quiet_payload_loggers() -> None:
    for name, floor in PAYLOAD_LOGGERS.items():
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < floor:
            logger.setLevel(floor)
