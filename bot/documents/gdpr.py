"""The GDPR's drafts (issue 20), in English whatever the org's language (EU authorities work in English or
their own language, never in Japanese; each draft says so): the Art. 33(3) notification to the supervisory
authority, the Art. 34 communication to the people affected, and the Art. 33(5) breach register entry, which
every breach needs, notifiable or not. The same rules as the Japanese drafts: what is unknown reads
"Under investigation" and is listed, what the org config leaves unset reads [TO FILL IN: …]."""

from __future__ import annotations

from datetime import date, datetime

from bot.appi.deadlines import JST
from bot.config.org import OrgConfig, RegimeContacts
from bot.documents._common import format_datetime
from bot.documents.draft import Draft
from bot.documents.model import Block, Document, Section, bullet, field, paragraph
from bot.domain.views import DeadlineView, IncidentView
from bot.regime_words import local_text
from bot.regimes import RegimeResult

LANG = "en"  # the drafts' language, whatever the org's
CODE = "EU"
AUTHORITY_KEY = "regime:EU:authority"


def _eu(view: IncidentView) -> RegimeResult | None:
    return next((r for r in view.regimes if r.code == CODE), None)


def _deadline(view: IncidentView) -> DeadlineView | None:
    return next((d for d in view.deadlines if d.key == AUTHORITY_KEY and d.status != "cancelled"), None)


def _contacts(d: Draft) -> RegimeContacts:
    return d.org.regime(CODE) if d.org is not None else RegimeContacts()


def _about(d: Draft) -> Block:
    return paragraph(d.t("doc.gdpr.about"))


def _when(d: Draft, moment: datetime) -> str:
    return d.t("doc.gdpr.instant", jst=_jst(d, moment), local=local_text(moment, CODE, LANG))


def _jst(d: Draft, moment: datetime) -> str:
    return format_datetime(moment, d.lang)


def _authority(d: Draft) -> str:
    result = _eu(d.view)
    contacts = _contacts(d)
    if CODE in d.facts.establishments:
        return contacts.lead_authority or d.placeholder("doc.fill.gdpr_lead_authority")
    return result.authority(LANG) if result is not None else d.t("doc.gdpr.authority_default")


def _representative(d: Draft) -> str:
    """Art. 27: a controller without an establishment in the EU names its representative there."""
    if CODE in d.facts.establishments:
        return d.t("doc.gdpr.representative_not_needed")
    return _contacts(d).representative or d.placeholder("doc.fill.gdpr_representative")


def _dpo(d: Draft) -> tuple[Block, ...]:
    dpo = _contacts(d).dpo
    return (
        field(d.t("doc.gdpr.label.dpo_name"), dpo.name or d.placeholder("doc.fill.gdpr_dpo_name")),
        field(d.t("doc.gdpr.label.dpo_email"), dpo.email or d.placeholder("doc.fill.gdpr_dpo_email")),
    )


def _judgement(d: Draft, value: bool | None, item: str) -> str:
    if value is None:
        return d.unknown(d.t(item))
    return d.t("doc.gdpr.yes" if value else "doc.gdpr.no")


def _consequences(d: Draft) -> tuple[Block, ...]:
    return (
        field(d.t("doc.gdpr.label.risk"), _judgement(d, d.facts.risk, "doc.gdpr.item.risk")),
        field(d.t("doc.gdpr.label.high_risk"), _judgement(d, d.facts.high_risk, "doc.gdpr.item.high_risk")),
        field(d.t("doc.label.secondary_damage"), d.secondary_damage()),
    )


def _measures(d: Draft) -> tuple[Block, ...]:
    return (
        field(d.t("doc.label.measures_taken"), d.measures_taken()),
        field(d.t("doc.label.prevention"), d.prevention()),
    )


def _nature(d: Draft) -> tuple[Block, ...]:
    return (
        field(d.t("doc.label.summary"), d.summary()),
        field(d.t("doc.gdpr.label.aware"), _when(d, d.view.aware_at)),
        field(d.t("doc.label.cause"), d.cause()),
        field(d.t("doc.gdpr.label.data_categories"), d.data_items_line()),
        field(d.t("doc.gdpr.label.people_categories"), d.unknown(d.t("doc.gdpr.item.people_categories"))),
        field(d.t("doc.gdpr.label.people_number"), d.persons()),
        field(d.t("doc.gdpr.label.records_number"), d.unknown(d.t("doc.gdpr.item.records_number"))),
    )


def _delay(d: Draft, on: date | None, at: datetime | None) -> tuple[Block, ...]:
    """Art. 33(1): a notification made after 72 hours carries the reasons for the delay."""
    deadline = _deadline(d.view)
    if deadline is None:
        return (paragraph(d.t("doc.gdpr.delay.no_clock")),)
    due = _when(d, deadline.due_at)
    if at is not None:
        late = deadline.status == "pending" and at > deadline.due_at
    else:  # no moment given: by the day
        late = deadline.status == "pending" and on is not None and on > deadline.due_at.astimezone(JST).date()
    if late:
        reasons = d.placeholder("doc.fill.gdpr_delay_reasons")
        return (paragraph(d.t("doc.gdpr.delay.late", due=due)), field(d.t("doc.gdpr.label.reasons"), reasons))
    return (paragraph(d.t("doc.gdpr.delay.in_time", due=due)),)


