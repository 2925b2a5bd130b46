"""公表 (お詫びとお知らせ): what happened and when it was found, what data and how many, secondary damage, what was
done, what customers should do, cause and prevention, the reports made, the contact desk, a promise to update."""

from __future__ import annotations

from datetime import date

from bot.config.org import OrgConfig
from bot.documents._common import Draft
from bot.documents.model import Document, bullet, field, paragraph
from bot.domain.views import IncidentView


def announcement(
    view: IncidentView, org: OrgConfig | None, lang: str = "ja", *, on: date | None = None
) -> Document:
    d = Draft(view, org, lang, on)
    company = d.company()
    reports = [
        field(d.t("doc.label.ppc", recipient=d.recipient().name(lang)), _reported(d)),
    ]
    if d.step("report_to_police") is not None:
        reports.append(field(d.t("doc.label.police"), d.step_state("report_to_police")))
    if d.step("report_to_ipa") is not None:
        reports.append(field(d.t("doc.label.ipa"), d.step_state("report_to_ipa")))
    done = [bullet(s) for s in d.done_steps_in("initial") + d.done_steps_in("secondary_damage")]
    sections = (
        d.section(
            "doc.ann.header",
            (
                paragraph(d.dated()),
                paragraph(company),
                paragraph(d.representative()),
                paragraph(d.t("doc.ann.lead", company=company)),
            ),
        ),
        d.section(
            "doc.ann.what",
            (
                field(d.t("doc.label.summary"), d.summary()),
                field(d.t("doc.label.state"), d.state_of_leak()),
                field(d.t("doc.label.occurred_at"), d.occurred()),
                field(d.t("doc.label.aware_at"), d.aware()),
                field(d.t("doc.label.discovered_how"), d.discovered_how()),
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
        d.section("doc.ann.actions", (paragraph(d.measures_taken()), *done)),
        d.section("doc.ann.advice", tuple(bullet(a) for a in d.advice())),
        d.section(
            "doc.ann.cause",
            (field(d.t("doc.label.cause"), d.cause()), field(d.t("doc.label.prevention"), d.prevention())),
        ),
        d.section("doc.ann.reports", tuple(reports)),
        d.section("doc.ann.desk", tuple(d.desk_fields())),
        d.section("doc.ann.update", (paragraph(d.t("doc.ann.update_text")),)),
    )
    return Document("announcement", d.t("doc.ann.title"), lang, sections, tuple(d.missing), tuple(d.to_fill))


def _reported(d: Draft) -> str:
    """速報/確報 filed, from the step states; 「未実施」 when neither is filed (or not reportable)."""
    final, preliminary = d.step("final_report"), d.step("preliminary_report")
    if final is not None and d.step_done("final_report"):
        return d.t("doc.reported.final", state=d.step_state("final_report"))
    if preliminary is not None and d.step_done("preliminary_report"):
        return d.t("doc.reported.preliminary", state=d.step_state("preliminary_report"))
    return d.t("doc.state.todo")
