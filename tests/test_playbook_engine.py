"""The engine: which steps apply, transitions and `requires`, progress, due times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.vocabulary import Cause
from bot.playbook.engine import (
    StepStatus,
    TransitionError,
    applicable_steps,
    check_transition,
    progress,
    step_due_times,
)
from bot.playbook.loader import PlaybookRegistry
from tests.conftest import DATA

BOOK = PlaybookRegistry.load(DATA / "playbooks").get("mini")
AWARE = datetime(2026, 12, 1, 1, tzinfo=UTC)


def situation(cause: Cause = Cause.UNKNOWN, reportable: bool = False):
    from bot.playbook.engine import Situation

    return Situation(cause, reportable, False, False, False, False)


def ids(steps) -> list[str]:
    return [s.id for s in steps]


def test_branches_and_conditions() -> None:
    assert ids(applicable_steps(BOOK, situation())) == ["tell_boss", "contain", "scope"]
    assert "recall_mail" in ids(applicable_steps(BOOK, situation(Cause.MISDELIVERY)))
    assert "isolate" not in ids(applicable_steps(BOOK, situation(Cause.MISDELIVERY)))
    reportable = ids(applicable_steps(BOOK, situation(Cause.UNAUTHORIZED_ACCESS, reportable=True)))
    assert reportable == ["tell_boss", "contain", "isolate", "scope", "preliminary", "final"]


def _check(step_id: str, target: StepStatus, states: dict, sit=None, reason=None) -> None:
    sit = sit or situation()
    step = next(s for s in BOOK.steps if s.id == step_id)
    applicable = frozenset(ids(applicable_steps(BOOK, sit)))
    check_transition(step, states.get(step_id, StepStatus.TODO), target, reason, states, applicable)


def test_requires_blocks_completion_and_names_the_blockers() -> None:
    with pytest.raises(TransitionError) as refused:
        _check("contain", StepStatus.DONE, {})
    assert refused.value.code == "blocked" and refused.value.blockers == ("tell_boss",)
    _check("contain", StepStatus.IN_PROGRESS, {})  # starting is fine
    _check("contain", StepStatus.DONE, {"tell_boss": StepStatus.DONE})


def test_skipped_and_not_applicable_requirements_do_not_block() -> None:
    _check("contain", StepStatus.DONE, {"tell_boss": StepStatus.SKIPPED})
    _check("contain", StepStatus.DONE, {"tell_boss": StepStatus.NOT_APPLICABLE})


def test_a_requirement_outside_the_branch_does_not_block() -> None:
    sit = situation(Cause.MISDELIVERY, reportable=True)  # `isolate` belongs to unauthorized access only
    _check("final", StepStatus.DONE, {"preliminary": StepStatus.DONE}, sit)
    with pytest.raises(TransitionError) as refused:
        _check(
            "final",
            StepStatus.DONE,
            {"preliminary": StepStatus.DONE},
            situation(Cause.UNAUTHORIZED_ACCESS, True),
        )
    assert refused.value.blockers == ("isolate",)


def test_skip_needs_a_reason() -> None:
    with pytest.raises(TransitionError) as refused:
        _check("tell_boss", StepStatus.SKIPPED, {}, reason="  ")
    assert refused.value.code == "reason_required"
    _check("tell_boss", StepStatus.SKIPPED, {}, reason="本部長が直接発見")


def test_steps_outside_the_branch_cannot_change() -> None:
    with pytest.raises(TransitionError) as refused:
        _check("isolate", StepStatus.DONE, {}, situation(Cause.MISDELIVERY))
    assert refused.value.code == "step_not_in_branch"


def test_progress_per_phase_and_overall() -> None:
    sit = situation(Cause.MISDELIVERY, reportable=True)
    states = {
        "tell_boss": StepStatus.DONE,
        "recall_mail": StepStatus.NOT_APPLICABLE,
        "contain": StepStatus.IN_PROGRESS,
    }
    result = progress(BOOK, sit, states)
    assert [(p.phase_id, p.finished, p.total) for p in result.phases] == [
        ("initial", 2, 4),
        ("reporting", 0, 2),
    ]
    assert (result.finished, result.total) == (2, 6)
    assert result.current_phase == "initial"
    done = dict.fromkeys(["tell_boss", "recall_mail", "contain", "scope"], StepStatus.DONE)
    assert progress(BOOK, sit, done).current_phase == "reporting"


def test_due_times_from_awareness_and_from_another_step() -> None:
    due = step_due_times(BOOK, situation(), AWARE, {})
    assert due == {"tell_boss": AWARE + timedelta(hours=1)}  # contain waits for tell_boss to finish
    finished = AWARE + timedelta(hours=2)
    due = step_due_times(BOOK, situation(), AWARE, {"tell_boss": finished})
    assert due["contain"] == finished + timedelta(hours=3)
