"""Teams end to end: Bot Framework activities over HTTP into the running app, the real Agents SDK replying
through a fake connector; every card checked against the Adaptive Card 1.5 schema."""

from __future__ import annotations

from adapters.fakes.teams_harness import RESPONSE_CHANNEL, TeamsHarness, card_of, execute_data
from bot.config.org import parse_org_config
from bot.playbook.engine import StepStatus
from bot.services.ports import OPERATOR
from tests.conftest import TEAMS_ORG


async def report(teams: TeamsHarness, **inputs) -> str:
    status, _ = await teams.say("29:reporter", "leak 顧客リストを誤送信")
    assert status in (200, 202)
    form = teams.connector.cards_in("a:personal-29:reporter")[-1]
    data = execute_data(form, "leak.report", summary="顧客リストを誤送信しました", **inputs)
    status, body = await teams.execute("29:reporter", "leak.report", data)
    assert status == 200
    received = card_of(body)
    assert "LEAK-2026-0001" in str(received)
    await teams.settle()
    return data["form_id"]


async def test_the_form_then_the_response_thread(teams) -> None:
    await report(teams, persons="1500")
    thread = teams.connector.thread()
    assert thread and thread.startswith(RESPONSE_CHANNEL)
    cards = teams.connector.cards_in(thread)
    assert "LEAK-2026-0001" in cards[0]["body"][0]["text"], "the summary opens the thread"
    assert any("初動" in c["body"][0]["text"] for c in cards)
    texts = " ".join(teams.connector.texts_in(thread))
    assert "<at>" in texts and "legal@example.co.jp" in texts, "role members mentioned; the unresolved said"
    dm = " ".join(teams.connector.texts_in("a:personal-29:reporter"))
    assert "LEAK-2026-0001" in dm


async def test_validation_errors_rerender_the_card_with_what_was_typed(teams) -> None:
    await teams.say("29:reporter", "leak")
    form = teams.connector.cards_in("a:personal-29:reporter")[-1]
    _status, body = await teams.execute(
        "29:reporter", "leak.report", execute_data(form, "leak.report", summary="", persons="many")
    )
    card = card_of(body)
    text = str(card)
    assert "入力してください" in text and "0以上の整数" in text and "'value': 'many'" in text
    assert await teams.core.incidents.list(OPERATOR) == []


async def test_member_and_outsider_clicks_and_a_retried_invoke(teams) -> None:
    await report(teams)
    thread = teams.connector.thread()
    phase = next(c for c in teams.connector.cards_in(thread) if "初動" in c["body"][0]["text"])
    done = execute_data(phase, "leak.step", where={"s": "report_to_superior", "t": "done"})

    status, body = await teams.execute("29:outsider", "leak.step", done, conversation=thread)
    assert (
        body["type"] == "application/vnd.microsoft.activity.message"
        and "対応チームのメンバーだけ" in body["value"]
    )
    assert (await teams.core.incidents.get("LEAK-2026-0001", OPERATOR)).step(
        "report_to_superior"
    ).status == StepStatus.TODO

    status, body = await teams.execute(
        "29:commander", "leak.step", done, conversation=thread, activity_id="inv-1"
    )
    assert "✅" in str(card_of(body)), "the card comes back updated in place"
    before = (await teams.core.incidents.get("LEAK-2026-0001", OPERATOR)).audit_events
    status, body = await teams.execute(
        "29:commander", "leak.step", done, conversation=thread, activity_id="inv-1"
    )
    assert status == 200
    after = await teams.core.incidents.get("LEAK-2026-0001", OPERATOR)
    assert after.audit_events == before, "the same invoke retried changes nothing"
    await teams.settle()
    assert teams.connector.updates, "the summary card was updated"


async def test_facts_update_reassesses(teams) -> None:
    await report(teams, persons="10")
    thread = teams.connector.thread()
    summary = teams.connector.summary_in(thread)
    status, body = await teams.execute(
        "29:legal", "leak.facts", execute_data(summary, "leak.facts"), conversation=thread
    )
    assert status == 200
    facts = card_of(body)
    data = execute_data(
        facts,
        "leak.facts.save",
        cause="unauthorized_access",
        persons="2000",
        persons_upper_bound="",
        flags="",
        data_items="",
        involvement="",
        secondary_damage="",
    )
    _status, body = await teams.execute("29:legal", "leak.facts.save", data, conversation=thread)
    assert "報告対象です" in str(card_of(body))
    await teams.settle()
    assert any("報告対象になりました" in t for t in teams.connector.texts_in(thread))


async def test_reminders_arrive_as_proactive_messages(teams) -> None:
    await report(teams, persons="5000")
    reminders = teams.core.reminder_service({"teams": teams.bot.notifier}, "test")
    result = await reminders.sweep()
    assert result.sent and not result.failed
    chats = [c for c in teams.connector.created if not (c.get("channelData") or {}).get("channel")]
    assert {m["id"] for c in chats for m in c["members"]} == {"29:exec", "29:commander"}
    exec_chat = next(c["id"] for c in chats if c["members"][0]["id"] == "29:exec")
    card = teams.connector.cards_in(exec_chat)[-1]
    assert "速報" in str(card) and "確認しました" in str(card)
    _status, body = await teams.execute(
        "29:exec", "leak.ack", execute_data(card, "leak.ack"), conversation=exec_chat
    )
    assert "確認しました" in body["value"]


async def test_no_exception_text_reaches_a_user(teams, monkeypatch) -> None:
    async def boom(*args, **kwargs):
        raise RuntimeError("secret internal detail: db password is hunter2")

    monkeypatch.setattr(teams.core.incidents, "by_channel", boom)
    await teams.say("29:someone", "leak status")
    texts = " ".join(teams.connector.texts_in("a:personal-29:someone"))
    assert "hunter2" not in texts and "いま処理できませんでした" in texts


async def test_inbound_jwt_is_required_outside_dev_mode(clean_database, clock) -> None:
    async with TeamsHarness(
        clean_database, parse_org_config(TEAMS_ORG, "org.yaml"), clock, dev_mode=False
    ) as harness:
        status, _ = await harness.say("29:reporter", "leak")
        assert status == 401
        status, _ = await harness.post(
            harness.activity("29:x", "a:1", type="message", text="leak"),
            {"Authorization": "Bearer not-a-real-token"},
        )
        assert status == 401
        assert harness.connector.sent == {}
