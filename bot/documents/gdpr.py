"""The GDPR's drafts (issue 20), in English whatever the org's language (EU authorities work in English or
their own language, never in Japanese; each draft says so): the Art. 33(3) notification to the supervisory
authority, the Art. 34 communication to the people affected, and the Art. 33(5) breach register entry, which
every breach needs, notifiable or not. The same rules as the Japanese drafts: what is unknown reads
"Under investigation" and is listed, what the org config leaves unset reads [TO FILL IN: …].

The UK GDPR's notification to the ICO and its communication are the same builders with the UK regime's
authority, headings and citations; so is Thailand's notification under PDPA s.37(4), whose items (the PDPC
Notification of 2022) are the GDPR's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.appi.deadlines import JST
from bot.config.org import OrgConfig
from bot.documents._regime import (
    LANG,
    contact_fields,
    contacts,
    deadline_of,
    forms,
    headed,
    judgement,
    result_of,
)
from bot.documents._regime import when as _when
from bot.documents.draft import Draft
from bot.documents.model import Block, Document, bullet, field, paragraph
from bot.domain.views import IncidentView


@dataclass(frozen=True)
class Law:
    """What differs between the laws these builders draft for: the regime, its titles and citations."""

    code: str  # EU, UK, TH
    notification: str  # the notification's title (a catalog key)
    communication: str  # the communication's title ("" when this module does not draft it)
    recipient: str  # whom the draft is for, in the "drafted in English" note
    article: str  # the article the duty to notify rests on (a citation: the same in every language)
    not_notifiable: str  # what "not notifiable" says (the GDPRs add the Art. 33(5) record)
    where: str = ""  # "the EU": whose representative (Art. 27); "" when the law names none here
    delay: str = ""  # what asks for the reasons for a delay past 72 hours, when not ``article``


EU = Law(
    "EU",
    "doc.gdpr.title.notification",
    "doc.gdpr.title.communication",
    "doc.gdpr.recipient.eu",
    "Art. 33(1)",
    "doc.gdpr.status.not_notifiable",
    "doc.gdpr.where.eu",
)
UK = Law(
    "UK",
    "doc.gdpr.title.notification_uk",
    "doc.gdpr.title.communication_uk",
    "doc.gdpr.recipient.uk",
    "Art. 33(1)",
    "doc.gdpr.status.not_notifiable",
    "doc.gdpr.where.uk",
)
TH = Law(
    "TH",
    "doc.th.title.notification",
    "",
    "doc.th.recipient",
    "s.37(4)",
    "doc.th.status.not_notifiable",
    delay="PDPC Notification B.E. 2565",
)


def _about(d: Draft, law: Law) -> Block:
    return paragraph(d.t("doc.gdpr.about", recipient=d.t(law.recipient)))


def _authority(d: Draft, law: Law) -> str:
    result = result_of(d.view, law.code)
    if law.code == "EU" and law.code in d.facts.establishments:
        return contacts(d, law.code).lead_authority or d.placeholder("doc.fill.gdpr_lead_authority")
    return result.authority(LANG) if result is not None else d.t("doc.gdpr.authority_default")


def _representative(d: Draft, law: Law) -> Block:
    """Art. 27: a controller without an establishment in the EU (the UK) names its representative there."""
    where = d.t(law.where)
    label = d.t("doc.gdpr.label.representative", where=where)
    if law.code in d.facts.establishments:
        return field(label, d.t("doc.gdpr.representative_not_needed", where=where))
    cfg = law.code.lower()
    named = contacts(d, law.code).representative
    return field(label, named or d.placeholder("doc.fill.gdpr_representative", where=where, cfg=cfg))


def _consequences(d: Draft) -> tuple[Block, ...]:
    return (
        field(d.t("doc.gdpr.label.risk"), judgement(d, d.facts.risk, "doc.gdpr.item.risk")),
        field(d.t("doc.gdpr.label.high_risk"), judgement(d, d.facts.high_risk, "doc.gdpr.item.high_risk")),
        field(d.t("doc.label.secondary_damage"), d.secondary_damage()),
    )


def _measures(d: Draft) -> tuple[Block, ...]:
    return (
        field(d.t("doc.label.measures_taken"), d.measures_taken()),
        field(d.t("doc.label.prevention"), d.prevention()),
    )


def _nature(d: Draft, code: str) -> tuple[Block, ...]:
    return (
        field(d.t("doc.label.summary"), d.summary()),
        field(d.t("doc.gdpr.label.aware"), _when(d, d.view.aware_at, code)),
        field(d.t("doc.label.cause"), d.cause()),
        field(d.t("doc.gdpr.label.data_categories"), d.data_items_line()),
        field(d.t("doc.gdpr.label.people_categories"), d.unknown(d.t("doc.gdpr.item.people_categories"))),
        field(d.t("doc.gdpr.label.people_number"), d.persons()),
        field(d.t("doc.gdpr.label.records_number"), d.unknown(d.t("doc.gdpr.item.records_number"))),
    )


def _delay(d: Draft, law: Law, on: date | None, at: datetime | None) -> tuple[Block, ...]:
    """A notification made after 72 hours carries the reasons for the delay (GDPR Art. 33(1); TH likewise)."""
    deadline = deadline_of(d.view, law.code)
    if deadline is None:
        return (paragraph(d.t("doc.gdpr.delay.no_clock")),)
    due, article = _when(d, deadline.due_at, law.code), law.delay or law.article
    if at is not None:
        late = deadline.status == "pending" and at > deadline.due_at
    else:  # no moment given: by the day
        late = deadline.status == "pending" and on is not None and on > deadline.due_at.astimezone(JST).date()
    if late:
        reasons = d.placeholder("doc.fill.gdpr_delay_reasons")
        return (
            paragraph(d.t("doc.gdpr.delay.late", due=due, article=article)),
            field(d.t("doc.gdpr.label.reasons"), reasons),
        )
    return (paragraph(d.t("doc.gdpr.delay.in_time", due=due, article=article)),)


def notification(
    law: Law, view: IncidentView, org: OrgConfig | None, on: date | None = None, at: datetime | None = None
) -> Document:
    """GDPR Art. 33(3): (a) the nature of the breach with the categories and approximate numbers of people and
    records, (b) the DPO or other contact point, (c) the likely consequences, (d) the measures taken or
    proposed; and the reasons for any delay past 72 hours (Art. 33(1)). Headed by the regime file's forms."""
    d = Draft(view, org, LANG, on)
    result = result_of(view, law.code)
    status = d.t("doc.gdpr.status.undetermined")
    if result is not None and result.reportable is True:
        status = d.t("doc.gdpr.status.notifiable", article=law.article)
    elif result is not None and result.reportable is False:
        status = d.t(law.not_notifiable)
    parties: list[Block] = [
        _about(d, law),
        field(d.t("doc.gdpr.label.to"), _authority(d, law)),
        field(d.t("doc.gdpr.label.controller"), d.company()),
    ]
    if law.where:
        parties.append(_representative(d, law))
    parties += [
        field(d.t("doc.gdpr.label.reference"), view.reference),
        field(d.t("doc.gdpr.label.date"), d.dated()),
        field(d.t("doc.gdpr.label.status"), status),
    ]
    parts = [
        ("gdpr.nature", _nature(d, law.code)),
        ("gdpr.dpo", contact_fields(d, law.code)),
        ("gdpr.consequences", _consequences(d)),
        ("gdpr.measures", _measures(d)),
        ("gdpr.delay", _delay(d, law, on, at)),
    ]
    sections = [d.section("doc.gdpr.heading.parties", parties), *headed(forms(result, "authority"), parts)]
    return d.document(f"{law.code.lower()}_notification", d.t(law.notification), sections)


