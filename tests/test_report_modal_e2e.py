"""The /leak report modal is partly built once per language and reused (issue 22): what changes per request
(the words the person typed, the discovery date and time, the channel they reported from, their language)
must be theirs, never the previous reporter's."""

from __future__ import annotations

import json
from datetime import timedelta

from adapters.fakes.slack_harness import SlackHarness


def _block(view: dict, block_id: str) -> dict:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


async def _leak(app: SlackHarness, user: str, text: str, channel: str) -> dict:
    before = len(app.slack.opened_views)
    status, _ = await app.driver.command(user, text, channel)
    assert status == 200
    return await app.eventually(lambda: len(app.slack.opened_views) > before and app.slack.opened_views[-1])


async def test_each_report_modal_carries_its_own_reporter_text_date_channel_and_language(app, clock) -> None:
    first = await _leak(app, "UREPORTER", "営業二課のCSVを外部へ誤送信", "CGENERAL")
    clock.advance(timedelta(days=1, hours=2, minutes=5))  # 2026-12-02 12:05 JST
    second = await _leak(app, "UCOMMANDER", "", "CSALES")
    english = await _leak(app, "UPR", "lost a laptop", "CPR")

    summary = _block(first, "summary")["element"]
    assert summary["initial_value"] == "営業二課のCSVを外部へ誤送信"
    assert _block(first, "discovered_on")["element"]["initial_date"] == "2026-12-01"
    assert _block(first, "discovered_time")["element"]["initial_time"] == "10:00"
    assert json.loads(first["private_metadata"]) == {"lang": "ja", "origin": "CGENERAL"}

    # the next reporter sees none of the first one's words, and today's date and time
    assert "initial_value" not in _block(second, "summary")["element"]
    assert "営業二課" not in json.dumps(second, ensure_ascii=False)
    assert _block(second, "discovered_on")["element"]["initial_date"] == "2026-12-02"
    assert _block(second, "discovered_time")["element"]["initial_time"] == "12:05"
    assert json.loads(second["private_metadata"]) == {"lang": "ja", "origin": "CSALES"}
    assert second["title"]["text"] == first["title"]["text"]

    # an English reader gets English words throughout, not the Japanese modal built first
    assert english["title"]["text"] == "Report a data leak"
    assert _block(english, "summary")["element"]["initial_value"] == "lost a laptop"
    assert json.loads(english["private_metadata"]) == {"lang": "en", "origin": "CPR"}
    labels = [b["label"]["text"] for b in english["blocks"] if b["type"] == "input"]
    assert not any(
        a == b
        for a, b in zip(
            labels, [b["label"]["text"] for b in first["blocks"] if b["type"] == "input"], strict=True
        )
    )
