"""Validates Adaptive Cards against the official Adaptive Card 1.5 JSON schema (draft-06)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import jsonschema

try:  # a dev dependency: the installed demo (no schema to check against anyway) runs without it
    import fastjsonschema
except ImportError:  # pragma: no cover - the wheel
    fastjsonschema = None

from adapters.fakes.specs import ADAPTIVE_CARD, load


@cache
def validator() -> jsonschema.Draft6Validator | None:
    schema = load(ADAPTIVE_CARD)
    return jsonschema.Draft6Validator(schema) if schema is not None else None


@cache
def fast_check() -> Callable[[dict], object] | None:
    """The same schema compiled to Python (fastjsonschema): a card is checked in microseconds; only a card it
    refuses is walked again by jsonschema for the messages."""
    schema = load(ADAPTIVE_CARD)
    return fastjsonschema.compile(schema) if schema is not None and fastjsonschema is not None else None


def card_errors(card: dict) -> list[str]:
    """Schema violations (skipped, with a warning, when the schema is not available) and the version."""
    checker, fast = validator(), fast_check()
    problems: list[str] = []
    if checker is not None and fast is not None:
        try:
            fast(card)
        except fastjsonschema.JsonSchemaException:
            problems = [e.message[:300] for e in checker.iter_errors(card)] or ["refused by the schema"]
    elif checker is not None:
        problems = [e.message[:300] for e in checker.iter_errors(card)]
    if card.get("version") != "1.5":
        problems.append(f"version {card.get('version')!r} is not 1.5")
    return problems
