"""The law's wording in the response channel, end to end over HTTP against the fake Slack workspace:
an unknown headcount is "undetermined" and asked for until given; the 速報 and 本人通知 are 「速やかに」."""

from __future__ import annotations

import json

from adapters.fakes.slack_harness import modal_state
from tests.test_slack_e2e import opened

SUMMARY = "個人データ漏えい対応"


def summary_of(app, channel_id: str) -> str:
    return json.dumps(app.slack.latest(channel_id, SUMMARY), ensure_ascii=False)


async def test_an_unknown_headcount_is_asked_for_in_the_channel_until_given(app) -> None:
    channel = await opened(app)  # the reporter did not know how many people
    text = summary_of(app, channel.id)
    assert "報告要否は判定中" in text and "推計か上限" in text
    assert "報告対象の事由はありません" not in text

    summary = app.slack.latest(channel.id, SUMMARY)
    await app.driver.click("ULEGAL", summary, channel.id, "summary:facts")
    modal = await app.eventually(
        lambda: next(v for v in app.slack.opened_views if v["callback_id"] == "leak_facts")
    )
    values = {
        "cause": "misdelivery",
        "persons": "",
        "persons_upper_bound": "300",
        "flags": [],
        "data_items": [],
        "involvement": [],
        "secondary_damage": "",
    }
    status, _ = await app.driver.submit_view("ULEGAL", modal, modal_state(values))
    assert status == 200
    text = await app.eventually(
        lambda: (t := summary_of(app, channel.id)) and "報告義務のある事由はありません" in t and t
    )
    assert "推計か上限" not in text and "判定中" not in text, "the request goes once an upper bound is given"


async def test_the_channel_shows_prompt_duties_as_promptly(app) -> None:
    channel = await opened(app, persons="1500")
    text = summary_of(app, channel.id)
    assert "速報: 速やかに（目安: 2026年12月5日(土)まで）" in text
    assert "本人通知: 速やかに（法律上の期日の定めなし）" in text
    assert "確報: 2027年1月4日(月) 23:59" in text
    phase = await app.eventually(lambda: app.slack.latest(channel.id, "報告・通知（フェーズ"))
    reporting = json.dumps(phase, ensure_ascii=False)
    assert "法定期限: 速報" not in reporting and "期日: 速報: 速やかに" in reporting
