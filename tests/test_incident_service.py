"""The use cases over a real database: report, walk the playbook, reassess, authorize, audit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.facts import DataItem, Facts
from bot.domain.vocabulary import Cause, Role
from bot.playbook.engine import StepStatus, TransitionError
from bot.services.errors import NotAllowedError
from bot.services.incidents import ReportRequest
from bot.services.ports import OPERATOR, Actor

IT = Actor("slack", "UIT")
LEGAL = Actor("slack", "ULEGAL")
COMMANDER = Actor("slack", "UCOMMANDER")
OUTSIDER = Actor("slack", "UOUTSIDER")


class Directory:
    name = "slack"

    async def resolve(self, member: str) -> str | None:
        if member.startswith("U"):
            return member
        return {"legal@example.co.jp": "ULEGAL2"}.get(member)


async def open_incident(service, clock, key: str | None = None, **facts):
    request = ReportRequest(
        "slack", "UREPORTER", "ja", clock.now(), Facts(summary="USBメモリ紛失", **facts), key
    )
    outcome = await service.report(request)
    await service.resolve_team(outcome.incident.reference, Directory())
    return outcome.incident.reference


async def test_a_reportable_report_gets_legal_deadlines(service, clock) -> None:
    ref = await open_incident(service, clock, persons=1500)
    view = await service.get(ref, OPERATOR)
    assert view.assessment.reportable and view.assessment.grounds == ("headcount",)
    due = {d.key: d.due_at.date().isoformat() for d in view.deadlines}
    assert due["final"] == "2027-01-04" and due["preliminary"] == "2026-12-05"
    assert due["step:tell_boss"] == "2026-12-01"
    assert all(s.status == StepStatus.TODO for s in view.steps)
    assert {m.role for m in view.members} >= {"reporter", "commander", "it", "legal", "executives"}
    assert "ULEGAL2" in view.members_with_role("legal"), "emails are resolved by the platform directory"


async def test_the_same_submission_twice_opens_one_incident(service, clock) -> None:
    first = await open_incident(service, clock, key="view-123")
    second = await open_incident(service, clock, key="view-123")
    assert first == second
    assert len(await service.list(OPERATOR)) == 1


async def test_outsiders_cannot_change_anything(service, clock) -> None:
    ref = await open_incident(service, clock)
    before = await service.get(ref, OPERATOR)
    with pytest.raises(NotAllowedError):
        await service.set_step(ref, "tell_boss", StepStatus.DONE, OUTSIDER)
    with pytest.raises(NotAllowedError):
        await service.update_facts(ref, {"persons": 5000}, Actor("slack", "UREPORTER"))
    after = await service.get(ref, OPERATOR)
    assert after.steps == before.steps and after.facts == before.facts
    assert after.refusals == 2 and after.audit_events == before.audit_events + 2
    assert after.last_refusal.actor == "slack:UREPORTER" and after.last_refusal.attempt == "facts"


async def test_requires_refusal_names_the_blocking_steps(service, clock) -> None:
    ref = await open_incident(service, clock)
    with pytest.raises(TransitionError) as refused:
        await service.set_step(ref, "contain", StepStatus.DONE, IT)
    assert refused.value.blockers == ("tell_boss",)


async def test_transitions_are_audited_once_even_when_clicked_twice(service, clock) -> None:
    ref = await open_incident(service, clock)
    first = await service.set_step(ref, "tell_boss", StepStatus.DONE, COMMANDER)
    again = await service.set_step(ref, "tell_boss", StepStatus.DONE, COMMANDER)
    assert first.changed and not again.changed
    assert again.incident.audit_events == first.incident.audit_events
    assert (await service.verify_audit(ref)).ok


async def test_a_finished_step_starts_the_clock_of_the_next(service, clock) -> None:
    ref = await open_incident(service, clock)
    clock.advance(timedelta(minutes=30))
    outcome = await service.set_step(ref, "tell_boss", StepStatus.DONE, COMMANDER)
    due = {d.key: d for d in outcome.incident.deadlines}
    assert due["step:tell_boss"].status == "met"
    assert due["step:contain"].due_at == clock.now() + timedelta(hours=3)


async def test_cause_change_mid_incident_switches_branch_and_moves_the_final_deadline(service, clock) -> None:
    ref = await open_incident(service, clock, cause=Cause.MISDELIVERY, data_items=(DataItem.SENSITIVE,))
    view = await service.get(ref, OPERATOR)
    assert "recall_mail" in [s.step.id for s in view.steps]
    assert view.assessment.final_days == 30

    outcome = await service.update_facts(ref, {"cause": Cause.UNAUTHORIZED_ACCESS}, IT)
    steps = [s.step.id for s in outcome.incident.steps]
    assert "isolate" in steps and "recall_mail" not in steps
    assert outcome.incident.assessment.final_days == 60
    moved = next(c for c in outcome.changes if c.what == "deadline_moved" and c.detail["key"] == "final")
    assert moved.detail["from"].startswith("2027-01-04") and moved.detail["to"].startswith("2027-01-29")
    assert any(c.what == "reassessed" for c in outcome.changes)


async def test_headcount_passing_1000_makes_it_reportable(service, clock) -> None:
    ref = await open_incident(service, clock, persons=800)
    view = await service.get(ref, OPERATOR)
    assert not view.assessment.reportable and view.next_legal_deadline() is None
    assert "preliminary" not in [s.step.id for s in view.steps]

    outcome = await service.update_facts(ref, {"persons": 1200}, LEGAL)
    assert outcome.incident.assessment.reportable
    added = {c.detail["key"] for c in outcome.changes if c.what == "deadline_added"}
    assert added == {"preliminary", "final"}, "本人通知 is 「速やかに」: no date unless the org sets a target"
    assert "preliminary" in [s.step.id for s in outcome.incident.steps]


async def test_completing_the_final_report_step_files_the_deadline(service, clock) -> None:
    ref = await open_incident(service, clock, persons=5000, cause=Cause.MISDELIVERY)
    for step in ("scope", "preliminary", "final"):
        await service.set_step(ref, step, StepStatus.DONE, LEGAL)
    view = await service.get(ref, OPERATOR)
    status = {d.key: d.status for d in view.deadlines}
    assert status["final"] == "filed" and status["preliminary"] == "filed"


async def test_invalid_facts_are_refused_and_nothing_changes(service, clock) -> None:
    from bot.services.errors import ServiceError

    ref = await open_incident(service, clock)
    with pytest.raises(ServiceError) as refused:
        await service.update_facts(ref, {"persons": -5}, LEGAL)
    assert refused.value.code == "invalid_facts" and refused.value.params["fields"] == ["persons"]
    assert (await service.get(ref, OPERATOR)).facts.persons is None


async def test_only_the_commander_adds_members(service, clock) -> None:
    from bot.services.errors import ServiceError

    ref = await open_incident(service, clock)
    with pytest.raises(ServiceError):
        await service.add_member(ref, "UNEW", Role.IT, IT)
    outcome = await service.add_member(ref, "UNEW", Role.IT, COMMANDER)
    assert "UNEW" in outcome.incident.members_with_role("it")
    await service.set_step(ref, "tell_boss", StepStatus.IN_PROGRESS, Actor("slack", "UNEW"))
