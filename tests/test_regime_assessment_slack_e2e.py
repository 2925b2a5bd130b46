"""Singapore's clock on Slack, end to end (issue 20): the PDPC is due 3 calendar days after the day the company
determined the breach notifiable. The facts form asks that moment (a date and a time in Japan) when Singapore's
people are affected; until it is answered the summary says it is still asked, then the PDPC's deadline appears
beside Japan's, in JST and in Singapore's time. A moment before awareness or in the future is refused under
the field, and nothing is saved."""

from __future__ import annotations

import json
from datetime import timedelta

from adapters.fakes.slack_harness import modal_state
from bot.services.ports import OPERATOR
from tests.test_regimes_slack_e2e import REF, eu_app, summary_text  # noqa: F401  (eu_app: a fixture)
from tests.test_slack_e2e import opened

FACTS_BASE = {
    "cause": "misdelivery",
    "persons": "800",
    "persons_upper_bound": "",
    "flags": [],
    "data_items": [],
    "involvement": [],
    "secondary_damage": "",
    "jurisdictions": ["JP", "SG"],
}
ASKED = "通知対象（重大な損害又は500人以上）と判断したのはいつですか"


async def facts_modal(app, channel_id: str) -> dict:
    summary = app.slack.latest(channel_id, "個人データ漏えい対応")
    before = len(app.slack.opened_views)
    await app.driver.click("ULEGAL", summary, channel_id, "summary:facts")
    return await app.eventually(
        lambda: next(v for v in app.slack.opened_views[before:] if v["callback_id"] == "leak_facts")
    )


async def submit(app, modal: dict, **values) -> dict:
    status, body = await app.driver.submit_view("ULEGAL", modal, modal_state(FACTS_BASE | values))
    assert status == 200
    return json.loads(body) if body else {}


async def test_the_assessment_moment_gives_singapores_pdpc_deadline_in_the_summary(eu_app, clock) -> None:  # noqa: F811
    app = eu_app
    channel = await opened(app, persons="800", jurisdictions=["JP", "SG"])
    text = summary_text(app, channel.id)
    assert "シンガポール 個人情報保護法（PDPA）: 報告対象です" in text, "800 people: significant scale"
    assert ASKED in text, "the summary says what is still asked"
    assert "SG 監督機関への通知" not in text, "no PDPC deadline before the assessment is recorded"

    modal = await facts_modal(app, channel.id)
    blocks = {b.get("block_id"): b for b in modal["blocks"]}
    assert blocks["assessed_on"]["element"]["type"] == "datepicker"
    assert "SG:" in blocks["assessed_on"]["label"]["text"]
    assert blocks["assessed_time"]["element"]["type"] == "timepicker"

    refused = await submit(app, modal, assessed_on="2026-11-30", assessed_time="09:00")
    assert (
        refused["response_action"] == "errors"
        and "発見（認識）した日時より前" in refused["errors"]["assessed_on"]
    )
    refused = await submit(app, modal, assessed_on="2026-12-02", assessed_time="09:00")
    assert refused["response_action"] == "errors" and "未来" in refused["errors"]["assessed_on"]
    assert (await app.core.incidents.get(REF, OPERATOR)).facts.assessed_at is None, "nothing was saved"

    # Determined at 15:00 in Tokyo (14:00 in Singapore) on 1 December: due at the end of 4 December there.
    clock.advance(timedelta(hours=6))
    assert await submit(app, modal, assessed_on="2026-12-01", assessed_time="15:00") == {}
    expected = "SG 監督機関への通知: 2026年12月5日(土) 00:59（現地 12月4日(金) 23:59 Asia/Singapore）"
    await app.eventually(lambda: expected in summary_text(app, channel.id))
    assert ASKED not in summary_text(app, channel.id), "answered: no longer asked"
    reopened = await facts_modal(app, channel.id)
    blocks = {b.get("block_id"): b for b in reopened["blocks"]}
    assert blocks["assessed_on"]["element"]["initial_date"] == "2026-12-01"
    assert blocks["assessed_time"]["element"]["initial_time"] == "15:00"


async def test_the_form_does_not_ask_it_without_singapores_people(eu_app) -> None:  # noqa: F811
    channel = await opened(eu_app, persons="800", jurisdictions=["JP", "EU"])
    modal = await facts_modal(eu_app, channel.id)
    assert not any(b.get("block_id") == "assessed_on" for b in modal["blocks"])
