"""Each platform's words name its own commands: a refusal on a closed incident says `/leak reopen` on Slack and
`leak reopen` on Teams (which has it: `leak close` / `leak reopen` work in the response thread, for the
commander only), and a drill's briefing says how to end it on its own platform."""

from __future__ import annotations

import json

from adapters.fakes.teams_harness import execute_data
from bot.services.ports import OPERATOR
from tests.test_slack_e2e import opened, phase_message
from tests.test_teams_e2e import report

REF = "LEAK-2026-0001"


async def test_slack_a_refusal_names_slacks_command(app) -> None:
    channel = await opened(app)
    phase = phase_message(app, channel.id)
    await app.core.incidents.close(REF, OPERATOR)
    await app.driver.click("UIT", phase, channel.id, "step:report_to_superior:done")
    refused = await app.eventually(lambda: [e["text"] for e in app.slack.ephemerals if e["user"] == "UIT"])
    assert "`/leak reopen`" in refused[0]


async def test_teams_a_refusal_names_teams_command_and_the_command_works(teams) -> None:
    await report(teams)
    thread = teams.connector.thread()
    phase = next(c for c in teams.connector.cards_in(thread) if "初動" in c["body"][0]["text"])
    done = execute_data(phase, "leak.step", where={"s": "report_to_superior", "t": "done"})

    await teams.say("29:commander", "leak close", conversation=thread)
    await teams.settle()
    assert (await teams.core.incidents.get(REF, OPERATOR)).status == "closed"
    _, body = await teams.execute("29:it", "leak.step", done, conversation=thread)
    assert "leak reopen" in body["value"] and "/leak" not in body["value"], body["value"]

    await teams.say("29:it", "leak reopen", conversation=thread)
    assert "対策本部長だけ" in teams.connector.texts_in(thread)[-1], "only the commander reopens"
    await teams.say("29:commander", "leak reopen", conversation=thread)
    await teams.settle()
    assert (await teams.core.incidents.get(REF, OPERATOR)).status == "open"


async def test_teams_help_and_usage_name_only_teams_commands(teams) -> None:
    await teams.say("29:someone", "leak help")
    await teams.say("29:someone", "leak close")
    said = " ".join(teams.connector.texts_in("a:personal-29:someone"))
    assert "leak reopen" in said and "leak drill" in said and "/leak" not in said
    assert "leak hold LEAK-" in said and "leak release LEAK-" in said


async def test_slack_help_names_every_command_slack_has(app) -> None:
    status, body = await app.driver.command("USOMEONE", "help")
    assert status == 200
    for command in (
        "/leak status",
        "/leak close",
        "/leak reopen LEAK-",
        "/leak hold LEAK-",
        "/leak release LEAK-",
    ):
        assert command in body, command
    assert "/leak drill" in body and "`leak " not in body


async def test_a_drill_briefing_names_its_platforms_command(teams, app) -> None:
    await teams.execute("29:commander", "leak.drill", {"scenario": "misdelivery"})
    await teams.settle()
    briefing = json.dumps(teams.connector.sent[teams.connector.thread()], ensure_ascii=False)
    assert "leak drill end" in briefing and "/leak" not in briefing

    await app.driver.command("UCOMMANDER", "drill misdelivery")
    channel = await app.eventually(lambda: app.slack.channel_named("drill-"))
    said = await app.eventually(
        lambda: [m["text"] for m in app.slack.messages[channel.id] if "drill end" in m["text"]]
    )
    assert "/leak drill end" in said[0] and "Teams" not in said[0]
