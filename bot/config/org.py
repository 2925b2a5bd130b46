"""The organization config (LEAKBOT_CONFIG): who is on the response team, how channels are named.

Secrets never live here; they come from the environment (bot.config.settings).
"""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PositiveInt,
    StringConstraints,
    ValidationError,
    field_validator,
)

from bot.appi.recipients import known_recipients, known_sectors
from bot.domain.vocabulary import Role

# A member is a Slack user id (U…/W…), a Teams user id (29:…, or an Entra object id) or an email address.
MEMBER_PATTERN = (
    r"^(?:[UW][A-Z0-9]{2,}"
    r"|29:[A-Za-z0-9_\-]+"
    r"|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"|[^@\s]+@[^@\s]+\.[^@\s]+)$"
)
Member = Annotated[str, StringConstraints(strip_whitespace=True, pattern=MEMBER_PATTERN)]


class ConfigError(Exception):
    """A config file that cannot be used; the message names the file, the field and what is wrong."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Organization(_Strict):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    entity: Literal["business", "public_body"] = "business"
    sector: str = "general"
    # The authority the sector's own law asks leak reports of, besides the APPI report (recipients.yaml keys);
    # shown as 「業種別の監督官庁への報告」 only when it is not already the report's recipient.
    sector_regulator: str | None = None
    timezone: str = "Asia/Tokyo"
    # The reporting entity as the PPC's form asks for it (【要記入】 in the drafts while unset).
    corporate_number: Annotated[str, StringConstraints(pattern=r"^(\d{13})?$")] = ""  # 法人番号 (13 digits)
    address: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = ""  # 所在地

    @field_validator("sector")
    @classmethod
    def _known_sector(cls, value: str) -> str:
        if value not in known_sectors():
            raise ValueError(f"unknown sector {value!r}; known: {', '.join(known_sectors())}")
        return value

    @field_validator("sector_regulator")
    @classmethod
    def _known_regulator(cls, value: str | None) -> str | None:
        if value is not None and value not in known_recipients():
            raise ValueError(f"unknown regulator {value!r}; known: {', '.join(known_recipients())}")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


class Channels(_Strict):
    prefix: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,40}$")] = "leak"
    invite_reporter: bool = True


class QuietHours(_Strict):
    start: time = time(22, 0)
    end: time = time(8, 0)

    def contains(self, moment: time) -> bool:
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


class Reminders(_Strict):
    """When reminders go out; times are Japan time. The defaults follow the issue's plan."""

    quiet_hours: QuietHours = QuietHours()
    morning: time = time(9, 0)  # "the morning of the due day" and overdue escalations
    preliminary_before_hours: tuple[PositiveInt, ...] = (24,)  # before the 速報 guideline target (day 5)
    final_before_days: tuple[PositiveInt, ...] = (7, 3, 1)
    individuals_before_days: tuple[PositiveInt, ...] = (3, 1)  # used only with individuals_target_days
    # 本人通知 is due 「速やかに」 (法26条2項) with no legal date. An internal target day (counted from the day of
    # awareness = day 1) makes it a tracked, reminded deadline; None shows 「速やかに」 only.
    individuals_target_days: PositiveInt | None = None
    step_before_hours: tuple[PositiveInt, ...] = (1,)
    # A regime's hour clock (GDPR's 72 h, issue 20): pings this many hours before it, i.e. at 24 h, 48 h and
    # 66 h of 72; quiet hours never hold one past the deadline. Its calendar-day clocks (SG, AU): days before.
    regime_before_hours: tuple[PositiveInt, ...] = (48, 24, 6)
    regime_before_days: tuple[PositiveInt, ...] = (3, 1)
    digest_time: time = time(9, 0)
    max_attempts: PositiveInt = 5


Line = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class ContactDesk(_Strict):
    """The enquiry desk the drafts name; an unset value shows as a visible 【要記入】 placeholder."""

    name: Line = ""
    phone: Line = ""
    email: Line = ""
    hours: Line = ""


class ResponsibleContact(_Strict):
    """Who the regulator calls about the report (the PPC form's 担当者 and 連絡先): not published."""

    name: Line = ""  # e.g. 法務部 個人情報保護担当 鈴木一郎
    phone: Line = ""
    email: Line = ""


class Documents(_Strict):
    """What the drafts (bot.documents) need from the organization and the facts cannot say."""

    representative: Line = ""  # 代表者名, e.g. 代表取締役社長 山田太郎
    contact_desk: ContactDesk = ContactDesk()
    responsible: ResponsibleContact = ResponsibleContact()  # the report's 担当者 (to the regulator only)
    # the service or product the public texts name as affected when the facts do not (e.g. 「オンラインストア」)
    service: Line = ""


