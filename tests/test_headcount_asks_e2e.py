"""An unknown number of people is asked for every business morning, in the channel, until it is given."""

from __future__ import annotations

from datetime import timedelta

from adapters.fakes.slack_harness import modal_state
from tests.test_slack_e2e import opened

ASK = "本人の数の推計か上限"


def asks(app, channel_id: str) -> list[str]:
    return [m["text"] for m in app.slack.messages[channel_id] if ASK in m["text"]]


async def test_the_channel_is_asked_each_business_morning_until_a_count_is_given(app, clock) -> None:
    channel = await opened(app)  # no count, no upper bound: the headcount ground is undetermined
    service = app.core.reminder_service({"slack": app.notifier()}, "test")
    assert await service.run_headcount_asks() == 1
    assert await service.run_headcount_asks() == 0, "once a day, whichever replica runs it"
    [ask] = asks(app, channel.id)
    assert "<@UIT>" in ask, "IT is asked by name"

    clock.advance(timedelta(days=4))  # Saturday 12/5: no ask on a closed day
    assert await service.run_headcount_asks() == 0
    clock.advance(timedelta(days=2))  # Monday 12/7
    assert await service.run_headcount_asks() == 1
    assert len(asks(app, channel.id)) == 2

    summary = app.slack.latest(channel.id, "個人データ漏えい対応")
    await app.driver.click("ULEGAL", summary, channel.id, "summary:facts")
    form = await app.eventually(lambda: len(app.slack.opened_views) > 1 and app.slack.opened_views[-1])
    await app.driver.submit_view(
        "ULEGAL", form, modal_state({"cause": "misdelivery", "persons_upper_bound": "300"})
    )
    await app.eventually(lambda: any("事実が更新" in m["text"] for m in app.slack.messages[channel.id]))
    clock.advance(timedelta(days=1))
    assert await service.run_headcount_asks() == 0, "an upper bound is given: no more asking"
