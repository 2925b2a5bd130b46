"""The export bundle — every draft as Markdown and .docx, the deadlines calendar, a drill's after-action report —
made once for `leakbot incidents export` and for the export written when an incident is closed (issue 21)."""

from __future__ import annotations

from pathlib import Path

from bot.appi.deadlines import JST
from bot.config.org import OrgConfig
from bot.documents.current import current
from bot.documents.docx import render_docx
from bot.documents.markdown import render_markdown
from bot.journey.drills import DrillConductor
from bot.reminders.ics import deadlines_calendar
from bot.services.errors import ServiceError
from bot.services.incidents import IncidentService
from bot.services.ports import Actor


async def export_bundle(
    incidents: IncidentService,
    drills: DrillConductor,
    reference: str,
    actor: Actor,
    lang: str,
    org: OrgConfig | None,
    *,
    audit: str | None = "export",
) -> dict[str, bytes]:
    """File name → content. ``org`` None: the company's values read 【要記入】. The read is audited as
    ``audit`` (who took the documents away, and when). A purged incident has no drafts left: refused."""
    papers = await incidents.papers(reference, actor, audit=audit)
    view, now = papers.incident, incidents.clock.now()
    if view.purged_at is not None:
        raise ServiceError("incident_purged", reference=reference)
    files: dict[str, bytes] = {}
    drafts = current(
        view,
        org,
        lang,
        events=papers.events,
        on=now.astimezone(JST).date(),
        edits=papers.edits,
        filed=papers.filed,
        at=now,
    )
    for name, documents in drafts.items():
        files[f"{name}.md"] = render_markdown(documents).encode("utf-8")
        files[f"{name}.docx"] = render_docx(documents)
    files["deadlines.ics"] = deadlines_calendar(view, now, lang)
    if view.drill:  # a drill's after-action report, in drill time
        report = await drills.report(reference, lang)
        files["after-action.md"] = render_markdown(report).encode("utf-8")
        files["after-action.docx"] = render_docx(report)
    return files


def write_bundle(target: Path, files: dict[str, bytes]) -> None:
    """Write every file into ``target`` (created when missing); OSError when it cannot be written."""
    target.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (target / name).write_bytes(data)
