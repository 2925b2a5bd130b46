"""The enquiry desk's script and FAQ: the opening, the facts the desk may say, answers drawn from the facts,
what to escalate."""

from __future__ import annotations

from bot.config.org import OrgConfig
from bot.documents.announcement import PUBLIC_STEPS
from bot.documents.draft import Draft
from bot.documents.model import Document, bullet, field, paragraph
from bot.domain.views import IncidentView

# What the desk may say was done: the outward steps, not the team's internal ones.
DONE = (*PUBLIC_STEPS, "preliminary_report", "final_report", "report_to_police", "publish_announcement")


def enquiry_script(view: IncidentView, org: OrgConfig | None, lang: str = "ja") -> Document:
    d = Draft(view, org, lang, public=True)
    company = d.company()
    facts = (
        field(d.t("doc.label.summary"), d.summary()),
        field(d.t("doc.label.aware_at"), d.aware()),
        field(d.t("doc.label.data_items"), d.data_items_line()),
        field(d.t("doc.label.persons"), d.persons()),
        field(d.t("doc.label.cause"), d.cause()),
        field(d.t("doc.label.secondary_damage"), d.secondary_damage()),
    )
    done = [
        bullet(d.t("doc.done_step", title=d.step_title(s), state=d.step_state(s)))
        for s in DONE
        if d.step_done(s)
    ]
    if view.facts.measures_taken:
        done.insert(0, paragraph(d.measures_taken()))
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
        d.section("doc.faq.q_done", done or [paragraph(d.t("doc.faq.done_ongoing"))]),
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
    return d.document("enquiry_script", d.t("doc.faq.title"), sections)
