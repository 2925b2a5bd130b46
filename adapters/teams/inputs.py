"""Adaptive Card inputs the Teams forms share: a choice list, checkboxes, and what Teams sends back for them."""

from __future__ import annotations


def choices(values: list[tuple[str, str]]) -> list[dict]:
    return [{"title": title, "value": value} for title, value in values]


def multi_select(input_id: str, label: str, selected: list[str], options: list[tuple[str, str]]) -> dict:
    """Checkboxes: Teams sends the chosen values comma-separated."""
    return {
        "type": "Input.ChoiceSet",
        "id": input_id,
        "label": label,
        "isMultiSelect": True,
        "style": "expanded",
        "value": ",".join(selected),
        "choices": choices(options),
    }


def chosen(values: dict, field: str) -> list[str]:
    raw = values.get(field)
    return [v for v in raw.split(",") if v] if isinstance(raw, str) else []
