"""漏えい等報告 to the PPC (or the delegated ministry): 速報 and 確報, the nine items of 規則8条1項 in order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Literal

from bot.config.org import OrgConfig
from bot.documents._common import Draft, format_date, format_datetime
from bot.documents.model import Document, bullet, field, paragraph
from bot.documents.timeline import TimelineEvent
from bot.domain.facts import Facts
from bot.domain.views import IncidentView
from bot.playbook.engine import StepStatus

Kind = Literal["preliminary", "final"]

# 規則8条1項 1号〜9号, in the order of the rule and of the PPC's form.
ITEMS = (
    "overview",
    "data_items",
    "persons",
    "cause",
    "secondary_damage",
    "individuals",
    "announcement",
    "prevention",
    "other",
)


def ppc_report(
    view: IncidentView,
    org: OrgConfig | None,
    lang: str = "ja",
    *,
    kind: Kind = "preliminary",
    since: Facts | None = None,
    events: Sequence[TimelineEvent] = (),
    on: date | None = None,
) -> Document:
    """The 速報 (``kind="preliminary"``) or 確報 (``"final"``). For the 確報, ``since`` (the facts as filed in the
    速報) says what changed; without it, the audit ``events`` after the 速報 was marked filed name the fields."""
    d = Draft(view, org, lang, on)
    header = d.section(
        "doc.ppc.header",
        (
            field(d.t("doc.label.kind"), d.t(f"deadline.{kind}")),
            field(d.t("doc.label.date"), d.dated()),
            field(d.t("doc.label.recipient"), d.recipient().name(lang)),
            field(d.t("doc.label.how"), d.recipient().how(lang)),
            field(d.t("doc.label.entity"), d.company()),
            field(d.t("doc.label.representative"), d.representative()),
            field(d.t("doc.label.reference"), view.reference),
            field(d.t("doc.label.aware_at"), d.aware()),
            field(d.t("doc.label.my_number"), d.my_number()),
            *(field(d.t("doc.label.ground"), g) for g in d.grounds()),
        ),
    )
    overview = d.section(
        f"doc.ppc.item.{ITEMS[0]}",
        (
            field(d.t("doc.label.summary"), d.summary()),
            field(d.t("doc.label.state"), d.state_of_leak()),
            field(d.t("doc.label.occurred_at"), d.occurred()),
            field(d.t("doc.label.aware_at"), d.aware()),
            field(d.t("doc.label.discovered_how"), d.discovered_how()),
            field(d.t("doc.label.processor"), d.t(_yes_no(view.facts.processor_involved))),
            field(d.t("doc.label.acting_for_controller"), d.t(_yes_no(view.facts.acting_for_controller))),
        ),
    )
    sections = [
        header,
        overview,
        d.section(f"doc.ppc.item.{ITEMS[1]}", tuple(bullet(i) for i in d.data_items())),
        d.section(f"doc.ppc.item.{ITEMS[2]}", (paragraph(d.persons()),)),
        d.section(f"doc.ppc.item.{ITEMS[3]}", (paragraph(d.cause()),)),
        d.section(f"doc.ppc.item.{ITEMS[4]}", (paragraph(d.secondary_damage()),)),
        d.section(
            f"doc.ppc.item.{ITEMS[5]}",
            (
                field(d.step_title("notify_individuals"), d.step_state("notify_individuals")),
                field(d.step_title("set_up_enquiry_desk"), d.step_state("set_up_enquiry_desk")),
            ),
        ),
        d.section(
            f"doc.ppc.item.{ITEMS[6]}",
            (field(d.step_title("publish_announcement"), d.step_state("publish_announcement")),),
        ),
        d.section(
            f"doc.ppc.item.{ITEMS[7]}",
            (paragraph(d.prevention()), *(bullet(s) for s in d.done_steps_in("prevention"))),
        ),
        d.section(f"doc.ppc.item.{ITEMS[8]}", tuple(_other(d))),
    ]
    if kind == "final":
        sections.insert(1, d.section("doc.ppc.changes", tuple(_changes(d, since, events))))
    return Document(
        f"ppc_report_{kind}",
        d.t(f"doc.ppc.title.{kind}", recipient=d.recipient().name(lang)),
        lang,
        tuple(sections),
        tuple(d.missing),
        tuple(d.to_fill),
    )


def _yes_no(value: bool) -> str:
    return "doc.yes" if value else "doc.not_indicated"


def _other(d: Draft) -> list:
    blocks = []
    if d.facts.measures_taken:
        blocks.append(field(d.t("doc.label.measures_taken"), d.facts.measures_taken))
    for step_id in ("report_to_police", "report_to_ipa", "report_to_sector_regulator", "notify_controller"):
        if d.step(step_id) is not None:
            blocks.append(field(d.step_title(step_id), d.step_state(step_id)))
    if d.facts.notes:
        blocks.append(field(d.t("doc.label.notes"), d.facts.notes))
    return blocks or [paragraph(d.t("doc.none_recorded"))]


def _changes(d: Draft, since: Facts | None, events: Sequence[TimelineEvent]) -> list:
    """What changed since the 速報: from the facts as filed, else from the audit trail after it was filed."""
    if since is not None:
        changed = since.changed_fields(d.facts)
        if not changed:
            return [paragraph(d.t("doc.ppc.no_changes"))]
        return [
            field(
                d.t(f"doc.field.{name}"),
                d.t("doc.ppc.changed", old=_shown(d, name, old), new=_shown(d, name, new)),
            )
            for name, (old, new) in changed.items()
        ]
    filed = d.step("preliminary_report")
    if filed is None or filed.status is not StepStatus.DONE or filed.updated_at is None:
        return [paragraph(d.t("doc.ppc.changes_unknown"))]
    names: list[str] = []
    for event in events:
        if event.action == "facts_changed" and event.at > filed.updated_at:
            names += [n for n in event.details.get("fields", []) if n not in names]
    intro = d.t("doc.ppc.changed_since", date=format_date(filed.updated_at, d.lang))
    if not names:
        return [paragraph(intro), paragraph(d.t("doc.ppc.no_changes"))]
    return [paragraph(intro), *(bullet(d.t(f"doc.field.{n}")) for n in names)]


def _shown(d: Draft, name: str, value: object) -> str:
    if value in (None, "", [], ()):
        return d.t("doc.unknown")
    if name == "cause":
        return d.t(f"cause.{value}")
    if name == "occurred_at":
        return format_datetime(datetime.fromisoformat(str(value)), d.lang)
    if isinstance(value, bool):
        return d.t("doc.yes" if value else "doc.no")
    if isinstance(value, list):
        sep = "、" if d.lang == "ja" else ", "
        return sep.join(d.t(f"item.{v}") for v in value)
    return str(value)
