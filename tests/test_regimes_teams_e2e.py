"""Issue 20 on Teams, end to end over HTTP: the report card asks where the affected people live (Japan by
default), the summary card shows the EU's and Korea's 72-hour clocks beside Japan's, and the facts card asks
the judgements those laws need."""

from __future__ import annotations

import json
from datetime import timedelta

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


def _chat_of(teams, user: str) -> str:
    chats = [c for c in teams.connector.created if not (c.get("channelData") or {}).get("channel")]
    return next(c["id"] for c in chats if c["members"][0]["id"] == user)


def _card_filing(teams, chat: str, key: str) -> dict:
    """The newest card in a chat with a 提出済みにする action for ``key``."""
    for card in reversed(teams.connector.cards_in(chat)):
        if f'"k": "{key}"' in json.dumps(card) and '"verb": "leak.file"' in json.dumps(card):
            return card
    raise AssertionError(f"no card files {key}")


async def test_a_kr_and_eu_reminder_reaches_the_executive_with_a_working_file_button(teams) -> None:
    """Korea's and the EU's 72 hours ping the executive and the commander with 提出済みにする: the executive
    (no owner role) is refused and nothing changes; the commander's click files each law's deadline."""
    await report(teams, persons="1500", jurisdictions="JP,EU,KR")
    reminders = teams.core.reminder_service({"teams": teams.bot.notifier}, "test")
    result = await reminders.sweep()
    assert result.sent and not result.failed
    exec_chat = _chat_of(teams, "29:exec")
    shown = json.dumps(teams.connector.cards_in(exec_chat), ensure_ascii=False)
    assert "KR 監督機関への通知" in shown and "EU 監督機関への通知" in shown and "提出済みにする" in shown
    card = _card_filing(teams, exec_chat, "regime:KR:authority")
    data = execute_data(card, "leak.file", where={"k": "regime:KR:authority"})
    _, body = await teams.execute("29:exec", "leak.file", data, conversation=exec_chat)
    assert "だけです" in json.dumps(body, ensure_ascii=False), "the executive holds no owner role"
    view = await teams.core.incidents.get(REF, OPERATOR)
    assert next(d for d in view.deadlines if d.key == "regime:KR:authority").status == "pending"

    commander_chat = _chat_of(teams, "29:commander")
    for key in ("regime:KR:authority", "regime:EU:authority"):
        card = _card_filing(teams, commander_chat, key)
        data = execute_data(card, "leak.file", where={"k": key})
        status, body = await teams.execute("29:commander", "leak.file", data, conversation=commander_chat)
        assert status == 200 and "提出済み" in json.dumps(body, ensure_ascii=False), body
    view = await teams.core.incidents.get(REF, OPERATOR)
    filed = {d.key: d.status for d in view.deadlines}
    assert filed["regime:KR:authority"] == filed["regime:EU:authority"] == "filed"
    assert filed["regime:KR:individuals"] == "pending"
    assert view.document_states["kr-notification"]["status"] == "filed"
    assert view.document_states["eu-notification"]["status"] == "filed"


async def test_the_drafts_card_shows_the_gdpr_notification_in_english(teams) -> None:
    """Beside Japan's drafts, each affected law's: the GDPR notification, the UK's to the ICO, Korea's report
    (with its note that a Korean translation is needed); none for a law whose people are not affected."""
    await report(teams, persons="1500", jurisdictions="JP,EU,UK,KR")
    thread = teams.connector.thread()
    await teams.settle()
    [card] = [c for c in teams.connector.cards_in(thread) if "📄" in json.dumps(c, ensure_ascii=False)]
    shown = json.dumps(card, ensure_ascii=False)
    assert "Notification of a personal data breach to the supervisory authority (GDPR Art. 33)" in shown
    assert "Nature of the breach" in shown and "Drafted in English" in shown
    assert "Breach register" in shown or "breach register" in shown
    assert "漏えい等報告" in shown, "beside Japan's drafts"
    assert "Notification of a personal data breach to the ICO (UK GDPR Art. 33)" in shown
    assert "Report of a personal information leak to the PIPC or KISA" in shown
    assert "A Korean translation is needed" in shown
    assert "PDPA" not in shown and "OAIC" not in shown, "no draft for a law whose people are not affected"


async def test_the_facts_card_asks_when_singapores_breach_was_found_notifiable(teams, clock) -> None:
    await report(teams, persons="800", jurisdictions="JP,SG")
    thread = teams.connector.thread()
    summary = json.dumps(teams.connector.summary_in(thread), ensure_ascii=False)
    assert "と判断したのはいつですか" in summary, "the summary says it is still asked"
    _, body = await teams.execute(
        "29:legal",
        "leak.facts",
        execute_data(teams.connector.summary_in(thread), "leak.facts"),
        conversation=thread,
    )
    form = card_of(body)
    assert (
        _input(form, "assessed_on")["type"] == "Input.Date" and "SG:" in _input(form, "assessed_on")["label"]
    )
    assert _input(form, "assessed_time")["type"] == "Input.Time"
    data = execute_data(form, "leak.facts.save", assessed_on="2026-12-02", assessed_time="09:00")
    _, body = await teams.execute("29:legal", "leak.facts.save", data, conversation=thread)
    assert "未来の日時" in json.dumps(card_of(body), ensure_ascii=False), "refused under the field"
    assert (await teams.core.incidents.get(REF, OPERATOR)).facts.assessed_at is None

    clock.advance(timedelta(hours=6))  # 16:00 in Tokyo
    data = execute_data(form, "leak.facts.save", assessed_on="2026-12-01", assessed_time="15:00")
    status, _ = await teams.execute("29:legal", "leak.facts.save", data, conversation=thread)
    assert status == 200
    await teams.settle()
    shown = json.dumps(teams.connector.summary_in(thread), ensure_ascii=False)
    assert "SG 監督機関への通知: 2026年12月5日(土) 00:59（現地 12月4日(金) 23:59 Asia/Singapore）" in shown
