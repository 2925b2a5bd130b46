"""The edges, over HTTP against the fake workspace: an outsider's every verb, a closed incident, a replayed
click, malformed payloads, counts as people type them, a database that refuses or is slow."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import time

import asyncpg
import pytest
from sqlalchemy.exc import OperationalError

from adapters.fakes.slack_driver import block_action_payload
from adapters.fakes.slack_harness import modal_state
from bot.playbook.engine import StepStatus
from bot.services.ports import OPERATOR
from tests.test_slack_e2e import opened, phase_message

REF = "LEAK-2026-0001"


def ephemerals_for(app, user: str) -> list[str]:
    return [e["text"] for e in app.slack.ephemerals if e["user"] == user]


def dms_to(app, user: str) -> list[str]:
    return [
        m["text"]
        for c in app.slack.channels.values()
        if c.is_im and user in c.members
        for m in app.slack.messages[c.id]
    ]


async def summary_message(app, channel_id: str) -> dict:
    return app.slack.latest(channel_id, "個人データ漏えい対応")


async def test_an_outsider_gets_a_refusal_for_every_verb_and_learns_nothing(app) -> None:
    channel = await opened(app, persons="1500")
    before = await app.core.incidents.get(REF, OPERATOR)
    summary = await summary_message(app, channel.id)
    phase = phase_message(app, channel.id)
    clicks = [
        (phase, "step:report_to_superior:done"),
        (phase, "step:report_to_superior:skipped"),
        (summary, "summary:facts"),
        (summary, "summary:correct"),
        (summary, "summary:refresh"),
        (summary, "summary:calendar"),
    ]
    for message, action in clicks:
        status, _ = await app.driver.click("UOUTSIDER", message, channel.id, action)
        assert status == 200
    for word in ("status", "close", "reopen"):
        status, _ = await app.driver.command("UOUTSIDER", word, channel=channel.id)
        assert status == 200
    refusals = await app.eventually(
        lambda: len(ephemerals_for(app, "UOUTSIDER")) >= 9 and ephemerals_for(app, "UOUTSIDER")
    )
    assert all("対応チームのメンバーだけ" in text for text in refusals)
    assert not any("1500" in text or "誤送信" in text for text in refusals), "nothing of the incident leaks"
    assert not app.slack.opened_views[1:], "no facts, skip or correction form opened for an outsider"
    assert not app.slack.files, "no calendar shared"
    after = await app.core.incidents.get(REF, OPERATOR)
    assert (after.steps, after.facts, after.status) == (before.steps, before.facts, before.status)
    assert after.refusals == 9 and after.last_refusal.actor == "slack:UOUTSIDER"
    await app.driver.event({"type": "app_home_opened", "user": "UOUTSIDER", "channel": "D0", "tab": "home"})
    home = await app.eventually(lambda: app.slack.home_views.get("UOUTSIDER"))
    assert REF not in json.dumps(home, ensure_ascii=False)


async def test_the_commander_sees_refused_attempts_in_the_summary(app) -> None:
    channel = await opened(app)
    await app.driver.click(
        "UOUTSIDER", phase_message(app, channel.id), channel.id, "step:report_to_superior:done"
    )
    await app.eventually(lambda: ephemerals_for(app, "UOUTSIDER"))
    await app.driver.command("UCOMMANDER", "status", channel=channel.id)
    await app.eventually(
        lambda: "拒否された操作" in json.dumps(app.slack.messages[channel.id][-1], ensure_ascii=False)
    )
    assert "<@UOUTSIDER>" in json.dumps(app.slack.messages[channel.id][-1], ensure_ascii=False)


async def test_after_close_clicks_are_refused_until_the_commander_reopens(app) -> None:
    channel = await opened(app)
    phase = phase_message(app, channel.id)
    await app.driver.command("UCOMMANDER", "close", channel=channel.id)
    await app.eventually(lambda: "クローズしました" in app.slack.messages[channel.id][-1]["text"])
    await app.driver.click("UIT", phase, channel.id, "step:report_to_superior:done")
    refusal = await app.eventually(lambda: ephemerals_for(app, "UIT"))
    assert "クローズされている" in refusal[0]
    assert (await app.core.incidents.get(REF, OPERATOR)).step("report_to_superior").status == StepStatus.TODO
    await app.driver.command("UIT", "reopen", channel=channel.id)
    await app.eventually(lambda: len(ephemerals_for(app, "UIT")) == 2)
    assert "対策本部長だけ" in ephemerals_for(app, "UIT")[1]
    await app.driver.command("UCOMMANDER", "reopen", channel=channel.id)
    await app.eventually(lambda: "再開しました" in app.slack.messages[channel.id][-1]["text"])
    await app.driver.click("UIT", phase, channel.id, "step:report_to_superior:done")
    await until(lambda: _state(app, "report_to_superior"), StepStatus.DONE)


async def _state(app, step: str) -> StepStatus:
    return (await app.core.incidents.get(REF, OPERATOR)).step(step).status


async def until(read, expected, within: float = 10.0) -> None:
    """Poll an async read until it returns ``expected`` (work the app does after its ack)."""
    deadline = time.monotonic() + within
    while (value := await read()) != expected:
        assert time.monotonic() < deadline, f"still {value!r}, expected {expected!r}"
        await asyncio.sleep(0.02)


async def test_a_replayed_click_does_not_undo_a_newer_change(app) -> None:
    channel = await opened(app)
    message = phase_message(app, channel.id)
    start = block_action_payload("UIT", message, channel.id, "step:preserve_evidence:in_progress")
    await app.driver.interactive(start)
    await app.eventually(lambda: app.slack.calls_to("chat.update"))
    await asyncio.sleep(0.01)
    finish = block_action_payload(
        "UIT", phase_message(app, channel.id), channel.id, "step:preserve_evidence:done"
    )
    await app.driver.interactive(finish)
    await until(lambda: _state(app, "preserve_evidence"), StepStatus.DONE)
    status, _ = await app.driver.interactive(start)  # the older click, validly signed, sent again
    assert status == 200
    refusal = await app.eventually(lambda: ephemerals_for(app, "UIT"))
    assert "新しい変更" in refusal[-1]
    assert await _state(app, "preserve_evidence") == StepStatus.DONE


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("1200", 1200), ("１２００", 1200), ("1,200", 1200), ("１，２００", 1200)],
)
async def test_counts_accept_digits_as_japanese_input_methods_produce_them(app, typed, expected) -> None:
    _, body, _ = await app.report("UREPORTER", "誤送信", {"summary": "誤送信", "persons": typed})
    assert json.loads(body)["response_action"] == "update"
    await app.eventually(lambda: app.slack.channel_named("leak-"))
    assert (await app.core.incidents.get(REF, OPERATOR)).facts.persons == expected


@pytest.mark.parametrize("typed", ["²", "٣", "1.5", "1e3", "1,20", "-3", "千二百"])
async def test_anything_else_in_a_count_is_a_field_error_and_nothing_is_lost(app, typed) -> None:
    status, body, view = await app.report("UREPORTER", "誤送信", {"summary": "誤送信", "persons": typed})
    answer = json.loads(body)
    assert status == 200 and answer == {
        "response_action": "errors",
        "errors": {"persons": "0以上の整数で入力してください（例: 1200）。"},
    }, "the modal stays open with everything typed, one message under the field"
    assert await app.core.incidents.list(OPERATOR) == []
    status, body = await app.driver.submit_view(
        "UREPORTER", view, modal_state({"summary": "誤送信", "persons": "12"})
    )
    assert json.loads(body)["response_action"] == "update", "corrected, the same modal saves"


@pytest.mark.parametrize(
    "discovered_on",
    ["1999-12-31", "2027-01-01"],
)
async def test_implausible_discovery_dates_are_refused_with_a_message(app, discovered_on) -> None:
    _, body, _ = await app.report(
        "UREPORTER", "誤送信", {"summary": "誤送信", "discovered_on": discovered_on}
    )
    answer = json.loads(body)
    assert answer["response_action"] == "errors" and "discovered_on" in answer["errors"]


async def test_malformed_payloads_get_400_and_change_nothing(app) -> None:
    channel = await opened(app)
    message = phase_message(app, channel.id)
    good = block_action_payload("UIT", message, channel.id, "step:report_to_superior:in_progress")
    bad_value = json.loads(json.dumps(good))
    bad_value["actions"][0]["value"] = "not json"
    wrong_type = json.loads(json.dumps(good))
    wrong_type["actions"][0]["value"] = json.dumps({"r": ["LEAK"], "s": 3, "t": "done"})
    bad_state = json.loads(json.dumps(good))
    bad_state["actions"][0]["value"] = json.dumps({"r": REF, "s": "report_to_superior", "t": "exploded"})
    bad_ts = json.loads(json.dumps(good))
    bad_ts["actions"][0]["action_ts"] = "yesterday"
    view = app.slack.opened_views[0]
    bad_meta = {
        "type": "view_submission",
        "team": {"id": "T0LEAKBOT"},
        "user": {"id": "UIT"},
        "view": {**view, "private_metadata": "{{{", "state": {"values": {}}},
    }
    wrong_state = {
        "type": "view_submission",
        "team": {"id": "T0LEAKBOT"},
        "user": {"id": "UIT"},
        "view": {
            **view,
            "state": {"values": {"persons": {"value": {"type": "plain_text_input", "value": ["1"]}}}},
        },
    }
    unknown_action = json.loads(json.dumps(good))
    unknown_action["actions"][0]["action_id"] = "nobody:knows"
    for payload in (bad_value, wrong_type, bad_state, bad_ts, bad_meta, wrong_state, unknown_action):
        status, body = await app.driver.interactive(payload)
        assert 400 <= status < 500, (status, body)
        assert "Traceback" not in body
    await asyncio.sleep(0.1)
    view_now = await app.core.incidents.get(REF, OPERATOR)
    assert view_now.step("report_to_superior").status == StepStatus.TODO
    assert len(await app.core.incidents.list(OPERATOR)) == 1


async def test_a_click_naming_an_unknown_incident_says_so(app) -> None:
    channel = await opened(app)
    payload = block_action_payload(
        "UIT", phase_message(app, channel.id), channel.id, "step:report_to_superior:in_progress"
    )
    payload["actions"][0]["value"] = json.dumps(
        {"r": "LEAK-2026-0999", "s": "report_to_superior", "t": "in_progress"}
    )
    status, _ = await app.driver.interactive(payload)
    assert status == 200
    told = await app.eventually(lambda: ephemerals_for(app, "UIT"))
    assert "LEAK-2026-0999 が見つかりません" in told[0]


def _break_the_database(app) -> None:
    def refuse():
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    app.core.incidents._sessions = refuse


async def test_a_database_failure_after_the_ack_is_told_in_the_users_language(app) -> None:
    channel = await opened(app)
    _break_the_database(app)
    status, body = await app.driver.command("UPR", "status", channel=channel.id)
    assert status == 200 and "Traceback" not in body
    told = await app.eventually(lambda: ephemerals_for(app, "UPR"))
    assert "the system did not answer" in told[0], "UPR's Slack locale is English"


async def _hold_the_database(database_url: str, seconds: float) -> None:
    """Another client holds the write lock for ``seconds``: leakbot's save has to wait."""
    if database_url.startswith("sqlite"):
        path = database_url.split("///", 1)[1]
        ready = threading.Event()

        def hold() -> None:
            connection = sqlite3.connect(path, isolation_level=None)
            connection.execute("BEGIN IMMEDIATE")
            ready.set()
            time.sleep(seconds)
            connection.execute("COMMIT")
            connection.close()

        threading.Thread(target=hold, daemon=True).start()
        ready.wait()
        return
    connection = await asyncpg.connect(database_url.replace("postgresql+asyncpg", "postgresql"))
    transaction = connection.transaction()
    await transaction.start()
    await connection.execute("LOCK TABLE reference_counters IN EXCLUSIVE MODE")

    async def release() -> None:
        await asyncio.sleep(seconds)
        await transaction.commit()
        await connection.close()

    app_task = asyncio.get_running_loop().create_task(release())
    _held.add(app_task)


