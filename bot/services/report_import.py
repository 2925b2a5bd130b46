"""A report made outside chat, read from a file (`leakbot incidents import`): by phone, by e-mail, from a customer
or a vendor. The same rules as the report form (bot/services/report_form.py); the facts are validated by the
Facts model itself, so they take exactly the names and values `leakbot incidents show --json` prints."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, StringConstraints, TypeAdapter, ValidationError

from bot.domain.facts import Facts
from bot.domain.origin import REPORTED_BY_MAX, TITLE_MAX, Origin, ReportSource
from bot.i18n import t
from bot.services.incident_base import ReportRequest
from bot.services.ports import Actor
from bot.services.report_form import aware_at_error, count_errors

ID_MAX = 200
KEY_PREFIX = "import:"
FILE = "file"  # the path of an error about the whole file


IdText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=ID_MAX)]
TitleText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=TITLE_MAX)]
ReporterText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=REPORTED_BY_MAX)]


class ImportFile(BaseModel):
    """The file's fields. ``id``, when given, is the idempotency key: a file imported again with the same id
    names the incident made the first time; without it, the same content does."""

    model_config = ConfigDict(extra="forbid")

    id: IdText | None = None
    aware_at: AwareDatetime
    source: ReportSource | None = None
    reported_by: ReporterText = ""
    title: TitleText = ""
    platform: Literal["slack", "teams", "none"] | None = None
    facts: Facts

    @property
    def idempotency_key(self) -> str:
        if self.id is not None:
            return KEY_PREFIX + self.id
        content = json.dumps(self.model_dump(mode="json", exclude={"id"}), sort_keys=True, ensure_ascii=False)
        return KEY_PREFIX + "sha256:" + hashlib.sha256(content.encode("utf-8")).hexdigest()

    def request(self, lang: str, recorded_by: Actor) -> ReportRequest:
        """The report use case's request: an operator records it; its reporter is no chat user."""
        assert self.platform is not None
        return ReportRequest(
            platform=self.platform,
            reporter_id="",
            reporter_lang=lang,
            aware_at=self.aware_at,
            facts=self.facts,
            idempotency_key=self.idempotency_key,
            origin=Origin(self.source, self.reported_by, self.title),
            recorded_by=recorded_by,
        )


AWARE: TypeAdapter[datetime] = TypeAdapter(AwareDatetime)
FACTS: TypeAdapter[Facts] = TypeAdapter(Facts)


class ImportErrors(Exception):
    """Field path (``facts.persons``) → what is wrong; nothing was saved."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


def parse_import(data: object, now: datetime, default_platform: str | None, lang: str = "en") -> ImportFile:
    """Validate a loaded file (a mapping). ``default_platform``: when the file names none (None: it must).
    Each wrong field is named by its path; the form's own rules apply to each part that is valid alone."""
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "nothing" if data is None else "a single value"
        raise ImportErrors({FILE: f"expected a mapping of fields (aware_at, facts, …), got {kind}"})
    errors: dict[str, str] = {}
    try:
        parsed: ImportFile | None = ImportFile.model_validate(data)
    except ValidationError as exc:
        parsed, errors = None, _pydantic_errors(exc)
    aware_at = _valid(AWARE, data.get("aware_at"))
    if aware_at is not None and (error := aware_at_error(aware_at, now, lang)) is not None:
        errors["aware_at"] = error
    facts = _valid(FACTS, data.get("facts"))
    if facts is not None:
        if not facts.summary:
            errors["facts.summary"] = t("form.error.required", lang)
        counts: dict[str, str] = {}
        count_errors(facts.persons, facts.persons_upper_bound, lang, counts)
        errors |= {f"facts.{field}": message for field, message in counts.items()}
    platform = data.get("platform") or default_platform
    if platform is None:
        errors["platform"] = "required here (slack, teams or none): the environment does not say which one"
    if errors or parsed is None:
        raise ImportErrors(errors)
    facts = parsed.facts.model_copy(update={"data_items": tuple(dict.fromkeys(parsed.facts.data_items))})
    return parsed.model_copy(update={"platform": parsed.platform or default_platform, "facts": facts})


def _valid(adapter: TypeAdapter, value: object) -> Any:
    try:
        return adapter.validate_python(value)
    except ValidationError:
        return None


def _pydantic_errors(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors():
        path = ".".join(str(p) for p in error["loc"]) or FILE
        if error["type"] == "extra_forbidden":
            message = "unknown field"
        elif error["type"] == "missing":
            message = "required"
        elif error["type"] == "timezone_aware":
            message = "needs a UTC offset, e.g. 2026-12-01T09:30:00+09:00"
        else:
            message = error["msg"]
        errors.setdefault(path, message)
    return errors
