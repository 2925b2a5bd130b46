"""漏えい等報告 to the PPC (or the delegated ministry): 速報 and 確報, the nine items in the rule's order and words
(規則8条1項 for a business, 規則44条1項 for a public body, the My Number rule's 3条1項 for 特定個人情報), with the
header the PPC's form asks for and the report's own deadline."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Literal

from bot.config.org import OrgConfig
from bot.documents._common import format_datetime
from bot.documents.deadline_words import due_line
from bot.documents.draft import Draft
from bot.documents.model import Block, Document, Section, bullet, field, paragraph
from bot.documents.timeline import TimelineEvent
from bot.domain.facts import Facts
from bot.domain.views import IncidentView
from bot.law_words import regime

Kind = Literal["preliminary", "final"]

# 1号〜9号, in the order of the rule and of the PPC's form.
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
    d = Draft(view, org, lang, on, tuple(events))
    sections = [d.section("doc.ppc.header", _header(d, kind)), *nine_items(d)]
    if kind == "final":
        sections.insert(1, d.section("doc.ppc.changes", _changes(d, since)))
    title = d.t(f"doc.ppc.title.{kind}", recipient=d.recipient().name(lang))
    if view.assessment.processor_notice:
        title = d.t("doc.for_controller", title=title)
    elif not view.assessment.reportable:
        title = d.t("doc.title_with_duty", title=title, duty=d.duty())
    return d.document(f"ppc_report_{kind}", title, sections)


def nine_items(d: Draft) -> list[Section]:
    """The nine items of the report, as known now (also what a processor tells its controller, 規則9条)."""
    return [
        d.section("doc.ppc.item.overview", _overview(d)),
        d.section(_item_key(d, "data_items"), tuple(bullet(i) for i in d.data_items())),
        d.section(_item_key(d, "persons"), (paragraph(d.persons()),)),
        d.section("doc.ppc.item.cause", (paragraph(d.cause()),)),
        d.section("doc.ppc.item.secondary_damage", (paragraph(d.secondary_damage()),)),
        d.section("doc.ppc.item.individuals", _individuals(d)),
        d.section("doc.ppc.item.announcement", _announcement(d)),
        d.section("doc.ppc.item.prevention", _prevention(d)),
        d.section("doc.ppc.item.other", _other(d)),
    ]


def _item_key(d: Draft, item: str) -> str:
    """Items 2 and 3 in the rule's words: 個人データ / 保有個人情報 / 特定個人情報, and for a business or a public
    body whose 3号 applies, the personal information being acquired is included (規則8条1項2号, 44条1項2号)."""
    law = regime(d.assessment)
    if law != "my_number" and "malicious" in d.assessment.grounds:
        return f"doc.ppc.item.{item}.{law}.acquiring"
    return f"doc.ppc.item.{item}.{law}"


def _header(d: Draft, kind: Kind) -> list[Block]:
    blocks = [
        field(d.t("doc.label.kind"), d.t(f"deadline.{kind}")),
        field(d.t("doc.label.duty"), d.duty()),
        field(d.t("doc.label.due"), due_line(d, kind)),
        field(d.t("doc.label.date"), d.dated()),
        field(d.t("doc.label.recipient"), d.recipient().name(d.lang)),
        field(d.t("doc.label.how"), d.recipient().how(d.lang)),
        field(d.t("doc.label.entity"), d.company()),
        field(d.t("doc.label.corporate_number"), d.corporate_number()),
        field(d.t("doc.label.address"), d.address()),
        field(d.t("doc.label.representative"), d.representative()),
        field(d.t("doc.label.responsible"), d.responsible("name")),
        field(d.t("doc.label.responsible_phone"), d.responsible("phone")),
        field(d.t("doc.label.responsible_email"), d.responsible("email")),
        field(d.t("doc.label.reference"), d.view.reference),
        field(d.t("doc.label.my_number"), d.my_number()),
    ]
    return blocks


def _overview(d: Draft) -> list[Block]:
    facts = d.facts
    return [
        field(d.t("doc.label.occurred_at"), d.occurred()),
        field(d.t("doc.label.aware_at"), d.aware()),
        field(d.t("doc.label.summary"), d.summary()),
        field(d.t("doc.label.state"), d.state_of_leak()),
        field(d.t("doc.label.discovered_by"), d.discovered_by()),
        field(d.t("doc.label.discovered_how"), d.discovered_how()),
        *(field(d.ground_label(), g) for g in d.grounds()),
        field(d.t("doc.label.processor"), d.t(_yes_or_not_known(facts.processor_involved))),
        field(d.t("doc.label.acting_for_controller"), d.t(_yes_or_not_known(facts.acting_for_controller))),
        paragraph(d.t("doc.label.course")),
        *(bullet(line) for line in d.course()),
    ]


def _yes_or_not_known(value: bool) -> str:
    return "doc.yes" if value else "doc.not_indicated"


def _individuals(d: Draft) -> list[Block]:
    """本人への対応: the notice as sent (its date), the enquiry desk; what is not done yet says so."""
    blocks = [
        field(title, state) for title, state in d.step_fields("notify_individuals", "set_up_enquiry_desk")
    ]
    sent = d.document_done("notice")
    if sent:
        blocks.append(field(d.t("doc.label.notice_sent"), sent))
    return blocks or [paragraph(d.t("doc.state.todo"))]


def _announcement(d: Draft) -> list[Block]:
    blocks = [field(title, state) for title, state in d.step_fields("publish_announcement")]
    published = d.document_done("announcement")
    if published:
        blocks.append(field(d.t("doc.label.announcement_published"), published))
    return blocks or [paragraph(d.t("doc.state.todo"))]


def _prevention(d: Draft) -> list[Block]:
    """Measures done and measures planned, apart (GL 3-5-3-3(8))."""
    done = d.done_steps_in("prevention")
    return [
        paragraph(d.t("doc.label.prevention_done")),
        *(bullet(s) for s in done or [d.t("doc.none_recorded")]),
        paragraph(d.t("doc.label.prevention_planned")),
        paragraph(d.prevention()),
    ]


def _other(d: Draft) -> list[Block]:
    blocks = []
    if d.facts.measures_taken:
        blocks.append(field(d.t("doc.label.measures_taken"), d.measures_taken()))
    steps = ("report_to_police", "report_to_ipa", "report_to_sector_regulator", "notify_controller")
    blocks += [field(title, state) for title, state in d.step_fields(*steps)]
    if d.facts.notes:
        blocks.append(field(d.t("doc.label.notes"), d.free(d.facts.notes, "doc.item.notes")))
    return blocks or [paragraph(d.t("doc.none_recorded"))]


def _changes(d: Draft, since: Facts | None) -> list[Block]:
    """What changed since the 速報: each fact old → new from the facts as filed; else the fields named in the
    audit trail after it was filed."""
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
    filed_at = d.step("preliminary_report").updated_at if d.step_done("preliminary_report") else None
    if filed_at is None:
        return [paragraph(d.t("doc.ppc.changes_unknown"))]
    names: list[str] = []
    for event in d.events:
        if event.action == "facts_changed" and event.at > filed_at:
            names += [n for n in event.details.get("fields", []) if n not in names]
    intro = d.t("doc.ppc.changed_since", date=d.done_on("preliminary_report"))
    if not names:
        return [paragraph(intro), paragraph(d.t("doc.ppc.no_changes"))]
    return [paragraph(intro), *(bullet(d.t(f"doc.field.{n}")) for n in names)]


def _shown(d: Draft, name: str, value: object) -> str:
    if value in (None, "", [], ()):
        return d.t("doc.unknown")
    if name == "cause":
        return d.t(f"doc.cause.{value}")
    if name == "occurred_at":
        return format_datetime(datetime.fromisoformat(str(value)), d.lang)
    if isinstance(value, bool):
        return d.t("doc.yes" if value else "doc.no")
    if isinstance(value, list):
        sep = "、" if d.lang == "ja" else ", "
        prefix = "sensitive_kind" if name == "sensitive_kinds" else "doc.data"
        return sep.join(d.t(f"{prefix}.{v}") for v in value)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
