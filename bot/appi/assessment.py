"""Whether a leak must be reported to the regulator and the people affected, and under which law.

A business reports under 個人情報保護法26条 / 施行規則7条 (GL 3-5-3-1); a public body (行政機関等) under 法68条 /
規則43条; a leak of 特定個人情報 (My Number data) under 番号法29条の4 and its own rule
(特定個人情報の漏えい等に関する報告等に関する規則, 平成27年特定個人情報保護委員会規則第5号), with its own grounds
and threshold, besides whatever the APPI asks for the rest of the data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.appi.deadlines import (
    FinalDeadline,
    InternalTarget,
    PreliminaryTarget,
    controller_notice_due,
    end_of_day,
    final_deadline,
    internal_target,
    preliminary_target,
)

BUSINESS_THRESHOLD = 1000  # 規則7条4号: more than 1,000
PUBLIC_BODY_THRESHOLD = 100  # 規則43条4号: more than 100
MY_NUMBER_THRESHOLD = 100  # 特定個人情報漏えい等報告規則2条4号: more than 100


class Ground(StrEnum):
    """A ground for reporting. The first four are the APPI's (規則7条1〜4号 for a business, 規則43条1〜4号 for a
    public body, whose 4号 counts more than 100); the ``my_number_`` ones are the My Number rule's (2条2号, 4号)."""

    SENSITIVE = "sensitive"  # 1号 要配慮個人情報
    FINANCIAL = "financial"  # 2号 財産的被害のおそれ
    MALICIOUS = "malicious"  # 3号 不正の目的 (incl. data being acquired, since 2024-04-01)
    HEADCOUNT = "headcount"  # 4号 over the threshold (1,000; a public body 100)
    MY_NUMBER_MALICIOUS = "my_number_malicious"  # 番号法規則2条2号 不正の目的
    MY_NUMBER_HEADCOUNT = "my_number_headcount"  # 番号法規則2条4号 more than 100


WRONGFUL = frozenset({Ground.MALICIOUS, Ground.MY_NUMBER_MALICIOUS})  # the 確報 is due in 60 days
HEADCOUNT_GROUNDS = frozenset({Ground.HEADCOUNT, Ground.MY_NUMBER_HEADCOUNT})


class AssessmentInput(BaseModel):
    """The facts the assessment reads. Suspected leaks count the same as confirmed ones."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    aware_on: date = Field(
        description="YYYY-MM-DD, required. The day the business (any department of it) learned of the leak "
        "or the suspicion; day 1 of every count"
    )
    persons: int | None = Field(
        default=None,
        ge=0,
        description="Number of people affected, or an estimate; null when unknown. While both this and "
        "persons_upper_bound are unknown the headcount ground is undetermined",
    )
    persons_upper_bound: int | None = Field(
        default=None,
        ge=0,
        description="The largest possible number of people when unsure; the headcount ground uses the "
        "larger of persons and this (規則7条4号)",
    )
    sensitive: bool = Field(
        default=False, description="要配慮個人情報 is included: health, medical history, creed … (規則7条1号)"
    )
    financial: bool = Field(
        default=False,
        description="Misuse may cause financial damage: card numbers, bank accounts with PINs, "
        "payment-service logins (2号)",
    )
    malicious: bool = Field(
        default=False,
        description="May have been caused with a wrongful purpose: unauthorized access, ransomware, theft, "
        "insider take-out, web skimming (3号); the 確報 is then due in 60 days",
    )
    encrypted: bool = Field(
        default=False,
        description="Protected by strong encryption or equivalent measures: exempts every ground",
    )
    my_number: bool = Field(
        default=False, description="特定個人情報 (My Number data) is included: threshold more than 100"
    )
    entity: Literal["business", "public_body"] = Field(
        default="business",
        description="business (threshold more than 1,000) or public_body (行政機関等, more than 100)",
    )
    acting_as: Literal["controller", "processor"] = Field(
        default="controller",
        description="controller, or processor (委託先): a processor notifies its controller promptly "
        "instead of reporting",
    )


@dataclass(frozen=True)
class Assessment:
    reportable: bool  # a ground is established; False is "not reportable" only when nothing is undetermined
    grounds: tuple[Ground, ...]
    entity: str  # business or public_body: which APPI article and rule apply
    my_number_data: bool  # 特定個人情報 is involved (whether or not a ground of the My Number rule is met)
    notify_individuals: bool  # 法26条2項: due 「速やかに」, no legal date
    counted_persons: int | None  # the count the headcount ground used (upper bound when unknown)
    threshold: int
    exempt_by_encryption: bool
    processor_notice: bool  # a processor owes the controller a prompt notice instead of reporting
    final: FinalDeadline | None
    preliminary: PreliminaryTarget | None
    controller_notice_due_at: datetime | None
    # Grounds that cannot be decided yet: the headcount while neither a count nor an upper bound is known.
    undetermined: tuple[Ground, ...] = ()
    # The org's own target for 本人通知 (reminders.individuals_target_days); None: 「速やかに」 only.
    individuals_target: InternalTarget | None = None

    @property
    def final_days(self) -> int | None:
        return self.final.days if self.final else None

    @property
    def my_number(self) -> bool:
        """The My Number rule decides (a ground of its own, or one it cannot decide yet)."""
        return any(g.value.startswith("my_number_") for g in (*self.grounds, *self.undetermined))

    @property
    def provisional(self) -> bool:
        """Nothing established yet but a ground is undetermined: the 速報's target still runs from awareness,
        shown and reminded as provisional (判定中), never 該当なし."""
        return not self.reportable and not self.processor_notice and bool(self.undetermined)


def counted_persons(persons: int | None, upper_bound: int | None) -> int | None:
    """The number the threshold is checked against: the largest possible one when the count is unsure."""
    known = [n for n in (persons, upper_bound) if n is not None]
    return max(known) if known else None


def threshold_for(entity: str) -> int:
    """The APPI's headcount threshold: more than 1,000 (規則7条4号), for a public body more than 100 (規則43条4号).
    The My Number rule's own threshold (more than 100, 2条4号) is MY_NUMBER_THRESHOLD, a separate ground."""
    return PUBLIC_BODY_THRESHOLD if entity == "public_body" else BUSINESS_THRESHOLD


