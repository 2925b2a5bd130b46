"""A drill with several regimes (issue 20): the scenario sets where the people live, so the drill runs the
EU's and Korea's 72-hour clocks beside Japan's, in drill time, and pings them during the exercise."""

from __future__ import annotations

from datetime import timedelta

from bot.drills import DrillClock
from bot.drills.scenarios import load_scenarios
from tests.test_drill_reminders import COMMANDER, FakeNotifier, core, run_for  # noqa: F401  (core: fixture)
from tests.test_reminders import Directory


async def test_a_scenario_with_eu_and_korean_members_runs_their_clocks_in_drill_time(core, clock) -> None:  # noqa: F811
    assert load_scenarios()["overseas_customers"].initial_facts("ja").jurisdictions == ("JP", "EU", "KR")
    start = clock.now()
    outcome = await core.incidents.start_drill("overseas_customers", COMMANDER, "ja")
    view = outcome.incident
    await core.incidents.resolve_team(view.reference, Directory())
    assert [r.code for r in view.regimes] == ["EU", "KR"]
    due = {d.key: d.due_at for d in view.deadlines if d.status == "pending"}
    assert due["regime:EU:authority"] == start + timedelta(hours=72), "72 drill hours from the start"
    assert {"regime:KR:authority", "regime:KR:individuals", "preliminary", "final"} <= set(due)

    notifier = FakeNotifier()
    service = core.reminder_service({"slack": notifier}, "w1")
    await service.sweep()
    drill = DrillClock(start, 720)
    await run_for(service, clock, drill.to_real(timedelta(hours=49)), step=timedelta(seconds=10))
    kinds = [i.kind for i in notifier.items("regime:EU:authority")]
    assert "opened" in kinds and "before" in kinds, "pinged within minutes of the exercise"
    assert {d.user_id for d in notifier.deliveries if d.user_id} >= {"UEXEC"}
