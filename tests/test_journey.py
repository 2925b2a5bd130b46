"""The response journey written once in the core, against an in-memory platform (no SDK): provisioning in
three waves, the name-retry rule, crash recovery without duplicates, persistent failures told, and what is
updated after a change."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.facts import Facts
from bot.journey.port import PlatformFailure
from bot.playbook.engine import StepStatus
from bot.services.incidents import ReportRequest
from bot.services.ports import OPERATOR, Actor
from tests.fake_platform import AnswerLost, FakePlatform

COMMANDER = Actor("slack", "UCOMMANDER")


@pytest.fixture
def platform(core) -> FakePlatform:
    fake = FakePlatform(latency=0.005)
    core.journey.add_platform(fake)
    core.journey.backoff = lambda attempts: timedelta(0)
    return fake


async def report(core, clock, **facts) -> str:
    request = ReportRequest(
        "slack", "UREPORTER", "ja", clock.now(), Facts(summary="顧客リストを誤送信", **facts)
    )
    reference = (await core.incidents.report(request)).incident.reference
    await core.settle()
    return reference


async def test_provisioning_reaches_the_first_playbook_message_in_two_waves(core, clock, platform) -> None:
    # every answer 300 ms late: a wave is what runs while the previous one waits (long enough that a loaded
    # machine's own work between two calls never passes for a round trip: the test is not timing-sensitive)
    platform.latency = 0.3
    reference = await report(core, clock, persons=1500)
    view = await core.incidents.get(reference, OPERATOR)
    space = view.channel_id
    assert platform.waves("create_space") == [1] and set(platform.waves("resolve")) == {1}, (
        "people looked up meanwhile"
    )
    assert platform.waves("invite") == [2], "everyone invited in one call"
    keys = platform.posted_keys(space)
    assert keys[:1] in (["summary"], ["phase:initial"]) and "summary" in keys
    first_phase = next(c for c in platform.calls if c.method == "post" and c.args["key"].startswith("phase:"))
    assert first_phase.wave == 2, "the first playbook message on the second round trip"
    phases = [k for k in keys if k.startswith("phase:")]
    assert phases == sorted(
        phases, key=lambda k: [p.id for p in core.playbooks.get(view.playbook_id).phases].index(k[6:])
    )
    assert platform.pins, "the summary is pinned"
    [receipt] = [c for c in platform.calls if c.method == "direct"]
    assert receipt.args["user"] == "UREPORTER"
    assert {"UCOMMANDER", "UIT", "ULEGAL", "UREPORTER"} <= platform.members[space]


async def test_a_taken_name_gets_the_next_suffix(core, clock, platform) -> None:
    platform.taken = {"leak-20261201-0001", "leak-20261201-0001-2"}
    reference = await report(core, clock)
    assert (await core.incidents.get(reference, OPERATOR)).channel_name == "leak-20261201-0001-3"


async def test_a_space_created_just_before_a_crash_is_adopted_not_made_twice(core, clock, platform) -> None:
    platform.lose_answer["create_space"] = 1  # created on the platform, the answer lost
    reference = await report(core, clock)
    assert (await core.incidents.get(reference, OPERATOR)).channel_id is None
    assert await core.journey.resume() == 1
    view = await core.incidents.get(reference, OPERATOR)
    assert len(platform.spaces) == 1 and view.channel_id in platform.spaces
    assert platform.waves("find_space"), "looked for it by the name it was given"


async def test_a_post_made_just_before_a_crash_is_found_not_posted_twice(core, clock, platform) -> None:
    platform.lose_answer["post"] = 1
    reference = await report(core, clock)
    await core.journey.resume()
    view = await core.incidents.get(reference, OPERATOR)
    keys = platform.posted_keys(view.channel_id)
    assert len(keys) == len(set(keys)), f"no post twice: {keys}"
    assert "summary" in keys and any(k.startswith("phase:") for k in keys)
    assert [c.args["user"] for c in platform.calls if c.method == "direct"] == ["UREPORTER"]


async def test_a_retryable_failure_is_retried_and_then_completes(core, clock, platform) -> None:
    platform.fail_next("invite", PlatformFailure("service_unavailable", retry=True))
    platform.fail_next("post", PlatformFailure("service_unavailable", retry=True))
    reference = await report(core, clock)
    await core.journey.resume()
    view = await core.incidents.get(reference, OPERATOR)
    keys = platform.posted_keys(view.channel_id)
    assert keys.count("summary") == 1 and len(keys) == len(set(keys))
    assert "UIT" in platform.members[view.channel_id]


async def test_a_persistent_failure_tells_the_commander_and_the_reporter(core, clock, platform) -> None:
    platform.fail_next("create_space", PlatformFailure("restricted_action", retry=False))
    reference = await report(core, clock)
    told = {c.args["user"]: c for c in platform.calls if c.method == "direct"}
    assert set(told) == {"UCOMMANDER", "UREPORTER"}
    assert await core.journey.resume() == 0, "given up: not retried forever"
    assert (await core.incidents.get(reference, OPERATOR)).channel_id is None


async def test_unexpected_errors_are_retried_with_backoff(core, clock, platform) -> None:
    platform.fail_next("create_space", AnswerLost("create_space"), times=2)
    core.journey.backoff = lambda attempts: timedelta(minutes=attempts)
    reference = await report(core, clock)
    assert await core.journey.resume() == 0, "not due yet"
    clock.advance(timedelta(minutes=1))
    await core.journey.resume()
    clock.advance(timedelta(minutes=2))
    await core.journey.resume()
    assert (await core.incidents.get(reference, OPERATOR)).channel_id is not None


async def test_a_click_updates_its_phase_and_the_summary_once(core, clock, platform) -> None:
    reference = await report(core, clock)
    before = len(platform.calls)
    await core.incidents.set_step(reference, "report_to_superior", StepStatus.DONE, COMMANDER)
    await core.settle()
    made = [c for c in platform.calls[before:]]
    updates = [c for c in made if c.method == "update"]
    assert len(updates) == 2, [c.method for c in made]
    view = await core.incidents.get(reference, OPERATOR)
    by_ts = {m["ts"]: m["key"] for m in platform.messages[view.channel_id]}
    assert sorted(by_ts[c.args["ts"]] for c in updates) == ["phase:initial", "summary"]
    assert not [c for c in made if c.method == "post"], "a step's own change is shown, not said"


async def test_a_burst_of_clicks_is_coalesced_and_ends_on_the_final_state(core, clock, platform) -> None:
    core.journey.updates.per_second = 1.0  # the platforms' pace (the suite's default is faster)
    reference = await report(core, clock)
    before = len(platform.calls)
    for target in [StepStatus.IN_PROGRESS, StepStatus.DONE, StepStatus.IN_PROGRESS, StepStatus.DONE] * 3:
        await core.incidents.set_step(reference, "report_to_superior", target, COMMANDER)
    await core.settle()
    view = await core.incidents.get(reference, OPERATOR)
    phase = next(m for m in platform.messages[view.channel_id] if m["key"] == "phase:initial")
    step = next(s for s in phase["message"].steps if s.step_id == "report_to_superior")
    assert step.icon == "✅", "the message shows the final state"
    updates = [c for c in platform.calls[before:] if c.method == "update"]
    assert len(updates) < 2 * 12, "twelve clicks did not make twelve updates per message"


async def test_a_click_runs_one_transaction_and_builds_the_read_model_once(core, clock, platform) -> None:
    from sqlalchemy import event

    from bot.services import records

    reference = await report(core, clock)
    begins, builds = [], []
    listener = lambda *args: begins.append(1)  # noqa: E731
    event.listen(core.engine.sync_engine, "begin", listener)
    original = records.build_views

    async def counted(*args, **kwargs):
        builds.append(1)
        return await original(*args, **kwargs)

    records.build_views = counted
    papers, drafts_reads = core.incidents.papers, []

    async def read_for_drafts(*args, **kwargs):
        drafts_reads.append(1)
        return await papers(*args, **kwargs)

    core.incidents.papers = read_for_drafts
    try:
        await core.incidents.set_step(reference, "report_to_superior", StepStatus.DONE, COMMANDER)
        await core.settle()
    finally:
        records.build_views = original
        core.incidents.papers = papers
        event.remove(core.engine.sync_engine, "begin", listener)
    assert len(drafts_reads) == 1, "the drafts follow the change with one read of what they are made of"
    assert len(begins) == 1 + len(drafts_reads), "the click's unit of work is the only other transaction"
    assert len(builds) == 1 + len(drafts_reads), "its read model is built once and carried by the event"
    assert len([c for c in platform.calls if c.method == "update"]) >= 1
