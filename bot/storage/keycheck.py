"""At start: do the keys given open this database? (docs/decisions.md, "Encryption at rest")

``data_keys`` lists every key data was stored under (and ``plain``); a live key the process was not given
means data it could not read, so the start is refused in one line before anything is read or written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Text, column, select, table, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.storage.crypto import PLAINTEXT, Keyring, key_id_of
from bot.storage.keys import DEV_FLAG
from bot.storage.tables import DataKey

NO_KEY = (
    "no data key: set LEAKBOT_DATA_KEY (make one with `leakbot keys generate`) or LEAKBOT_DATA_KEY_FILE; "
    f"for development only, {DEV_FLAG}=1 stores the data unencrypted"
)
DEVELOPMENT = f"development mode ({DEV_FLAG}=1): no data key, what leakbot stores is NOT encrypted"
UNENCRYPTED = (
    "some data is stored unencrypted (from before encryption, or development mode): run `leakbot keys rotate`"
)


class KeyRefused(Exception):
    """The keys given cannot be used with this database; one line saying what to set."""


@dataclass(frozen=True)
class KeyCheck:
    encrypted: bool  # False: development mode
    notes: tuple[str, ...] = ()  # to say at start (warnings)


async def live_keys(session: AsyncSession) -> list[str]:
    """The keys data is stored under: the registry's, and the newest incident's (data written by a process
    that never registered its key, such as a test harness, is still checked)."""
    rows = set((await session.scalars(select(DataKey.key_id).where(DataKey.retired_at.is_(None)))).all())
    facts = column("facts", Text)
    newest = await session.scalar(
        select(facts)
        .select_from(table("incidents", facts, column("id")))
        .order_by(column("id").desc())
        .limit(1)
    )
    if newest is not None:
        rows.add(key_id_of(newest))
    return sorted(rows)


async def register(session: AsyncSession, kid: str, now: datetime) -> None:
    """``kid`` has (or will have) data: listed, and live again if a rotation had retired it. Replicas starting
    together (serve, `db upgrade`) register the same key at once: the insert gives way to the other's row."""
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    await session.execute(
        insert(DataKey).values(key_id=kid, added_at=now).on_conflict_do_nothing(index_elements=["key_id"])
    )
    await session.execute(
        update(DataKey).where(DataKey.key_id == kid, DataKey.retired_at.is_not(None)).values(retired_at=None)
    )


async def check_keys(engine: AsyncEngine, keyring: Keyring, *, dev_insecure: bool, writes: bool) -> KeyCheck:
    """Raise KeyRefused when the keys cannot be used; ``writes``: this process will store data (serve, import),
    so a missing key needs development mode and the key it writes under is recorded."""
    now = datetime.now(UTC)
    async with AsyncSession(engine) as session, session.begin():
        live = await live_keys(session)
        encrypted_live = [k for k in live if k != PLAINTEXT]
        if not keyring.keys:
            if encrypted_live:
                raise KeyRefused(
                    f"this database is encrypted (key {', '.join(encrypted_live)}): set LEAKBOT_DATA_KEY "
                    "(or LEAKBOT_DATA_KEY_FILE) to its key"
                )
            if writes and not dev_insecure:
                raise KeyRefused(NO_KEY)
            if writes:
                await register(session, PLAINTEXT, now)
            return KeyCheck(False, (DEVELOPMENT,) if writes else ())
        missing = [k for k in encrypted_live if k not in keyring.ids]
        if missing:
            given = keyring.current_id + (
                f" (and previous {', '.join(keyring.ids[1:])})" if len(keyring.ids) > 1 else ""
            )
            raise KeyRefused(
                f"the data key does not open this database: its data is under key {', '.join(missing)}, "
                f"the key given is {given}; during a rotation give the old key in LEAKBOT_DATA_KEY_PREVIOUS"
            )
        if writes and keyring.current_id is not None:
            await register(session, keyring.current_id, now)
        return KeyCheck(True, (UNENCRYPTED,) if PLAINTEXT in live else ())
