"""A drill on Teams, end to end: `leak drill` shows the scenario picker (a card checked against the Adaptive
Card schema), the commander's pick opens the drill's thread with the briefing marked 【訓練】, an inject arrives
with drill time, `leak drill end` posts the after-action report; nobody else may start one."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.services.ports import OPERATOR


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

    status, _ = await teams.say("29:commander", "leak drill end", conversation=thread)
    assert status in (200, 202)
    await teams.settle()
    assert "事後レビュー" in everything(teams, thread)
