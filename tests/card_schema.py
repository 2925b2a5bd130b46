"""Validates Adaptive Cards against the official Adaptive Card 1.5 JSON schema (draft-06)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import jsonschema

SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "specs" / "adaptive-card-1.5.schema.json"


@cache
def validator() -> jsonschema.Draft6Validator:
    return jsonschema.Draft6Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def card_errors(card: dict) -> list[str]:
    problems = [e.message[:300] for e in validator().iter_errors(card)]
    if card.get("version") != "1.5":
        problems.append(f"version {card.get('version')!r} is not 1.5")
    return problems
