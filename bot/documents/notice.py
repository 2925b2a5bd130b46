"""本人通知 (法26条2項・規則10条; a public body 法68条2項・規則45条; My Number data 番号法29条の4第2項・同規則5条):
概要, the data items, 原因, 二次被害又はそのおそれ, and what the person can do with the contact desk (その他参考と
なる事項); as a letter and as an e-mail. A public text: free text that may name a person is never copied."""

from __future__ import annotations

from datetime import date
from typing import Literal

from bot.config.org import OrgConfig
from bot.documents.deadline_words import due_line
from bot.documents.draft import Draft
from bot.documents.model import Document, bullet, field, paragraph
from bot.domain.views import IncidentView

Form = Literal["letter", "email"]


def notice(
    view: IncidentView,
    org: OrgConfig | None,
    lang: str = "ja",
    *,
    form: Form = "letter",
    on: date | None = None,
) -> Document:
    d = Draft(view, org, lang, on, public=True)
    entity = "public_body" if d.public_body else "business"
    company = d.company()
    opening: list = []
    if form == "email":
        opening.append(field(d.t("doc.notice.subject_label"), d.t("doc.notice.subject", company=company)))
    else:
        # A public text names no person: signed by the organization, not its representative (PPC report only).
        opening += [paragraph(d.dated()), paragraph(d.t(f"doc.notice.to.{entity}")), paragraph(company)]
    opening.append(paragraph(d.t(f"doc.notice.apology.{entity}", company=company)))
    sections = [
        d.section("doc.notice.opening", opening),
        d.section(
            "doc.notice.overview",
            (
                field(d.t("doc.label.summary"), d.summary()),
                field(d.t("doc.label.state"), d.state_of_leak()),
                field(d.t("doc.label.occurred_at"), d.occurred()),
                field(d.t("doc.label.aware_at"), d.aware()),
            ),
        ),
        d.section("doc.notice.items", tuple(bullet(i) for i in d.data_items())),
        d.section("doc.notice.cause", (paragraph(d.cause()),)),
        d.section("doc.notice.secondary", (paragraph(d.secondary_damage()),)),
        d.section(f"doc.notice.advice.{entity}", tuple(bullet(a) for a in d.advice())),
        d.section("doc.notice.desk", tuple(d.desk_fields())),
        d.section("doc.notice.closing", (paragraph(d.t("doc.notice.closing_text")),)),
    ]
    if form == "email":
        signature = (paragraph(company), paragraph(d.desk_value("name")))
        sections.append(d.section("doc.notice.signature", signature))
    _duty_note(d)
    title = d.t(f"doc.notice.title.{form}")
    if view.assessment.processor_notice:
        title = d.t("doc.for_controller", title=title)
    document = d.document(f"notice_{form}", title, sections)
    return document.due_on(due_line(d, "individuals"))


def _duty_note(d: Draft) -> None:
    """Whether the law asks for this notice: a voluntary notice, or one still being determined, says so."""
    a = d.assessment
    if a.reportable or a.processor_notice:
        return
    d.warn("doc.warn.notice_undetermined" if a.undetermined else "doc.warn.notice_voluntary")
