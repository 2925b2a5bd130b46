"""The timeline: every fact, decision and step with who and when, from the audit trail."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config.org import OrgConfig
from bot.documents._common import format_datetime
from bot.documents.draft import Draft
from bot.documents.model import Document, bullet, paragraph
from bot.domain.views import IncidentView
from bot.i18n import catalog
from bot.services import audit_log
from bot.storage.tables import AuditEvent, Incident


@dataclass(frozen=True)
class TimelineEvent:
    """One audit-trail entry as plain data (no ORM row)."""

    at: datetime
    actor: str  # "slack:U…", "teams:29:…", "cli:admin", "system:leakbot"
    action: str  # reported, facts_changed, step_changed, reassessed, member_added, closed, …
    details: dict[str, Any] = field(default_factory=dict)


async def read_events(session: AsyncSession, reference: str) -> list[TimelineEvent]:
    """The incident's audit events, oldest first (empty when there is no such incident)."""
    rows = (
        await session.scalars(
            select(AuditEvent)
            .join(Incident, Incident.id == AuditEvent.incident_id)
            .where(Incident.reference == reference)
            .order_by(AuditEvent.seq)
        )
    ).all()
    return [TimelineEvent(r.at, r.actor, r.action, audit_log.opened(r.details, r.sealed)) for r in rows]


def timeline(
    view: IncidentView,
    org: OrgConfig | None,
    lang: str = "ja",
    *,
    events: Sequence[TimelineEvent] = (),
    names: Mapping[str, str] | None = None,
) -> Document:
    """Every event with who (a name where ``names`` knows it, else the person's role) and when."""
    d = Draft(view, org, lang, names=names or {})
    entries: list[tuple[datetime, str, str]] = []
    if view.facts.occurred_at is not None:
        entries.append((view.facts.occurred_at, "", d.t("doc.tl.occurred")))
    entries.append((view.aware_at, "", d.t("doc.tl.aware")))
    # who read it (an export, `incidents show`, App Home) is in the audit trail, not in what happened
    entries += [(e.at, d.who(e.actor), _what(d, e)) for e in events if e.action != "read"]
    entries.sort(key=lambda entry: entry[0])
    lines = [
        bullet(d.t("doc.tl.entry", at=format_datetime(at, lang), who=who or "-", what=what))
        for at, who, what in entries
    ]
    facts = d.section(
        "doc.tl.facts",
        (paragraph(d.t("doc.tl.occurred_unknown")),) if view.facts.occurred_at is None else (),
    )
    sections = [d.section("doc.tl.heading", tuple(lines))]
    if facts.blocks:
        d.unknown(d.t("doc.item.occurred_at"))
        sections.append(facts)
    return d.document("timeline", d.t("doc.tl.title", reference=view.reference), sections)


def _what(d: Draft, event: TimelineEvent) -> str:
    details = event.details
    if event.action == "step_changed":
        step = str(details.get("step", ""))
        status = str(details.get("to", ""))
        label = d.t(f"status.{status}") if f"status.{status}" in catalog() else status
        text = d.t(
            "doc.tl.step_changed", step=d.step_title(step) or d.t("doc.tl.step_elsewhere"), status=label
        )
        reason = details.get("reason")
        return text + (d.t("doc.tl.reason", reason=reason) if reason else "")
    if event.action == "facts_changed":
        fields = [_field(d, f) for f in details.get("fields", [])]
        return d.t("doc.tl.facts_changed", fields=("、" if d.lang == "ja" else ", ").join(fields))
    if event.action == "member_added":
        role = str(details.get("role", ""))
        label = d.t(f"role.{role}") if f"role.{role}" in catalog() else role
        who = d.who(f"{event.actor.partition(':')[0]}:{details.get('user', '')}")
        return d.t("doc.tl.member_added", user=who, role=label)
    key = f"doc.tl.action.{event.action}"
    return d.t(key) if key in catalog() else d.t("doc.tl.other", action=event.action)


def _field(d: Draft, name: str) -> str:
    key = f"doc.field.{name}"
    return d.t(key) if key in catalog() else name
