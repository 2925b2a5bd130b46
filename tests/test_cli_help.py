"""Every command, subcommand and option of `leakbot` says what it is for in `--help`: a new user finds their
way from `leakbot --help` down without reading the code."""

from __future__ import annotations

import click

from adapters.cli.main import COMMANDS, cli


def walk(command: click.Command, path: str, ctx: click.Context | None = None):
    """(path, command, context) for the command and everything under it."""
    ctx = click.Context(command, info_name=path.split()[-1], parent=ctx)
    yield path, command, ctx
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            assert sub is not None, f"{path} {name}"
            yield from walk(sub, f"{path} {name}", ctx)


def test_every_command_and_option_has_help() -> None:
    missing = []
    commands = list(walk(cli, "leakbot"))
    assert {path.split()[1] for path, _, _ in commands[1:]} == set(COMMANDS)
    for path, command, ctx in commands:
        if not (command.help or command.short_help):
            missing.append(f"{path}: the command")
        for param in command.get_params(ctx):
            if isinstance(param, click.Option) and not param.help:
                missing.append(f"{path}: {'/'.join(param.opts)}")
    assert missing == [], "without help text:\n" + "\n".join(missing)
