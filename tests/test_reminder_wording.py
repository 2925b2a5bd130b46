"""Reminder wording (issue 18): hours under a day, 期限 for legal deadlines and 目安 for targets, never "overdue"
and "today is the day" on one line, and 「leakbot が停止していた間」 only when it was not running."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.facts import Facts
from bot.presentation import days_left_text, reminder_line
from bot.reminders.delivery import Delivery, ReminderItem
from bot.services.incidents import ReportRequest
from bot.services.ports import OPERATOR
from bot.views.reminders import reminder_message
from tests.test_reminders import FakeNotifier, open_incident


@pytest.fixture
def notifier() -> FakeNotifier:
    return FakeNotifier()


DUE = datetime(2026, 12, 5, 14, 59, 59, tzinfo=UTC)  # 23:59:59 JST, the end of the 5th day


def test_an_hour_late_is_said_in_hours_not_as_a_day() -> None:
    assert days_left_text(DUE, DUE + timedelta(hours=1, minutes=5), "ja") == "期限を1時間超過"
    assert days_left_text(DUE, DUE + timedelta(hours=1, minutes=5), "en") == "1 hours overdue"
    assert days_left_text(DUE, DUE + timedelta(hours=23), "ja") == "期限を23時間超過"
    assert days_left_text(DUE, DUE + timedelta(days=3), "ja") == "期限を3日超過"


def test_a_target_is_a_target_and_a_deadline_a_deadline() -> None:
    morning = DUE - timedelta(hours=10)
    assert days_left_text(DUE, morning, "ja", target=True) == "本日が目安の日"
    assert days_left_text(DUE, morning, "ja") == "本日が期限"
    assert days_left_text(DUE, DUE + timedelta(hours=2), "ja", target=True) == "目安を2時間超過"
    assert days_left_text(DUE, DUE - timedelta(days=2), "ja", target=True) == "目安まであと2日"


async def _item(core, clock, kind: str) -> ReminderItem:
    outcome = await core.incidents.report(
        ReportRequest("slack", "UREPORTER", "ja", clock.now(), Facts(summary="誤送信", persons=5000))
    )
    view = await core.incidents.get(outcome.incident.reference, OPERATOR)
    preliminary = next(d for d in view.deadlines if d.key == "preliminary")
    return ReminderItem(view, preliminary, kind, preliminary.due_at, "legal")


async def test_a_due_morning_ping_delivered_after_the_target_says_it_is_past(core, clock) -> None:
    item = await _item(core, clock, "due_morning")
    late = item.deadline.due_at + timedelta(hours=3)
    line = reminder_line(item, late, "ja")
    assert "目安を3時間超過" in line and "本日" not in line, line
    on_time = reminder_line(item, item.deadline.due_at - timedelta(hours=14), "ja")
    assert "本日が目安の日" in on_time and "超過" not in on_time, on_time


async def test_the_offline_header_only_when_leakbot_was_not_running(core, clock) -> None:
    item = await _item(core, clock, "before")
    now = item.deadline.due_at
    delayed = Delivery("slack", item.incident.reference, None, (item,), missed=True)
    assert "停止していた" not in reminder_message(delayed, now, "ja").fallback
    header = "".join(span.text for span in reminder_message(delayed, now, "ja").header)
    assert "配信が遅れた" in header
    offline = dataclasses.replace(delayed, offline=True)
    header = "".join(span.text for span in reminder_message(offline, now, "ja").header)
    assert "leakbot が停止していた間" in header


async def test_while_the_count_is_unknown_the_preliminary_target_is_reminded_to_the_executives(
    core, clock, notifier
) -> None:
    """判定中: nothing established yet, the headcount undetermined. The 速報's target still runs from awareness:
    it is planned, pinged to the channel and the executives, and said to be provisional (the count asked for)."""
    ref = await open_incident(core, clock, cause="misdelivery")  # nobody knows how many people yet
    view = await core.incidents.get(ref, OPERATOR)
    assert not view.assessment.reportable and view.assessment.provisional
    assert "preliminary" in {d.key for d in view.deadlines}
    service = core.reminder_service({"slack": notifier}, "w1")
    await service.sweep()
    said = {
        d.channel_of or d.user_id: [reminder_line(i, clock.now(), "ja") for i in d.items]
        for d in notifier.deliveries
    }
    assert {ref, "UCOMMANDER", "UEXEC"} <= set(said), "the executives are pinged for it"
    line = next(x for x in said["UEXEC"] if x.startswith("速報"))
    assert "目安" in line and "本人の数が未確定" in line, line

    await core.incidents.update_facts(ref, {"persons": 12}, OPERATOR)  # not reportable after all
    view = await core.incidents.get(ref, OPERATOR)
    assert {d.key: d.status for d in view.deadlines}["preliminary"] == "cancelled"
