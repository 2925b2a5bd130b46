"""`leakbot db`, `leakbot incidents`, `leakbot audit`: what is stored, for administrators."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from adapters.cli.backup import db_backup, db_replan, db_restore
from adapters.cli.database import core_settings, database_errors
from adapters.cli.errors import CliError
from adapters.cli.importing import incidents_import
from adapters.cli.keys import encrypt_after_upgrade
from adapters.cli.retention import (
    audit_list,
    incidents_hold,
    incidents_purge,
    purged_refusal,
    reader,
    retention_lines,
)
from bot.bootstrap import READ_DEFAULTS, Core, build_core, load_org, load_org_for_reads
from bot.config.org import ConfigError
from bot.domain.views import IncidentView
from bot.journey.export import export_bundle, write_bundle
from bot.playbook.loader import PlaybookError
from bot.reminders.ics import deadlines_calendar
from bot.services.errors import NotFoundError, ServiceError
from bot.services.ports import OPERATOR
from bot.storage import migrate
from bot.storage.keycheck import check_keys

T = TypeVar("T")


def run_with_core(use: Callable[[Core], Awaitable[T]], writes: bool = False) -> T:
    """Run a read against the stored incidents: no org config needed (bot.bootstrap.load_org_for_reads), and
    a database without this version's schema gets one line saying to run `leakbot db upgrade` (exit 2).
    ``writes``: a use that creates an incident needs the org config (the playbook, thresholds, reminders)."""
    settings = core_settings()

    async def main() -> T:
        core = build_core(settings, org=load_org(settings) if writes else load_org_for_reads(settings))
        try:
            await migrate.check_schema(core.engine)
            checked = await check_keys(
                core.engine, settings.keyring(), dev_insecure=settings.dev_insecure, writes=writes
            )
            for note in checked.notes:
                click.echo(f"leakbot: {note}", err=True)
            return await use(core)
        finally:
            await core.close()

    try:
        with database_errors(settings, "read"):
            return asyncio.run(main())
    except (ConfigError, PlaybookError) as exc:
        raise CliError(str(exc)) from None
    except NotFoundError as exc:
        raise CliError(f"no incident {exc.params['reference']}", code=1) from None


@click.group("db")
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply the migrations to DATABASE_URL (creates the schema on an empty database).

    Safe to run from several replicas at once: on PostgreSQL they take turns (an advisory lock)."""
    settings = core_settings()
    with database_errors(settings, "upgrade"):
        done = migrate.upgrade(settings.database_url)
        click.echo(done.describe())
        encrypted = encrypt_after_upgrade(settings)
    if encrypted:
        click.echo(encrypted)


def incident_json(view: IncidentView) -> dict[str, Any]:
    return {
        "reference": view.reference,
        "status": view.status,
        "platform": view.platform,
        "channel": {"id": view.channel_id, "name": view.channel_name},
        "aware_at": view.aware_at.isoformat(),
        "cause": str(view.facts.cause),
        "facts": view.facts.model_dump(mode="json"),
        "origin": None if view.origin is None else view.origin.to_json(),
        "assessment": {
            "reportable": view.assessment.reportable,
            "grounds": list(view.assessment.grounds),
            "notify_individuals": view.assessment.notify_individuals,
            "counted_persons": view.assessment.counted_persons,
            "final_days": view.assessment.final_days,
            "recipient": view.assessment.recipient,
        },
        "deadlines": [
            {"key": d.key, "kind": d.kind, "due_at": d.due_at.isoformat(), "status": d.status}
            for d in view.deadlines
        ],
        "progress": {"finished": view.progress.finished, "total": view.progress.total},
        "steps": [{"id": s.step.id, "phase": s.step.phase, "state": str(s.status)} for s in view.steps],
        "members": [{"role": m.role, "user": f"{m.platform}:{m.user_id}"} for m in view.members],
        "closed_at": view.closed_at.isoformat() if view.closed_at else None,
        "legal_hold": view.legal_hold,
        "purged_at": view.purged_at.isoformat() if view.purged_at else None,
        "refused_attempts": {
            "count": view.refusals,
            "latest": None
            if view.last_refusal is None
            else {
                "at": view.last_refusal.at.isoformat(),
                "actor": view.last_refusal.actor,
                "attempt": view.last_refusal.attempt,
                "code": view.last_refusal.code,
            },
        },
        "merged_into": view.merged_into,
        "merged_reports": [
            {"reference": m.reference, "reporter": m.reporter, "at": m.at.isoformat(), "summary": m.summary}
            for m in view.merged
        ],
    }


