"""A drill on Teams, end to end: `leak drill` shows the scenario picker (a card checked against the Adaptive
Card schema), the commander's pick opens the drill's thread with the briefing marked 【訓練】, an inject arrives
with drill time, `leak drill end` posts the after-action report; nobody else may start one."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.services.ports import OPERATOR, Actor
from tests.test_teams_reminders_faults_e2e import chat_of


def everything(teams, conversation: str) -> str:
    return json.dumps(teams.connector.sent[conversation], ensure_ascii=False)


async def test_a_drill_on_teams(teams, clock) -> None:
    status, _ = await teams.say("29:commander", "leak drill")
    assert status in (200, 202)
    picker = teams.connector.cards_in("a:personal-29:commander")[-1]
    assert "ランサムウェア" in json.dumps(picker, ensure_ascii=False)

    status, body = await teams.execute("29:reporter", "leak.drill", {"scenario": "misdelivery"})
    assert status == 200 and "対策本部長" in body["value"], "told who may start one, in their language"
    assert await teams.core.incidents.list(OPERATOR, drills=True) == [], "only the commander starts one"

    status, body = await teams.execute("29:commander", "leak.drill", {"scenario": "misdelivery"})
    assert status == 200 and "DRILL-2026-0001" in json.dumps(body, ensure_ascii=False)
    await teams.settle()
    thread = teams.connector.thread()
    assert "訓練シナリオ" in everything(teams, thread) and "【訓練】" in everything(teams, thread)

    clock.advance(timedelta(hours=2) / 720 + timedelta(seconds=1))
    await teams.core.journey.resume()
    await teams.settle()
    assert "状況 1" in everything(teams, thread)
    clock.advance(timedelta(hours=6) / 720)
    await teams.core.journey.resume()
    await teams.settle()
    assert "状況 2" in everything(teams, thread), "the second inject at its drill time"

    # the team enters what inject 1 revealed (1,240 people): the drill becomes reportable; its 速報 target,
    # about 4 drill days after the start, is minutes away in real time
    [drill] = await teams.core.incidents.list(OPERATOR, drills=True)
    await teams.core.incidents.update_facts(drill.reference, {"persons": 1240}, Actor("teams", "29:legal"))
    [drill] = await teams.core.incidents.list(OPERATOR, drills=True)
    target = next(d for d in drill.deadlines if d.key == "preliminary")
    clock.set(drill.aware_at + (target.due_at - drill.aware_at) / 720 + timedelta(seconds=1))
    reminders = teams.core.reminder_service({"teams": teams.bot.notifier}, "test")
    await reminders.sweep()
    await teams.settle()
    pinged = json.dumps(teams.connector.sent[chat_of(teams, "29:exec")], ensure_ascii=False)
    assert "DRILL-2026-0001" in pinged and "【訓練】" in pinged, "the executive ping, marked as a drill"

    status, _ = await teams.say("29:commander", "leak drill end", conversation=thread)
    assert status in (200, 202)
    await teams.settle()
    assert "事後レビュー" in everything(teams, thread)
