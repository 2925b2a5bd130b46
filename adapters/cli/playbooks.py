"""`leakbot playbook validate|show`."""

from __future__ import annotations

from pathlib import Path

import click

from adapters.cli.errors import CliError
from bot.bootstrap import load_playbooks
from bot.config.settings import CoreSettings
from bot.domain.vocabulary import Cause
from bot.playbook.engine import Situation, applicable_steps
from bot.playbook.loader import DEFAULT_PLAYBOOKS_DIR, PlaybookError, PlaybookRegistry


@click.group("playbook")
def playbook() -> None:
    """The leak-response procedure."""


@playbook.command("validate")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def validate(path: Path | None) -> None:
    """Validate the shipped playbooks and LEAKBOT_PLAYBOOKS_DIR, or PATH (a file or a directory)."""
    try:
        if path is None:
            registry = load_playbooks(CoreSettings())
        elif path.is_dir():
            registry = PlaybookRegistry.load(DEFAULT_PLAYBOOKS_DIR, path)
        else:
            registry = _load_file(path)
    except PlaybookError as exc:
        for error in exc.errors:
            click.echo(error, err=True)
        raise SystemExit(2) from None
    for playbook_id, source in registry.sources.items():
        click.echo(f"ok: {playbook_id} ({len(registry.get(playbook_id).steps)} steps) from {source}")


def _load_file(path: Path) -> PlaybookRegistry:
    """A single file: a whole playbook, or an overlay applied to the shipped playbooks."""
    registry = PlaybookRegistry.load(DEFAULT_PLAYBOOKS_DIR)
    errors = registry._add(path)
    if errors:
        raise PlaybookError(errors)
    return PlaybookRegistry(
        {k: v for k, v in registry.playbooks.items() if registry.sources[k] == str(path)},
        {k: v for k, v in registry.sources.items() if v == str(path)},
    )


@playbook.command("show")
@click.option("--cause", type=click.Choice([c.value for c in Cause]), default=None, help="Show one branch.")
@click.option(
    "--lang",
    type=click.Choice(["ja", "en"]),
    default="ja",
    help="Japanese (ja, the default) or English (en).",
)
@click.option(
    "--id", "playbook_id", default="personal-data-leak", show_default=True, help="Which playbook to show."
)
@click.option("--reportable/--not-reportable", default=True, help="Include the steps for reportable leaks.")
def show(cause: str | None, lang: str, playbook_id: str, reportable: bool) -> None:
    """The ordered steps with their owners (all branches unless --cause is given)."""
    try:
        book = load_playbooks(CoreSettings()).get(playbook_id)
    except PlaybookError as exc:
        raise CliError("; ".join(exc.errors)) from None
    if cause:
        situation = Situation(Cause(cause), reportable, True, False, True, True)
        steps = applicable_steps(book, situation)
    else:
        steps = book.steps
    titles = {p.id: p.title.get(lang) for p in book.phases}
    click.echo(book.title.get(lang))
    for phase in book.phases:
        in_phase = [s for s in steps if s.phase == phase.id]
        if not in_phase:
            continue
        click.echo(f"\n== {titles[phase.id]}")
        for number, step in enumerate(in_phase, start=1):
            branch = f" [{', '.join(step.causes)}]" if step.causes and not cause else ""
            click.echo(f"{number:>3}. {step.title.get(lang)}  ({step.owner}){branch}  <{step.id}>")