def failures_json(failures: list) -> list[dict[str, Any]]:
    return [
        {
            "deadline": f.deadline_key,
            "kind": f.kind,
            "target": f.target,
            "planned_at": f.planned_at.isoformat() if f.planned_at else None,
            "attempts": f.attempts,
            "last_attempt_at": f.last_attempt_at.isoformat() if f.last_attempt_at else None,
            "error": f.error,
        }
        for f in failures
    ]


@click.group("incidents")
def incidents() -> None:
    """Stored incidents."""


incidents.add_command(incidents_import)
incidents.add_command(incidents_purge)
incidents.add_command(incidents_hold)


@incidents.command("list")
@click.option("--json", "as_json", is_flag=True, help="As JSON (a list; empty when there is none).")
@click.option("--drills", is_flag=True, help="Include drills (DRILL- references).")
def incidents_list(as_json: bool, drills: bool) -> None:
    """One line per incident: status, channel, reportability, the next legal deadline, progress."""
    views = run_with_core(lambda core: core.incidents.list(OPERATOR, drills=drills))
    if as_json:
        click.echo(json.dumps([incident_json(v) for v in views], ensure_ascii=False))
        return
    if not views:
        click.echo("no incidents stored yet" if drills else "no incidents stored yet (drills: add --drills)")
    for v in views:
        grounds = ",".join(v.assessment.grounds) or "-"
        nxt = v.next_legal_deadline()
        due = nxt.due_at.date().isoformat() + f" ({nxt.key})" if nxt else "-"
        click.echo(
            f"{v.reference}  {v.status:<6}  {v.channel_name or '-':<24}  "
            f"reportable={'yes' if v.assessment.reportable else 'no'} grounds={grounds}  "
            f"next={due}  progress={v.progress.finished}/{v.progress.total}"
        )


@incidents.command("show")
@click.argument("reference")
@click.option("--json", "as_json", is_flag=True, help="As JSON.")
def incidents_show(reference: str, as_json: bool) -> None:
    """One incident: its assessment, deadlines, steps, undelivered reminders and refused attempts."""

    async def read(core: Core) -> dict[str, Any]:
        data = incident_json(await core.incidents.get(reference, reader(), audit="show"))
        failures = await core.reminder_service({}, "cli").failures(reference)
        return data | {"reminder_failures": failures_json(failures)}

    data = run_with_core(read)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    a = data["assessment"]
    click.echo(f"{data['reference']}  status={data['status']}  channel={data['channel']['name'] or '-'}")
    for line in retention_lines(data):
        click.echo(line)
    if data["origin"] is not None:
        o = data["origin"]
        click.echo(
            f"imported: source={o['source'] or '-'}  reported by: {o['reported_by'] or '-'}  title: {o['title'] or '-'}"
        )
    click.echo(
        f"assessment: reportable={a['reportable']} grounds={','.join(a['grounds']) or '-'} "
        f"notify_individuals={a['notify_individuals']} final_days={a['final_days']} "
        f"recipient={a['recipient']}"
    )
    if data["merged_reports"]:  # look-alike reports the commander merged into it (issue 22)
        click.echo(f"merged reports ({len(data['merged_reports'])}):")
        for m in data["merged_reports"]:
            click.echo(f"  {m['reference']}  {m['at']}  {m['reporter']}  {m['summary']}")
    click.echo("deadlines:")
    for d in data["deadlines"]:
        click.echo(f"  {d['key']:<40} {d['due_at']}  {d['status']}")
    click.echo(f"steps ({data['progress']['finished']}/{data['progress']['total']} finished):")
    for s in data["steps"]:
        click.echo(f"  [{s['state']:<14}] {s['phase']:<17} {s['id']}")
    if data["reminder_failures"]:
        click.echo("reminders that could not be delivered:")
        for f in data["reminder_failures"]:
            click.echo(
                f"  {f['deadline']}/{f['kind']} -> {f['target']}  planned {f['planned_at']}  "
                f"{f['attempts']} tries: {f['error']}"
            )
    refused = data["refused_attempts"]
    if refused["count"]:
        latest = refused["latest"]
        click.echo(
            f"refused attempts: {refused['count']} (latest {latest['at']} {latest['actor']} "
            f"{latest['attempt']}: {latest['code']})"
        )


