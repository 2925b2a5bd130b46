"""Issue 18 end to end over HTTP against the fake Slack: the 速報 filed from the summary is frozen in the canvas
(stamped, unchanged by a later facts change, and the 確報 lists old → new); a section rewritten from the summary
survives a facts change and is flagged; a replayed or stale status form changes nothing, a non-owner cannot
take back a final status, and taking it back needs a reason; the summary links to the canvas."""

from __future__ import annotations

import json
import re

from adapters.fakes.slack.server import TEAM
from adapters.fakes.slack_harness import modal_state
from bot.services.ports import OPERATOR
from tests.test_slack_drafts_e2e import canvas_of, edit_facts
from tests.test_slack_e2e import opened

SUMMARY = "個人データ漏えい対応"
REF = "LEAK-2026-0001"


async def open_modal(app, user: str, channel_id: str, button: str, callback: str) -> dict:
    before = len(app.slack.opened_views)
    await app.driver.click(user, app.slack.latest(channel_id, SUMMARY), channel_id, f"summary:{button}")
    modal = await app.eventually(lambda: len(app.slack.opened_views) > before and app.slack.opened_views[-1])
    assert modal["callback_id"] == callback
    return modal


async def status_form(app, user: str, channel_id: str) -> dict:
    return await open_modal(app, user, channel_id, "docs", "leak_documents")


async def submit_status(app, user: str, modal: dict, document: str, status: str, reason: str = "") -> dict:
    values = {"document": document, "status": status} | ({"reason": reason} if reason else {})
    code, body = await app.driver.submit_view(user, modal, modal_state(values))
    assert code == 200
    return json.loads(body) if body else {}


def preliminary_part(markdown: str) -> str:
    start = markdown.index("# 漏えい等報告（速報）")
    start = markdown.rindex("> ", 0, start)  # its stamp
    return markdown[start : markdown.index("# 漏えい等報告（確報）")]


async def test_the_filed_preliminary_stays_as_filed_in_the_canvas_and_the_final_says_old_to_new(app) -> None:
    channel = await opened(app, persons="1500")
    canvas = await canvas_of(app, channel.id)
    answer = await submit_status(
        app, "ULEGAL", await status_form(app, "ULEGAL", channel.id), "ppc-preliminary", "filed"
    )
    assert "errors" not in answer
    await app.eventually(lambda: "以下は提出済みにした時点の文面のまま固定" in canvas["markdown"])
    filed = preliminary_part(canvas["markdown"])
    assert "ULEGAL" in filed and "1,500人" in filed

    await edit_facts(app, channel.id, persons="2,300")
    await app.eventually(lambda: "2,300人" in canvas["markdown"])
    assert preliminary_part(canvas["markdown"]) == filed, "the filed 速報 is shown as it was filed"
    final = canvas["markdown"][canvas["markdown"].index("# 漏えい等報告（確報）") :]
    assert re.search(r"本人の数\*\*: 1,500 → 2,300", final), "old → new since the 速報 as filed"


async def test_a_section_rewritten_from_the_summary_survives_a_facts_change_and_is_flagged(app) -> None:
    channel = await opened(app, persons="1500")
    canvas = await canvas_of(app, channel.id)
    picker = await open_modal(app, "UPR", channel.id, "edit", "leak_edit_pick")
    code, body = await app.driver.submit_view(
        "UPR", picker, modal_state({"section": "announcement|doc.ann.secondary"})
    )
    answer = json.loads(body)
    assert code == 200 and answer["response_action"] == "update"
    text_area = answer["view"]
    prefilled = text_area["blocks"][1]["element"]["initial_value"]
    assert "調査中" in prefilled, "the text area starts from the section's current text"
    mine = "現時点で、お客様の情報が不正に利用されたという報告はございません。"
    code, body = await app.driver.submit_view("UPR", {**text_area, "id": "V1"}, modal_state({"text": mine}))
    assert code == 200 and "errors" not in body
    await app.eventually(lambda: mine in canvas["markdown"])

    await edit_facts(app, channel.id, persons="1500", secondary_damage="クレジットカードの不正利用を1件確認")
    await app.eventually(lambda: "クレジットカードの不正利用を1件確認" in canvas["markdown"])
    announcement = canvas["markdown"][
        canvas["markdown"].index("# 個人情報の漏えい等に関するお詫びとお知らせ") :
    ]
    assert mine in announcement, "the person's words were not replaced by the facts change"
    assert "書き換えた後で、この節のもとになる事実が変わりました" in announcement, "flagged"
    _, trail = await app.core.incidents.trail(REF, OPERATOR)
    assert [e.actor for e in trail if e.action == "document_edited"] == ["slack:UPR"]


