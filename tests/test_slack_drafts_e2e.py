"""The document drafts in the response channel, end to end over HTTP against the fake Slack: a channel
canvas holding the five drafts with the incident's facts, edited when the facts change; files (and a
sentence saying why) where the workspace has no channel canvases; each draft's status audited."""

from __future__ import annotations

import json
import re

import pytest

from adapters.fakes.slack_harness import modal_state
from bot.services.errors import ServiceError
from bot.services.ports import OPERATOR, Actor
from tests.test_inert_text import EVIL, assert_inert
from tests.test_slack_e2e import opened

DRAFT_TITLES = ("漏えい等報告", "お知らせ", "お詫び", "問い合わせ", "相談")


async def canvas_of(app, channel_id: str) -> dict:
    return await app.eventually(
        lambda: next(c for c in app.slack.canvases.values() if c["channel_id"] == channel_id)
    )


async def edit_facts(app, channel_id: str, **values) -> None:
    summary = app.slack.latest(channel_id, "個人データ漏えい対応")
    await app.driver.click("ULEGAL", summary, channel_id, "summary:facts")
    modal = await app.eventually(
        lambda: next(v for v in reversed(app.slack.opened_views) if v["callback_id"] == "leak_facts")
    )
    base = {
        "cause": "misdelivery",
        "persons": "",
        "persons_upper_bound": "",
        "flags": [],
        "data_items": [],
        "involvement": [],
        "secondary_damage": "",
    }
    status, _ = await app.driver.submit_view("ULEGAL", modal, modal_state(base | values))
    assert status == 200


async def test_the_channel_canvas_holds_the_five_drafts_and_follows_the_facts(app) -> None:
    channel = await opened(app, persons="800")
    canvas = await canvas_of(app, channel.id)
    text = canvas["markdown"]
    for title in DRAFT_TITLES:
        assert title in text, title
    assert "顧客リストを誤送信した" in text and "800" in text, "the incident's facts"
    assert "調査中" in text, "what is not known yet is said, not invented"
    assert "LEAK-2026-0001" in canvas["title"]
    await app.eventually(
        lambda: (
            "下書きはこのチャンネルにあり"
            in str(app.slack.latest(channel.id, "個人データ漏えい対応")["blocks"])
        )
    )

    await edit_facts(app, channel.id, persons="1,200", cause="unauthorized_access")
    await app.eventually(lambda: "1,200" in canvas["markdown"] or "1200" in canvas["markdown"])
    assert canvas["edits"] >= 1, "the canvas was edited in place (canvases.edit), not created again"
    assert len([c for c in app.slack.canvases.values() if c["channel_id"] == channel.id]) == 1
    assert "不正アクセス" in canvas["markdown"], "the new cause is in the drafts"

    await edit_facts(
        app,
        channel.id,
        persons="1,200",
        cause="unauthorized_access",
        measures_taken="該当サーバーをネットワークから遮断",
        discovered_how="監視アラートで検知",
    )
    await app.eventually(lambda: "該当サーバーをネットワークから遮断" in canvas["markdown"])
    assert "監視アラートで検知" in canvas["markdown"], "what the facts form captured for the drafts"


async def test_without_channel_canvases_the_drafts_are_posted_as_files_and_the_channel_is_told(app) -> None:
    app.slack.canvas_refusal = "team_tier_cannot_create_channel_canvases"
    channel = await opened(app, persons="800")
    note = await app.eventually(lambda: app.slack.latest(channel.id, "チャンネルキャンバスを作成できない"))
    assert "team_tier_cannot_create_channel_canvases" in note["text"]
    files = [f for f in app.slack.files if f["channel"] == channel.id]
    assert {f["filename"].rsplit(".", 1)[1] for f in files} == {"md", "docx"}
    markdown = next(f for f in files if f["filename"].endswith(".md"))["content"].decode("utf-8")
    assert "漏えい等報告" in markdown and "800" in markdown
    uploads = len(app.slack.files)
    await edit_facts(app, channel.id, persons="1,200")
    await app.core.settle()
    assert len(app.slack.files) == uploads, "files are not re-posted on every change, only when asked"


