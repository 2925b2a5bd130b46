"""Consultation memos: the police (a 遺失届 for a loss, a 被害届 for a theft or misconduct, the cyber-crime desk
for an attack) and the IPA when the cause calls for them, and the sector regulator when the organization names
one that does not already receive the leak report (organization.sector_regulator)."""

from __future__ import annotations

from bot.appi.recipients import recipient
from bot.config.org import OrgConfig
from bot.documents.draft import Draft
from bot.documents.model import Block, Document, Section, bullet, field, paragraph
from bot.domain.views import IncidentView
from bot.domain.vocabulary import Cause

POLICE_DESK = {
    Cause.UNAUTHORIZED_ACCESS: "doc.cons.police.cyber",
    Cause.THEFT: "doc.cons.police.theft",
    Cause.LOSS_THEFT: "doc.cons.police.loss_or_theft",
    Cause.INSIDER: "doc.cons.police.insider",
}
CONTAINMENT = ("isolate_network", "disable_accounts", "remove_malware", "fix_vulnerabilities")


def consultation(view: IncidentView, org: OrgConfig | None, lang: str = "ja") -> Document:
    d = Draft(view, org, lang)
    cause = view.facts.cause
    sections: list[Section] = []
    if cause is Cause.LOSS:
        sections.append(_lost_property(d))
    elif cause in POLICE_DESK:
        sections.append(_police(d, POLICE_DESK[cause]))
    if cause is Cause.UNAUTHORIZED_ACCESS:
        sections.append(
            d.section(
                "doc.cons.ipa",
                (
                    field(d.t("doc.label.desk"), d.t("doc.cons.ipa.desk")),
                    *_common(d),
                    *(field(title, state) for title, state in d.step_fields(*CONTAINMENT)),
                    *(field(title, state) for title, state in d.step_fields("report_to_ipa")),
                ),
            )
        )
    regulator = view.assessment.sector_regulator
    if regulator is not None:
        sections.append(_regulator(d, regulator))
    if not sections:
        why = "doc.cons.none_unknown" if cause is Cause.UNKNOWN else "doc.cons.none"
        if cause is Cause.UNKNOWN:
            d.unknown(d.t("doc.item.cause"))
        sections.append(
            d.section("doc.cons.none_heading", (paragraph(d.t(why, cause=d.t(f"cause.{cause}"))),))
        )
    return d.document("consultation", d.t("doc.cons.title"), sections)


def _lost_property(d: Draft) -> Section:
    """A loss is reported as lost property (遺失届): what, where, when. No damage report, no logs."""
    occurred = d.facts.occurred_at
    return d.section(
        "doc.cons.lost",
        (
            field(d.t("doc.label.desk"), d.t("doc.cons.police.loss")),
            field(d.t("doc.label.entity"), d.company()),
            field(d.t("doc.label.contact_person"), d.desk_value("name")),
            field(d.t("doc.label.contact_phone"), d.desk_value("phone")),
            field(d.t("doc.label.lost_item"), d.summary()),
            field(
                d.t("doc.label.lost_when"), d.occurred() if occurred else d.unknown(d.t("doc.item.lost_when"))
            ),
            field(d.t("doc.label.lost_where"), d.unknown(d.t("doc.item.lost_where"))),
            *(field(title, state) for title, state in d.step_fields("search_lost_item", "report_to_police")),
            bullet(d.t("doc.cons.lost.ask")),
            bullet(d.t("doc.cons.lost.bring")),
        ),
    )


def _police(d: Draft, desk: str) -> Section:
    return d.section(
        "doc.cons.police",
        (
            field(d.t("doc.label.desk"), d.t(desk)),
            *_common(d),
            *(field(title, state) for title, state in d.step_fields("preserve_evidence", "report_to_police")),
            bullet(d.t("doc.cons.police.ask_report")),
            bullet(d.t("doc.cons.police.ask_evidence")),
        ),
    )


def _regulator(d: Draft, key: str) -> Section:
    regulator = recipient(key)
    police = d.step_state("report_to_police") if d.step("report_to_police") else d.t("doc.state.todo")
    return d.section(
        "doc.cons.regulator",
        (
            field(d.t("doc.label.desk"), regulator.how(d.lang)),
            *_common(d),
            field(d.t("doc.label.secondary_damage"), d.secondary_damage()),
            field(d.t("doc.label.police"), police),
            *(field(title, state) for title, state in d.step_fields("notify_individuals")),
            field(d.t("doc.label.prevention"), d.prevention()),
        ),
        regulator=regulator.name(d.lang),
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
