"""What every draft shares: dates in Japan time, the 「調査中」 and 【要記入】 markers, data items, step states."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.appi.deadlines import JST
from bot.appi.recipients import Recipient, recipient
from bot.config.org import ContactDesk, Documents, OrgConfig
from bot.documents.model import Block, Section
from bot.documents.model import field as labelled
from bot.domain.facts import DataItem, Facts
from bot.domain.views import IncidentView, StepView
from bot.domain.vocabulary import Cause
from bot.i18n import t
from bot.playbook.engine import StepStatus
from bot.presentation import grounds_text


def format_date(day: date | datetime, lang: str) -> str:
    if isinstance(day, datetime):
        day = day.astimezone(JST).date()
    return t("doc.date", lang, y=day.year, m=day.month, d=day.day)


def format_datetime(moment: datetime, lang: str) -> str:
    local = moment.astimezone(JST)
    return t("doc.datetime", lang, date=format_date(local, lang), time=local.strftime("%H:%M"))


@dataclass
class Draft:
    """One draft being written: the incident, the org, the language, and what is still unknown or unfilled."""

    view: IncidentView
    org: OrgConfig | None
    lang: str
    on: date | None = None  # the date the draft carries; None → a 【要記入】 placeholder
    missing: list[str] = field(default_factory=list)
    to_fill: list[str] = field(default_factory=list)

    @property
    def facts(self) -> Facts:
        return self.view.facts

    def t(self, key: str, **params: object) -> str:
        return t(key, self.lang, **params)

    def section(self, key: str, blocks: Iterable[Block], **params: object) -> Section:
        """A section headed by the catalog's ``key`` (which is also the section's stable key)."""
        return Section(self.t(key, **params), tuple(blocks), key)

    # --- markers ---------------------------------------------------------------------------------------------
    def unknown(self, item: str) -> str:
        """「調査中」, and the item named as missing."""
        if item not in self.missing:
            self.missing.append(item)
        return self.t("doc.unknown")

    def known_or_unknown(self, value: str, item: str) -> str:
        return value if value else self.unknown(item)

    def placeholder(self, what_key: str) -> str:
        what = self.t(what_key)
        if what not in self.to_fill:
            self.to_fill.append(what)
        return self.t("doc.placeholder", what=what)

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

    def representative(self) -> str:
        return self._documents.representative or self.placeholder("doc.fill.representative")

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
        return recipient(self.view.assessment.recipient)

    # --- facts in words --------------------------------------------------------------------------------------
    def summary(self) -> str:
        return self.known_or_unknown(self.facts.summary, self.t("doc.item.summary"))

    def occurred(self) -> str:
        occurred = self.facts.occurred_at
        return (
            format_datetime(occurred, self.lang) if occurred else self.unknown(self.t("doc.item.occurred_at"))
        )

    def aware(self) -> str:
        return format_datetime(self.view.aware_at, self.lang)

    def discovered_how(self) -> str:
        return self.known_or_unknown(self.facts.discovered_how, self.t("doc.item.discovered_how"))

    def state_of_leak(self) -> str:
        return self.t("doc.leak.confirmed" if self.facts.confirmed else "doc.leak.suspected")

    def data_items(self) -> list[str]:
        items = self.facts.data_items
        if not items:
            return [self.unknown(self.t("doc.item.data_items"))]
        return [self.t(f"item.{i}") for i in items]

    def data_items_line(self) -> str:
        sep = "、" if self.lang == "ja" else "; "
        return sep.join(self.data_items())

    def persons(self) -> str:
        n, upper = self.facts.persons, self.facts.persons_upper_bound
        if n is not None and upper is not None and upper > n:
            return self.t("doc.persons.with_upper", n=f"{n:,}", upper=f"{upper:,}")
        if n is not None:
            return self.t("doc.persons.exact", n=f"{n:,}")
        if upper is not None:
            self.unknown(self.t("doc.item.persons"))
            return self.t("doc.persons.upper_only", upper=f"{upper:,}")
        return self.unknown(self.t("doc.item.persons"))

    def cause(self) -> str:
        if self.facts.cause is Cause.UNKNOWN:
            return self.unknown(self.t("doc.item.cause"))
        return self.t(f"cause.{self.facts.cause}")

    def secondary_damage(self) -> str:
        return self.known_or_unknown(self.facts.secondary_damage, self.t("doc.item.secondary_damage"))

    def not_affected(self) -> str:
        return self.known_or_unknown(self.facts.not_affected, self.t("doc.item.not_affected"))

    def measures_taken(self) -> str:
        return self.known_or_unknown(self.facts.measures_taken, self.t("doc.item.measures_taken"))

    def prevention(self) -> str:
        return self.known_or_unknown(self.facts.prevention, self.t("doc.item.prevention"))

    def my_number(self) -> str:
        return self.t("doc.my_number.yes" if self.facts.involves_my_number else "doc.my_number.no")

    def grounds(self) -> list[str]:
        if not self.view.assessment.grounds:
            return [self.t("doc.grounds.none")]
        return grounds_text(self.view.assessment, self.lang)

    def advice(self) -> list[str]:
        """What a person can do, from the data items; unknown items → 「調査中」."""
        items = set(self.facts.data_items)
        if not items:
            return [self.unknown(self.t("doc.item.data_items"))]
        advice = []
        if DataItem.CARD in items:
            advice.append(self.t("doc.advice.card"))
        if DataItem.BANK in items:
            advice.append(self.t("doc.advice.bank"))
        if DataItem.CREDENTIALS in items:
            advice.append(self.t("doc.advice.credentials"))
        if DataItem.MY_NUMBER in items:
            advice.append(self.t("doc.advice.my_number"))
        if items & {DataItem.CONTACT, DataItem.NAME, DataItem.BIRTHDATE, DataItem.EMPLOYEE}:
            advice.append(self.t("doc.advice.contact"))
        advice.append(self.t("doc.advice.general"))
        return advice

    # --- step states -----------------------------------------------------------------------------------------
    def step(self, step_id: str) -> StepView | None:
        return next((s for s in self.view.steps if s.step.id == step_id), None)

    def step_title(self, step_id: str) -> str:
        step = self.step(step_id)
        return step.step.title.get(self.lang) if step else step_id

    def step_state(self, step_id: str) -> str:
        """「実施済み（日付）」, 「実施中」, 「未実施」, 「実施せず（理由）」; 「未実施」 when the step does not apply."""
        step = self.step(step_id)
        if step is None or step.status is StepStatus.TODO:
            return self.t("doc.state.todo")
        if step.status is StepStatus.DONE:
            when = format_date(step.updated_at, self.lang) if step.updated_at else ""
            return self.t("doc.state.done", date=when) if when else self.t("doc.state.done_undated")
        if step.status is StepStatus.SKIPPED:
            return self.t("doc.state.skipped", reason=step.reason or "-")
        if step.status is StepStatus.NOT_APPLICABLE:
            return self.t("doc.state.not_applicable")
        return self.t("doc.state.in_progress")

    def step_done(self, step_id: str) -> bool:
        step = self.step(step_id)
        return step is not None and step.status is StepStatus.DONE

    def done_steps_in(self, phase: str) -> list[str]:
        return [
            self.t("doc.done_step", title=s.step.title.get(self.lang), state=self.step_state(s.step.id))
            for s in self.view.steps
            if s.step.phase == phase and s.status is StepStatus.DONE
        ]
