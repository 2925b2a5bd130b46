"""The `leakbot` command."""

from __future__ import annotations

import sys

import click

from adapters.cli.demo import demo
from adapters.cli.errors import CliError, fail
from adapters.cli.legal import assess_command, deadlines
from adapters.cli.playbooks import playbook
from adapters.cli.serve import serve
from adapters.cli.store import audit, db, incidents
from adapters.cli.teams import teams


@click.group()
def cli() -> None:
    """leakbot: walks a company through a personal-data leak under APPI."""


for command in (deadlines, assess_command, db, incidents, audit, playbook, serve, teams, demo):
    cli.add_command(command)


def main(argv: list[str] | None = None) -> None:
    try:
        cli.main(args=argv, prog_name="leakbot", standalone_mode=False)
    except CliError as exc:
        fail(str(exc), exc.code)
    except click.exceptions.Abort:
        fail("aborted", 1)
    except click.ClickException as exc:
        fail(exc.format_message(), exc.exit_code)
    sys.exit(0)
