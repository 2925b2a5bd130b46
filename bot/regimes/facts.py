"""The facts every regime reads: the APPI's, plus the instant of awareness, where the people are, and the
judgements only the other laws ask for. A judgement not yet made is ``None`` (undetermined, never "no")."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field, StringConstraints, ValidationInfo, field_validator, model_validator

from bot.appi.assessment import AssessmentInput
from bot.appi.deadlines import JST
from bot.domain.facts import Facts
from bot.domain.vocabulary import Cause

AuthorityName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]

# The facts a regime file may name in its conditions (bot/regimes/schema.py checks them). Each is a field
# below: ``bool`` for what the team ticks (unticked is "no", as for the APPI), ``bool | None`` for a
# judgement (``None`` until made).
DECISIVE_FACTS = (
    "sensitive",
    "financial",
    "malicious",
    "my_number",
    "encrypted",
    "unauthorized_access",
    "unique_identifiers",
    "internal_only",
    "recovered",
    "risk",
    "high_risk",
    "significant_harm",
    "serious_harm",
)
DEFAULT_JURISDICTIONS = ("JP",)


class RegimeFacts(AssessmentInput):
    """``leakbot assess``'s input and ``assess_regimes``'s: the APPI's facts (AssessmentInput) and more."""

    aware_on: date | None = Field(  # type: ignore[assignment]
        default=None,
        description="YYYY-MM-DD: the day (in Japan) the business learned of the leak or the suspicion; day 1 "
        "of the APPI's counts. Taken from aware_at when not given; enough alone when only JP applies",
    )
    aware_at: AwareDatetime | None = Field(
        default=None,
        description="ISO 8601 instant with its UTC offset (2026-10-23T10:00:00+02:00): when the business "
        "became aware. Required for any jurisdiction but JP: 72-hour clocks count in hours from it",
    )
    jurisdictions: tuple[str, ...] = Field(
        default=DEFAULT_JURISDICTIONS,
        description='Where the affected people are: a list of codes, ["JP", "EU", "UK", "KR", "SG", "AU", '
        '"TH"]; default ["JP"]. Each gets its own entry in regimes',
    )
    assessed_at: AwareDatetime | None = Field(
        default=None,
        description="SG: the instant the business determined the leak notifiable (PDPA s.26D(1): the PDPC is "
        "due 3 calendar days after that day); null until then",
    )
    unauthorized_access: bool = Field(
        default=False,
        description="KR: leaked through unlawful access from outside to the processing system or devices "
        "(hacking, malware)",
    )
    unique_identifiers: bool = Field(
        default=False,
        description="KR: unique identifying information (resident registration, passport, driver's licence "
        "or alien registration numbers) is included",
    )
    internal_only: bool = Field(
        default=False,
        description="SG: the data reached only people within the organisation (s.26B(4): not notifiable)",
    )
    recovered: bool = Field(
        default=False,
        description="KR: the leaked data was retrieved or deleted, so harm to the people is much less likely "
        "(no report to the PIPC/KISA needed)",
    )
    risk: bool | None = Field(
        default=None,
        description="EU, UK, TH: likely to result in a risk to people's rights and freedoms (false: unlikely; "
        "null: not yet judged)",
    )
    high_risk: bool | None = Field(
        default=None,
        description="EU, UK, TH: likely to result in a high risk to people's rights and freedoms: the people "
        "are told",
    )
    significant_harm: bool | None = Field(
        default=None,
        description="SG: results or is likely to result in significant harm to an affected person (including "
        "the prescribed kinds of data, Notification of Data Breaches Regulations 2021 Schedule)",
    )
    serious_harm: bool | None = Field(
        default=None,
        description="AU: a reasonable person would conclude serious harm is likely (false also when remedial "
        "action made it unlikely, s.26WF)",
    )
    authorities: dict[str, AuthorityName] = Field(
        default_factory=dict,
        description='The authority to notify where it is not the default, by code: {"EU": "CNIL (France)"} '
        "for a company whose main EU establishment makes that its lead authority",
    )

    @field_validator("aware_at", mode="after")
    @classmethod
    def _same_day(cls, aware_at: datetime | None, info: ValidationInfo) -> datetime | None:
        aware_on = info.data.get("aware_on")
        if aware_at is not None and aware_on is not None and aware_at.astimezone(JST).date() != aware_on:
            raise ValueError(
                f"falls on {aware_at.astimezone(JST).date().isoformat()} in Japan, not on aware_on "
                f"{aware_on.isoformat()}; give one of them"
            )
        return aware_at

    @field_validator("jurisdictions", mode="after")
    @classmethod
    def _known_codes(cls, codes: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        from bot.regimes.loader import regimes  # the codes are the regime files

        known = ", ".join(sorted(regimes()))
        unknown = [c for c in codes if c not in regimes()]
        if unknown:
            raise ValueError(f"unknown code {unknown[0]!r}; known codes: {known}")
        if not codes:
            raise ValueError(f"give at least one code; known codes: {known}")
        timed = [c for c in dict.fromkeys(codes) if c != "JP"]
        # aware_at absent from info.data means it failed validation: that error is reported already
        if timed and "aware_at" in info.data and info.data["aware_at"] is None:
            raise ValueError(
                f"aware_at is required for {', '.join(timed)}: their clocks count from the instant"
            )
        return tuple(dict.fromkeys(codes))

    @field_validator("authorities", mode="after")
    @classmethod
    def _known_authority_codes(cls, names: dict[str, str]) -> dict[str, str]:
        from bot.regimes.loader import regimes

        for code in names:
            if code not in regimes():
                raise ValueError(f"unknown code {code!r}; known codes: {', '.join(sorted(regimes()))}")
        return names

    @model_validator(mode="after")
    def _awareness(self) -> RegimeFacts:
        if self.aware_at is None and self.aware_on is None:
            raise ValueError("aware_on or aware_at is required")
        return self

    @property
    def jst_day(self) -> date:
        """The day of awareness in Japan: the APPI's day 1."""
        if self.aware_at is not None:
            return self.aware_at.astimezone(JST).date()
        assert self.aware_on is not None  # the validator requires one of them
        return self.aware_on

    def appi_input(self) -> AssessmentInput:
        """The APPI's own input, for bot.appi.assess (JP delegates there unchanged)."""
        fields = self.model_dump(include=set(AssessmentInput.model_fields) - {"aware_on", "malicious"})
        # Unauthorized access is a wrongful purpose by its nature (規則7条3号), as Facts.is_malicious says.
        malicious = self.malicious or self.unauthorized_access
        return AssessmentInput(aware_on=self.jst_day, malicious=malicious, **fields)

    @classmethod
    def from_facts(
        cls,
        facts: Facts,
        *,
        aware_at: datetime,
        jurisdictions: tuple[str, ...] = DEFAULT_JURISDICTIONS,
        entity: Literal["business", "public_body"] = "business",
        **answers: object,
    ) -> RegimeFacts:
        """The regime facts from what the team captured in chat (bot.domain.facts.Facts); ``answers`` are
        the facts Facts does not hold (risk, high_risk, significant_harm, serious_harm, unique_identifiers,
        internal_only, recovered, assessed_at, authorities). Unauthorized access is the cause category."""
        mapped: dict[str, object] = {
            "aware_at": aware_at,
            "jurisdictions": jurisdictions,
            "entity": entity,
            "persons": facts.persons,
            "persons_upper_bound": facts.persons_upper_bound,
            "sensitive": facts.is_sensitive,
            "financial": facts.is_financial,
            "malicious": facts.is_malicious,
            "encrypted": facts.encrypted,
            "my_number": facts.involves_my_number,
            "acting_as": "processor" if facts.acting_for_controller else "controller",
            "unauthorized_access": facts.cause == Cause.UNAUTHORIZED_ACCESS,
        }
        return cls(**(mapped | answers))
