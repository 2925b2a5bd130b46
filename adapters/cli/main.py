"""The `leakbot` command.

Subcommands are imported only when invoked: `leakbot --help` and `leakbot deadlines` must not pay for
slack-bolt, the Teams SDK, aiohttp, SQLAlchemy or Alembic (tests/test_cli_startup.py holds this).
"""

from __future__ import annotations

import importlib
import sys

import click

from adapters.cli.errors import BAD_INPUT, CliError, fail

NO_ARGS = getattr(
    click.exceptions, "NoArgsIsHelpError", ()
)  # click >= 8.2; older click prints the help itself

# name -> (module, attribute, the one-line help shown by `leakbot --help`), in the order shown.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "deadlines": ("adapters.cli.legal", "deadlines", "The 速報 window and 確報 deadline as JSON."),
    "assess": ("adapters.cli.legal", "assess_command", "Reportability, grounds and deadlines as JSON."),
    "db": ("adapters.cli.store", "db", "Database schema."),
    "incidents": ("adapters.cli.store", "incidents", "Stored incidents."),
    "audit": ("adapters.cli.store", "audit", "The hash-chained audit trail."),
    "keys": ("adapters.cli.keys", "keys", "Data keys: generate, status, rotate."),
    "playbook": ("adapters.cli.playbooks", "playbook", "The leak-response procedure."),
    "serve": ("adapters.cli.serve", "serve", "Run the app: Slack, Teams, /healthz, /metrics."),
    "teams": ("adapters.cli.teams", "teams", "Microsoft Teams."),
    "demo": ("adapters.cli.demo", "demo", "The whole journey against a fake Slack workspace (or Teams)."),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use; the listing uses the help strings above."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute, _ = COMMANDS[cmd_name]
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{module}.{attribute} is not a click command")
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, short) for name, (_, _, short) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup)
def cli() -> None:
    """leakbot: walks a company through a personal-data leak under APPI."""


def main(argv: list[str] | None = None) -> None:
    try:
        cli.main(args=argv, prog_name="leakbot", standalone_mode=False)
    except CliError as exc:
        fail(str(exc), exc.code, exc.details)
    except click.exceptions.Abort:
        fail("aborted", 1)
    except click.ClickException as exc:
        if isinstance(exc, NO_ARGS) and exc.ctx is not None:  # `leakbot` alone: the help, as --help shows it
            click.echo(exc.ctx.get_help(), err=True)
            sys.exit(BAD_INPUT)
        fail(exc.format_message(), exc.exit_code)
    sys.exit(0)
