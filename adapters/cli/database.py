"""What every command that uses the database shares: the settings (a bad DATABASE_URL or other setting is one
line, exit 2), and database failures as one line saying why (exit 1) or what to run (exit 2)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from adapters.cli.errors import CliError, field_errors
from bot.config.settings import CoreSettings
from bot.storage.crypto import DataKeyError
from bot.storage.db import describe_error
from bot.storage.keycheck import KeyRefused
from bot.storage.migrate import SchemaNotReady


def core_settings() -> CoreSettings:
    """The settings from the environment; DATABASE_URL gets the shipped driver or is refused in one line."""
    try:
        return CoreSettings()
    except ValidationError as exc:
        raise CliError(field_errors(exc)) from None


@contextmanager
def database_errors(settings: CoreSettings, doing: str) -> Iterator[None]:
    """``doing``: "read", "upgrade", … as in "cannot read the database (DATABASE_URL): <why>"."""
    try:
        yield
    except (SchemaNotReady, KeyRefused, DataKeyError) as exc:  # what to run, or which key to give
        raise CliError(str(exc)) from None
    except (OSError, SQLAlchemyError) as exc:
        why = describe_error(exc, settings.database_url)
        raise CliError(f"cannot {doing} the database (DATABASE_URL): {why}", code=1) from None
