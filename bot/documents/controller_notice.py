"""The notice a processor (委託先) owes its controller (委託元) promptly: every item of the report as known now
(個人情報保護法26条1項ただし書・規則9条; for My Number data 番号法29条の4第1項ただし書・同規則4条). Once it is
given, the processor is freed from reporting and from notifying the people (GL 3-5-3-5); the controller reports."""

from __future__ import annotations

from datetime import date

from bot.config.org import OrgConfig
from bot.documents.deadline_words import due_line
from bot.documents.draft import Draft
from bot.documents.model import Document, field, paragraph
from bot.documents.ppc_report import nine_items
from bot.documents.timeline import TimelineEvent
from bot.domain.views import IncidentView
from bot.law_words import processor_basis


def controller_notice(
    view: IncidentView,
    org: OrgConfig | None,
    lang: str = "ja",
    *,
    events: tuple[TimelineEvent, ...] = (),
    on: date | None = None,
) -> Document:
    d = Draft(view, org, lang, on, tuple(events))
    basis = processor_basis(view.assessment, lang)
    header = d.section(
        "doc.ctl.header",
        (
            field(d.t("doc.label.to"), d.placeholder("doc.fill.controller")),
            field(d.t("doc.label.from"), d.company()),
            field(d.t("doc.label.date"), d.dated()),
            field(d.t("doc.label.due"), due_line(d, "controller_notice")),
            field(d.t("doc.label.basis"), basis),
            field(d.t("doc.label.reference"), view.reference),
            field(d.t("doc.label.responsible"), d.responsible("name")),
            field(d.t("doc.label.responsible_phone"), d.responsible("phone")),
            field(d.t("doc.label.responsible_email"), d.responsible("email")),
            paragraph(d.t("doc.ctl.lead", data=d.data_term(), basis=basis)),
        ),
    )
    closing = d.section("doc.ctl.closing", (paragraph(d.t("doc.ctl.closing_text")),))
    return d.document("controller_notice", d.t("doc.ctl.title"), [header, *nine_items(d), closing])