class Dpo(_Strict):
    """The data protection officer or other contact point a regulator's form names (GDPR Art. 33(3)(b))."""

    name: Line = ""
    email: Line = ""


class RegimeContacts(_Strict):
    """What a regime beyond Japan needs from the organization (issue 20): the lead supervisory authority (with
    a main establishment there), the representative (GDPR Art. 27, UK GDPR Art. 27) and the DPO contact."""

    lead_authority: Line = ""
    representative: Line = ""
    dpo: Dpo = Dpo()


class Drills(_Strict):
    """Rehearsals (issue 14): how fast the drill clock runs, who may start one, who gets the executive pings."""

    speed: Annotated[float, Field(gt=0, le=100_000)] = 720  # 720×: the 30-day 確報 window in about an hour
    organizers: tuple[Member, ...] = ()  # may start a drill besides the commander role
    pings: Literal["executives", "organizer"] = "executives"  # organizer: only they get the executive pings


# How long an incident's free text is kept after it is closed: three years (docs/decisions.md, "Retention").
DEFAULT_RETENTION_DAYS = 3 * 365


class Retention(_Strict):
    """What leakbot keeps after an incident is closed (issue 21). After ``days`` the daily job erases the free
    text and the drafts; the skeleton (reference, dates, grounds, deadlines, who filed what and when, each filed
    document's hash) and the audit chain stay. An incident under legal hold is never purged."""

    days: Annotated[int, Field(ge=1, le=36_500)] = DEFAULT_RETENTION_DAYS
    purge_time: time = time(3, 0)  # Japan time: the daily purge of what is due
    # where the export (`leakbot incidents export`) is written when an incident is closed, one directory per
    # reference; unset: nothing is written, and the response space is archived at once
    export_dir: Path | None = None


class Lookalikes(_Strict):
    """Reports that look like an open incident (issue 22): held while the commander is asked whether they are
    the same incident; provisioned on their own when nobody answers in ``answer_minutes``."""

    enabled: bool = True
    window_minutes: PositiveInt = 120  # compared with the incidents reported this recently
    answer_minutes: PositiveInt = 10


class OrgConfig(_Strict):
    organization: Organization
    language: Literal["ja", "en"] = "ja"
    channels: Channels = Channels()
    roles: dict[Role, tuple[Member, ...]] = Field(default_factory=dict)
    playbook: str = "personal-data-leak"
    reminders: Reminders = Reminders()
    documents: Documents = Documents()
    drills: Drills = Drills()
    retention: Retention = Retention()
    lookalikes: Lookalikes = Lookalikes()
    # By regime code in lower case (eu, uk, kr, sg, au, th): bot/regimes/rules
    regimes: dict[str, RegimeContacts] = Field(default_factory=dict)

    @field_validator("regimes")
    @classmethod
    def _known_regimes(cls, value: dict[str, RegimeContacts]) -> dict[str, RegimeContacts]:
        from bot.regimes import regimes

        known = sorted(c.lower() for c in regimes() if c != "JP")
        unknown = [k for k in value if k not in known]
        if unknown:
            raise ValueError(f"unknown regime {unknown[0]!r}; known: {', '.join(known)}")
        return value

    def regime(self, code: str) -> RegimeContacts:
        """The org's contacts for a regime (empty ones when the config names none)."""
        return self.regimes.get(code.lower(), RegimeContacts())

    @field_validator("roles")
    @classmethod
    def _commander_required(cls, roles: dict[Role, tuple[str, ...]]) -> dict[Role, tuple[str, ...]]:
        if not roles.get(Role.COMMANDER):
            raise ValueError("at least one commander (対策本部長) is required")
        return roles

    def members_of(self, role: Role) -> tuple[str, ...]:
        return self.roles.get(role, ())

    def drill_starters(self) -> tuple[str, ...]:
        """Who may start a drill, as written: the commanders, then the drill organizers."""
        return tuple(dict.fromkeys((*self.members_of(Role.COMMANDER), *self.drills.organizers)))


def _describe(error: dict) -> str:
    where = ".".join(str(part) for part in error["loc"]) or "(top level)"
    return f"{where}: {error['msg']}"


def parse_org_config(text: str, source: str) -> OrgConfig:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: not valid YAML: {exc}".replace("\n", " ")) from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: (top level): expected a mapping of settings")
    try:
        return OrgConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{source}: " + "; ".join(_describe(e) for e in exc.errors())) from exc


def load_org_config(path: Path) -> OrgConfig:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror}") from exc
    return parse_org_config(text, str(path))
