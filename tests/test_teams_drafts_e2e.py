"""The document drafts on Teams, end to end: one card in the response thread with a collapsed section per
draft (checked against the Adaptive Card 1.5 schema by the fake connector), updated in place when the facts
change, and saying where the full text and the .docx come from."""

from __future__ import annotations

import json

from adapters.fakes.teams_harness import execute_data
from bot.services.ports import OPERATOR, Actor
from tests.test_inert_text import EVIL, assert_inert
from tests.test_teams_e2e import report


def drafts_cards(teams, thread: str) -> list[dict]:
    return [c for c in teams.connector.cards_in(thread) if "📄" in json.dumps(c, ensure_ascii=False)]


async def test_the_drafts_card_holds_each_draft_collapsed_and_follows_the_facts(teams) -> None:
    await report(teams, persons="800")
    thread = teams.connector.thread()
    await teams.settle()
    [card] = drafts_cards(teams, thread)
    text = json.dumps(card, ensure_ascii=False)
    for title in ("漏えい等報告", "お知らせ", "問い合わせ", "相談"):
        assert title in text, title
    assert "800" in text and "leakbot incidents export LEAK-2026-0001" in text
    hidden = [e for e in card["body"] if e["type"] == "Container"]
    assert hidden and all(e["isVisible"] is False for e in hidden), "each draft starts collapsed"

    await teams.core.incidents.update_facts("LEAK-2026-0001", {"persons": 1234}, Actor("teams", "29:legal"))
    await teams.settle()
    assert len(drafts_cards(teams, thread)) == 1, "updated in place, not posted again"
    updated = json.dumps(drafts_cards(teams, thread)[-1], ensure_ascii=False)
    assert "1,234" in updated or "1234" in updated, "the new count is in the drafts"


async def test_a_team_member_marks_a_draft_reviewed_from_the_summary_card(teams) -> None:
    await report(teams, persons="1500")
    thread = teams.connector.thread()
    summary = teams.connector.summary_in(thread)
    assert "leak.docs" in json.dumps(summary), "the summary offers 文書の状態"

    status, body = await teams.execute("29:legal", "leak.docs", {"r": "LEAK-2026-0001"}, conversation=thread)
    form = body["value"]
    assert status == 200 and {"document", "status"} <= {e.get("id") for e in form["body"]}

    status, body = await teams.execute(
        "29:support",
        "leak.docs.save",
        {"r": "LEAK-2026-0001", "document": "announcement", "status": "reviewed"},
    )
    assert status == 200 and "担当（法務" in json.dumps(body, ensure_ascii=False), "refused under the field"

    status, body = await teams.execute(
        "29:legal", "leak.docs.save", {"r": "LEAK-2026-0001", "document": "notice", "status": "reviewed"}
    )
    assert status == 200 and "法務確認済み" in json.dumps(body, ensure_ascii=False), "the summary shows it"
    _, trail = await teams.core.incidents.trail("LEAK-2026-0001", OPERATOR)
    assert [e.details["to"] for e in trail if e.action == "document_status"] == ["reviewed"]
    assert any(e.action == "refused" and e.details.get("attempt") == "document" for e in trail)


async def test_an_address_or_a_bidi_control_in_a_fact_neither_links_nor_hides_on_a_card(teams) -> None:
    await teams.say("29:reporter", "leak 誤送信")
    form = teams.connector.cards_in("a:personal-29:reporter")[-1]
    data = execute_data(form, "leak.report", summary=EVIL, persons="800")
    status, _ = await teams.execute("29:reporter", "leak.report", data)
    assert status == 200
    await teams.settle()
    thread = teams.connector.thread()
    shown = lambda card: json.dumps({**card, "$schema": ""}, ensure_ascii=False)  # noqa: E731
    assert_inert(shown(teams.connector.summary_in(thread)))
    [drafts] = drafts_cards(teams, thread)
    assert_inert(shown(drafts))
    for conversation, activities in teams.connector.sent.items():
        text = json.dumps(activities, ensure_ascii=False)
        assert "evil.example" not in text and "\u202e" not in text, conversation
