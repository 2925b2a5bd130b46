"""Korea's drafts under PIPA Art. 34 (issue 20): the report to the PIPC or KISA (Art. 34(3); Enforcement Decree
Art. 40: within 72 hours when 1,000 or more people, sensitive or unique identifying information, or unlawful
access from outside) and the notice to the people affected (Art. 34(1); Decree Art. 39: within 72 hours, whatever
the count). Both carry the five items of Art. 34(1), headed by the KR regime file's forms.

They are drafted in English and say that a Korean translation is needed before filing or sending: the PIPC and
the people in Korea read Korean, and a machine translation of a legal notice is not leakbot's to make."""

from __future__ import annotations

from datetime import date, datetime

from bot.config.org import OrgConfig
from bot.documents._regime import LANG, contact_fields, deadline_of, forms, headed, result_of, when
from bot.documents.draft import Draft
from bot.documents.model import Block, Document, bullet, field, paragraph
from bot.domain.views import IncidentView
from bot.regimes import RegimeResult

CODE = "KR"


def _draft(view: IncidentView, org: OrgConfig | None, on: date | None, public: bool = False) -> Draft:
    d = Draft(view, org, LANG, on, public=public)
    d.warn("doc.kr.translation")
    return d


def _status(d: Draft, result: RegimeResult | None) -> str:
    if result is None or result.reportable is None:
        return d.t("doc.kr.status.undetermined")
    if result.reportable is False:
        return d.t("doc.kr.status.not_reportable")
    grounds = ", ".join(d.t(f"doc.kr.ground.{g}") for g in result.grounds)
    return d.t("doc.kr.status.reportable", grounds=grounds)


def _due(d: Draft, duty: str) -> Block:
    deadline = deadline_of(d.view, CODE, duty)
    if deadline is None:
        return paragraph(d.t("doc.kr.due.none"))
    return paragraph(d.t(f"doc.kr.due.{duty}", due=when(d, deadline.due_at, CODE)))


def _parts(d: Draft) -> list[tuple[str, tuple[Block, ...]]]:
    """The five items of PIPA Art. 34(1), in the regime file's order (the report adds how many people)."""
    items = [field(d.t("doc.kr.label.items"), d.data_items_line())]
    if not d.public:
        items.append(field(d.t("doc.kr.label.people"), d.persons()))
    return [
        ("kr.items", tuple(items)),
        (
            "kr.when_how",
            (
                field(d.t("doc.label.summary"), d.summary()),
                field(d.t("doc.label.occurred_at"), d.occurred()),
                field(d.t("doc.gdpr.label.aware"), when(d, d.view.aware_at, CODE)),
                field(d.t("doc.label.cause"), d.cause()),
            ),
        ),
        ("kr.minimise", tuple(bullet(a) for a in d.advice())),
        (
            "kr.remedy",
            (
                field(d.t("doc.label.measures_taken"), d.measures_taken()),
                field(d.t("doc.label.prevention"), d.prevention()),
                field(d.t("doc.kr.label.remedy"), d.placeholder("doc.fill.kr_remedy")),
            ),
        ),
        (
            "kr.contact",
            (
                *d.desk_fields(),
                *contact_fields(d, CODE, "doc.kr.label.cpo", "doc.fill.kr_cpo"),
            ),
        ),
    ]


def kr_notification(
    view: IncidentView, org: OrgConfig | None, on: date | None = None, at: datetime | None = None
) -> Document:
    """The report to the PIPC or KISA: who reports, whether and why it is owed, its 72 hours, and the five
    items."""
    d = _draft(view, org, on)
    result = result_of(view, CODE)
    authority = result.authority(LANG) if result is not None else d.t("doc.kr.authority")
    head = d.section(
        "doc.gdpr.heading.parties",
        (
            paragraph(d.t("doc.kr.about")),
            field(d.t("doc.gdpr.label.to"), authority),
            field(d.t("doc.kr.label.controller"), d.company()),
            field(d.t("doc.gdpr.label.reference"), view.reference),
            field(d.t("doc.gdpr.label.date"), d.dated()),
            field(d.t("doc.kr.label.status"), _status(d, result)),
            _due(d, "authority"),
        ),
    )
    sections = [head, *headed(forms(result, "authority"), _parts(d))]
    return d.document("kr_notification", d.t("doc.kr.title.notification"), sections)


def kr_notice(
    view: IncidentView, org: OrgConfig | None, on: date | None = None, at: datetime | None = None
) -> Document:
    """The notice to every person affected, whatever the count, within 72 hours of becoming aware."""
    d = _draft(view, org, on, public=True)
    result = result_of(view, CODE)
    head = d.section(
        "doc.kr.heading.notice",
        (
            paragraph(d.t("doc.kr.about")),
            paragraph(d.t("doc.kr.notice.owed")),
            _due(d, "individuals"),
            paragraph(d.dated()),
        ),
    )
    sections = [head, *headed(forms(result, "individuals"), _parts(d))]
    return d.document("kr_notice", d.t("doc.kr.title.notice"), sections)
