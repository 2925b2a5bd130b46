"""The facts forms carry what the drafts need to say no more than the facts (issue 18), end to end over HTTP on
both platforms: the kind of sensitive data chosen, the cause in the team's words, who discovered it; the old
"loss or theft" is no longer offered (a loss is never called a theft)."""

from __future__ import annotations

import json

from adapters.fakes.teams_harness import card_of, execute_data
from bot.services.ports import OPERATOR
from tests.test_slack_drafts_e2e import edit_facts
from tests.test_slack_e2e import opened
from tests.test_teams_drafts_e2e import drafts_cards
from tests.test_teams_e2e import report

REF = "LEAK-2026-0001"
KIND = "要配慮個人情報（病歴・診療・調剤の情報）"
DETAIL = "宛先の自動補完で別の医療機関が選ばれた"


def _options(view: dict, block_id: str) -> list[str]:
    block = next(b for b in view["blocks"] if b.get("block_id") == block_id)
    return [o["value"] for o in block["element"]["options"]]


async def test_slack_the_facts_form_takes_the_kind_of_sensitive_data_and_the_cause_in_words(app) -> None:
    channel = await opened(app, persons="30")
    summary = app.slack.latest(channel.id, "個人データ漏えい対応")
    await app.driver.click("ULEGAL", summary, channel.id, "summary:facts")
    modal = await app.eventually(
        lambda: next(v for v in reversed(app.slack.opened_views) if v["callback_id"] == "leak_facts")
    )
    assert "loss" in _options(modal, "cause") and "theft" in _options(modal, "cause")
    assert "loss_theft" not in _options(modal, "cause"), "no longer offered"
    assert {"email", "postal_address", "phone"} <= set(_options(modal, "data_items"))
    await edit_facts(
        app,
        channel.id,
        data_items=["name", "sensitive"],
        sensitive_kinds=["medical"],
        cause_detail=DETAIL,
        discovered_by="医療機関からの連絡を受けたカスタマーサポート",
    )
    facts = (await app.core.incidents.get(REF, OPERATOR)).facts
    assert [str(k) for k in facts.sensitive_kinds] == ["medical"] and facts.cause_detail == DETAIL
    assert facts.is_sensitive, "the kind chosen makes the 1号 ground"
    markdown = await app.eventually(lambda: (m := (canvas_of_now(app, channel.id) or "")) and KIND in m and m)
    assert f"誤送信・誤送付：{DETAIL}" in markdown or DETAIL in markdown
    assert "医療機関からの連絡を受けたカスタマーサポート" in markdown


def canvas_of_now(app, channel_id: str) -> str | None:
    canvas = next((c for c in app.slack.canvases.values() if c["channel_id"] == channel_id), None)
    return canvas["markdown"] if canvas else None


async def test_teams_the_facts_card_takes_the_kind_of_sensitive_data(teams) -> None:
    await report(teams, persons="30")
    thread = teams.connector.thread()
    summary = teams.connector.summary_in(thread)
    _, body = await teams.execute(
        "29:legal", "leak.facts", execute_data(summary, "leak.facts"), conversation=thread
    )
    form = card_of(body)
    kinds = next(e for e in form["body"] if e.get("id") == "sensitive_kinds")
    assert "medical" in [c["value"] for c in kinds["choices"]]
    causes = [c["value"] for c in next(e for e in form["body"] if e.get("id") == "cause")["choices"]]
    assert "loss_theft" not in causes and "loss" in causes
    facts = execute_data(
        form,
        "leak.facts.save",
        cause="misdelivery",
        persons="30",
        persons_upper_bound="",
        flags="",
        data_items="name,sensitive",
        sensitive_kinds="medical",
        involvement="",
        secondary_damage="",
        cause_detail=DETAIL,
    )
    status, _ = await teams.execute("29:legal", "leak.facts.save", facts, conversation=thread)
    assert status == 200
    await teams.settle()
    stored = (await teams.core.incidents.get(REF, OPERATOR)).facts
    assert [str(k) for k in stored.sensitive_kinds] == ["medical"] and stored.cause_detail == DETAIL
    shown = json.dumps(drafts_cards(teams, thread)[-1], ensure_ascii=False)
    assert KIND in shown
