"""`leakbot db backup`, `leakbot db restore`, `leakbot db replan`: backup and restore (issue 21)."""

from __future__ import annotations

from pathlib import Path

import click

from adapters.cli.database import core_settings, database_errors
from adapters.cli.errors import CliError
from adapters.cli.retention import reader
from bot.storage import migrate
from bot.storage.backup import BackupError


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def db_backup(target: Path) -> None:
    """Copy the SQLite database into TARGET (a new file) with SQLite's online backup API, while leakbot runs.
    The copy is encrypted like the database: keep the data key apart from it. PostgreSQL: use pg_dump."""
    from bot.storage.backup import backup

    settings = core_settings()
    try:
        with database_errors(settings, "back up"):
            count = backup(settings.database_url, target)
    except BackupError as exc:
        raise CliError(str(exc), code=1) from None
    click.echo(f"backed up {count} incidents to {target}")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
def db_restore(source: Path) -> None:
    """Restore the SQLite backup SOURCE into DATABASE_URL (a new file, or one holding no incident; stop
    leakbot first), bring its schema up to date and plan every open incident's reminders again (needs the
    org config, like `serve`). PostgreSQL: pg_restore, then `leakbot db upgrade` and `leakbot db replan`."""
    from bot.storage.backup import restore

    settings = core_settings()
    try:
        with database_errors(settings, "restore"):
            count = restore(source, settings.database_url)
            click.echo(f"restored {count} incidents from {source}")
            click.echo(migrate.upgrade(settings.database_url).describe())
    except BackupError as exc:
        raise CliError(str(exc), code=1) from None
    _replan()


@click.command("replan")
def db_replan() -> None:
    """Plan every open incident's reminders again from its deadlines and the org config (after a restore,
    or a change of the reminders: section); an incident already planned is left as it is."""
    _replan()


def _replan() -> None:
    from adapters.cli.store import run_with_core

    changed = run_with_core(lambda core: core.incidents.replan_all(reader()), writes=True)
    moved = sum(1 for n in changed.values() if n)
    click.echo(f"reminders: {len(changed)} open incidents, {moved} replanned")
