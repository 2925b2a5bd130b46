"""`leakbot keys rotate`: every encrypted value moved under the current key, in small committed batches.

Online: the app keeps running with the new key current and the old one in LEAKBOT_DATA_KEY_PREVIOUS, so it
reads both. Each value is replaced only if it is still what was read (compare-and-set), so a value the app
rewrote meanwhile (under the current key already) is never overwritten. Resumable: what is not yet under the
current key is found again by its prefix, so a rotation killed at any moment is finished by running it again.
When nothing is left under the other keys they are marked retired in ``data_keys``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Column, Table, and_, func, literal, select, type_coerce, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.storage.crypto import PREFIX, Keyring, key_id_of
from bot.storage.keycheck import register
from bot.storage.tables import Base, DataKey
from bot.storage.types import EncryptedJSON, EncryptedText


def encrypted_columns() -> list[tuple[Table, Column, str]]:
    """(table, column, associated data) of every encrypted column, in a stable order."""
    found = []
    for table in Base.metadata.sorted_tables:
        for col in table.columns:
            if isinstance(col.type, EncryptedText | EncryptedJSON):
                found.append((table, col, col.type.column))
    return found


@dataclass
class Rotation:
    moved: int = 0
    skipped: int = 0  # changed by the app while being rotated (already under the current key)
    left: dict[str, int] = field(default_factory=dict)  # key id → values still under it
    retired: tuple[str, ...] = ()


async def _batch(
    engine: AsyncEngine,
    keyring: Keyring,
    column: tuple[Table, Column, str],
    after: object,
    size: int,
    plaintext_only: bool,
) -> tuple[int, int, object, bool]:
    """One transaction: up to ``size`` values re-encrypted. (moved, skipped, last key seen, more to do)."""
    table, col, aad = column
    (pk,) = table.primary_key.columns
    stored = _stored(col)
    pattern = f"{PREFIX}%" if plaintext_only else f"{PREFIX}{keyring.current_id}:%"
    wanted = and_(col.is_not(None), stored.not_like(pattern))
    if after is not None:
        wanted = and_(wanted, pk > after)
    moved = skipped = 0
    async with engine.begin() as conn:
        rows = (await conn.execute(select(pk, stored).where(wanted).order_by(pk).limit(size))).all()
        for key, value in rows:
            after = key
            done = await conn.execute(
                update(table)
                .where(pk == key, stored == literal(value, col.type.impl))
                .values({col.name: literal(keyring.reencrypt(value, aad), col.type.impl)})
            )
            moved, skipped = (moved + 1, skipped) if done.rowcount else (moved, skipped + 1)
    return moved, skipped, after, len(rows) == size


def _stored(col: Column):
    """The column read or compared as the stored text (no decryption, no encryption of the operand)."""
    return type_coerce(col, col.type.impl)


async def rotate(
    engine: AsyncEngine,
    keyring: Keyring,
    *,
    batch_size: int = 200,
    pause: float = 0.0,
    plaintext_only: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> Rotation:
    """Re-encrypt under ``keyring``'s current key every value not yet under it (``plaintext_only``: only the
    unencrypted ones). ``pause``: seconds between batches, to go easy on a busy database."""
    if keyring.current_id is None:
        raise ValueError("a rotation needs a current key")
    result = Rotation()
    for table, col, aad in encrypted_columns():
        after = None
        while True:
            moved, skipped, after, more = await _batch(
                engine, keyring, (table, col, aad), after, batch_size, plaintext_only
            )
            result.moved += moved
            result.skipped += skipped
            if moved and progress is not None:
                progress(f"{table.name}.{col.name}", moved)
            if not more:
                break
            if pause:
                await asyncio.sleep(pause)
    result.left = await remaining(engine, exclude=keyring.current_id)
    async with AsyncSession(engine) as session, session.begin():
        await register(session, keyring.current_id, datetime.now(UTC))
        live = (await session.scalars(select(DataKey).where(DataKey.retired_at.is_(None)))).all()
        gone = [row for row in live if row.key_id != keyring.current_id and row.key_id not in result.left]
        for row in gone:
            row.retired_at = datetime.now(UTC)
        result.retired = tuple(sorted(row.key_id for row in gone))
    return result


async def remaining(engine: AsyncEngine, exclude: str | None = None) -> dict[str, int]:
    """How many stored values are under each key id (``plain``: unencrypted), ``exclude`` left out."""
    counts: dict[str, int] = {}
    async with engine.connect() as conn:
        for _table, col, _aad in encrypted_columns():
            stored = _stored(col)
            kid = func.substr(stored, 1, len(PREFIX) + 12)
            rows = await conn.execute(select(kid, func.count()).where(col.is_not(None)).group_by(kid))
            for prefix, n in rows.all():
                k = key_id_of(prefix)
                if k != exclude:
                    counts[k] = counts.get(k, 0) + n
    return counts
