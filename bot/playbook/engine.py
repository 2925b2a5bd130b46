"""Walking a playbook: which steps apply, what may change state, progress and step due times.

Pure functions over the playbook and the incident's situation; the services persist the results.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.vocabulary import Cause, Condition
from bot.playbook.schema import Playbook, Step


class StepStatus(StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    SKIPPED = "skipped"
    NOT_APPLICABLE = "not_applicable"


FINISHED = frozenset({StepStatus.DONE, StepStatus.SKIPPED, StepStatus.NOT_APPLICABLE})


@dataclass(frozen=True)
class Situation:
    """What decides which steps apply."""

    cause: Cause
    reportable: bool
    processor_involved: bool
    acting_for_controller: bool
    financial: bool
    malicious: bool
    sector_regulator: bool = False  # the org's sector has a regulator besides the report's recipient
    provisional: bool = False  # not reportable yet but a ground is undetermined (判定中)

    def holds(self, condition: Condition) -> bool:
        return {
            Condition.REPORTABLE: self.reportable,
            Condition.PRELIMINARY_RUNS: self.reportable or self.provisional,
            Condition.NOT_REPORTABLE: not self.reportable,
            Condition.PROCESSOR_INVOLVED: self.processor_involved,
            Condition.ACTING_FOR_CONTROLLER: self.acting_for_controller,
            Condition.FINANCIAL: self.financial,
            Condition.MALICIOUS: self.malicious,
            Condition.SECTOR_REGULATOR: self.sector_regulator,
        }[condition]


def applies(step: Step, situation: Situation) -> bool:
    in_branch = not step.causes or situation.cause in step.causes
    return in_branch and all(situation.holds(c) for c in step.when)


def applicable_steps(playbook: Playbook, situation: Situation) -> tuple[Step, ...]:
    return tuple(s for s in playbook.steps if applies(s, situation))


class TransitionError(Exception):
    """A refused change of a step's state; ``code`` picks the user message, ``blockers`` name the steps."""

    def __init__(self, code: str, step_id: str, blockers: tuple[str, ...] = ()) -> None:
        super().__init__(f"{code}: {step_id} {' '.join(blockers)}".strip())
        self.code = code
        self.step_id = step_id
        self.blockers = blockers


def blockers(step: Step, states: Mapping[str, StepStatus], applicable_ids: frozenset[str]) -> tuple[str, ...]:
    """The required steps that apply to this incident and are not finished yet."""
    return tuple(
        r for r in step.requires if r in applicable_ids and states.get(r, StepStatus.TODO) not in FINISHED
    )


def check_transition(
    step: Step,
    current: StepStatus,
    target: StepStatus,
    reason: str | None,
    states: Mapping[str, StepStatus],
    applicable_ids: frozenset[str],
    enforce_requires: bool = True,
) -> None:
    if step.id not in applicable_ids:
        raise TransitionError("step_not_in_branch", step.id)
    if current == target:
        raise TransitionError("already_in_state", step.id)
    if target == StepStatus.SKIPPED and not (reason and reason.strip()):
        raise TransitionError("reason_required", step.id)
    if target == StepStatus.DONE and enforce_requires:
        waiting = blockers(step, states, applicable_ids)
        if waiting:
            raise TransitionError("blocked", step.id, waiting)


@dataclass(frozen=True)
class PhaseProgress:
    phase_id: str
    finished: int
    total: int

    @property
    def complete(self) -> bool:
        return self.finished == self.total


@dataclass(frozen=True)
class Progress:
    phases: tuple[PhaseProgress, ...]

    @property
    def finished(self) -> int:
        return sum(p.finished for p in self.phases)

    @property
    def total(self) -> int:
        return sum(p.total for p in self.phases)

    @property
    def ratio(self) -> float:
        return self.finished / self.total if self.total else 1.0

    @property
    def current_phase(self) -> str | None:
        """The first phase with unfinished steps: the one the channel is working on."""
        return next((p.phase_id for p in self.phases if not p.complete), None)


def progress(playbook: Playbook, situation: Situation, states: Mapping[str, StepStatus]) -> Progress:
    steps = applicable_steps(playbook, situation)
    phases = []
    for phase in playbook.phases:
        in_phase = [s for s in steps if s.phase == phase.id]
        if in_phase:
            done = sum(1 for s in in_phase if states.get(s.id, StepStatus.TODO) in FINISHED)
            phases.append(PhaseProgress(phase.id, done, len(in_phase)))
    return Progress(tuple(phases))


def step_due_times(
    playbook: Playbook, situation: Situation, aware_at: datetime, finished_at: Mapping[str, datetime]
) -> dict[str, datetime]:
    """Due times of applicable steps with a ``due`` whose anchor (awareness or a finished step) is known."""
    due: dict[str, datetime] = {}
    for step in applicable_steps(playbook, situation):
        if step.due is None:
            continue
        anchor = aware_at if step.due.after == "awareness" else finished_at.get(step.due.after)
        if anchor is not None:
            due[step.id] = anchor + timedelta(hours=step.due.hours)
    return due
