"""Drills: rehearsing a leak with a scenario, an accelerated clock and an after-action report (issue 14).

Platform-neutral like the rest of the core: scenarios are data (playbooks/drills/*.yaml), the drill clock is
pure arithmetic, and the report is a ``bot.documents.model.Document`` the existing renderers print.
"""

from __future__ import annotations

from bot.drills.clock import DEFAULT_SPEED, DrillClock
from bot.drills.marking import marked
from bot.drills.scenarios import (
    DEFAULT_SCENARIOS_DIR,
    FactsPatch,
    Inject,
    Scenario,
    ScenarioError,
    injects_due,
    load_scenarios,
)

__all__ = [
    "DEFAULT_SCENARIOS_DIR",
    "DEFAULT_SPEED",
    "DrillClock",
    "FactsPatch",
    "Inject",
    "Scenario",
    "ScenarioError",
    "injects_due",
    "load_scenarios",
    "marked",
]
