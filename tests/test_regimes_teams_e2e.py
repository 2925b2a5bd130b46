"""Issue 20 on Teams, end to end over HTTP: the report card asks where the affected people live (Japan by
default), the summary card shows the EU's and Korea's 72-hour clocks beside Japan's, and the facts card asks
the judgements those laws need."""

from __future__ import annotations

import json

from adapters.fakes.teams_harness import card_of, execute_data
from bot.services.ports import OPERATOR
from tests.test_teams_e2e import report

REF = "LEAK-2026-0001"


def _input(form: dict, input_id: str) -> dict:
    return next(e for e in form["body"] if e.get("id") == input_id)


async def test_the_report_card_asks_where_the_people_live_japan_by_default(teams) -> None:
    status, _ = await teams.say("29:reporter", "leak 顧客リストを誤送信")
    assert status in (200, 202)
    form = teams.connector.cards_in("a:personal-29:reporter")[-1]
    places = _input(form, "jurisdictions")
    assert places["isMultiSelect"] and places["value"] == "JP"
    assert [c["value"] for c in places["choices"]] == ["JP", "EU", "UK", "KR", "SG", "AU", "TH"]
    assert _input(form, "establishments")["value"] == ""


async def test_the_summary_card_shows_each_laws_clock_and_the_facts_card_asks_the_judgements(teams) -> None:
    await report(teams, persons="1500", jurisdictions="JP,EU,KR")
    thread = teams.connector.thread()
    summary = teams.connector.summary_in(thread)
    shown = json.dumps(summary, ensure_ascii=False)
    assert "EU 監督機関への通知: 2026年12月4日(金) 10:00（現地 12月4日(金) 02:00 Europe/Brussels）" in shown
    assert "KR 監督機関への通知" in shown and "KR 本人への通知" in shown
    assert "あと3日（72時間）" in shown and "確報" in shown
    assert "国・地域ごとの判定" in shown and "GDPR）: 判定中" in shown

    _, body = await teams.execute(
        "29:legal", "leak.facts", execute_data(summary, "leak.facts"), conversation=thread
    )
    form = card_of(body)
    assert _input(form, "jurisdictions")["value"] == "JP,EU,KR"
    risk = _input(form, "risk")
    assert risk["value"] == "unknown" and "EU:" in risk["label"]
    assert {c["value"] for c in risk["choices"]} == {"unknown", "yes", "no"}
    data = execute_data(form, "leak.facts.save", risk="yes", high_risk="no")
    status, _ = await teams.execute("29:legal", "leak.facts.save", data, conversation=thread)
    assert status == 200
    await teams.settle()
    view = await teams.core.incidents.get(REF, OPERATOR)
    assert view.facts.risk is True and view.facts.high_risk is False
    assert next(r for r in view.regimes if r.code == "EU").reportable is True
    assert "GDPR）: 報告対象です" in json.dumps(teams.connector.summary_in(thread), ensure_ascii=False)
