"""Issue 18 on Teams, end to end through the Agents SDK and the fake connector (cards checked against the
Adaptive Card 1.5 schema): a section rewritten from the summary card survives a facts change in the drafts card
and is flagged; the filed 速報 shows in the drafts card as filed; a replayed status submission changes nothing
and taking a final status back needs a reason."""

from __future__ import annotations

import json

from adapters.fakes.teams_harness import card_of
from bot.services.ports import OPERATOR, Actor
from tests.test_teams_drafts_e2e import drafts_cards
from tests.test_teams_e2e import report

REF = "LEAK-2026-0001"


def drafts_text(teams, thread: str) -> str:
    return json.dumps(drafts_cards(teams, thread)[-1], ensure_ascii=False)


async def test_a_section_rewritten_from_the_summary_card_survives_a_facts_change_and_is_flagged(
    teams,
) -> None:
    await report(teams, persons="1500")
    thread = teams.connector.thread()
    teams.connector.names["29:support"] = "サポート 太郎"
    assert "leak.edit" in json.dumps(teams.connector.summary_in(thread)), "the summary offers 文書を編集"
    _, body = await teams.execute("29:support", "leak.edit", {"r": REF}, conversation=thread)
    picker = card_of(body)
    assert any(e.get("id") == "section" for e in picker["body"])
    _, body = await teams.execute(
        "29:support", "leak.edit.pick", {"r": REF, "section": "notice_letter|doc.notice.secondary"}
    )
    form = card_of(body)
    area = next(e for e in form["body"] if e.get("id") == "text")
    assert "調査中" in area["value"], "starts from the section's current text"
    mine = "現在のところ、二次被害は確認されておりません。"
    data = {"r": REF, "d": "notice_letter", "s": "doc.notice.secondary", "text": mine}
    status, body = await teams.execute("29:support", "leak.edit.save", data)
    assert status == 200
    await teams.settle()
    assert mine in drafts_text(teams, thread)

    await teams.core.incidents.update_facts(
        REF, {"secondary_damage": "不正ログインを2件確認"}, Actor("teams", "29:legal")
    )
    await teams.settle()
    shown = drafts_text(teams, thread)
    letter = shown[shown.index("（書面）") :]
    assert mine in letter, "the person's words were kept"
    assert "サポート 太郎 が" in letter and "事実が変わりました" in letter, "flagged, naming who edited"


async def test_the_filed_preliminary_shows_as_filed_and_a_replayed_status_changes_nothing(teams) -> None:
    await report(teams, persons="1500")
    thread = teams.connector.thread()
    filing = {"r": REF, "document": "ppc-preliminary", "status": "filed"}
    stamp = "2026-12-01T01:05:00Z"
    status, _ = await teams.execute("29:legal", "leak.docs.save", filing, timestamp=stamp)
    assert status == 200
    await teams.settle()
    assert "提出済みにした時点の文面のまま固定" in drafts_text(teams, thread)

    back = {"r": REF, "document": "ppc-preliminary", "status": "reviewed"}
    _, body = await teams.execute("29:legal", "leak.docs.save", back, timestamp="2026-12-01T01:10:00Z")
    assert "理由を入力" in json.dumps(card_of(body), ensure_ascii=False), (
        "a reason is asked for, under the field"
    )
    back["reason"] = "添付資料の誤り"
    _, body = await teams.execute("29:legal", "leak.docs.save", back, timestamp="2026-12-01T01:10:00Z")
    await teams.settle()
    assert "提出済みにした時点" not in drafts_text(teams, thread), "taken back: the live draft again"

    _, body = await teams.execute("29:legal", "leak.docs.save", filing, timestamp=stamp)
    assert "新しい変更" in json.dumps(body, ensure_ascii=False), "the replayed filing is refused"
    view = await teams.core.incidents.get(REF, OPERATOR)
    assert {d.key: d.status for d in view.deadlines}["preliminary"] == "pending"
