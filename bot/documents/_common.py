"""What every draft shares: dates in Japan time, the 「調査中」 and 【要記入】 markers, the law the report rests on,
the organization as the regulator's form asks for it, and the notes to the team a draft carries.

The facts in words are in ``_facts.py``, the playbook's record in ``_record.py``; ``Draft`` gathers them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.appi.deadlines import JST
from bot.appi.recipients import Recipient, recipient
from bot.config.org import ContactDesk, Documents, OrgConfig
from bot.documents.model import Block, Document, Section
from bot.documents.model import field as labelled
from bot.domain.facts import Facts
from bot.domain.views import AssessmentView, IncidentView
from bot.i18n import t
from bot.law_words import data_term, grounds_text, report_basis, undetermined_ground


def format_date(day: date | datetime, lang: str) -> str:
    if isinstance(day, datetime):
        day = day.astimezone(JST).date()
    return t("doc.date", lang, y=day.year, m=day.month, d=day.day)


def format_datetime(moment: datetime, lang: str) -> str:
    local = moment.astimezone(JST)
    return t("doc.datetime", lang, date=format_date(local, lang), time=local.strftime("%H:%M"))


@dataclass
class DraftBase:
    """One draft being written: the incident, the org, the language, and what is still unknown or unfilled."""

    view: IncidentView
    org: OrgConfig | None
    lang: str
    on: date | None = None  # the date the draft carries; None → a 【要記入】 placeholder
    events: tuple = ()  # the audit trail (bot.documents.timeline.TimelineEvent), oldest first
    names: Mapping[str, str] = field(default_factory=dict)  # "slack:U…" → a person's name, where known
    public: bool = False  # read by the people affected or the public: free text is guarded (``_facts``)
    missing: list[str] = field(default_factory=list)
    to_fill: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # notes to the team: review before publishing, …
    untranslated: list[str] = field(default_factory=list)  # items left in Japanese in an English draft

    @property
    def facts(self) -> Facts:
        return self.view.facts

    @property
    def assessment(self) -> AssessmentView:
        return self.view.assessment

    @property
    def public_body(self) -> bool:
        return self.assessment.public_body

    def t(self, key: str, **params: object) -> str:
        return t(key, self.lang, **params)

    def section(self, key: str, blocks: Iterable[Block], **params: object) -> Section:
        """A section headed by the catalog's ``key`` (which is also the section's stable key)."""
        return Section(self.t(key, **params), tuple(blocks), key)

    def document(self, key: str, title: str, sections: Iterable[Section]) -> Document:
        if self.untranslated:
            self.warn("doc.warn.untranslated", item=", ".join(self.untranslated))
        return Document(
            key,
            title,
            self.lang,
            tuple(sections),
            tuple(self.missing),
            tuple(self.to_fill),
            tuple(self.warnings),
        )

    # --- markers ---------------------------------------------------------------------------------------------
    def unknown(self, item: str) -> str:
        """「調査中」, and the item named as missing."""
        if item not in self.missing:
            self.missing.append(item)
        return self.t("doc.unknown")

    def known_or_unknown(self, value: str, item: str) -> str:
        return value if value else self.unknown(item)

    def placeholder(self, what_key: str, **params: object) -> str:
        what = self.t(what_key, **params)
        if what not in self.to_fill:
            self.to_fill.append(what)
        return self.t("doc.placeholder", what=what)

    def warn(self, key: str, **params: object) -> None:
        text = self.t(key, **params)
        if text not in self.warnings:
            self.warnings.append(text)

    # --- the organization ------------------------------------------------------------------------------------
    @property
    def _documents(self) -> Documents:
        return self.org.documents if self.org is not None else Documents()

    @property
    def desk(self) -> ContactDesk:
        return self._documents.contact_desk

    def company(self) -> str:
        if self.org is None:
            return self.placeholder("doc.fill.company")
        return self.org.organization.name

    def we(self) -> str:
        """How the organization speaks of itself: 当社 for a business, its own name for a public body."""
        return self.company() if self.public_body else self.t("doc.we")

    def people(self) -> str:
        """How the people affected are addressed: お客様 for a business, ご本人 (the law's 本人) for a public body."""
        return self.t("doc.people.public_body" if self.public_body else "doc.people.business")

    def representative(self) -> str:
        return self._documents.representative or self.placeholder("doc.fill.representative")

    def corporate_number(self) -> str:
        number = self.org.organization.corporate_number if self.org else ""
        return number or self.placeholder("doc.fill.corporate_number")

    def address(self) -> str:
        address = self.org.organization.address if self.org else ""
        return address or self.placeholder("doc.fill.address")

    def responsible(self, name: str) -> str:
        return getattr(self._documents.responsible, name) or self.placeholder(f"doc.fill.responsible_{name}")

    def service(self) -> str:
        return self._documents.service or self.placeholder("doc.fill.service")

    def desk_value(self, name: str) -> str:
        return getattr(self.desk, name) or self.placeholder(f"doc.fill.desk_{name}")

    def desk_fields(self) -> list[Block]:
        return [
            labelled(self.t("doc.label.desk_name"), self.desk_value("name")),
            labelled(self.t("doc.label.desk_phone"), self.desk_value("phone")),
            labelled(self.t("doc.label.desk_email"), self.desk_value("email")),
            labelled(self.t("doc.label.desk_hours"), self.desk_value("hours")),
        ]

    def dated(self) -> str:
        return format_date(self.on, self.lang) if self.on else self.placeholder("doc.fill.date")

    def recipient(self) -> Recipient:
        return recipient(self.assessment.recipient)

    # --- the law ---------------------------------------------------------------------------------------------
    def data_term(self) -> str:
        return data_term(self.assessment, self.lang)

    def basis(self) -> str:
        return report_basis(self.assessment, self.lang)

    def duty(self) -> str:
        """Whether the report is owed: 報告義務あり, 判定中 while a ground is undetermined, or 報告義務なし
        （任意の報告）. Never 「該当なし」 while something is undetermined."""
        a = self.assessment
        if a.reportable:
            return self.t("doc.duty.reportable", basis=self.basis())
        if a.processor_notice:
            return self.t("doc.duty.processor")
        if a.undetermined:
            return self.t("doc.duty.undetermined", ground=undetermined_ground(a, self.lang))
        return self.t("doc.duty.voluntary")

    def grounds(self) -> list[str]:
        a = self.assessment
        if a.grounds:
            return grounds_text(a, self.lang)
        if a.undetermined:
            return [self.t("doc.grounds.undetermined", ground=undetermined_ground(a, self.lang))]
        if a.exempt_by_encryption:
            return [self.t("doc.grounds.encrypted")]
        return [self.t("doc.grounds.none")]

    def ground_label(self) -> str:
        """規則7条, 規則43条, or the My Number rule's 2条: whose 各号 the grounds are."""
        if self.assessment.my_number:
            return self.t("doc.label.ground.my_number")
        return self.t(f"doc.label.ground.{'public_body' if self.public_body else 'business'}")
