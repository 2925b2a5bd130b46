"""Whether a leak must be reported to the regulator and the people affected (法26条, 規則7条, GL 3-5-3-1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.appi.deadlines import (
    FinalDeadline,
    PreliminaryTarget,
    controller_notice_due,
    end_of_day,
    final_deadline,
    preliminary_target,
)

BUSINESS_THRESHOLD = 1000  # 規則7条4号: more than 1,000
PUBLIC_BODY_THRESHOLD = 100  # 規則43条4号: more than 100
MY_NUMBER_THRESHOLD = 100  # 特定個人情報: more than 100


class Ground(StrEnum):
    SENSITIVE = "sensitive"  # 1号 要配慮個人情報
    FINANCIAL = "financial"  # 2号 財産的被害のおそれ
    MALICIOUS = "malicious"  # 3号 不正の目的 (incl. data being acquired, since 2024-04-01)
    HEADCOUNT = "headcount"  # 4号 over the threshold


class AssessmentInput(BaseModel):
    """The facts the assessment reads. Suspected leaks count the same as confirmed ones."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    aware_on: date
    persons: int | None = Field(default=None, ge=0)
    persons_upper_bound: int | None = Field(default=None, ge=0)
    sensitive: bool = False
    financial: bool = False
    malicious: bool = False
    encrypted: bool = False
    my_number: bool = False
    entity: Literal["business", "public_body"] = "business"
    acting_as: Literal["controller", "processor"] = "controller"


@dataclass(frozen=True)
class Assessment:
    reportable: bool
    grounds: tuple[Ground, ...]
    notify_individuals: bool
    counted_persons: int | None  # the count the headcount ground used (upper bound when unknown)
    threshold: int
    exempt_by_encryption: bool
    processor_notice: bool  # a processor owes the controller a prompt notice instead of reporting
    final: FinalDeadline | None
    preliminary: PreliminaryTarget | None
    controller_notice_due_at: datetime | None

    @property
    def final_days(self) -> int | None:
        return self.final.days if self.final else None


def counted_persons(persons: int | None, upper_bound: int | None) -> int | None:
    """The number the threshold is checked against: the largest possible one when the count is unsure."""
    known = [n for n in (persons, upper_bound) if n is not None]
    return max(known) if known else None


def threshold_for(entity: str, my_number: bool) -> int:
    if my_number or entity == "public_body":
        return min(PUBLIC_BODY_THRESHOLD, MY_NUMBER_THRESHOLD)
    return BUSINESS_THRESHOLD


def grounds_for(facts: AssessmentInput) -> tuple[Ground, ...]:
    count = counted_persons(facts.persons, facts.persons_upper_bound)
    flags = [
        (facts.sensitive, Ground.SENSITIVE),
        (facts.financial, Ground.FINANCIAL),
        (facts.malicious, Ground.MALICIOUS),
        (count is not None and count > threshold_for(facts.entity, facts.my_number), Ground.HEADCOUNT),
    ]
    return tuple(ground for present, ground in flags if present)


def assess(facts: AssessmentInput) -> Assessment:
    """Pure function: the facts of one incident in, what the law asks and by when out."""
    grounds = () if facts.encrypted else grounds_for(facts)
    obligated = bool(grounds)
    as_processor = facts.acting_as == "processor"
    reportable = obligated and not as_processor
    return Assessment(
        reportable=reportable,
        grounds=grounds,
        notify_individuals=reportable,
        counted_persons=counted_persons(facts.persons, facts.persons_upper_bound),
        threshold=threshold_for(facts.entity, facts.my_number),
        exempt_by_encryption=facts.encrypted and bool(grounds_for(facts)),
        processor_notice=obligated and as_processor,
        final=final_deadline(facts.aware_on, Ground.MALICIOUS in grounds) if reportable else None,
        preliminary=preliminary_target(facts.aware_on) if reportable else None,
        controller_notice_due_at=end_of_day(controller_notice_due(facts.aware_on))
        if as_processor and obligated
        else None,
    )
