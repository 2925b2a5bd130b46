"""Validates Adaptive Cards against the official Adaptive Card 1.5 JSON schema (draft-06)."""

from __future__ import annotations

from functools import cache

import jsonschema

from adapters.fakes.specs import ADAPTIVE_CARD, load


@cache
def validator() -> jsonschema.Draft6Validator | None:
    schema = load(ADAPTIVE_CARD)
    return jsonschema.Draft6Validator(schema) if schema is not None else None


def card_errors(card: dict) -> list[str]:
    """Schema violations (skipped, with a warning, when the schema is not available) and the version."""
    checker = validator()
    problems = [e.message[:300] for e in checker.iter_errors(card)] if checker is not None else []
    if card.get("version") != "1.5":
        problems.append(f"version {card.get('version')!r} is not 1.5")
    return problems
