"""Only the response team sees and changes an incident; a closed incident is read-only; a replayed click
cannot undo a newer change; every refused attempt is in the audit trail for the commander."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.vocabulary import Role
from bot.playbook.engine import StepStatus
from bot.services.errors import NotAllowedError, NotFoundError, ServiceError
from bot.services.incidents import Correction
from bot.services.policy import Permission
from bot.services.ports import OPERATOR, Actor
from tests.test_incident_service import COMMANDER, IT, LEGAL, OUTSIDER, open_incident

REPORTER = Actor("slack", "UREPORTER")
EXECUTIVE = Actor("slack", "UEXEC")
ANOTHER_PLATFORM = Actor("teams", "UCOMMANDER")  # the same id on another platform is someone else


async def attempts(service, ref, actor):
    """Every verb an adapter can call on an incident, as ``actor``."""
    return {
        "read": service.get(ref, actor),
        "by_channel": service.by_channel("C-NOT-ATTACHED", actor),
        "authorize": service.authorize(ref, actor, Permission.WORK),
        "step": service.set_step(ref, "tell_boss", StepStatus.IN_PROGRESS, actor),
        "skip": service.set_step(ref, "tell_boss", StepStatus.SKIPPED, actor, "理由"),
        "facts": service.update_facts(ref, {"persons": 5000}, actor),
        "correct": service.correct_report(ref, Correction(reason="typo", summary="書き換え"), actor),
        "file": service.mark_filed(ref, "final", actor),
        "acknowledge": service.acknowledge(ref, "final", actor),
        "add_member": service.add_member(ref, actor.user_id, Role.COMMANDER, actor),
        "close": service.close(ref, actor),
        "reopen": service.reopen(ref, actor),
        "legal_hold": service.set_legal_hold(ref, actor, True),
    }


@pytest.mark.parametrize("outsider", [OUTSIDER, ANOTHER_PLATFORM])
async def test_an_outsider_is_refused_every_verb_and_each_refusal_is_recorded(
    service, clock, outsider
) -> None:
    ref = await open_incident(service, clock, persons=1500)
    before = await service.get(ref, OPERATOR)
    refused = 0
    for verb, call in (await attempts(service, ref, outsider)).items():
        if verb == "by_channel":
            assert await call is None  # no incident is attached to that channel: nothing to see
            continue
        with pytest.raises(NotAllowedError):
            await call
        refused += 1
    after = await service.get(ref, OPERATOR)
    assert (after.steps, after.facts, after.deadlines, after.members, after.status) == (
        before.steps,
        before.facts,
        before.deadlines,
        before.members,
        before.status,
    )
    assert after.refusals == refused
    assert after.last_refusal.actor == str(outsider) and after.last_refusal.code == "not_a_member"
    assert await service.list(outsider) == []


async def test_a_guessed_reference_is_not_found_and_reveals_nothing(service, clock) -> None:
    await open_incident(service, clock)
    with pytest.raises(NotFoundError):
        await service.get("LEAK-2026-0002", OUTSIDER)
    with pytest.raises(NotFoundError):
        await service.set_step("LEAK-2026-0002", "tell_boss", StepStatus.DONE, IT)


async def test_the_reporter_and_executives_may_read_but_not_change(service, clock) -> None:
    ref = await open_incident(service, clock, persons=1500)
    assert (await service.get(ref, REPORTER)).reference == ref
    assert (await service.get(ref, EXECUTIVE)).reference == ref
    assert [v.reference for v in await service.list(REPORTER)] == [ref]
    for who in (REPORTER, EXECUTIVE):
        with pytest.raises(NotAllowedError):
            await service.set_step(ref, "tell_boss", StepStatus.DONE, who)
        with pytest.raises(NotAllowedError):
            await service.update_facts(ref, {"persons": 1}, who)
    await service.acknowledge(ref, "final", EXECUTIVE)  # an executive confirms a reminder
    with pytest.raises(NotAllowedError):
        await service.acknowledge(ref, "final", REPORTER)


async def test_filing_is_for_the_owner_or_the_commander(service, clock) -> None:
    ref = await open_incident(service, clock, persons=1500)
    with pytest.raises(ServiceError) as refused:
        await service.mark_filed(ref, "preliminary", IT)
    assert refused.value.code == "owner_only"
    outcome = await service.mark_filed(ref, "preliminary", COMMANDER)
    assert next(d for d in outcome.incident.deadlines if d.key == "preliminary").status == "filed"


async def test_a_closed_incident_is_read_only_until_the_commander_reopens_it(service, clock) -> None:
    ref = await open_incident(service, clock, persons=1500)
    with pytest.raises(ServiceError) as refused:
        await service.close(ref, IT)
    assert refused.value.code == "commander_only"
    await service.close(ref, COMMANDER)
    for call in (
        service.set_step(ref, "tell_boss", StepStatus.DONE, IT),
        service.update_facts(ref, {"persons": 10}, LEGAL),
        service.mark_filed(ref, "final", COMMANDER),
        service.correct_report(ref, Correction(reason="x", summary="y"), COMMANDER),
        service.add_member(ref, "UNEW", Role.IT, COMMANDER),
    ):
        with pytest.raises(ServiceError) as refused:
            await call
        assert refused.value.code == "incident_closed"
    closed = await service.get(ref, IT)  # still readable by the team
    assert closed.status == "closed" and all(s.status == StepStatus.TODO for s in closed.steps)
    with pytest.raises(ServiceError):
        await service.reopen(ref, IT)
    reopened = await service.reopen(ref, COMMANDER)
    assert reopened.incident.status == "open" and [c.what for c in reopened.changes] == ["reopened"]
    outcome = await service.set_step(ref, "tell_boss", StepStatus.DONE, IT)
    assert outcome.incident.step("tell_boss").status == StepStatus.DONE


async def test_a_replayed_older_click_does_not_undo_a_newer_change(service, clock) -> None:
    ref = await open_incident(service, clock)
    first = clock.now()
    await service.set_step(ref, "tell_boss", StepStatus.IN_PROGRESS, IT, acted_at=first)
    await service.set_step(ref, "tell_boss", StepStatus.DONE, IT, acted_at=first + timedelta(seconds=30))
    with pytest.raises(ServiceError) as refused:  # the first click, sent again within Slack's 5 minutes
        await service.set_step(ref, "tell_boss", StepStatus.IN_PROGRESS, IT, acted_at=first)
    assert refused.value.code == "stale_action"
    view = await service.get(ref, OPERATOR)
    assert view.step("tell_boss").status == StepStatus.DONE
    assert view.last_refusal.code == "stale_action"
    # a genuinely newer click still works
    await service.set_step(
        ref, "tell_boss", StepStatus.IN_PROGRESS, IT, acted_at=first + timedelta(minutes=1)
    )


async def test_a_skip_reason_has_the_forms_limit_on_the_server_too(service, clock) -> None:
    ref = await open_incident(service, clock)
    with pytest.raises(ServiceError) as refused:
        await service.set_step(ref, "tell_boss", StepStatus.SKIPPED, IT, "x" * 100_000)
    assert refused.value.code == "too_long"
    assert (await service.get(ref, OPERATOR)).step("tell_boss").status == StepStatus.TODO


async def test_correcting_the_discovery_date_recomputes_every_deadline(service, clock) -> None:
    ref = await open_incident(service, clock, persons=1500)
    before = {d.key: d.due_at for d in (await service.get(ref, OPERATOR)).deadlines}
    earlier = clock.now() - timedelta(days=10)
    outcome = await service.correct_report(
        ref, Correction(reason="発見は10日前だった", aware_at=earlier, confirmed=True), LEGAL
    )
    after = {d.key: d.due_at for d in outcome.incident.deadlines}
    assert after["final"] < before["final"] and after["preliminary"] < before["preliminary"]
    assert outcome.incident.aware_at == earlier and outcome.incident.facts.confirmed
    whats = [c.what for c in outcome.changes]
    assert whats[0] == "corrected" and "deadline_moved" in whats
    assert outcome.changes[0].detail["reason"] == "発見は10日前だった"


@pytest.mark.parametrize(
    ("correction", "code"),
    [
        (Correction(reason="  ", summary="x"), "correction_reason_required"),
        (Correction(reason="typo", aware_at=None, summary="x" * 3001), "too_long"),
    ],
)
async def test_a_correction_needs_a_reason_and_valid_values(service, clock, correction, code) -> None:
    ref = await open_incident(service, clock)
    with pytest.raises(ServiceError) as refused:
        await service.correct_report(ref, correction, LEGAL)
    assert refused.value.code == code


@pytest.mark.parametrize("delta", [timedelta(days=-365 * 30), timedelta(days=2)])
async def test_an_implausible_discovery_date_is_refused(service, clock, delta) -> None:
    ref = await open_incident(service, clock)
    with pytest.raises(ServiceError) as refused:
        await service.correct_report(ref, Correction(reason="r", aware_at=clock.now() + delta), LEGAL)
    assert refused.value.code == "implausible_date"
    assert (await service.get(ref, OPERATOR)).aware_at == clock.now()
