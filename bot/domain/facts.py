"""What the team knows about a leak. The assessment reads these facts; steps and forms update them."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

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
    """Kinds of personal data a form offers; some of them decide a legal ground."""

    NAME = "name"
    CONTACT = "contact"  # address, phone, email
    BIRTHDATE = "birthdate"
    SENSITIVE = "sensitive"  # 要配慮個人情報 (health, medical history, creed, criminal record …)
    CARD = "card"  # credit card numbers
    BANK = "bank"  # bank accounts
    CREDENTIALS = "credentials"  # login IDs with passwords
    MY_NUMBER = "my_number"  # 個人番号
    EMPLOYEE = "employee"  # employee records
    OTHER = "other"


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
    data_items: tuple[DataItem, ...] = ()
    persons: int | None = Field(default=None, ge=0, le=10**10)
    persons_upper_bound: int | None = Field(default=None, ge=0, le=10**10)
    sensitive: bool = False
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
    not_affected: Note = ""
    measures_taken: Note = ""
    prevention: Note = ""

    @property
    def is_sensitive(self) -> bool:
        return self.sensitive or DataItem.SENSITIVE in self.data_items

    @property
    def is_financial(self) -> bool:
        return self.financial or bool(FINANCIAL_ITEMS.intersection(self.data_items))

    @property
    def involves_my_number(self) -> bool:
        return self.my_number or DataItem.MY_NUMBER in self.data_items

    @property
    def is_malicious(self) -> bool:
        """Unauthorized access and insider take-out are wrongful-purpose causes by their nature."""
        return self.malicious or self.cause in (Cause.UNAUTHORIZED_ACCESS, Cause.INSIDER)

    def changed_fields(self, other: Facts) -> dict[str, tuple[object, object]]:
        """Field → (old, new) for every field that differs from ``other`` (the newer facts)."""
        mine, theirs = self.model_dump(mode="json"), other.model_dump(mode="json")
        return {k: (mine[k], theirs[k]) for k in mine if mine[k] != theirs[k]}
