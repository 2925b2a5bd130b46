"""Australia's drafts under the Notifiable Data Breaches scheme (issue 20): the statement to the Commissioner
(Privacy Act 1988 s.26WK: as soon as practicable; its contents in s.26WK(3)) and the notice to the individuals
(s.26WL: the statement's contents, as soon as practicable after it). Headed by the AU regime file's forms, in
English. The law sets no instant: the drafts say so, and give the 30 days to assess (s.26WH(2))."""

from __future__ import annotations

from datetime import date, datetime

from bot.config.org import OrgConfig
from bot.documents._regime import LANG, contact_fields, forms, headed, judgement, result_of, when
from bot.documents.draft import Draft
from bot.documents.model import Block, Document, bullet, field, paragraph
from bot.domain.views import IncidentView
from bot.regimes import RegimeResult

CODE = "AU"


def _status(d: Draft, result: RegimeResult | None) -> str:
    if result is None or result.reportable is None:
        d.unknown(d.t("doc.au.item.serious_harm"))
        return d.t("doc.au.status.undetermined")
    return d.t("doc.au.status.eligible" if result.reportable else "doc.au.status.not_eligible")


def _assessment(d: Draft, result: RegimeResult | None) -> tuple[Block, ...]:
    if result is None or result.assessment_due is None or result.reportable is not None:
        return ()
    return (paragraph(d.t("doc.au.due.assessment", day=result.assessment_due.isoformat())),)


def _parts(d: Draft) -> list[tuple[str, tuple[Block, ...]]]:
    """s.26WK(3): (a) the entity's identity and contact details, (b) a description of the breach, (c) the
    kinds of information concerned, (d) the steps recommended to individuals."""
    return [
        (
            "au.identity",
            (
                field(d.t("doc.au.label.entity"), d.company()),
                field(d.t("doc.label.address"), d.address()),
                *contact_fields(d, CODE, "doc.au.label.contact", "doc.fill.regime_contact"),
                *d.desk_fields(),
            ),
        ),
        (
            "au.description",
            (
                field(d.t("doc.label.summary"), d.summary()),
                field(d.t("doc.label.occurred_at"), d.occurred()),
                field(d.t("doc.gdpr.label.aware"), when(d, d.view.aware_at, CODE)),
                field(d.t("doc.label.cause"), d.cause()),
                field(d.t("doc.gdpr.label.people_number"), d.persons()),
                field(d.t("doc.label.measures_taken"), d.measures_taken()),
            ),
        ),
        ("au.kinds", (field(d.t("doc.gdpr.label.data_categories"), d.data_items_line()),)),
        ("au.steps", tuple(bullet(a) for a in d.advice())),
    ]


def au_statement(
    view: IncidentView, org: OrgConfig | None, on: date | None = None, at: datetime | None = None
) -> Document:
    """The statement to the OAIC, as soon as practicable once there are reasonable grounds to believe an
    eligible data breach happened (serious harm likely: s.26WE)."""
    d = Draft(view, org, LANG, on)
    result = result_of(view, CODE)
    head = d.section(
        "doc.gdpr.heading.parties",
        (
            paragraph(d.t("doc.gdpr.about", recipient=d.t("doc.au.recipient"))),
            field(d.t("doc.gdpr.label.to"), result.authority(LANG) if result else d.t("doc.au.recipient")),
            field(d.t("doc.gdpr.label.reference"), view.reference),
            field(d.t("doc.gdpr.label.date"), d.dated()),
            field(
                d.t("doc.au.label.serious_harm"),
                judgement(d, d.facts.serious_harm, "doc.au.item.serious_harm"),
            ),
            field(d.t("doc.gdpr.label.status"), _status(d, result)),
            paragraph(d.t("doc.au.due.statement")),
            *_assessment(d, result),
        ),
    )
    sections = [head, *headed(forms(result, "authority"), _parts(d))]
    return d.document("au_statement", d.t("doc.au.title.statement"), sections)


def au_notice(
    view: IncidentView, org: OrgConfig | None, on: date | None = None, at: datetime | None = None
) -> Document:
    """s.26WL: the statement's contents to each individual at risk (or published, when that is not
    practicable: left to the team), as soon as practicable after the statement."""
    d = Draft(view, org, LANG, on, public=True)
    result = result_of(view, CODE)
    owed = result is not None and result.notify_individuals is True
    head = d.section(
        "doc.gdpr.heading.communication",
        (
            paragraph(d.t("doc.regime.about_notice", recipient=d.t("doc.au.recipient_people"))),
            paragraph(d.t("doc.au.notice.owed" if owed else "doc.au.notice.not_owed_yet")),
            paragraph(d.dated()),
        ),
    )
    sections = [head, *headed(forms(result, "individuals"), _parts(d))]
    return d.document("au_notice", d.t("doc.au.title.notice"), sections)
