"""Singapore's drafts under PDPA Part 6A (issue 20): the notification to the PDPC (s.26D(1), no later than 3
calendar days after the day the organisation assessed the breach notifiable; the items of the Notification of
Data Breaches Regulations 2021, reg. 5) and the notice to the individuals (s.26D(2), for significant harm, on or
after notifying the Commission; reg. 6). Headed by the SG regime file's forms, in English."""

from __future__ import annotations

from datetime import date, datetime

from bot.config.org import OrgConfig
from bot.documents._regime import LANG, contact_fields, deadline_of, forms, headed, judgement, result_of, when
from bot.documents.draft import Draft
from bot.documents.model import Block, Document, bullet, field, paragraph
from bot.domain.views import IncidentView
from bot.regimes import RegimeResult

CODE = "SG"
CONTACT = ("doc.sg.label.contact", "doc.fill.regime_contact")


def _status(d: Draft, result: RegimeResult | None) -> str:
    if result is None or result.reportable is None:
        return d.t("doc.sg.status.undetermined")
    if result.reportable is False:
        return d.t("doc.sg.status.not_notifiable")
    grounds = ", ".join(d.t(f"doc.sg.ground.{g}") for g in result.grounds)
    return d.t("doc.sg.status.notifiable", grounds=grounds)


def _assessed(d: Draft) -> str:
    assessed = d.facts.assessed_at
    return when(d, assessed, CODE) if assessed is not None else d.unknown(d.t("doc.sg.item.assessed"))


def _due(d: Draft, result: RegimeResult | None) -> tuple[Block, ...]:
    """The PDPC's 3 days once the assessment's day is known; the 30 days to assess until then."""
    deadline = deadline_of(d.view, CODE)
    blocks = []
    if deadline is not None:
        blocks.append(paragraph(d.t("doc.sg.due.pdpc", due=when(d, deadline.due_at, CODE))))
    elif result is None or result.reportable is not False:
        blocks.append(paragraph(d.t("doc.sg.due.after_assessment")))
    if result is not None and result.assessment_due is not None and result.assessment_late is not False:
        key = "doc.sg.due.assessment_late" if result.assessment_late else "doc.sg.due.assessment"
        blocks.append(paragraph(d.t(key, day=result.assessment_due.isoformat())))
    return tuple(blocks)


def _plan(d: Draft, result: RegimeResult | None) -> Block:
    """reg. 5: the plan to notify the individuals, or the reasons for not notifying them."""
    notify = result.notify_individuals if result is not None else None
    if notify is True:
        return paragraph(d.t("doc.sg.plan.notify"))
    if notify is False and d.facts.encrypted:
        return paragraph(d.t("doc.sg.plan.encrypted"))
    if notify is False:
        return paragraph(d.t("doc.sg.plan.no_harm"))
    d.unknown(d.t("doc.sg.item.harm"))
    return paragraph(d.t("doc.sg.plan.undetermined"))


def _harm(d: Draft) -> tuple[Block, ...]:
    return (
        field(d.t("doc.sg.label.harm"), judgement(d, d.facts.significant_harm, "doc.sg.item.harm")),
        field(d.t("doc.label.secondary_damage"), d.secondary_damage()),
    )


def _action(d: Draft) -> tuple[Block, ...]:
    return (
        field(d.t("doc.label.measures_taken"), d.measures_taken()),
        field(d.t("doc.label.prevention"), d.prevention()),
    )


def sg_notification(
    view: IncidentView, org: OrgConfig | None, on: date | None = None, at: datetime | None = None
) -> Document:
    """reg. 5: awareness, the steps since (the assessment among them), how it occurred, how many, which data,
    the potential harm, the action taken, the plan to notify the individuals, an authorised representative."""
    d = Draft(view, org, LANG, on)
    result = result_of(view, CODE)
    head = d.section(
        "doc.gdpr.heading.parties",
        (
            paragraph(d.t("doc.gdpr.about", recipient=d.t("doc.sg.recipient"))),
            field(d.t("doc.gdpr.label.to"), result.authority(LANG) if result else d.t("doc.sg.recipient")),
            field(d.t("doc.sg.label.organisation"), d.company()),
            field(d.t("doc.gdpr.label.reference"), view.reference),
            field(d.t("doc.gdpr.label.date"), d.dated()),
            field(d.t("doc.gdpr.label.status"), _status(d, result)),
            *_due(d, result),
        ),
    )
    parts = [
        (
            "sg.aware",
            (
                field(d.t("doc.gdpr.label.aware"), when(d, view.aware_at, CODE)),
                field(d.t("doc.sg.label.circumstances"), d.discovered_how()),
            ),
        ),
        (
            "sg.chronology",
            (*(bullet(e) for e in d.course()), field(d.t("doc.sg.label.assessed"), _assessed(d))),
        ),
        ("sg.how", (field(d.t("doc.label.summary"), d.summary()), field(d.t("doc.label.cause"), d.cause()))),
        ("sg.number", (field(d.t("doc.gdpr.label.people_number"), d.persons()),)),
        ("sg.data", (field(d.t("doc.gdpr.label.data_categories"), d.data_items_line()),)),
        ("sg.harm", _harm(d)),
        ("sg.action", _action(d)),
        ("sg.plan", (_plan(d, result),)),
        ("sg.contact", contact_fields(d, CODE, *CONTACT)),
    ]
    sections = [head, *headed(forms(result, "authority"), parts)]
    return d.document("sg_notification", d.t("doc.sg.title.notification"), sections)


def sg_notice(
    view: IncidentView, org: OrgConfig | None, on: date | None = None, at: datetime | None = None
) -> Document:
    """reg. 6: the circumstances, the data affected, the potential harm, the action taken, the steps a person
    may take, and an authorised representative's contact."""
    d = Draft(view, org, LANG, on, public=True)
    result = result_of(view, CODE)
    notify = result.notify_individuals if result is not None else None
    note = {True: "doc.sg.notice.owed", False: "doc.sg.notice.not_owed"}.get(
        notify, "doc.sg.notice.not_owed_yet"
    )
    head = d.section(
        "doc.gdpr.heading.communication",
        (
            paragraph(d.t("doc.regime.about_notice", recipient=d.t("doc.sg.recipient_people"))),
            paragraph(d.t(note)),
            paragraph(d.dated()),
        ),
    )
    parts = [
        ("sg.circumstances", (paragraph(d.summary()), field(d.t("doc.label.cause"), d.cause()))),
        ("sg.data", (field(d.t("doc.label.data_items"), d.data_items_line()),)),
        ("sg.harm", (field(d.t("doc.label.secondary_damage"), d.secondary_damage()),)),
        ("sg.action", _action(d)),
        ("sg.steps", tuple(bullet(a) for a in d.advice())),
        ("sg.contact", (*contact_fields(d, CODE, *CONTACT), *d.desk_fields())),
    ]
    sections = [head, *headed(forms(result, "individuals"), parts)]
    return d.document("sg_notice", d.t("doc.sg.title.notice"), sections)
