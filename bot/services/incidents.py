"""The use cases on incidents, one module each, gathered in one service the adapters and the journey call:
report a leak (reporting), walk its playbook (steps), update its facts (facts_updates), manage its team and its
life (team), its drafts' states (document_states) and
edits (document_edits), drills (drill_runs), retention and legal hold (retention), replanning
after a restore (restoring), look-alike reports (merging) and reads (queries)."""

from __future__ import annotations

from bot.services.document_edits import DocumentEdits
from bot.services.document_states import DocumentStates
from bot.services.drill_runs import Drills
from bot.services.facts_updates import FactsUpdates
from bot.services.incident_base import Correction, Outcome, ReportRequest
from bot.services.merging import Merging
from bot.services.policy import REPORTER_ROLE, TEAM_ROLES
from bot.services.queries import Queries
from bot.services.reporting import Reporting
from bot.services.restoring import Restoring
from bot.services.retention import Retention
from bot.services.steps import Steps
from bot.services.team import Team

__all__ = ["REPORTER_ROLE", "TEAM_ROLES", "Correction", "IncidentService", "Outcome", "ReportRequest"]


class IncidentService(
    Reporting,
    Steps,
    FactsUpdates,
    DocumentStates,
    DocumentEdits,
    Team,
    Drills,
    Retention,
    Restoring,
    Merging,
    Queries,
):
    """Every use case on incidents; each is one unit of work (see bot.services.incident_base)."""
