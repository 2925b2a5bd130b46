"""What a regime file (bot/regimes/rules/<code>.yaml) holds: who is told, when, and what decides it.

A condition is a fact's name (a field of RegimeFacts listed in DECISIVE_FACTS) or ``{persons_at_least: N}``
(the largest count given, as the APPI counts). ``when`` is ``always``, ``{any: [...]}`` or ``{all: [...]}``;
``unless`` is a list of conditions any of which lifts the duty. Unknown facts make the answer unknown
(three-valued: true, false, or null while undetermined)."""

from __future__ import annotations

from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from bot.regimes.facts import DECISIVE_FACTS

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Words(Strict):
    ja: Text
    en: Text

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.ja


class PersonsAtLeast(Strict):
    persons_at_least: int = Field(ge=1)


Condition = Annotated[str, StringConstraints(strip_whitespace=True)] | PersonsAtLeast


class AnyOf(Strict):
    any: tuple[Condition, ...] = Field(min_length=1)


class AllOf(Strict):
    all: tuple[Condition, ...] = Field(min_length=1)


When = Literal["always"] | AnyOf | AllOf


class Hours(Strict):
    """Counted in hours from the instant of awareness (a DST change in between does not move it)."""

    hours: int = Field(ge=1)


class DaysAfterAssessment(Strict):
    """N calendar days after the day the business assessed the leak notifiable; due at that day's end in
    the regime's zone."""

    days_after_assessment: int = Field(ge=1)


Clock = Literal["promptly"] | Hours | DaysAfterAssessment


class Duty(Strict):
    """A duty to tell someone: when it applies and by when."""

    when: When
    unless: tuple[Condition, ...] = ()
    clock: Clock
    basis: Text


class Authority(Strict):
    """Who receives the report, and (for the rules engine) when and by when; engine appi only names it."""

    name: Words
    when: When | None = None
    unless: tuple[Condition, ...] = ()
    clock: Clock | None = None
    basis: Text | None = None


class Assessment(Strict):
    """The law's time to assess a suspected leak: N calendar days after the day of awareness (regime zone)."""

    days: int = Field(ge=1)
    basis: Text


class Processor(Strict):
    """A processor (data intermediary) tells its controller instead of the authority."""

    clock: Literal["promptly"]
    basis: Text


class Forms(Strict):
    authority: tuple[Words, ...] = Field(min_length=1)
    individuals: tuple[Words, ...] = ()


class Regime(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    name: Words
    zone: str
    basis: Text  # the citation shown with every result
    sources: tuple[Annotated[str, StringConstraints(pattern=r"^https://")], ...] = Field(min_length=1)
    engine: Literal["rules", "appi"] = "rules"  # appi: the decision is bot.appi's (JP)
    authority: Authority
    individuals: Duty | None = None
    assessment: Assessment | None = None
    processor: Processor | None = None
    questions: dict[str, Words] = Field(default_factory=dict)
    forms: Forms

    @field_validator("zone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)


def condition_facts(conditions: tuple[Condition, ...]) -> list[str]:
    return [c for c in conditions if isinstance(c, str)]


def when_conditions(when: When) -> tuple[Condition, ...]:
    if isinstance(when, AnyOf):
        return when.any
    if isinstance(when, AllOf):
        return when.all
    return ()


def check_regime(regime: Regime) -> list[str]:
    """What pydantic cannot see: unknown facts, facts without a question, a rules regime without authority."""
    errors: list[str] = []
    if regime.engine == "rules":
        for part in ("when", "clock", "basis"):
            if getattr(regime.authority, part) is None:
                errors.append(f"authority.{part}: required unless engine is appi")
    for section in ("authority", "individuals"):
        duty: Duty | Authority | None = getattr(regime, section)
        if duty is None:
            continue
        when = when_conditions(duty.when) if duty.when is not None else ()
        for part, conditions in (("when", when), ("unless", duty.unless)):
            for fact in condition_facts(conditions):
                if fact not in DECISIVE_FACTS:
                    errors.append(
                        f"{section}.{part}: unknown fact {fact!r} (known: {', '.join(DECISIVE_FACTS)})"
                    )
                elif fact not in regime.questions:
                    errors.append(f"{section}.{part}: fact {fact!r} has no entry under questions")
    for fact in regime.questions:
        if fact not in DECISIVE_FACTS and fact not in ("persons", "assessed_at"):
            known = ", ".join(("persons", "assessed_at", *DECISIVE_FACTS))
            errors.append(f"questions.{fact}: unknown fact (known: {known})")
    clocks = (regime.authority.clock, regime.individuals.clock if regime.individuals else None)
    if any(isinstance(c, DaysAfterAssessment) for c in clocks) and "assessed_at" not in regime.questions:
        errors.append("questions.assessed_at: required by a clock counted after the assessment")
    return errors
