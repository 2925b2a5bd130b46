"""Drill scenarios as data: playbooks/drills/*.yaml, validated with pydantic like the playbooks.

A scenario has a briefing, the facts the team starts from, and injects: new facts revealed at set drill times
(offsets from the start of the drill such as ``"2h"`` or ``"1d12h"``), posted in the channel. The facts are a
partial :class:`bot.domain.facts.Facts`; their text fields may be one string or ``{ja, en}``.

Every problem is reported with the file and the place it concerns, all at once.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, create_model
from pydantic.fields import FieldInfo

from bot.domain.facts import Facts
from bot.playbook.schema import Ident, Text
from bot.resources import shipped

DEFAULT_SCENARIOS_DIR = shipped("playbooks") / "drills"  # beside the playbooks; the playbook loader skips it

_OFFSET = re.compile(r"^(?:(?P<d>\d+)d)?(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?$")


def parse_offset(value: object) -> object:
    """``"2h"``, ``"1d"``, ``"1d12h"``, ``"90m"`` → a timedelta; anything else is left for pydantic to refuse."""
    if isinstance(value, str):
        match = _OFFSET.match(value.strip())
        if not match or not any(match.groupdict().values()):
            raise ValueError("expected a drill-time offset such as 30m, 2h, 1d or 1d12h")
        parts = {k: int(v or 0) for k, v in match.groupdict().items()}
        return timedelta(days=parts["d"], hours=parts["h"], minutes=parts["m"])
    return value


def format_offset(offset: timedelta) -> str:
    """The inverse of :func:`parse_offset`: ``timedelta(days=1, hours=12)`` → ``"1d12h"``."""
    minutes = int(offset.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    text = (f"{days}d" if days else "") + (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "")
    return text or "0m"


Offset = Annotated[timedelta, BeforeValidator(parse_offset)]
LocalText = str | Text  # a fact's text: the same in both languages, or {ja, en}


def _partial_fields() -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name, info in Facts.model_fields.items():
        if info.annotation is str:
            fields[name] = (LocalText | None, None)  # Facts checks the length once resolved
        else:
            fields[name] = (info.annotation | None, FieldInfo.merge_field_infos(info, default=None))
    return fields


FactsPatch = create_model(  # type: ignore[call-overload]
    "FactsPatch",
    __config__=ConfigDict(extra="forbid", frozen=True),
    __doc__="A partial Facts: only the fields a scenario sets; text fields may be {ja, en}.",
    **_partial_fields(),
)


def patch_values(patch: BaseModel, lang: str) -> dict[str, Any]:
    """The fields ``patch`` sets, texts in ``lang``, ready to merge into a Facts dump."""
    values: dict[str, Any] = {}
    for name in patch.model_fields_set:
        value = getattr(patch, name)
        values[name] = value.get(lang) if isinstance(value, Text) else value
    return values


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Inject(_Strict):
    """A new turn of events at a drill time: said in the channel; the facts the team is expected to enter."""

    at: Annotated[Offset, Field(gt=timedelta(0))]  # the briefing covers the start itself
    kind: Literal["fact", "call"] = "fact"  # call: someone outside calls (a journalist, a customer)
    say: Text
    facts: FactsPatch = Field(default_factory=FactsPatch)  # type: ignore[valid-type]

    @property
    def fields(self) -> tuple[str, ...]:
        """The fact fields this inject changes, in Facts order."""
        return tuple(n for n in Facts.model_fields if n in self.facts.model_fields_set)


class Scenario(_Strict):
    id: Ident
    title: Text
    briefing: Text
    facts: FactsPatch = Field(default_factory=FactsPatch)  # type: ignore[valid-type]  # the initial facts
    injects: tuple[Inject, ...] = ()

    def initial_facts(self, lang: str = "ja") -> Facts:
        return Facts.model_validate(patch_values(self.facts, lang))

    def expected_facts(self, until: timedelta, lang: str = "ja") -> Facts:
        """The initial facts with every inject up to drill time ``until`` applied: what the team should have."""
        values = patch_values(self.facts, lang)
        for inject in self.injects:
            if inject.at <= until:
                values |= patch_values(inject.facts, lang)
        return Facts.model_validate(values)

    def inject_number(self, inject: Inject) -> int:
        """1-based, in time order, as the report and the channel name it."""
        return self.ordered_injects().index(inject) + 1

    def ordered_injects(self) -> tuple[Inject, ...]:
        return tuple(sorted(self.injects, key=lambda i: i.at))


def injects_due(scenario: Scenario, since: timedelta | None, until: timedelta) -> tuple[Inject, ...]:
    """Injects whose time is after ``since`` and at or before ``until`` (drill-time offsets), in time order.

    ``since=None`` means from the start of the drill, the start included; a scheduler passes the offset it last
    checked as ``since`` so every inject is delivered exactly once."""
    return tuple(i for i in scenario.ordered_injects() if (since is None or i.at > since) and i.at <= until)


class ScenarioError(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def _where(data: object, loc: list[Any]) -> tuple[str, list[Any]]:
    if len(loc) >= 2 and loc[0] == "injects" and isinstance(loc[1], int):
        label = f"injects[{loc[1]}]"
        injects = data.get("injects") if isinstance(data, dict) else None
        if isinstance(injects, list) and loc[1] < len(injects) and isinstance(injects[loc[1]], dict):
            at = injects[loc[1]].get("at")
            if at is not None:
                label += f" (at {at})"
        return label + ": ", loc[2:]
    return "", loc


def _pydantic_errors(source: str, data: object, exc: ValidationError, prefix: list[Any]) -> list[str]:
    messages = []
    for error in exc.errors():
        loc = [*prefix, *error["loc"]]
        where, loc = _where(data, loc)
        field_name = ".".join(str(p) for p in loc if p not in ("str", "Text")) or "(top level)"
        message = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
        text = f"{source}: {where}{field_name}: {message}"
        if text not in messages:  # a {ja, en}-or-string text fails both ways: say it once
            messages.append(text)
    return messages


def _check_facts(scenario: Scenario, data: object, source: str) -> list[str]:
    """What the partial model cannot see: resolved texts too long, facts that do not make Facts together."""
    errors: list[str] = []
    patches: list[tuple[list[Any], BaseModel]] = [(["facts"], scenario.facts)]
    patches += [(["injects", n, "facts"], inject.facts) for n, inject in enumerate(scenario.injects)]
    for prefix, patch in patches:
        for lang in ("ja", "en"):
            try:
                Facts.model_validate(patch_values(patch, lang))
            except ValidationError as exc:
                errors += [e for e in _pydantic_errors(source, data, exc, prefix) if e not in errors]
    return errors


def load_scenario(path: Path) -> tuple[Scenario | None, list[str]]:
    source = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return None, [f"{source}: cannot be read: {exc.strerror}"]
    except yaml.YAMLError as exc:
        return None, [f"{source}: not valid YAML: {exc}".replace("\n", " ")]
    if not isinstance(data, dict):
        return None, [f"{source}: (top level): expected a scenario mapping"]
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        return None, _pydantic_errors(source, data, exc, [])
    errors = _check_facts(scenario, data, source)
    return (None, errors) if errors else (scenario, [])


def load_scenarios(*directories: Path | None) -> dict[str, Scenario]:
    """Every *.yaml scenario, by id. Later directories (a company's own) add scenarios or replace shipped ones
    with the same id; two files with one id in the same directory are an error. Raises ScenarioError."""
    if not directories:
        directories = (DEFAULT_SCENARIOS_DIR,)
    scenarios: dict[str, Scenario] = {}
    errors: list[str] = []
    for directory in directories:
        if directory is None:
            continue
        if not directory.is_dir():
            errors.append(f"{directory}: not a directory")
            continue
        seen: dict[str, Path] = {}
        for path in sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")]):
            scenario, problems = load_scenario(path)
            errors += problems
            if scenario is None:
                continue
            if scenario.id in seen:
                errors.append(
                    f"{path}: id: duplicate scenario id {scenario.id!r} (also in {seen[scenario.id]})"
                )
                continue
            seen[scenario.id] = path
            scenarios[scenario.id] = scenario
    if errors:
        raise ScenarioError(errors)
    return scenarios