def communication(law: Law, view: IncidentView, org: OrgConfig | None, on: date | None = None) -> Document:
    """GDPR Art. 34(2): in clear and plain language, the nature of the breach, the DPO or contact point, the
    likely consequences and the measures; owed when a high risk is likely (Art. 34(1), (3))."""
    d = Draft(view, org, LANG, on, public=True)
    result = result_of(view, law.code)
    owed = result is not None and result.notify_individuals is True
    note = "doc.gdpr.communication.owed" if owed else "doc.gdpr.communication.not_owed_yet"
    head = d.section(
        "doc.gdpr.heading.communication", (_about(d, law), paragraph(d.t(note)), paragraph(d.dated()))
    )
    parts = [
        (
            "gdpr.plain_nature",
            (paragraph(d.summary()), field(d.t("doc.label.data_items"), d.data_items_line())),
        ),
        ("gdpr.contact", (*contact_fields(d, law.code), *d.desk_fields())),
        ("gdpr.consequences", (field(d.t("doc.label.secondary_damage"), d.secondary_damage()),)),
        ("gdpr.measures", (*_measures(d), *(bullet(a) for a in d.advice()))),
    ]
    sections = [head, *headed(forms(result, "individuals"), parts)]
    return d.document(f"{law.code.lower()}_communication", d.t(law.communication), sections)