async def test_a_too_long_edit_and_an_outsiders_edit_are_refused(app) -> None:
    channel = await opened(app, persons="1500")
    picker = await open_modal(app, "UPR", channel.id, "edit", "leak_edit_pick")
    _, body = await app.driver.submit_view(
        "UPR", picker, modal_state({"section": "announcement|doc.ann.secondary"})
    )
    text_area = json.loads(body)["view"]
    code, body = await app.driver.submit_view("UPR", text_area, modal_state({"text": "あ" * 3001}))
    assert code == 200 and "at most 3000 characters" in json.loads(body)["errors"]["text"], (
        "in their language"
    )
    code, body = await app.driver.submit_view("UOUTSIDER", text_area, modal_state({"text": "改ざん"}))
    assert code == 200 and "text" in json.loads(body)["errors"]
    _, trail = await app.core.incidents.trail(REF, OPERATOR)
    assert not any(e.action == "document_edited" for e in trail)
    assert [e.details["code"] for e in trail if e.action == "refused" and e.details["attempt"] == "edit"] == [
        "too_long",
        "not_a_member",
    ]


async def test_a_status_form_cannot_move_a_document_back_by_replay_and_taking_back_is_guarded(app) -> None:
    channel = await opened(app, persons="1500")
    first = await status_form(app, "USUPPORT", channel.id)
    assert "errors" not in await submit_status(app, "USUPPORT", first, "notice", "sent")
    later = await status_form(app, "USUPPORT", channel.id)
    answer = await submit_status(app, "USUPPORT", later, "notice", "reviewed")
    assert "理由を入力" in answer["errors"]["reason"], "taking back without a reason is a field error"
    other = await status_form(app, "UIT", channel.id)
    answer = await submit_status(app, "UIT", other, "notice", "draft", reason="間違い")
    assert "担当（カスタマーサポート" in answer["errors"]["status"], "only the owner or the commander"
    assert "errors" not in await submit_status(
        app, "USUPPORT", later, "notice", "reviewed", reason="宛先の誤り"
    )

    replayed = await submit_status(app, "USUPPORT", first, "notice", "sent")
    assert "新しい変更" in replayed["errors"]["status"], "a replayed or stale form is refused"
    view = await app.core.incidents.get(REF, OPERATOR)
    assert view.document_states["notice"]["status"] == "reviewed"
    _, trail = await app.core.incidents.trail(REF, OPERATOR)
    assert [e.details["to"] for e in trail if e.action == "document_status"] == ["sent", "reviewed"]
    assert next(e for e in trail if e.action == "document_unfrozen").details["reason"] == "宛先の誤り"


async def test_the_summary_links_to_the_canvas(app) -> None:
    channel = await opened(app, persons="1500")
    await canvas_of(app, channel.id)
    canvas_id = next(k for k, c in app.slack.canvases.items() if c["channel_id"] == channel.id)
    link = f"https://leakbot-test.slack.com/docs/{TEAM}/{canvas_id}"
    await app.eventually(
        lambda: f"<{link}|キャンバスを開く>" in str(app.slack.latest(channel.id, SUMMARY)["blocks"])
    )
