"""One leak, many reports on Teams (issue 22): the question card in the open incident's thread, with the same
view model as Slack's; the commander's 統合する answers it in place, an outsider is refused."""

from __future__ import annotations

import json

from adapters.fakes.teams_harness import TeamsHarness, card_of, execute_data
from bot.services.ports import OPERATOR

MAIL = "営業部から顧客リストが添付されたメールが全社員に誤送信されました"


async def report(teams: TeamsHarness, user: str) -> None:
    await teams.say(user, "leak")
    form = teams.connector.cards_in(f"a:personal-{user}")[-1]
    status, body = await teams.execute(user, "leak.report", execute_data(form, "leak.report", summary=MAIL))
    assert status == 200 and "LEAK-2026-" in str(card_of(body))
    await teams.settle()


def question(teams: TeamsHarness, thread: str) -> dict:
    (card,) = [
        c for c in teams.connector.cards_in(thread) if "と同じ事案ですか" in json.dumps(c, ensure_ascii=False)
    ]
    return card


async def test_the_question_card_in_the_thread_and_the_commanders_answer(teams) -> None:
    for user in ("29:reporter", "29:second", "29:third"):
        await report(teams, user)
    thread = teams.connector.thread()
    assert thread is not None and len([c for c in teams.connector.created if c.get("channelData")]) == 1
    card = question(teams, thread)
    text = json.dumps(card, ensure_ascii=False)
    assert "LEAK-2026-0001 と同じ事案ですか" in text and "2 件" in text and "10:00〜10:00 受付" in text
    assert [a["title"] for a in card["actions"]] == ["統合する", "別事案として対応"]
    for user, reference in (("29:second", "LEAK-2026-0002"), ("29:third", "LEAK-2026-0003")):
        said = " ".join(teams.connector.texts_in(f"a:personal-{user}"))
        assert reference in said and "LEAK-2026-0001" not in said, "their own reference, nothing else"

    merge = execute_data(card, "leak.lookalike.merge")
    status, body = await teams.execute("29:outsider", "leak.lookalike.merge", merge, conversation=thread)
    assert status == 200 and "対応チームのメンバーだけ" in body["value"]
    status, body = await teams.execute("29:commander", "leak.lookalike.merge", merge, conversation=thread)
    assert status == 200
    answered = json.dumps(card_of(body), ensure_ascii=False)
    assert "2 件の報告をこの事案に統合しました" in answered and "leak.lookalike" not in answered
    await teams.settle()
    survivor = await teams.core.incidents.get("LEAK-2026-0003", OPERATOR)
    assert survivor.reference == "LEAK-2026-0001" and len(survivor.merged) == 2
    assert survivor.refusals == 1 and survivor.last_refusal.actor == "teams:29:outsider"
    assert "統合しました" in json.dumps(question(teams, thread), ensure_ascii=False), "updated in place"
