"""A drill on the fake Slack, end to end over HTTP: the commander picks a scenario, a DRILL- channel opens
with the briefing, the scenario's injects arrive as drill time passes (720× faster), the team works the real
playbook, and /leak drill end posts the after-action report. Everything it posts is marked 【訓練】, no LEAK-
number is used, and an outsider cannot start one."""

from __future__ import annotations

import json
from datetime import timedelta

from adapters.fakes.slack_harness import SlackHarness, modal_state
from bot.services.ports import OPERATOR, Actor


def texts(app: SlackHarness, channel_id: str) -> str:
    return json.dumps(app.slack.messages[channel_id], ensure_ascii=False)


async def start(app: SlackHarness, user: str = "UCOMMANDER") -> None:
    before = len(app.slack.opened_views)
    status, _ = await app.driver.command(user, "drill")
    assert status == 200
    modal = await app.eventually(lambda: len(app.slack.opened_views) > before and app.slack.opened_views[-1])
    assert modal["callback_id"] == "leak_drill"
    options = json.dumps(modal, ensure_ascii=False)
    for title in ("誤送信", "紛失", "不正アクセス", "ランサムウェア"):
        assert title in options, f"the seed articles' cases are offered: {title}"
    status, body = await app.driver.submit_view(user, modal, modal_state({"scenario": "misdelivery"}))
    assert status == 200 and "errors" not in body


async def test_a_drill_from_the_picker_to_the_after_action_report(app, clock) -> None:
    await start(app)
    channel = await app.eventually(lambda: app.slack.channel_named("drill-"))
    await app.eventually(lambda: "訓練シナリオ" in texts(app, channel.id))
    await app.core.settle()
    assert "【訓練】" in texts(app, channel.id)
    [drill] = await app.core.incidents.list(OPERATOR, drills=True)
    assert drill.reference.startswith("DRILL-2026-") and drill.drill["scenario"] == "misdelivery"
    assert await app.core.incidents.list(OPERATOR) == [], "left out of the real incidents"
    await app.driver.event(
        {"type": "app_home_opened", "user": "UCOMMANDER", "channel": "DHOME", "tab": "home"}
    )
    home = await app.eventually(lambda: app.slack.home_views.get("UCOMMANDER"))
    assert "DRILL-2026-0001" in json.dumps(home, ensure_ascii=False), "App Home lists the drill"
    assert "【訓練】" in json.dumps(home, ensure_ascii=False), "marked as one"

    clock.advance(timedelta(hours=2) / 720 + timedelta(seconds=1))  # two drill hours later
    await app.core.journey.resume()
    await app.core.settle()
    await app.eventually(lambda: "状況 1" in texts(app, channel.id))
    assert "状況 2" not in texts(app, channel.id), "the second inject waits for its drill time"
    clock.advance(timedelta(hours=6) / 720)
    await app.core.journey.resume()
    await app.core.journey.resume()  # a second sweep delivers nothing twice
    await app.core.settle()
    await app.eventually(lambda: "状況 2" in texts(app, channel.id))
    assert texts(app, channel.id).count("状況 2（") == 1

    # the team enters inject 1's count: reportable; the 速報 target (drill days away) comes within minutes
    await app.core.incidents.update_facts(drill.reference, {"persons": 1240}, Actor("slack", "ULEGAL"))
    [drill] = await app.core.incidents.list(OPERATOR, drills=True)
    target = next(d for d in drill.deadlines if d.key == "preliminary")
    clock.set(drill.aware_at + (target.due_at - drill.aware_at) / 720 + timedelta(seconds=1))
    await app.core.reminder_service({"slack": app.notifier()}, "test").sweep()
    await app.core.settle()
    pings = [
        m["text"]
        for cid, c in app.slack.channels.items()
        if c.is_im and "UEXEC" in c.members
        for m in app.slack.messages[cid]
    ]
    assert any("DRILL-2026-0001" in p and "【訓練】" in p for p in pings), (
        "the executive ping, marked as a drill"
    )

    status, _ = await app.driver.command("UCOMMANDER", "drill end", channel=channel.id)
    assert status == 200
    report = await app.eventually(lambda: app.slack.latest(channel.id, "事後レビュー"))
    assert "【訓練】" in report["text"] and "注入した状況" in report["text"]

    status, body, _ = await app.report("UREPORTER", "本物の誤送信", {"summary": "本物の誤送信"})
    assert status == 200 and "LEAK-2026-0001" in body, "a real report still gets the first LEAK- number"


async def test_only_the_commander_or_an_organizer_starts_a_drill(app) -> None:
    status, _ = await app.driver.command("UREPORTER", "drill misdelivery", channel="CGENERAL")
    assert status == 200
    told = await app.eventually(
        lambda: (
            [
                m["text"]
                for cid, ms in app.slack.messages.items()
                if cid.startswith("D")
                for m in ms
                if "訓練" in m["text"]
            ]
            + [e["text"] for e in app.slack.ephemerals if e["user"] == "UREPORTER"]
        )
    )
    assert "対策本部長" in told[-1], "told who may start one, in their language"
    assert await app.core.incidents.list(OPERATOR, drills=True) == []


async def test_an_unknown_scenario_is_told_and_nothing_starts(app) -> None:
    status, _ = await app.driver.command("UCOMMANDER", "drill no-such-scenario")
    assert status == 200
    await app.eventually(
        lambda: (
            [m for ms in app.slack.messages.values() for m in ms if "no-such-scenario" in m["text"]]
            + [e for e in app.slack.ephemerals if "no-such-scenario" in e["text"]]
        )
    )
    assert await app.core.incidents.list(OPERATOR, drills=True) == []