_held: set = set()


async def test_a_save_slower_than_three_seconds_is_acknowledged_in_time_and_still_saved(app) -> None:
    await app.driver.command("UREPORTER", "顧客リストを誤送信")
    view = await app.eventually(lambda: app.slack.opened_views and app.slack.opened_views[-1])
    await _hold_the_database(app.database_url, 3.5)
    started = time.perf_counter()
    status, body = await app.driver.submit_view(
        "UREPORTER", view, modal_state({"summary": "顧客リストを誤送信"})
    )
    elapsed = time.perf_counter() - started
    assert status == 200 and elapsed < 3.0, f"answered after {elapsed:.2f} s"
    answer = json.loads(body)
    assert answer["response_action"] == "update" and "保存に時間" in json.dumps(answer, ensure_ascii=False)
    await app.eventually(lambda: app.slack.calls_to("views.update"), within=15)
    assert REF in json.dumps(app.slack.calls_to("views.update")[-1], ensure_ascii=False)
    assert [v.reference for v in await app.core.incidents.list(OPERATOR)] == [REF]
    await app.eventually(lambda: any(REF in text for text in dms_to(app, "UREPORTER")), within=15)


async def test_in_a_mass_report_the_modals_are_answered_at_once_and_every_report_saved(app) -> None:
    """Ten reports already waiting on a slow database: the eleventh and later are answered at once, not
    after the 2 s a single report may wait (a burst of 200 waiting 2 s each missed Slack's 3 s)."""
    users = [f"UMASS{i:02d}" for i in range(14)]
    for user in users:
        app.slack.add_user(user, f"{user.lower()}@example.co.jp")
        await app.driver.command(user, "")
    views = await app.eventually(lambda: len(app.slack.opened_views) >= 14 and app.slack.opened_views[-14:])
    await _hold_the_database(app.database_url, 3.5)

    async def submit(user: str, view: dict) -> tuple[float, str]:
        started = time.perf_counter()
        status, body = await app.driver.submit_view(user, view, modal_state({"summary": f"{user} の誤送信"}))
        assert status == 200
        return time.perf_counter() - started, json.dumps(json.loads(body), ensure_ascii=False)

    waiting = [asyncio.create_task(submit(u, v)) for u, v in zip(users[:10], views[:10], strict=True)]
    await asyncio.sleep(0.5)  # the first ten are saving
    later = await asyncio.gather(*(submit(u, v) for u, v in zip(users[10:], views[10:], strict=True)))
    assert all(elapsed < 1.5 and "保存に時間" in body for elapsed, body in later), later
    assert all("保存に時間" in body for _, body in await asyncio.gather(*waiting))
    updates = await app.eventually(lambda: len(app.slack.calls_to("views.update")) >= 14, within=30)
    assert updates and all(
        "LEAK-2026-" in json.dumps(u, ensure_ascii=False) for u in app.slack.calls_to("views.update")
    )
    assert len(await app.core.incidents.list(OPERATOR)) == 14


