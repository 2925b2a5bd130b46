"""What the team knows about a leak. The assessment reads these facts; steps and forms update them."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, field_validator

from bot.domain.vocabulary import Cause

SUMMARY_MAX = 3000
NOTE_MAX = 3000
REASON_MAX = 1000  # a skip reason, a correction's reason
EARLIEST_AWARE = datetime.fromisoformat("2000-01-01T00:00:00+09:00")  # before this, a typo
FUTURE_TOLERANCE = timedelta(minutes=10)  # clocks differ a little between a phone and the server


def implausible_aware_at(aware_at: datetime, now: datetime) -> bool:
    """A discovery moment before 2000 or in the future is refused as a typo."""
    return aware_at < EARLIEST_AWARE or aware_at > now + FUTURE_TOLERANCE


class DataItem(StrEnum):
    """Kinds of personal data a form offers, fine enough that a draft never claims more than leaked; some of
    them decide a legal ground."""

    NAME = "name"
    EMAIL = "email"
    POSTAL_ADDRESS = "postal_address"
    PHONE = "phone"
    BIRTHDATE = "birthdate"
    SENSITIVE = "sensitive"  # 要配慮個人情報: which kind in Facts.sensitive_kinds
    CARD = "card"  # credit card numbers
    BANK = "bank"  # bank accounts
    CREDENTIALS = "credentials"  # login IDs with passwords
    MY_NUMBER = "my_number"  # 個人番号
    EMPLOYEE = "employee"  # employee records
    OTHER = "other"


# Before the items were split, one box read 「住所・電話番号・メールアドレス」: an older incident that ticked it
# keeps exactly that meaning (migration 0011 rewrote the stored facts; a value read from elsewhere, such as an
# old export imported again, is translated the same way here).
LEGACY_ITEMS = {"contact": (DataItem.POSTAL_ADDRESS, DataItem.PHONE, DataItem.EMAIL)}


class SensitiveKind(StrEnum):
    """Which 要配慮個人情報 (法2条3項, 施行令2条) is involved: a draft names the kinds chosen, never a fixed list."""

    MEDICAL = "medical"  # 病歴、医師等による診療・指導・調剤
    HEALTH_CHECK = "health_check"  # 健康診断その他の検査の結果
    DISABILITY = "disability"  # 心身の機能の障害
    CREED = "creed"  # 信条
    RACE = "race"  # 人種
    SOCIAL_STATUS = "social_status"  # 社会的身分
    CRIMINAL_RECORD = "criminal_record"  # 犯罪の経歴、刑事事件に関する手続
    CRIME_VICTIM = "crime_victim"  # 犯罪により害を被った事実
    JUVENILE = "juvenile"  # 少年の保護事件に関する手続
    OTHER = "other"


# Causes that are a wrongful purpose by their nature (GL 3-5-3-1 事例: 不正アクセス、盗難、従業者による持ち出し).
WRONGFUL_CAUSES = frozenset({Cause.UNAUTHORIZED_ACCESS, Cause.THEFT, Cause.INSIDER})
FINANCIAL_ITEMS = frozenset({DataItem.CARD, DataItem.BANK, DataItem.CREDENTIALS})

Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=SUMMARY_MAX)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=NOTE_MAX)]


class Facts(BaseModel):
    """Facts as captured; flags set explicitly or implied by the data items involved."""

    model_config = ConfigDict(extra="forbid")

    summary: Text = ""
    occurred_at: AwareDatetime | None = None
    confirmed: bool = False  # False: suspected (おそれ), which the law treats the same
    cause: Cause = Cause.UNKNOWN
    cause_detail: Note = ""  # the cause in the team's words, beside the category
    data_items: tuple[DataItem, ...] = ()
    persons: int | None = Field(default=None, ge=0, le=10**10)
    persons_upper_bound: int | None = Field(default=None, ge=0, le=10**10)
    sensitive: bool = False
    sensitive_kinds: tuple[SensitiveKind, ...] = ()
    financial: bool = False
    malicious: bool = False
    encrypted: bool = False
    my_number: bool = False
    processor_involved: bool = False  # a processor or vendor of ours is involved
    acting_for_controller: bool = False  # we hold this data as a 委託先: we owe the 委託元 a prompt notice
    secondary_damage: Annotated[str, StringConstraints(strip_whitespace=True, max_length=NOTE_MAX)] = ""
    notes: Annotated[str, StringConstraints(strip_whitespace=True, max_length=NOTE_MAX)] = ""
    # For the drafts (bot.documents): how it came to light, what was not affected, what was done, 再発防止策.
    discovered_how: Note = ""
    discovered_by: Note = ""  # 発見者, by department or position (e.g. 情報システム部の監視担当), not a name
    not_affected: Note = ""
    measures_taken: Note = ""
    prevention: Note = ""
    # Beyond Japan (issue 20, bot.regimes): where the affected people live (regime codes, Japan by default),
    # where the company has an establishment, and the judgements only other laws ask for: None until the
    # team answers, which keeps that law's answer undetermined, never "no".
    jurisdictions: tuple[str, ...] = ("JP",)
    establishments: tuple[str, ...] = ()
    risk: bool | None = None  # EU, UK, TH: likely to result in a risk to people's rights and freedoms
    high_risk: bool | None = None  # EU, UK, TH: a high risk: the people are told
    significant_harm: bool | None = None  # SG
    serious_harm: bool | None = None  # AU
    # SG: when the company determined the breach notifiable (PDPA s.26D(1): the PDPC within 3 calendar days
    # after that day); None until the facts form records it
    assessed_at: AwareDatetime | None = None

    @field_validator("jurisdictions", "establishments", mode="after")
    @classmethod
    def _regime_codes(cls, codes: tuple[str, ...]) -> tuple[str, ...]:
        from bot.regimes import regimes  # the codes are the regime files (bot/regimes/rules)

        unknown = [c for c in codes if c not in regimes()]
        if unknown:
            raise ValueError(f"unknown code {unknown[0]!r}; known codes: {', '.join(sorted(regimes()))}")
        return tuple(dict.fromkeys(codes))

    @field_validator("data_items", mode="before")
    @classmethod
    def _legacy_items(cls, value: object) -> object:
        if not isinstance(value, list | tuple):
            return value
        items: list[object] = []
        for item in value:
            items += LEGACY_ITEMS.get(item, (item,)) if isinstance(item, str) else (item,)
        return tuple(dict.fromkeys(items))

    @property
    def is_sensitive(self) -> bool:
        return self.sensitive or bool(self.sensitive_kinds) or DataItem.SENSITIVE in self.data_items

    @property
    def is_financial(self) -> bool:
        return self.financial or bool(FINANCIAL_ITEMS.intersection(self.data_items))

    @property
    def involves_my_number(self) -> bool:
        return self.my_number or DataItem.MY_NUMBER in self.data_items

    @property
    def is_malicious(self) -> bool:
        """Unauthorized access, theft and insider take-out are wrongful-purpose causes by their nature."""
        return self.malicious or self.cause in WRONGFUL_CAUSES

    @property
    def regime_codes(self) -> tuple[str, ...]:
        """The jurisdictions besides Japan, in the order chosen (JP stays bot.appi's)."""
        return tuple(c for c in self.jurisdictions if c != "JP")

    def changed_fields(self, other: Facts) -> dict[str, tuple[object, object]]:
        """Field → (old, new) for every field that differs from ``other`` (the newer facts)."""
        mine, theirs = self.model_dump(mode="json"), other.model_dump(mode="json")
        return {k: (mine[k], theirs[k]) for k in mine if mine[k] != theirs[k]}
