"""The document drafts on Teams, end to end: one card in the response thread with a collapsed section per
draft (checked against the Adaptive Card 1.5 schema by the fake connector), updated in place when the facts
change, and saying where the full text and the .docx come from."""

from __future__ import annotations

import json

from bot.services.ports import Actor
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
