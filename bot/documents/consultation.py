"""Consultation memos: the police (サイバー犯罪相談窓口, or 遺失届・被害届) and the IPA when the cause calls for
them, and the sector regulator when the organization's sector has one (recipients.yaml)."""

from __future__ import annotations

from bot.config.org import OrgConfig
from bot.documents._common import Draft
from bot.documents.model import Block, Document, Section, bullet, field, paragraph
from bot.domain.views import IncidentView
from bot.domain.vocabulary import Cause

POLICE_DESK = {
    Cause.UNAUTHORIZED_ACCESS: "doc.cons.police.cyber",
    Cause.LOSS_THEFT: "doc.cons.police.loss",
    Cause.INSIDER: "doc.cons.police.insider",
}


def consultation(view: IncidentView, org: OrgConfig | None, lang: str = "ja") -> Document:
    d = Draft(view, org, lang)
    cause = view.facts.cause
    sections: list[Section] = []
    if cause in POLICE_DESK:
        sections.append(
            d.section(
                "doc.cons.police",
                (
                    field(d.t("doc.label.desk"), d.t(POLICE_DESK[cause])),
                    *_common(d),
                    field(d.step_title("preserve_evidence"), d.step_state("preserve_evidence")),
                    field(d.step_title("report_to_police"), d.step_state("report_to_police")),
                    bullet(d.t("doc.cons.police.ask_report")),
                    bullet(d.t("doc.cons.police.ask_evidence")),
                ),
            )
        )
    if cause is Cause.UNAUTHORIZED_ACCESS:
        containment = ("isolate_network", "disable_accounts", "remove_malware", "fix_vulnerabilities")
        sections.append(
            d.section(
                "doc.cons.ipa",
                (
                    field(d.t("doc.label.desk"), d.t("doc.cons.ipa.desk")),
                    *_common(d),
                    *(field(d.step_title(s), d.step_state(s)) for s in containment if d.step(s) is not None),
                    field(d.step_title("report_to_ipa"), d.step_state("report_to_ipa")),
                ),
            )
        )
    recipient = d.recipient()
    if recipient.key != "ppc":
        police = d.step_state("report_to_police") if d.step("report_to_police") else d.t("doc.state.todo")
        sections.append(
            d.section(
                "doc.cons.regulator",
                (
                    field(d.t("doc.label.desk"), recipient.how(lang)),
                    *_common(d),
                    field(d.t("doc.label.secondary_damage"), d.secondary_damage()),
                    field(d.t("doc.label.police"), police),
                    field(d.step_title("notify_individuals"), d.step_state("notify_individuals")),
                    field(d.t("doc.label.prevention"), d.prevention()),
                ),
                regulator=recipient.name(lang),
            )
        )
    if not sections:
        why = "doc.cons.none_unknown" if cause is Cause.UNKNOWN else "doc.cons.none"
        if cause is Cause.UNKNOWN:
            d.unknown(d.t("doc.item.cause"))
        sections.append(
            d.section("doc.cons.none_heading", (paragraph(d.t(why, cause=d.t(f"cause.{cause}"))),))
        )
    return Document(
        "consultation", d.t("doc.cons.title"), lang, tuple(sections), tuple(d.missing), tuple(d.to_fill)
    )


def _common(d: Draft) -> tuple[Block, ...]:
    return (
        field(d.t("doc.label.entity"), d.company()),
        field(d.t("doc.label.contact_person"), d.desk_value("name")),
        field(d.t("doc.label.contact_phone"), d.desk_value("phone")),
        field(d.t("doc.label.aware_at"), d.aware()),
        field(d.t("doc.label.summary"), d.summary()),
        field(d.t("doc.label.cause"), d.cause()),
        field(d.t("doc.label.data_items"), d.data_items_line()),
        field(d.t("doc.label.persons"), d.persons()),
    )
