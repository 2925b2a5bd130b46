"""The enquiry desk's script and FAQ: the opening, the facts the desk may say, answers drawn from the facts,
what to escalate."""

from __future__ import annotations

from bot.config.org import OrgConfig
from bot.documents._common import Draft
from bot.documents.model import Document, bullet, field, paragraph
from bot.domain.views import IncidentView


def enquiry_script(view: IncidentView, org: OrgConfig | None, lang: str = "ja") -> Document:
    d = Draft(view, org, lang)
    company = d.company()
    facts = (
        field(d.t("doc.label.summary"), d.summary()),
        field(d.t("doc.label.aware_at"), d.aware()),
        field(d.t("doc.label.data_items"), d.data_items_line()),
        field(d.t("doc.label.persons"), d.persons()),
        field(d.t("doc.label.cause"), d.cause()),
        field(d.t("doc.label.secondary_damage"), d.secondary_damage()),
        field(d.t("doc.label.measures_taken"), d.measures_taken()),
    )
    notified = d.step_done("notify_individuals")
    included = d.t("doc.faq.included_notified", state=d.step_state("notify_individuals")) if notified else ""
    sections = (
        d.section(
            "doc.faq.opening",
            (paragraph(d.t("doc.faq.opening_text", company=company, desk=d.desk_value("name"))),),
        ),
        d.section("doc.faq.facts", (paragraph(d.t("doc.faq.facts_intro")), *facts)),
        d.section(
            "doc.faq.q_included",
            (paragraph(included or d.t("doc.faq.included_checking")),),
        ),
        d.section("doc.faq.q_what_to_do", tuple(bullet(a) for a in d.advice())),
        d.section("doc.faq.q_compensation", (paragraph(d.t("doc.faq.compensation")),)),
        d.section("doc.faq.q_unknown", (paragraph(d.t("doc.faq.unknown")),)),
        d.section(
            "doc.faq.escalate",
            tuple(
                bullet(d.t(f"doc.faq.escalate.{k}"))
                for k in ("press", "misuse", "legal", "authority", "angry")
            ),
        ),
        d.section(
            "doc.faq.never",
            tuple(bullet(d.t(f"doc.faq.never.{k}")) for k in ("speculate", "promise", "others", "blame")),
        ),
        d.section("doc.faq.desk", tuple(d.desk_fields())),
    )
    return Document(
        "enquiry_script", d.t("doc.faq.title"), lang, sections, tuple(d.missing), tuple(d.to_fill)
    )
