"""`leakbot incidents purge`, `leakbot incidents hold`, `leakbot audit list`: retention, legal hold and who read
what (issue 21), for administrators."""

from __future__ import annotations

import getpass
import json
from typing import Any

import click

from adapters.cli.errors import CliError
from bot.services.errors import ServiceError
from bot.services.ports import Actor


def reader() -> Actor:
    """The operator who reads or acts from the command line, by their login name (the audit trail says who)."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no login name in a bare container
        name = "admin"
    return Actor.operator(name or "admin")


def retention_lines(data: dict[str, Any]) -> list[str]:
    """What `incidents show` says about the incident's retention."""
    lines = []
    if data.get("closed_at"):
        lines.append(f"closed: {data['closed_at']}")
    if data.get("legal_hold"):
        lines.append("legal hold: yes (its free text is not purged until the commander lifts the hold)")
    if data.get("purged_at"):
        lines.append(f"purged: {data['purged_at']} (free text and drafts erased; the record remains)")
    return lines


def purged_refusal(reference: str, refused: ServiceError) -> CliError:
    if refused.code == "incident_purged":
        return CliError(
            f"{reference}: its free text and drafts were purged (retention); `leakbot incidents show` and "
            f"`leakbot audit list {reference}` show the record that remains",
            code=1,
        )
    return CliError(f"{reference}: refused ({refused.code})", code=1)


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Only show what would be erased; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="As JSON (a list).")
def incidents_purge(dry_run: bool, as_json: bool) -> None:
    """Erase the free text and drafts of every incident closed longer ago than retention.days (org config),
    keeping the record (reference, dates, grounds, deadlines, who filed what and when, each filed document's
    hash) and the audit chain. Incidents under legal hold are listed and left as they are. The daily job does
    the same; this runs it now. Needs the org config (its retention: section)."""
    from adapters.cli.store import run_with_core

    items = run_with_core(lambda core: core.incidents.purge(reader(), dry_run=dry_run), writes=True)
    if as_json:
        click.echo(json.dumps([_item_json(i, dry_run) for i in items], ensure_ascii=False))
        return
    if not items:
        click.echo("nothing is due for purging")
        return
    for item in items:
        what = ", ".join(f"{k} {v}" for k, v in item.erased.as_json().items()) or "no free text left"
        if item.held:
            state = f"held (legal hold): nothing erased; would erase {what}"
        else:
            state = f"{'would erase' if dry_run else 'erased'} {what}"
        click.echo(
            f"{item.reference}  closed {item.closed_at.date().isoformat()}  "
            f"due {item.due_at.date().isoformat()}  {state}"
        )
    held = sum(1 for i in items if i.held)
    verb = "would be purged" if dry_run else "purged"
    click.echo(f"{len(items) - held} {verb}, {held} held")


def _item_json(item, dry_run: bool) -> dict[str, Any]:
    return {
        "reference": item.reference,
        "closed_at": item.closed_at.isoformat(),
        "due_at": item.due_at.isoformat(),
        "held": item.held,
        "purged": not (dry_run or item.held),
        "erased": item.erased.as_json(),
    }


@click.command("hold")
@click.argument("reference")
@click.option("--release", is_flag=True, help="Lift the legal hold.")
@click.option("--reason", default="", help="Why (kept sealed in the audit trail, at most 1,000 characters).")
def incidents_hold(reference: str, release: bool, reason: str) -> None:
    """Put REFERENCE under legal hold (its free text is never purged while it holds) or lift it. In chat this
    is the commander's (`/leak hold`); here the operator's, recorded under their login name."""
    from adapters.cli.store import run_with_core

    try:
        outcome = run_with_core(
            lambda core: core.incidents.set_legal_hold(reference, reader(), not release, reason)
        )
    except ServiceError as refused:
        if refused.code == "too_long":
            raise CliError(f"--reason: at most {refused.params['limit']} characters") from None
        raise purged_refusal(reference, refused) from None
    state = "under legal hold" if outcome.incident.legal_hold else "not under legal hold"
    click.echo(f"{reference}: {state}" + ("" if outcome.changed else " (unchanged)"))


@click.command("list")
@click.argument("reference")
@click.option("--reads", is_flag=True, help="Only who read it (exports, shows, App Home) and when.")
@click.option("--json", "as_json", is_flag=True, help="As JSON (a list).")
def audit_list(reference: str, reads: bool, as_json: bool) -> None:
    """The audit trail of REFERENCE, oldest first: when, who, what. Free text shows only as its sealed digest
    (the words are in `incidents show` and the export, whose reads are recorded here)."""
    from adapters.cli.store import run_with_core

    entries = run_with_core(lambda core: core.incidents.audit_trail(reference))
    if reads:
        entries = [e for e in entries if e.action == "read"]
    rows = [
        {"seq": e.seq, "at": e.at.isoformat(), "actor": e.actor, "action": e.action, "details": e.details}
        for e in entries
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, default=str))
        return
    if not rows:
        click.echo(f"{reference}: nobody read it yet" if reads else f"{reference}: no events")
    for row in rows:
        details = json.dumps(row["details"], ensure_ascii=False, default=str, sort_keys=True)
        click.echo(f"{row['seq']:>4}  {row['at']}  {row['actor']:<24} {row['action']:<22} {details}")
