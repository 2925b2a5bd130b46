"""The commander's answer to 「LEAK-… と同じ事案ですか？」 (issue 22), end to end over HTTP against the fake
Slack: 統合する keeps every report in the surviving incident and the old references resolve to it; 別事案として
対応 provisions each on its own; nobody answering does too, by the sweep; only the commander may answer."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest

from adapters.cli.main import main
from bot.services.ports import OPERATOR
from tests.test_lookalike_burst_e2e import FIRST, burst, questions, receipts, response_channels, retold, shown

HELD = ("LEAK-2026-0002", "LEAK-2026-0003")


async def asked(app):
    """Three look-alike reports, one after the other: the first opens the channel, two wait on one question."""
    for i in range(3):
        await burst(app, 1, start=i)
        await app.eventually(lambda n=i: len(receipts(app)) > n)
    (channel,) = response_channels(app)
    await app.eventually(lambda: "2 件" in shown(questions(app, channel.id)))
    await app.core.settle()
    return channel, questions(app, channel.id)[0]


async def cli(argv: list[str], capsys, database_url: str, monkeypatch) -> tuple[int, str]:
    """`leakbot …` as an administrator runs it, beside the running app."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    for name in ("LEAKBOT_CONFIG", "LEAKBOT_CONFIG_YAML"):
        monkeypatch.delenv(name, raising=False)

    def run() -> int:
        with pytest.raises(SystemExit) as exited:
            main(argv)
        return int(exited.value.code or 0)

    code = await asyncio.to_thread(run)
    return code, capsys.readouterr().out


async def test_merging_keeps_every_report_in_the_survivor_and_old_references_resolve_to_it(
    app, capsys, monkeypatch
) -> None:
    channel, question = await asked(app)
    await app.driver.click("UCOMMANDER", question, channel.id, "lookalike:merge")
    await app.eventually(lambda: "統合しました" in shown(questions(app, channel.id)[0]))
    await app.core.settle()
    assert "<@UCOMMANDER> が 2 件の報告をこの事案に統合しました" in shown(questions(app, channel.id)[0])

    survivor = await app.core.incidents.get(FIRST, OPERATOR)
    assert [(m.reference, m.reporter, m.summary) for m in survivor.merged] == [
        ("LEAK-2026-0002", "slack:UR001", retold(0)),
        ("LEAK-2026-0003", "slack:UR002", retold(0)),
    ], "every report kept: who reported, what they wrote (and when)"
    for old in HELD:
        assert (await app.core.incidents.get(old, OPERATOR)).reference == FIRST, "the old reference resolves"
    _, trail = await app.core.incidents.trail(HELD[0], OPERATOR)
    merged = next(e for e in trail if e.action == "lookalikes_merged")
    assert merged.actor == "slack:UCOMMANDER"
    assert [(r["reference"], r["reporter"]) for r in merged.details["reports"]] == [
        ("LEAK-2026-0002", "slack:UR001"),
        ("LEAK-2026-0003", "slack:UR002"),
    ]
    summary = app.slack.latest(channel.id, f"{FIRST} 個人データ漏えい対応")
    assert "統合された報告（2 件）" in shown(summary) and "LEAK-2026-0003" in shown(summary)
    assert len(response_channels(app)) == 1

    await app.driver.event({"type": "app_home_opened", "user": "UR002", "channel": "DHOME", "tab": "home"})
    home = shown(await app.eventually(lambda: app.slack.home_views["UR002"]))
    assert "LEAK-2026-0003" in home and "対応中" in home and FIRST not in home, (
        "their own report, still handled"
    )

    code, out = await cli(["incidents", "show", HELD[1]], capsys, app.database_url, monkeypatch)
    assert code == 0 and out.startswith(f"{FIRST}  status=open")
    assert "merged reports (2):" in out and "LEAK-2026-0003" in out and "slack:UR002" in out
    code, out = await cli(["audit", "verify", HELD[1]], capsys, app.database_url, monkeypatch)
    assert code == 0, "the merged report's own trail still verifies"


async def test_handled_separately_each_report_gets_a_channel_of_its_own(app) -> None:
    channel, question = await asked(app)
    await app.driver.click("UCOMMANDER", question, channel.id, "lookalike:separate")
    await app.eventually(lambda: len(response_channels(app)) == 3, within=30)
    await app.core.settle()
    assert "別の事案として対応することにしました" in shown(questions(app, channel.id)[0])
    own = {c.name for c in response_channels(app)}
    assert own == {"leak-20261201-0001", "leak-20261201-0002", "leak-20261201-0003"}
    told = [m["text"] for to, m in receipts(app) if to == "UR002"]
    assert len(told) == 2 and "LEAK-2026-0003" in told[1] and "<#" in told[1], "then told where it is handled"
    assert not any(FIRST in text for text in told)


async def test_nobody_answering_the_sweep_provisions_each_on_its_own(app, clock) -> None:
    channel, _ = await asked(app)
    await app.core.journey.resume()
    assert len(response_channels(app)) == 1, "not before the time is up"
    clock.advance(timedelta(minutes=11))
    await app.core.journey.resume()
    await app.core.settle()
    assert len(response_channels(app)) == 3
    question = questions(app, channel.id)[0]
    assert "回答がなかったため、2 件の報告" in shown(question) and "lookalike:merge" not in shown(question)
    _, trail = await app.core.incidents.trail(HELD[0], OPERATOR)
    assert any(e.action == "lookalike_timeout" and e.actor == "system:leakbot" for e in trail)


@pytest.mark.parametrize(("user", "said"), [("UOUTSIDER", "対応チームのメンバーだけ"), ("UIT", "対策本部長")])
async def test_only_the_commander_may_answer_and_a_refusal_is_audited(app, user, said) -> None:
    channel, question = await asked(app)
    await app.driver.click(user, question, channel.id, "lookalike:merge")
    refusal = await app.eventually(lambda: next(e for e in app.slack.ephemerals if e["user"] == user))
    assert said in refusal["text"]
    survivor = await app.core.incidents.get(FIRST, OPERATOR)
    assert survivor.merged == () and survivor.refusals == 1
    assert survivor.last_refusal.actor == f"slack:{user}"
    assert survivor.last_refusal.attempt == "lookalikes_merged"
    assert "2 件" in shown(questions(app, channel.id)[0]), "still waiting for the commander"
    assert json.dumps(refusal, ensure_ascii=False).count("LEAK-2026-0002") == 0
