"""`leakbot incidents import FILE`: register a report made outside chat (by phone, by e-mail, from a customer or
a vendor) from a YAML or JSON file. The rules are the core's (bot/services/report_import.py); this reads the
file, says each wrong field on a line of its own, and prints the reference."""

from __future__ import annotations

import json
from pathlib import Path

import click

from adapters.cli.errors import CliError

IMPORTER = "import"  # the audit trail's actor: cli:import, an operator of the installation


def default_platform() -> str | None:
    """The platform this environment configures, when it is exactly one (as `leakbot serve` would see it)."""
    from adapters.slack.settings import SlackSettings
    from adapters.teams.settings import TeamsSettings

    configured = [
        name
        for name, on in (("slack", SlackSettings().configured), ("teams", TeamsSettings().configured))
        if on
    ]
    return configured[0] if len(configured) == 1 else None


def load(path: Path) -> object:
    """The file's content: JSON for a .json file, else YAML (which reads JSON too). One line when unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CliError(f"{path.name}: not YAML or JSON (not UTF-8 text)") from None
    except OSError as exc:
        raise CliError(f"cannot read {path.name}: {exc.strerror}") from None
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise CliError(f"{path.name}: not JSON (line {exc.lineno}, column {exc.colno})") from None
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        raise CliError(f"{path.name}: not YAML or JSON{where}") from None


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help='Print {"reference": "…"} and nothing else.')
def incidents_import(file: Path, as_json: bool) -> None:
    """Register one incident reported outside chat, from a YAML or JSON FILE (see the README, Command line):
    aware_at (with its UTC offset), facts (as `incidents show --json` prints them), and optionally id,
    source, reported_by, title, platform. Prints the new reference; on a wrong field, nothing is saved."""
    from adapters.cli.store import run_with_core
    from bot.clock import SystemClock
    from bot.services.ports import Actor
    from bot.services.report_import import FILE, ImportErrors, parse_import

    try:
        parsed = parse_import(load(file), SystemClock().now(), default_platform())
    except ImportErrors as exc:
        if list(exc.errors) == [FILE]:  # not a mapping at all: one line
            raise CliError(f"{file.name}: {exc.errors[FILE]}") from None
        count = len(exc.errors)
        raise CliError(
            f"{file.name}: {count} field{'s' if count > 1 else ''} to fix; nothing was saved",
            details=tuple(f"{path}: {message}" for path, message in exc.errors.items()),
        ) from None
    outcome = run_with_core(
        lambda core: core.incidents.report(parsed.request(core.org.language, Actor.operator(IMPORTER))),
        writes=True,
    )
    reference = outcome.incident.reference
    if not outcome.created:
        click.echo(f"{file.name}: already imported as {reference}; nothing new was saved", err=True)
    click.echo(json.dumps({"reference": reference}) if as_json else reference)
