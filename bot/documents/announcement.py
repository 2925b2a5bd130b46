"""公表 (お詫びとお知らせ): which service, what happened and when it was found, the investigation's status, what
data and how many, secondary damage, what was done, what people can do, cause and prevention, the reports
made, the contact desk, a promise to update. A public text: it names no person and never announces what has
not been done ("未実施"); a report not yet made is said only as the duty it is."""

from __future__ import annotations

from datetime import date

from bot.config.org import OrgConfig
from bot.documents.draft import Draft
from bot.documents.model import Block, Document, Section, bullet, field, paragraph
from bot.domain.views import IncidentView
from bot.playbook.known_steps import CONTAINMENT, INVESTIGATION, PROTECTION

# What was done that the public is told of: containment and protection, not the internal steps (the first report
# to a superior, evidence kept, the team set up).
PUBLIC_STEPS = (*CONTAINMENT, *PROTECTION)


def announcement(
    view: IncidentView, org: OrgConfig | None, lang: str = "ja", *, on: date | None = None
) -> Document:
    d = Draft(view, org, lang, on, public=True)
    entity = "public_body" if d.public_body else "business"
    company = d.company()
    done = [bullet(f"{title}（{when}）" if lang == "ja" else f"{title} ({when})") for title, when in _done(d)]
    actions = ([paragraph(d.measures_taken())] if view.facts.measures_taken else []) + done
    sections = [
        d.section(
            "doc.ann.header",
            (
                paragraph(d.dated()),
                paragraph(company),  # no representative's name: a public text names no person
                paragraph(d.t(f"doc.ann.lead.{entity}", company=company, service=d.service())),
            ),
        ),
        d.section(
            "doc.ann.what",
            (
                field(d.t("doc.label.service"), d.service()),
                field(d.t("doc.label.summary"), d.summary()),
                field(d.t("doc.label.state"), d.state_of_leak()),
                field(d.t("doc.label.occurred_at"), d.occurred()),
                field(d.t("doc.label.aware_at"), d.aware()),
                field(d.t("doc.label.discovered_how"), d.discovered_how()),
                field(d.t("doc.label.investigation"), _investigation(d)),
            ),
        ),
        d.section(
            "doc.ann.data",
            (
                field(d.t("doc.label.data_items"), d.data_items_line()),
                field(d.t("doc.label.persons"), d.persons()),
                field(d.t("doc.label.not_affected"), d.not_affected()),
            ),
        ),
        d.section("doc.ann.secondary", (paragraph(d.secondary_damage()),)),
        d.section("doc.ann.actions", actions or [paragraph(d.t("doc.ann.actions_ongoing"))]),
        d.section("doc.ann.advice", tuple(bullet(a) for a in d.advice()), people=d.people()),
        d.section(
            "doc.ann.cause",
            (field(d.t("doc.label.cause"), d.cause()), field(d.t("doc.label.prevention"), d.prevention())),
        ),
    ]
    reports = _reports(d)
    if reports:
        sections.append(d.section("doc.ann.reports", reports))
    sections += [
        d.section("doc.ann.desk", tuple(d.desk_fields())),
        d.section("doc.ann.update", (paragraph(d.t("doc.ann.update_text")),)),
    ]
    title = d.t("doc.ann.title")
    if view.assessment.processor_notice:
        title = d.t("doc.for_controller", title=title)
    return d.document("announcement", title, _numbered(d, sections))


def _numbered(d: Draft, sections: list[Section]) -> list[Section]:
    """1., 2., … in order, the statement first and unnumbered: a section left out leaves no gap."""
    first, *rest = sections
    return [first] + [
        Section(d.t("doc.numbered", n=n, heading=s.heading), s.blocks, s.key) for n, s in enumerate(rest, 1)
    ]


def _done(d: Draft) -> list[tuple[str, str]]:
    """(title, date) of each public step done."""
    return [(d.step_title(s), d.done_on(s) or "") for s in PUBLIC_STEPS if d.done_on(s)]


def _investigation(d: Draft) -> str:
    finished = all(d.step_done(s) for s in INVESTIGATION if d.step(s) is not None)
    return d.t("doc.ann.investigated" if finished else "doc.ann.investigating")


def _reports(d: Draft) -> list[Block]:
    """The reports made, with their dates; a report the law requires and not yet made, as the duty it is.
    Nothing is said of a report neither made nor required."""
    blocks: list[Block] = []
    authority = d.recipient().name(d.lang)
    filed = d.done_on("final_report") or d.done_on("preliminary_report")
    if filed:
        blocks.append(paragraph(d.t("doc.ann.reported", authority=authority, date=filed)))
    elif d.assessment.reportable:
        blocks.append(paragraph(d.t("doc.ann.will_report", authority=authority)))
    police = d.done_on("report_to_police")
    if police:
        blocks.append(paragraph(d.t("doc.ann.police_reported", date=police)))
    ipa = d.done_on("report_to_ipa")
    if ipa:
        blocks.append(paragraph(d.t("doc.ann.ipa_reported", date=ipa)))
    return blocks