@incidents.command("calendar")
@click.argument("reference")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Where to write the .ics (default: REFERENCE.ics).",
)
@click.option(
    "--lang",
    type=click.Choice(["ja", "en"]),
    default="ja",
    help="Japanese (ja, the default) or English (en).",
)
def incidents_calendar(reference: str, output: str | None, lang: str) -> None:
    """Write an .ics calendar of the incident's legal deadlines."""

    async def make(core: Core) -> bytes:
        view = await core.incidents.get(reference, reader(), audit="calendar")
        return deadlines_calendar(view, core.clock.now(), lang)

    data = run_with_core(make)
    path = output or f"{reference}.ics"
    with open(path, "wb") as handle:
        handle.write(data)
    click.echo(f"wrote {path}")


@incidents.command("export")
@click.argument("reference")
@click.option(
    "-o",
    "--output",
    "directory",
    type=click.Path(),
    required=True,
    help="The directory to write the bundle to (created when missing).",
)
@click.option(
    "--lang",
    type=click.Choice(["ja", "en"]),
    default="ja",
    help="Japanese (ja, the default) or English (en).",
)
def incidents_export(reference: str, directory: str, lang: str) -> None:
    """Write the drafts (ppc-report, notice, announcement, enquiry-script, consultation, timeline) as .md and
    .docx, and deadlines.ics, to DIRECTORY (a drill: its after-action report too). ppc-report holds the 速報 then
    the 確報; notice the letter then the e-mail. Values the org config's documents: section leaves unset show as
    【要記入】, unknown facts as 調査中. A document filed, sent or published is written as it was then (stamped
    with who and when); the team's section edits are kept."""
    target = output_directory(directory)

    async def make(core: Core) -> dict[str, bytes]:
        org = None if core.org is READ_DEFAULTS else core.org  # no org config: the company is 【要記入】
        return await export_bundle(core.incidents, core.journey.drills, reference, reader(), lang, org)

    try:
        files = run_with_core(make)
    except ServiceError as refused:
        raise purged_refusal(reference, refused) from None
    try:
        write_bundle(target, files)
    except OSError as exc:
        raise CliError(f"cannot write to {target}: {exc.strerror}", code=1) from None
    click.echo(f"wrote {len(files)} files to {target}")


def output_directory(directory: str) -> Path:
    """Where the bundle goes, checked before anything is read or written: a directory we may write to, or one
    we can create (its nearest existing ancestor is a directory we may write to). Anything else is one line."""
    if not directory.strip():
        raise CliError("-o names no directory (an empty path would write into the current directory)")
    target = Path(directory)
    existing = target.absolute()
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise CliError(f"cannot write to {target}: {existing} is not a directory")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise CliError(f"cannot write to {target}: {existing} is not writable")
    return target


@click.group("audit")
def audit() -> None:
    """The hash-chained audit trail."""


@audit.command("verify")
@click.argument("reference")
def audit_verify(reference: str) -> None:
    """Exit 0 when the chain is intact, 1 when an event was changed or removed."""
    report = run_with_core(lambda core: core.incidents.verify_audit(reference))
    if report.ok:
        click.echo(f"{report.reference}: audit trail intact ({report.events} events)")
        return
    raise CliError(f"{report.reference}: audit trail broken: {report.problem}", code=1)


audit.add_command(audit_list)
db.add_command(db_backup)
db.add_command(db_restore)
db.add_command(db_replan)
