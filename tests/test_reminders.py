"""Reminders over a real database with a fake clock: replacing, filing, closing, quiet hours, catch-up
after downtime, replicas racing, and a platform outage."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.appi.deadlines import JST
from bot.bootstrap import build_core
from bot.config.org import parse_org_config
from bot.config.settings import CoreSettings
from bot.domain.facts import Facts
from bot.domain.vocabulary import Cause
from bot.reminders.delivery import Delivery
from bot.services.incidents import ReportRequest
from bot.services.ports import OPERATOR, Actor
from bot.storage.tables import Reminder
from tests.conftest import DATA, ORG_YAML

LEGAL = Actor("slack", "ULEGAL")
COMMANDER = Actor("slack", "UCOMMANDER")


class Directory:
    name = "slack"

    async def resolve(self, member: str) -> str | None:
        return member if member.startswith("U") else None


class FakeNotifier:
    def __init__(self) -> None:
        self.deliveries: list[Delivery] = []
        self.alerts: list[tuple[str, str]] = []
        self.digests: list[tuple[str, list[str]]] = []
        self.down = False

    async def deliver(self, delivery: Delivery) -> None:
        if self.down:
            raise ConnectionError("slack is down")
        self.deliveries.append(delivery)

    async def alert_failure(self, incident, recipient: str, error: str) -> None:
        self.alerts.append((incident.reference, recipient))

    async def digest(self, user_id: str, incidents) -> None:
        self.digests.append((user_id, [i.reference for i in incidents]))

    def recipients(self) -> list[str]:
        return [d.channel_of or d.user_id or "" for d in self.deliveries]


@pytest.fixture
async def core(clean_database, clock):
    org = parse_org_config(ORG_YAML + "playbook: mini\n", "org.yaml")
    settings = CoreSettings(DATABASE_URL=clean_database, LEAKBOT_PLAYBOOKS_DIR=str(DATA / "playbooks"))
    built = build_core(settings, clock=clock, org=org)
    yield built
    await built.close()


@pytest.fixture
def notifier() -> FakeNotifier:
    return FakeNotifier()


async def open_incident(core, clock, **facts) -> str:
    request = ReportRequest("slack", "UREPORTER", "ja", clock.now(), Facts(summary="誤送信", **facts))
    ref = (await core.incidents.report(request)).incident.reference
    await core.incidents.resolve_team(ref, Directory())
    return ref


async def pending(core) -> list[Reminder]:
    async with core.incidents._sessions() as session:
        return list(
            await session.scalars(
                select(Reminder).where(Reminder.state == "pending").order_by(Reminder.due_at)
            )
        )


async def test_reminders_reach_the_channel_and_the_executives(core, clock, notifier) -> None:
    ref = await open_incident(core, clock, persons=2000)
    service = core.reminder_service({"slack": notifier}, "w1")
    await service.sweep()
    # 速報 "at creation": once in the channel, once to each executive and commander
    assert sorted(notifier.recipients()) == sorted([ref, "UCOMMANDER", "UEXEC"])
    item = next(i for d in notifier.deliveries for i in d.items if i.deadline.key == "preliminary")
    assert item.kind == "opened" and item.owner_role == "legal"
    assert await service.sweep() == type(await service.sweep())()  # nothing more is due now


async def test_reassessment_replaces_pending_reminders(core, clock, notifier) -> None:
    ref = await open_incident(core, clock, persons=2000, cause=Cause.MISDELIVERY)
    before = {(r.deadline_key, r.due_at) for r in await pending(core) if r.deadline_key == "final"}
    await core.incidents.update_facts(ref, {"malicious": True}, LEGAL)
    after = {(r.deadline_key, r.due_at) for r in await pending(core) if r.deadline_key == "final"}
    assert before and after and not before & after
    assert max(d for _, d in after).astimezone(JST).date().isoformat() == "2027-02-01"  # 60-day overdue ping


async def test_filing_cancels_that_deadlines_reminders(core, clock, notifier) -> None:
    ref = await open_incident(core, clock, persons=2000, cause=Cause.MISDELIVERY)
    await core.incidents.set_step(ref, "scope", "done", LEGAL)
    outcome = await core.incidents.mark_filed(ref, "preliminary", LEGAL)
    assert next(d for d in outcome.incident.deadlines if d.key == "preliminary").status == "filed"
    assert not [r for r in await pending(core) if r.deadline_key == "preliminary"]
    assert [r for r in await pending(core) if r.deadline_key == "final"]


async def test_only_owner_roles_mark_filed(core, clock) -> None:
    from bot.services.errors import ServiceError

    ref = await open_incident(core, clock, persons=2000)  # `scope`, required by the 速報 step, is still open
    with pytest.raises(ServiceError) as refused:
        await core.incidents.mark_filed(ref, "preliminary", Actor("slack", "UIT"))
    assert refused.value.code == "owner_only"
    await core.incidents.mark_filed(ref, "preliminary", COMMANDER)


async def test_closing_cancels_everything(core, clock) -> None:
    ref = await open_incident(core, clock, persons=2000)
    assert await pending(core)
    await core.incidents.close(ref, COMMANDER)
    assert await pending(core) == []


async def test_quiet_hours_hold_pings_until_the_morning(core, clock, notifier) -> None:
    clock.set(datetime(2026, 12, 1, 23, 30, tzinfo=JST))
    await open_incident(core, clock, persons=2000)
    service = core.reminder_service({"slack": notifier}, "w1")
    await service.sweep()
    assert notifier.deliveries == []
    clock.set(datetime(2026, 12, 2, 8, 0, 1, tzinfo=JST))
    await service.sweep()
    kinds = {(i.deadline.key, i.kind) for d in notifier.deliveries for i in d.items}
    assert kinds == {("preliminary", "opened"), ("step:tell_boss", "due")}  # the step was due at 00:30


async def test_restart_after_downtime_sends_each_missed_reminder_once_gathered(core, clock, notifier) -> None:
    ref = await open_incident(core, clock, persons=2000)
    clock.advance(timedelta(days=9))  # offline across the 速報 window and into the overdue escalation
    service = core.reminder_service({"slack": notifier}, "after-restart")
    await service.sweep()
    per_recipient = Counter(notifier.recipients())
    assert per_recipient == Counter({ref: 1, "UCOMMANDER": 1, "UEXEC": 1}), "one gathered message each"
    assert all(d.missed and d.offline for d in notifier.deliveries), (
        "they fell due before this leakbot started"
    )
    channel = next(d for d in notifier.deliveries if d.channel_of == ref)
    kinds = Counter((i.deadline.key, i.kind) for i in channel.items)
    assert kinds[("preliminary", "opened")] == 1 and kinds[("preliminary", "overdue")] == 1
    notifier.deliveries.clear()
    await service.sweep()
    assert notifier.deliveries == [], "none is sent twice"


async def test_a_ping_late_while_leakbot_runs_is_not_said_to_be_from_downtime(core, clock, notifier) -> None:
    """The service started before the ping fell due (a slow sweep, a busy machine): late, but not offline."""
    await open_incident(core, clock, persons=2000)
    service = core.reminder_service({"slack": notifier}, "w1")
    clock.advance(timedelta(days=9))
    await service.sweep()
    assert notifier.deliveries and all(d.missed and not d.offline for d in notifier.deliveries)


async def test_overdue_escalates_every_business_day(core, clock, notifier) -> None:
    await open_incident(core, clock, persons=2000)
    service = core.reminder_service({"slack": notifier}, "w1")
    for day in range(5, 10):  # 2026-12-05 (Sat) .. 12-09 (Wed)
        clock.set(datetime(2026, 12, day, 9, 0, 30, tzinfo=JST))
        await service.sweep()
    overdue_days = sorted(
        {
            d.items[0].scheduled_for.astimezone(JST).date().isoformat()
            for d in notifier.deliveries
            if d.overdue
        }
    )
    assert overdue_days == ["2026-12-07", "2026-12-08", "2026-12-09"]


async def test_two_replicas_racing_never_send_twice(core, clock) -> None:
    for _ in range(6):
        await open_incident(core, clock, persons=2000)
    clock.advance(timedelta(days=3))
    first, second = FakeNotifier(), FakeNotifier()
    a = core.reminder_service({"slack": first}, "replica-a")
    b = core.reminder_service({"slack": second}, "replica-b")
    await asyncio.gather(a.sweep(), b.sweep(), a.sweep(), b.sweep())
    sent = [
        (i.incident.reference, i.deadline.key, i.kind, d.channel_of or d.user_id)
        for n in (first, second)
        for d in n.deliveries
        for i in d.items
    ]
    assert len(sent) == len(set(sent)), "no reminder was delivered twice"
    async with core.incidents._sessions() as session:
        states = Counter(
            (await session.scalars(select(Reminder.state).where(Reminder.due_at <= clock.now()))).all()
        )
    assert states["sent"] == len(sent) and states["claimed"] == 0 and states["pending"] == 0


async def test_a_crashed_replicas_claims_are_taken_over_after_the_lease(core, clock, notifier) -> None:
    await open_incident(core, clock, persons=2000)
    crashed = core.reminder_service({"slack": FakeNotifier()}, "crashed")
    assert await crashed.claim(clock.now())  # claimed, then the replica dies before sending
    survivor = core.reminder_service({"slack": notifier}, "survivor")
    await survivor.sweep()
    assert notifier.deliveries == []
    clock.advance(timedelta(minutes=3))
    await survivor.sweep()
    assert len(notifier.deliveries) == 3


async def test_an_outage_is_retried_then_reported_to_the_commander(core, clock, notifier) -> None:
    ref = await open_incident(core, clock, persons=2000)
    service = core.reminder_service({"slack": notifier}, "w1")
    notifier.down = True
    await service.sweep()
    assert notifier.deliveries == [] and notifier.alerts == []
    for _ in range(10):  # backoff: 30 s, 60 s, 120 s, … until max_attempts (5)
        clock.advance(timedelta(minutes=20))
        await service.sweep()
    assert {(r, t) for r, t in notifier.alerts} == {
        (ref, "channel"),
        (ref, "user:slack:UCOMMANDER"),
        (ref, "user:slack:UEXEC"),
    }
    notifier.down = False
    clock.advance(timedelta(hours=1))
    await service.sweep()
    assert not any(i.kind == "opened" for d in notifier.deliveries for i in d.items), "given up, not resent"
    events = await core.incidents.get(ref, OPERATOR)
    assert events.audit_events >= 5


async def test_daily_digest_once_per_day_across_replicas(core, clock) -> None:
    ref = await open_incident(core, clock, persons=2000)
    clock.set(datetime(2026, 12, 2, 9, 0, 5, tzinfo=JST))
    first, second = FakeNotifier(), FakeNotifier()
    sent = await asyncio.gather(
        core.reminder_service({"slack": first}, "a").run_digest(),
        core.reminder_service({"slack": second}, "b").run_digest(),
    )
    assert sorted(sent) == [0, 1]
    assert first.digests + second.digests == [("UEXEC", [ref])]
    _ = UTC
