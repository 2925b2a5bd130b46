"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Text
from sqlalchemy.types import TypeDecorator

from bot.storage.crypto import Keyring


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC and hands them back aware (UTC).

    SQLite has no time zones; storing UTC everywhere keeps ordering and comparisons right on both engines.
    """

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def keyring_of(dialect) -> Keyring:
    """The keyring of the engine this dialect belongs to (bot.storage.db.create_engine puts it there)."""
    return getattr(dialect, "leakbot_keyring", None) or Keyring()


class EncryptedText(TypeDecorator[str]):
    """Free text encrypted with the engine's current key (bot/storage/crypto.py); ``column`` ("table.column")
    is the associated data, so a value copied into another column does not open."""

    impl = Text
    cache_ok = True

    def __init__(self, column: str) -> None:
        super().__init__()
        self.column = column

    def process_bind_param(self, value: str | None, dialect) -> str | None:
        return None if value is None else keyring_of(dialect).encrypt(value, self.column)

    def process_result_value(self, value: str | None, dialect) -> str | None:
        return None if value is None else keyring_of(dialect).decrypt(value, self.column)


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON document (facts, snapshots, conversation references) encrypted as a whole; SQL NULL for None."""

    impl = Text
    cache_ok = True

    def __init__(self, column: str) -> None:
        super().__init__()
        self.column = column

    def process_bind_param(self, value: Any, dialect) -> str | None:
        if value is None:
            return None
        return keyring_of(dialect).encrypt(json.dumps(value, ensure_ascii=False), self.column)

    def process_result_value(self, value: str | None, dialect) -> Any:
        return None if value is None else json.loads(keyring_of(dialect).decrypt(value, self.column))
