"""Loading the regime files: one YAML file per jurisdiction under bot/regimes/rules/ (package data, so it
reaches the wheel). Every problem is reported at once, each naming the file and the field."""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import yaml
from pydantic import ValidationError

from bot.regimes.schema import Regime, check_regime


class RegimeError(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def _field(loc: tuple[object, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts[-1:] = [f"{parts[-1]}[{part}]"] if parts else [f"[{part}]"]
        elif not str(part).startswith(("function-", "literal[", "tagged-union")) and part not in (
            "Hours",
            "DaysAfterAssessment",
            "AnyOf",
            "AllOf",
            "PersonsAtLeast",
            "str",
        ):
            parts.append(str(part))
    return ".".join(parts) or "(top level)"


def parse_regime(text: str, source: str) -> tuple[Regime | None, list[str]]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        return None, [f"{source}: not valid YAML: {' '.join(str(exc).split())}"]
    if not isinstance(data, dict):
        return None, [f"{source}: (top level): expected a mapping"]
    try:
        regime = Regime.model_validate(data)
    except ValidationError as exc:
        seen: list[str] = []
        for error in exc.errors():
            message = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
            if error["type"] == "value_error" and "error" in error.get("ctx", {}):
                message = str(error["ctx"]["error"])  # our own sentence, without "Value error, "
            line = f"{source}: {_field(error['loc'])}: {message}"
            if line not in seen:
                seen.append(line)
        return None, seen
    errors = [f"{source}: {e}" for e in check_regime(regime)]
    stem = source.rsplit("/", 1)[-1].removesuffix(".yaml")
    if regime.code != stem.upper():
        errors.append(
            f"{source}: code: {regime.code!r} does not match the file name (expected {stem.upper()!r})"
        )
    return (None if errors else regime), errors


def load_regimes(directory: Traversable | Path, label: str | None = None) -> dict[str, Regime]:
    """Every ``*.yaml`` file of ``directory``, by code; RegimeError lists every problem found, each naming
    the file as ``label/<name>`` (default: the directory itself)."""
    found: dict[str, Regime] = {}
    errors: list[str] = []
    files = sorted((f for f in directory.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)
    for file in files:
        regime, problems = parse_regime(file.read_text("utf-8"), f"{label or directory}/{file.name}")
        errors += problems
        if regime is not None:
            found[regime.code] = regime
    if not found and not errors:
        errors.append(f"{directory}: no regime files")
    if errors:
        raise RegimeError(errors)
    return found


@cache
def regimes() -> dict[str, Regime]:
    """The shipped regimes, by code (loaded once)."""
    return load_regimes(resources.files("bot.regimes").joinpath("rules"), "bot/regimes/rules")
