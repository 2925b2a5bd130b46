"""本人通知 (法26条2項, 規則10条): 概要, the data items, 原因, 二次被害又はそのおそれ, what the person can do, the
contact desk; as a letter and as an e-mail."""

from __future__ import annotations

from datetime import date
from typing import Literal

from bot.config.org import OrgConfig
from bot.documents._common import Draft
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
    d = Draft(view, org, lang, on)
    company = d.company()
    opening: list = []
    if form == "email":
        opening.append(field(d.t("doc.notice.subject_label"), d.t("doc.notice.subject", company=company)))
    else:
        opening += [paragraph(d.dated()), paragraph(d.t("doc.notice.to"))]
        opening += [paragraph(company), paragraph(d.representative())]
    opening.append(paragraph(d.t("doc.notice.apology", company=company)))
    sections = [
        d.section("doc.notice.opening", tuple(opening)),
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
        d.section("doc.notice.advice", tuple(bullet(a) for a in d.advice())),
        d.section("doc.notice.desk", tuple(d.desk_fields())),
        d.section("doc.notice.closing", (paragraph(d.t("doc.notice.closing_text")),)),
    ]
    if form == "email":
        sections.append(
            d.section("doc.notice.signature", (paragraph(company), paragraph(d.desk_value("name"))))
        )
    return Document(
        f"notice_{form}",
        d.t(f"doc.notice.title.{form}"),
        lang,
        tuple(sections),
        tuple(d.missing),
        tuple(d.to_fill),
    )
