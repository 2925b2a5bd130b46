"""`leakbot --help` starts fast: the chat SDKs, the web server, the ORM and Alembic are imported only by the
commands that use them (figures in docs/benchmarks.md, "Command-line start-up")."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from adapters.cli.main import COMMANDS, cli

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("slack_bolt", "slack_sdk", "microsoft_agents", "aiohttp", "sqlalchemy", "alembic", "apscheduler")

PROBE = """
import atexit, json, sys
atexit.register(lambda: sys.stderr.write("MODULES " + json.dumps(sorted(sys.modules)) + "\\n"))
from adapters.cli.main import main
main(sys.argv[1:])
"""


def imported_by(*argv: str) -> tuple[subprocess.CompletedProcess, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    line = next(line for line in done.stderr.splitlines() if line.startswith("MODULES "))
    return done, {name.split(".")[0] for name in json.loads(line.removeprefix("MODULES "))}


@pytest.mark.parametrize("argv", [["--help"], ["deadlines", "--aware", "2026-12-01"]])
def test_help_and_the_law_commands_import_no_sdk_and_no_database(argv) -> None:
    done, modules = imported_by(*argv)
    assert done.returncode == 0, done.stderr
    assert sorted(modules & set(HEAVY)) == []


def test_help_lists_every_command_without_importing_it() -> None:
    done, _ = imported_by("--help")
    for name, (_, _, short) in COMMANDS.items():
        assert f"{name}  " in done.stdout and short in done.stdout


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_listed_command_loads_under_its_name(name) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert isinstance(command, click.Command) and command.name == name


def test_an_unknown_command_is_one_line_with_exit_2() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "nosuchcommand"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and "No such command" in done.stderr and "Traceback" not in done.stderr


def test_leakbot_alone_shows_the_help_readably() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode in (0, 2) and "Commands:" in done.stdout + done.stderr
    assert (
        "\n  incidents" in done.stdout + done.stderr
    )  # one command a line, not the help folded into an error