async def test_a_correction_of_the_discovery_date_is_said_in_the_channel(app) -> None:
    channel = await opened(app, persons="1500")
    await app.driver.click("ULEGAL", await summary_message(app, channel.id), channel.id, "summary:correct")
    form = await app.eventually(lambda: len(app.slack.opened_views) > 1 and app.slack.opened_views[-1])
    values = modal_state(
        {
            "discovered_on": "2026-11-10",
            "discovered_time": "09:30",
            "confirmed": "yes",
            "summary": "顧客リストを誤送信",
            "reason": "",
        }
    )
    status, body = await app.driver.submit_view("ULEGAL", form, values)
    assert json.loads(body)["errors"] == {"reason": "訂正の理由を入力してください。"}
    values["reason"]["value"]["value"] = "発見は11月10日だった"
    status, body = await app.driver.submit_view("ULEGAL", form, values)
    assert status == 200 and body == ""
    said = await app.eventually(
        lambda: next(m["text"] for m in app.slack.messages[channel.id] if "訂正" in m["text"])
    )
    assert "発見は11月10日だった" in said and "2026年11月10日(火) 09:30" in said
    view = await app.core.incidents.get(REF, OPERATOR)
    assert (
        view.facts.confirmed
        and next(d for d in view.deadlines if d.key == "final").due_at.date().isoformat() == "2026-12-09"
    )