def grounds_for(facts: AssessmentInput) -> tuple[Ground, ...]:
    count = counted_persons(facts.persons, facts.persons_upper_bound)
    flags = [
        (facts.sensitive, Ground.SENSITIVE),
        (facts.financial, Ground.FINANCIAL),
        (facts.malicious, Ground.MALICIOUS),
        (count is not None and count > threshold_for(facts.entity), Ground.HEADCOUNT),
        (facts.my_number and facts.malicious, Ground.MY_NUMBER_MALICIOUS),
        (facts.my_number and count is not None and count > MY_NUMBER_THRESHOLD, Ground.MY_NUMBER_HEADCOUNT),
    ]
    return tuple(ground for present, ground in flags if present)


def undetermined_for(facts: AssessmentInput) -> tuple[Ground, ...]:
    """Grounds the facts cannot decide yet. An unknown number of people with no upper bound may exceed the
    threshold (the guideline counts the largest possible number), so the headcount ground stays open until
    an estimate or an upper bound is given. Strong encryption exempts every ground, so nothing stays open."""
    if counted_persons(facts.persons, facts.persons_upper_bound) is not None or facts.encrypted:
        return ()
    return (Ground.HEADCOUNT, Ground.MY_NUMBER_HEADCOUNT) if facts.my_number else (Ground.HEADCOUNT,)


def assess(facts: AssessmentInput, *, individuals_target_days: int | None = None) -> Assessment:
    """Pure function: the facts of one incident in, what the law asks and by when out.

    ``individuals_target_days``: the organization's internal target for 本人通知, which the law only says
    is due 「速やかに」; None leaves it without a date."""
    grounds = () if facts.encrypted else grounds_for(facts)
    obligated = bool(grounds)
    as_processor = facts.acting_as == "processor"
    reportable = obligated and not as_processor
    unknown_count = counted_persons(facts.persons, facts.persons_upper_bound) is None
    undetermined = undetermined_for(facts)
    # While a ground is undetermined the 速報's target still runs from awareness (provisional).
    preliminary_runs = reportable or (not obligated and not as_processor and bool(undetermined))
    return Assessment(
        reportable=reportable,
        grounds=grounds,
        entity=facts.entity,
        my_number_data=facts.my_number,
        notify_individuals=reportable,
        counted_persons=counted_persons(facts.persons, facts.persons_upper_bound),
        threshold=threshold_for(facts.entity),
        # Encryption exempts what is established and what the unknown count might establish.
        exempt_by_encryption=facts.encrypted and (bool(grounds_for(facts)) or unknown_count),
        processor_notice=obligated and as_processor,
        final=final_deadline(facts.aware_on, bool(WRONGFUL.intersection(grounds))) if reportable else None,
        preliminary=preliminary_target(facts.aware_on) if preliminary_runs else None,
        controller_notice_due_at=end_of_day(controller_notice_due(facts.aware_on))
        if as_processor and (obligated or bool(undetermined))
        else None,
        undetermined=undetermined,
        individuals_target=internal_target(facts.aware_on, individuals_target_days)
        if reportable and individuals_target_days
        else None,
    )
