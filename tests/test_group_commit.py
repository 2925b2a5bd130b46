"""Clicks on one incident that arrive while its transaction runs are applied together in the next one
(group commit): fewer transactions under a burst, each click still judged on its own, in the order the
clicks were made."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import event

from bot.playbook.engine import StepStatus
from bot.services.errors import NotFoundError, ServiceError
from bot.services.ports import OPERATOR
from tests.test_incident_service import COMMANDER, IT, OUTSIDER, open_incident


class Transactions:
    def __init__(self, engine) -> None:
        self.engine, self.count = engine.sync_engine, 0

    def __enter__(self) -> Transactions:
        event.listen(self.engine, "begin", self._begun)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "begin", self._begun)

    def _begun(self, *args) -> None:
        self.count += 1


async def test_clicks_arriving_together_share_one_transaction_and_an_outsider_is_still_refused(
    service, clock
) -> None:
    ref = await open_incident(service, clock, persons=1500)
    steps = [s.step.id for s in (await service.get(ref, OPERATOR)).steps if not s.step.requires][:2]
    assert len(steps) == 2
    await service.bus.settle()  # what the report set off (provisioning) is done: only the clicks are counted
    with Transactions(service._sessions.kw["bind"]) as tx:
        results = await asyncio.gather(
            *(service.set_step(ref, step, StepStatus.DONE, COMMANDER) for step in steps),
            service.set_step(ref, steps[0], StepStatus.IN_PROGRESS, OUTSIDER),
            return_exceptions=True,
        )
    *clicks, outsider = results
    assert all(not isinstance(c, BaseException) for c in clicks), clicks
    assert isinstance(outsider, ServiceError) and outsider.code == "not_a_member"
    assert tx.count == 2, "the clicks in one transaction, the outsider's refusal recorded in another"
    view = await service.get(ref, OPERATOR)
    assert {s.step.id: s.status for s in view.steps if s.step.id in steps} == dict.fromkeys(
        steps, StepStatus.DONE
    )
    assert view.refusals == 1 and view.last_refusal.actor == str(OUTSIDER)
    for click, step in zip(clicks, steps, strict=True):  # each click hears its own change
        assert [c.detail["step"] for c in click.changes if c.what == "step"] == [step]


async def test_a_batch_applies_clicks_in_the_order_they_were_made_and_refuses_a_replay(
    service, clock
) -> None:
    ref = await open_incident(service, clock)
    step = next(s.step.id for s in (await service.get(ref, OPERATOR)).steps if not s.step.requires)
    first, second = clock.now(), clock.now() + timedelta(seconds=2)
    # arriving in the wrong order, in one batch: 着手 (made first) then 完了 (made second)
    done, started = await asyncio.gather(
        service.set_step(ref, step, StepStatus.DONE, IT, acted_at=second),
        service.set_step(ref, step, StepStatus.IN_PROGRESS, COMMANDER, acted_at=first),
    )
    assert (await service.get(ref, OPERATOR)).step(step).status == StepStatus.DONE
    assert [c.detail["to"] for c in started.changes if c.what == "step"] == ["in_progress"]
    assert [c.detail["to"] for c in done.changes if c.what == "step"] == ["done"], "both applied, in order"
    with pytest.raises(ServiceError) as replay:  # the 着手 click sent again later
        await service.set_step(ref, step, StepStatus.IN_PROGRESS, COMMANDER, acted_at=first)
    assert replay.value.code == "stale_action"
    assert (await service.get(ref, OPERATOR)).step(step).status == StepStatus.DONE


async def test_a_click_on_an_unknown_incident_fails_alone(service, clock) -> None:
    ref = await open_incident(service, clock)
    step = next(s.step.id for s in (await service.get(ref, OPERATOR)).steps if not s.step.requires)
    ok, missing = await asyncio.gather(
        service.set_step(ref, step, StepStatus.DONE, COMMANDER),
        service.set_step("LEAK-2026-0999", step, StepStatus.DONE, COMMANDER),
        return_exceptions=True,
    )
    assert not isinstance(ok, BaseException)
    assert isinstance(missing, NotFoundError)
