"""Teams edges over HTTP: an outsider's every verb (reads included), another tenant, malformed activities
and invokes, and a facts form that keeps what was typed."""

from __future__ import annotations

import json

from adapters.fakes.teams_harness import execute_data
from bot.services.ports import OPERATOR
from tests.test_teams_e2e import report

REF = "LEAK-2026-0001"
MESSAGE = "application/vnd.microsoft.activity.message"


async def test_an_outsider_reads_nothing_and_changes_nothing(teams) -> None:
    await report(teams, persons="1500")
    thread = teams.connector.thread()
    summary = teams.connector.summary_in(thread)
    phase = next(c for c in teams.connector.cards_in(thread) if "初動" in c["body"][0]["text"])
    before = await teams.core.incidents.get(REF, OPERATOR)
    verbs = [
        ("leak.refresh", execute_data(summary, "leak.refresh")),
        ("leak.facts", execute_data(summary, "leak.facts")),
        ("leak.facts.save", {"r": REF, "persons": "99999", "cause": "insider"}),
        ("leak.step", execute_data(phase, "leak.step", where={"s": "report_to_superior", "t": "done"})),
        ("leak.ack", {"r": REF, "k": "final"}),
        ("leak.file", {"r": REF, "k": "final"}),
    ]
    for verb, data in verbs:
        status, body = await teams.execute("29:outsider", verb, data, conversation=thread)
        assert status == 200 and body["type"] == MESSAGE, (verb, body)
        assert "対応チームのメンバーだけ" in body["value"]
        leaked = json.dumps(body, ensure_ascii=False)
        assert "顧客リスト" not in leaked and "1,500" not in leaked and "2027" not in leaked, verb
    after = await teams.core.incidents.get(REF, OPERATOR)
    assert (after.steps, after.facts) == (before.steps, before.facts)
    assert after.refusals == len(verbs)
    status, _ = await teams.say("29:outsider", "leak status", conversation=thread)
    assert status in (200, 202)
    await teams.settle()
    said = " ".join(teams.connector.texts_in(thread))
    assert "対応チームのメンバーだけ" in said


async def test_an_activity_from_another_tenant_is_refused(teams) -> None:
    await report(teams)
    activity = teams.activity("29:commander", teams.connector.thread(), type="message", text="leak status")
    activity["conversation"]["tenantId"] = "another-tenant"
    activity["channelData"] = {"tenant": {"id": "another-tenant"}}
    status, _ = await teams.post(activity)
    assert status == 403
    invoke = teams.activity(
        "29:commander",
        teams.connector.thread(),
        type="invoke",
        name="adaptiveCard/action",
        value={"action": {"type": "Action.Execute", "verb": "leak.refresh", "data": {"r": REF}}},
    )
    invoke["channelData"] = {"tenant": {"id": "another-tenant"}}
    status, _ = await teams.post(invoke)
    assert status == 403


async def test_malformed_activities_and_invokes_get_4xx(teams) -> None:
    await report(teams)
    no_service_url = teams.activity("29:commander", "a:personal-29:commander", type="message", text="leak")
    del no_service_url["serviceUrl"]
    assert (await teams.post(no_service_url))[0] == 400
    assert (await teams.post(["not", "an", "activity"]))[0] == 400  # type: ignore[arg-type]
    for data in (
        {},
        {"r": ["LEAK"]},
        {"r": REF, "s": "report_to_superior", "t": "exploded"},
        {"r": "x; drop"},
    ):
        _status, body = await teams.execute("29:commander", "leak.step", data)
        assert body["statusCode"] == 400 and "読み取れません" in body["value"]["message"], body
    view = await teams.core.incidents.get(REF, OPERATOR)
    assert all(s.status == "todo" for s in view.steps)


async def test_a_bad_value_in_the_facts_form_keeps_everything_typed(teams) -> None:
    await report(teams)
    thread = teams.connector.thread()
    data = {
        "r": REF,
        "cause": "unauthorized_access",
        "persons": "²",
        "persons_upper_bound": "５，０００",
        "flags": "financial",
        "secondary_damage": "不審メールの報告あり",
    }
    status, body = await teams.execute("29:legal", "leak.facts.save", data, conversation=thread)
    card = json.dumps(body["value"], ensure_ascii=False)
    assert status == 200 and "0以上の整数" in card
    for typed in ('"²"', '"５，０００"', '"financial"', '"unauthorized_access"', "不審メールの報告あり"):
        assert typed in card, typed
    assert (await teams.core.incidents.get(REF, OPERATOR)).facts.persons is None


async def test_the_discovery_date_is_corrected_with_a_reason_and_every_deadline_moves(teams) -> None:
    await report(teams, persons="1500")
    thread = teams.connector.thread()
    summary = teams.connector.summary_in(thread)
    before = {d.key: d.due_at for d in (await teams.core.incidents.get(REF, OPERATOR)).deadlines}
    _status, body = await teams.execute(
        "29:legal", "leak.correct", execute_data(summary, "leak.correct"), conversation=thread
    )
    form = body["value"]
    assert "2026-12-01" in json.dumps(form), "the form holds the discovery date as reported"
    data = execute_data(form, "leak.correct.save", discovered_on="2026-11-20", discovered_time="09:00")
    data["summary"] = "顧客リストを誤送信しました"
    _status, body = await teams.execute("29:legal", "leak.correct.save", data, conversation=thread)
    assert "訂正の理由を入力してください" in json.dumps(body, ensure_ascii=False), "a reason is required"
    data["reason"] = "発見は11月20日だった"
    _status, body = await teams.execute("29:legal", "leak.correct.save", data, conversation=thread)
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    await teams.settle()
    after = {d.key: d.due_at for d in (await teams.core.incidents.get(REF, OPERATOR)).deadlines}
    assert after["final"] < before["final"]
    said = " ".join(teams.connector.texts_in(thread))
    assert "発見は11月20日だった" in said and "すべての期限を計算し直しました" in said
