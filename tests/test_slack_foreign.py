"""Requests from another Slack workspace or Enterprise Grid org, correctly signed, are acknowledged with no
effect and nothing in the answer; they are logged without personal data and counted in /metrics."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import text

from adapters.fakes.slack_harness import SlackHarness, modal_state
from adapters.slack.app import Installation, foreign
from tests.test_slack_edges_e2e import until

OTHER_TEAM = "T0OTHERCO"
SECRET_TEXT = "山田太郎 yamada@example.jp 090-1234-5678 の顧客リストを誤送信"


async def incident_count(app: SlackHarness) -> int:
    async with app.core.engine.connect() as conn:
        return (await conn.execute(text("SELECT count(*) FROM incidents"))).scalar_one()


async def step_state(app: SlackHarness, step_id: str) -> str:
    async with app.core.engine.connect() as conn:
        query = text("SELECT state FROM step_states WHERE step_id = :step")
        return (await conn.execute(query, {"step": step_id})).scalar_one()


async def refused_count(app: SlackHarness, reason: str) -> float:
    async with app.driver.session.get(f"{app.url}/metrics") as resp:
        body = await resp.text()
    prefix = f'leakbot_refused_requests_total{{platform="slack",reason="{reason}"}} '
    line = next((line for line in body.splitlines() if line.startswith(prefix)), None)
    return float(line.removeprefix(prefix)) if line else 0.0


def no_personal_data(caplog: pytest.LogCaptureFixture, *secrets: str) -> None:
    """Nothing logged since ``caplog.clear()`` (the refused request) carries personal data."""
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "refused a Slack" in logged
    for secret in secrets:
        assert secret not in logged


async def opened_view(app: SlackHarness, user: str = "UREPORTER") -> dict:
    before = len(app.slack.opened_views)
    status, _ = await app.driver.command(user, SECRET_TEXT)
    assert status == 200
    return await app.eventually(lambda: len(app.slack.opened_views) > before and app.slack.opened_views[-1])


async def test_a_command_from_another_workspace_does_nothing(app, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    status, body = await app.driver.command("UREPORTER", SECRET_TEXT, team=OTHER_TEAM)
    assert (status, body) == (200, "")
    status, body = await app.driver.command("UREPORTER", "help", team=OTHER_TEAM)
    assert (status, body) == (200, ""), "not even the help text"
    assert app.slack.calls_to("views.open") == [] and app.slack.calls_to("users.info") == []
    assert await incident_count(app) == 0
    assert await refused_count(app, "foreign_workspace") == 2
    no_personal_data(caplog, "UREPORTER", SECRET_TEXT, "山田", "yamada@example.jp", "090-1234-5678")


async def test_a_view_submission_from_another_workspace_saves_nothing(app, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    view = await opened_view(app)
    values = modal_state({"summary": SECRET_TEXT, "persons": "1500"})
    caplog.clear()
    status, body = await app.driver.submit_view("UREPORTER", view, values, team=OTHER_TEAM)
    assert (status, body) == (200, "")
    assert await incident_count(app) == 0
    assert app.slack.calls_to("conversations.create") == []
    assert await refused_count(app, "foreign_workspace") == 1
    no_personal_data(caplog, "UREPORTER", SECRET_TEXT, "yamada@example.jp")
    # the same submission from the installed workspace is saved: the refusal was about the workspace only
    status, body = await app.driver.submit_view("UREPORTER", view, values)
    assert status == 200 and json.loads(body)["response_action"] == "update"
    assert await incident_count(app) == 1


async def test_a_click_from_another_workspace_changes_nothing(app, caplog) -> None:
    view = await opened_view(app)
    await app.driver.submit_view("UREPORTER", view, modal_state({"summary": "誤送信"}))
    channel = await app.eventually(lambda: app.slack.channel_named("leak-"))
    message = await app.eventually(lambda: app.slack.latest(channel.id, "stepmenu:report_to_superior"))
    await app.core.settle()  # the provisioning's own updates are done
    updates = len(app.slack.calls_to("chat.update"))
    caplog.set_level(logging.DEBUG)
    status, body = await app.driver.click(
        "UCOMMANDER", message, channel.id, "step:report_to_superior:done", team=OTHER_TEAM
    )
    assert (status, body) == (200, "")
    await app.core.settle()
    assert await step_state(app, "report_to_superior") == "todo"
    assert len(app.slack.calls_to("chat.update")) == updates
    assert await refused_count(app, "foreign_workspace") == 1
    no_personal_data(caplog, "UCOMMANDER")
    # the same click from the installed workspace works: the step is done and its message says so
    await app.driver.click("UCOMMANDER", message, channel.id, "step:report_to_superior:done")
    await until(lambda: step_state(app, "report_to_superior"), "done")
    await app.eventually(
        lambda: any(
            c["ts"] == message["ts"] and "✅" in json.dumps(c, ensure_ascii=False)
            for c in app.slack.calls_to("chat.update")[updates:]
        )
    )


async def test_a_request_from_an_enterprise_grid_org_is_refused_by_a_plain_workspace(app) -> None:
    status, body = await app.driver.command("UREPORTER", SECRET_TEXT, enterprise="E0OTHERORG")
    assert (status, body) == (200, "")
    assert app.slack.calls_to("views.open") == []
    assert await refused_count(app, "foreign_org") == 1


@pytest.mark.parametrize(
    ("body", "verdict"),
    [
        ({"team_id": "T1", "enterprise_id": "E1"}, None),
        ({"team": {"id": "T1", "enterprise_id": "E1"}, "enterprise": {"id": "E1"}}, None),
        ({"team_id": "T2", "enterprise_id": "E1"}, "foreign_workspace"),  # a sister workspace in the org
        ({"team": {"id": "T1"}, "enterprise": {"id": "E2"}}, "foreign_org"),
        ({"team": {"id": "T1", "enterprise_id": "E2"}}, "foreign_org"),
        ({"team_id": "T1", "team": {"id": "T2"}}, "foreign_workspace"),  # two answers: refuse
        ({"user": {"id": "U1"}}, "no_workspace"),
        ({"team": ["T1"], "enterprise": 5}, "foreign_workspace"),  # odd shapes do not crash
    ],
)
def test_grid_rules(body, verdict) -> None:
    assert foreign(body, Installation("T1", "E1")) == verdict