async def test_document_status_is_checked_audited_and_filing_the_preliminary_is_marking_it_filed(app) -> None:
    await opened(app, persons="1500")
    incidents, ref = app.core.incidents, "LEAK-2026-0001"
    legal, support, outsider = Actor("slack", "ULEGAL"), Actor("slack", "USUPPORT"), Actor("slack", "UOUT")
    await incidents.set_document_status(ref, "notice", "reviewed", legal)
    with pytest.raises(ServiceError) as refused:
        await incidents.set_document_status(ref, "announcement", "reviewed", support)
    assert refused.value.code == "document_owner_only", "review is legal's (or the commander's)"
    with pytest.raises(ServiceError):
        await incidents.set_document_status(ref, "notice", "sent", outsider)
    await incidents.set_document_status(ref, "notice", "sent", support)
    outcome = await incidents.set_document_status(ref, "ppc-preliminary", "filed", legal)
    view = await incidents.get(ref, OPERATOR)
    assert {d.key: d.status for d in view.deadlines}["preliminary"] in ("filed", "met")
    assert outcome.incident.document_states["notice"]["status"] == "sent"
    _, trail = await incidents.trail(ref, OPERATOR)
    changes = [(e.details["document"], e.details["to"]) for e in trail if e.action == "document_status"]
    assert changes == [("notice", "reviewed"), ("notice", "sent")]
    refused_attempts = [
        e.details for e in trail if e.action == "refused" and e.details["attempt"] == "document"
    ]
    assert len(refused_attempts) == 2, "both refusals are in the audit trail"


async def test_the_summary_button_marks_a_draft_reviewed_and_refuses_who_may_not(app) -> None:
    channel = await opened(app, persons="1500")
    summary = app.slack.latest(channel.id, "個人データ漏えい対応")

    async def submit(user: str, document: str, status: str) -> tuple[int, str]:
        before = len(app.slack.opened_views)
        await app.driver.click(
            user, app.slack.latest(channel.id, "個人データ漏えい対応"), channel.id, "summary:docs"
        )
        modal = await app.eventually(
            lambda: len(app.slack.opened_views) > before and app.slack.opened_views[-1]
        )
        assert modal["callback_id"] == "leak_documents"
        return await app.driver.submit_view(
            user, modal, modal_state({"document": document, "status": status})
        )

    assert summary is not None
    status, body = await submit("USUPPORT", "announcement", "reviewed")
    errors = json.loads(body)["errors"]
    assert status == 200 and "担当（法務" in errors["status"], "a field error in the person's language"
    status, body = await submit("ULEGAL", "notice", "reviewed")
    assert status == 200 and "errors" not in body
    await app.eventually(
        lambda: "法務確認済み" in str(app.slack.latest(channel.id, "個人データ漏えい対応")["blocks"])
    )
    await app.eventually(lambda: app.slack.latest(channel.id, "「本人への通知」が法務確認済みになりました"))
    _, trail = await app.core.incidents.trail("LEAK-2026-0001", OPERATOR)
    assert [e.details["to"] for e in trail if e.action == "document_status"] == ["reviewed"]
    assert any(e.action == "refused" and e.details["attempt"] == "document" for e in trail)


async def test_a_canvas_edit_that_fails_half_way_is_retried_and_the_facts_still_arrive(app) -> None:
    channel = await opened(app, persons="800")
    canvas = await canvas_of(app, channel.id)
    app.slack.fail_next("canvases.edit", status=500, times=2)
    await edit_facts(app, channel.id, persons="1,200")
    await app.core.settle()
    assert "1,200" in canvas["markdown"] or "1200" in canvas["markdown"], "converged after the 5xx answers"
    assert len([c for c in app.slack.canvases.values() if c["channel_id"] == channel.id]) == 1


async def test_a_forged_document_status_is_a_field_error_and_changes_nothing(app) -> None:
    channel = await opened(app, persons="1500")
    await app.driver.click(
        "ULEGAL", app.slack.latest(channel.id, "個人データ漏えい対応"), channel.id, "summary:docs"
    )
    modal = await app.eventually(
        lambda: app.slack.opened_views[-1]["callback_id"] == "leak_documents" and app.slack.opened_views[-1]
    )
    status, body = await app.driver.submit_view(
        "ULEGAL", modal, modal_state({"document": "notice", "status": "shredded"})
    )
    assert status == 200 and "status" in json.loads(body)["errors"]
    view = await app.core.incidents.get("LEAK-2026-0001", OPERATOR)
    assert "notice" not in view.document_states


async def test_an_address_or_a_bidi_control_in_a_fact_neither_links_nor_hides_on_the_canvas_or_in_slack(
    app,
) -> None:
    channel = await opened(app, text=EVIL, persons="800")
    canvas = await canvas_of(app, channel.id)
    assert_inert(canvas["markdown"])
    summary = app.slack.latest(channel.id, "個人データ漏えい対応")
    blocks = json.dumps(summary["blocks"], ensure_ascii=False)
    canvas_link = re.compile(r"https://[a-z0-9-]+\.slack\.com/docs/[A-Z0-9]+/[A-Z0-9]+")  # leakbot's own link
    assert_inert(canvas_link.sub("", blocks))
    for conversation, messages in app.slack.messages.items():
        for message in messages:
            text = json.dumps(message, ensure_ascii=False)
            assert "evil.example" not in text and "\u202e" not in text, (conversation, text[:300])
