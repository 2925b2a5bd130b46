"""Domain events: what a use case did, recorded on its unit of work and handed to handlers after commit.

Each carries the incident's read model as the transaction left it (built once there), so a handler never
reads the incident again to say or show what changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.views import Change, IncidentView


@dataclass(frozen=True)
class Event:
    incident: IncidentView

    @property
    def reference(self) -> str:
        return self.incident.reference


@dataclass(frozen=True)
class Reported(Event):
    """A report was saved: the response space is to be provisioned."""


@dataclass(frozen=True)
class Changed(Event):
    """Something of the incident changed; ``changes`` say what (deadlines moved, reassessed, …)."""

    actor: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class StepChanged(Changed):
    """Steps changed state: one click, or the clicks one transaction applied together (group commit)."""

    step_ids: tuple[str, ...]


@dataclass(frozen=True)
class FactsChanged(Changed):
    """The facts or the report were corrected: the assessment, the deadlines and the steps may follow."""


@dataclass(frozen=True)
class DeadlineFiled(StepChanged):
    """提出済みにする: the filing step is done."""


@dataclass(frozen=True)
class DocumentChanged(Changed):
    """A draft was marked reviewed, sent or published."""


@dataclass(frozen=True)
class DrillInjected(Changed):
    """A drill's scenario revealed a new situation (its ``number``, 1-based in time order)."""

    number: int = 0


@dataclass(frozen=True)
class TeamChanged(Changed):
    """Members were added (by the commander, or resolved from the org config)."""

    added: tuple[str, ...] = ()


@dataclass(frozen=True)
class StatusChanged(Changed):
    """Closed or reopened."""


@dataclass(frozen=True)
class LookalikeHeld(Event):
    """A report that looks like the open incident ``survivor`` was saved and held: its reporter hears the
    receipt, and the commander is asked in the survivor's space (the question ``question``)."""

    survivor: str = ""
    question: str = ""


@dataclass(frozen=True)
class LookalikesAnswered(Changed):
    """The commander answered a question about look-alike reports (``incident``: the survivor); ``reask``:
    the question the reports that came after the answered ones now wait on, if any."""

    question: str = ""
    reask: str | None = None
