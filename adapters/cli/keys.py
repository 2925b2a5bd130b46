"""`leakbot keys`: the data keys (README, "Keys"): make one, see what is stored under which, rotate."""

from __future__ import annotations

import asyncio

import click

from adapters.cli.database import core_settings, database_errors
from adapters.cli.errors import CliError
from bot.config.settings import CoreSettings
from bot.storage import migrate
from bot.storage.crypto import Keyring, generate_key
from bot.storage.db import create_engine
from bot.storage.keycheck import check_keys
from bot.storage.rotation import Rotation, remaining, rotate

NEEDS_KEYS = (
    "`leakbot keys rotate` needs the new key in LEAKBOT_DATA_KEY (or first in LEAKBOT_DATA_KEY_FILE) and the "
    "old ones in LEAKBOT_DATA_KEY_PREVIOUS"
)


@click.group("keys")
def keys() -> None:
    """Data keys: generate one, see what is stored under which, rotate."""


@keys.command("generate")
def keys_generate() -> None:
    """Print a new random key (32 bytes, base64url) for LEAKBOT_DATA_KEY or a key file."""
    click.echo(generate_key())


@keys.command("status")
def keys_status() -> None:
    """How many stored values are under each key (by its id) and how many are unencrypted."""
    settings = core_settings()

    async def main() -> dict[str, int]:
        engine = create_engine(settings.database_url, Keyring())
        try:
            await migrate.check_schema(engine)
            return await remaining(engine)
        finally:
            await engine.dispose()

    with database_errors(settings, "read"):
        counts = asyncio.run(main())
        current = settings.keyring().current_id
    if not counts:
        click.echo("nothing stored yet")
    for kid, n in sorted(counts.items()):
        label = "unencrypted" if kid == "plain" else f"key {kid}" + (" (current)" if kid == current else "")
        click.echo(f"{label}: {n} values")


async def _rotate(
    settings: CoreSettings, keyring: Keyring, batch_size: int, pause: float, plaintext_only: bool
) -> Rotation:
    engine = create_engine(settings.database_url, keyring)
    try:
        await migrate.check_schema(engine)
        await check_keys(engine, keyring, dev_insecure=False, writes=False)  # the old keys are all given
        return await rotate(
            engine,
            keyring,
            batch_size=batch_size,
            pause=pause,
            plaintext_only=plaintext_only,
            progress=lambda where, n: click.echo(f"{where}: {n} re-encrypted"),
        )
    finally:
        await engine.dispose()


@keys.command("rotate")
@click.option(
    "--batch-size", type=click.IntRange(min=1), default=200, show_default=True, help="Values per transaction."
)
@click.option(
    "--pause",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="Seconds between batches, to go easy on a busy database.",
)
def keys_rotate(batch_size: int, pause: float) -> None:
    """Re-encrypt everything (unencrypted values too) under the current key, while the app runs.

    Give the new key as LEAKBOT_DATA_KEY and the old ones in LEAKBOT_DATA_KEY_PREVIOUS (the app too, so it
    reads both meanwhile). Each batch is committed: a rotation stopped at any point is finished by running it
    again. When nothing is left under the old keys, they are retired and may be removed."""
    settings = core_settings()
    with database_errors(settings, "rotate"):
        keyring = settings.keyring()
        if keyring.current_id is None:
            raise CliError(NEEDS_KEYS)
        done = asyncio.run(_rotate(settings, keyring, batch_size, pause, plaintext_only=False))
    if done.left:
        left = ", ".join(f"{n} under {kid}" for kid, n in sorted(done.left.items()))
        raise CliError(
            f"{done.moved} values re-encrypted, but {left} were written meanwhile by a process without the new "
            "key: give every replica the new key, then run `leakbot keys rotate` again",
            code=1,
        )
    retired = f"; retired: {', '.join(done.retired)} (remove them from the settings)" if done.retired else ""
    click.echo(
        f"done: {done.moved} values re-encrypted, everything is under key {keyring.current_id}{retired}"
    )


def encrypt_after_upgrade(settings: CoreSettings) -> str | None:
    """`leakbot db upgrade` with a key: what was stored unencrypted (before encryption) is encrypted now.
    None when no key is given (nothing to say)."""
    keyring = settings.keyring()
    if keyring.current_id is None:
        return None
    done = asyncio.run(_rotate(settings, keyring, 200, 0.0, plaintext_only=True))
    if not done.moved:
        return None
    return f"encrypted {done.moved} values stored unencrypted, under key {keyring.current_id}"