def _sections(d: Draft, headings, parts) -> list[Section]:
    return [
        Section(words.en, tuple(blocks), key) for words, (key, blocks) in zip(headings, parts, strict=True)
    ]


def eu_notification(
    view: IncidentView, org: OrgConfig | None, on: date | None = None, at: datetime | None = None
) -> Document:
    """GDPR Art. 33(3): (a) the nature of the breach with the categories and approximate numbers of people and
    records, (b) the DPO or other contact point, (c) the likely consequences, (d) the measures taken or
    proposed; and the reasons for any delay past 72 hours (Art. 33(1))."""
    d = Draft(view, org, LANG, on)
    result = _eu(view)
    status = d.t("doc.gdpr.status.undetermined")
    if result is not None and result.reportable is True:
        status = d.t("doc.gdpr.status.notifiable")
    elif result is not None and result.reportable is False:
        status = d.t("doc.gdpr.status.not_notifiable")
    head = d.section(
        "doc.gdpr.heading.parties",
        (
            _about(d),
            field(d.t("doc.gdpr.label.to"), _authority(d)),
            field(d.t("doc.gdpr.label.controller"), d.company()),
            field(d.t("doc.gdpr.label.representative"), _representative(d)),
            field(d.t("doc.gdpr.label.reference"), view.reference),
            field(d.t("doc.gdpr.label.date"), d.dated()),
            field(d.t("doc.gdpr.label.status"), status),
        ),
    )
    headings = result.regime.forms.authority if result is not None else ()
    parts = [
        ("gdpr.nature", _nature(d)),
        ("gdpr.dpo", _dpo(d)),
        ("gdpr.consequences", _consequences(d)),
        ("gdpr.measures", _measures(d)),
        ("gdpr.delay", _delay(d, on, at)),
    ]
    sections = [head, *_sections(d, headings, parts[: len(headings)])]
    return d.document("eu_notification", d.t("doc.gdpr.title.notification"), sections)


def eu_communication(view: IncidentView, org: OrgConfig | None, on: date | None = None) -> Document:
    """GDPR Art. 34(2): in clear and plain language, the nature of the breach, the DPO or contact point, the
    likely consequences and the measures; owed when a high risk is likely (Art. 34(1), (3))."""
    d = Draft(view, org, LANG, on, public=True)
    result = _eu(view)
    owed = result is not None and result.notify_individuals is True
    note = "doc.gdpr.communication.owed" if owed else "doc.gdpr.communication.not_owed_yet"
    head = d.section(
        "doc.gdpr.heading.communication", (_about(d), paragraph(d.t(note)), paragraph(d.dated()))
    )
    headings = result.regime.forms.individuals if result is not None else ()
    parts = [
        (
            "gdpr.plain_nature",
            (paragraph(d.summary()), field(d.t("doc.label.data_items"), d.data_items_line())),
        ),
        ("gdpr.contact", (*_dpo(d), *d.desk_fields())),
        ("gdpr.consequences", (field(d.t("doc.label.secondary_damage"), d.secondary_damage()),)),
        ("gdpr.measures", (*_measures(d), *(bullet(a) for a in d.advice()))),
    ]
    sections = [head, *_sections(d, headings, parts[: len(headings)])]
    return d.document("eu_communication", d.t("doc.gdpr.title.communication"), sections)


def breach_register(view: IncidentView, org: OrgConfig | None, on: date | None = None) -> Document:
    """GDPR Art. 33(5): every breach is documented (the facts, its effects, the remedial action), notified or
    not, so that the authority can verify compliance; a breach not notified says why."""
    d = Draft(view, org, LANG, on)
    result = _eu(view)
    notified = d.document_done("eu-notification")
    if notified:
        decision = d.t("doc.gdpr.register.notified", when=notified)
    elif result is not None and result.reportable is False:
        decision = d.t("doc.gdpr.register.not_notified")
    else:
        decision = d.t("doc.gdpr.register.pending")
    sections = [
        d.section(
            "doc.gdpr.heading.register",
            (
                _about(d),
                field(d.t("doc.gdpr.label.reference"), view.reference),
                field(d.t("doc.gdpr.label.aware"), _when(d, view.aware_at)),
                *_nature(d)[:1],
                *_nature(d)[2:],
            ),
        ),
        d.section("doc.gdpr.heading.effects", _consequences(d)),
        d.section("doc.gdpr.heading.remedial", _measures(d)),
        d.section("doc.gdpr.heading.decision", (paragraph(decision),)),
    ]
    return d.document("breach_register", d.t("doc.gdpr.title.register"), sections)