def eu_notification(
    view: IncidentView, org: OrgConfig | None, on: date | None = None, at: datetime | None = None
) -> Document:
    return notification(EU, view, org, on, at)


def eu_communication(
    view: IncidentView, org: OrgConfig | None, on: date | None = None, at: datetime | None = None
) -> Document:
    return communication(EU, view, org, on)


def uk_notification(
    view: IncidentView, org: OrgConfig | None, on: date | None = None, at: datetime | None = None
) -> Document:
    """UK GDPR Art. 33 to the ICO: the GDPR's notification with the UK regime's authority and headings."""
    return notification(UK, view, org, on, at)


def uk_communication(
    view: IncidentView, org: OrgConfig | None, on: date | None = None, at: datetime | None = None
) -> Document:
    return communication(UK, view, org, on)


def th_notification(
    view: IncidentView, org: OrgConfig | None, on: date | None = None, at: datetime | None = None
) -> Document:
    """Thai PDPA s.37(4) to the Office of the PDPC: the same items (the PDPC Notification B.E. 2565); Thailand
    has no Art. 27 representative line here."""
    return notification(TH, view, org, on, at)


def breach_register(
    view: IncidentView, org: OrgConfig | None, on: date | None = None, at: datetime | None = None
) -> Document:
    """GDPR Art. 33(5): every breach is documented (the facts, its effects, the remedial action), notified or
    not, so that the authority can verify compliance; a breach not notified says why."""
    d = Draft(view, org, LANG, on)
    result = result_of(view, EU.code)
    notified = d.document_done("eu-notification")
    if notified:
        decision = d.t("doc.gdpr.register.notified", when=notified)
    elif result is not None and result.reportable is False:
        decision = d.t("doc.gdpr.register.not_notified")
    else:
        decision = d.t("doc.gdpr.register.pending")
    nature = _nature(d, EU.code)
    sections = [
        d.section(
            "doc.gdpr.heading.register",
            (
                _about(d, EU),
                field(d.t("doc.gdpr.label.reference"), view.reference),
                field(d.t("doc.gdpr.label.aware"), _when(d, view.aware_at, EU.code)),
                *nature[:1],
                *nature[2:],
            ),
        ),
        d.section("doc.gdpr.heading.effects", _consequences(d)),
        d.section("doc.gdpr.heading.remedial", _measures(d)),
        d.section("doc.gdpr.heading.decision", (paragraph(decision),)),
    ]
    return d.document("breach_register", d.t("doc.gdpr.title.register"), sections)
