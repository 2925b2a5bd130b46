"""End to end over HTTP: signed Slack requests into the running app, the real slack_sdk client out to a
fake workspace that checks every call against Slack's spec and every block against Block Kit."""

from __future__ import annotations

import json

from adapters.fakes.slack_harness import SlackHarness, modal_state
from bot.playbook.engine import StepStatus
from bot.services.ports import OPERATOR


async def opened(app: SlackHarness, text: str = "顧客リストを誤送信した", **values):
    status, body, _ = await app.report("UREPORTER", text, {"summary": text, **values})
    assert status == 200 and json.loads(body)["response_action"] == "update"
    channel = await app.eventually(lambda: app.slack.channel_named("leak-20261201-0001"))
    await app.eventually(lambda: _phase_posted(app, channel.id))
    await app.core.settle()  # provisioning done: the summary (posted with the phases) is there too
    return channel


def _phase_posted(app: SlackHarness, channel_id: str) -> bool:
    return any("初動" in json.dumps(m, ensure_ascii=False) for m in app.slack.messages[channel_id])


def phase_message(app: SlackHarness, channel_id: str, phase: str = "初動") -> dict:
    return app.slack.latest(channel_id, phase)


async def test_report_opens_a_private_channel_with_the_team_and_the_playbook(app) -> None:
    channel = await opened(app, persons="1500")
    assert channel.is_private and channel.name == "leak-20261201-0001"
    assert "LEAK-2026-0001" in channel.topic
    assert {"UCOMMANDER", "UIT", "USUPPORT", "UPR", "ULEGAL", "UREPORTER"} <= channel.members
    assert "UEXEC" not in channel.members, "executives get pings, not the channel"
    summary = app.slack.latest(channel.id, "LEAK-2026-0001 個人データ漏えい対応")
    text = json.dumps(summary, ensure_ascii=False)
    assert "報告対象です" in text and "本人の数が1,000人を超える（規則7条4号）" in text
    assert "2027年1月4日(月) 23:59" in text, "確報 as a JST date"
    assert "<@ULEGAL>" in text, "who holds which role"
    phase = json.dumps(phase_message(app, channel.id), ensure_ascii=False)
    assert "上長・責任者への一次報告" in phase and "着手" in phase and "該当なし" in phase
    dm = await app.eventually(
        lambda: next(
            m
            for cid, ms in app.slack.messages.items()
            if cid.startswith("D")
            for m in ms
            if "LEAK-2026-0001" in m["text"]
        )
    )
    assert f"<#{channel.id}>" in dm["text"], "the reporter gets the reference and a link"


async def test_invalid_input_comes_back_as_field_errors_and_nothing_is_saved(app) -> None:
    status, body, _ = await app.report("UREPORTER", "", {"summary": "", "persons": "たくさん"})
    errors = json.loads(body)
    assert status == 200 and errors["response_action"] == "errors"
    assert set(errors["errors"]) == {"summary", "persons"}
    assert await app.core.incidents.list(OPERATOR) == []


async def test_a_member_click_updates_the_message_in_place(app) -> None:
    channel = await opened(app)
    message = phase_message(app, channel.id)
    status, _ = await app.driver.click("UCOMMANDER", message, channel.id, "step:report_to_superior:done")
    assert status == 200
    await app.eventually(
        lambda: (
            app.slack.calls_to("chat.update")
            and "✅" in json.dumps(phase_message(app, channel.id), ensure_ascii=False)
        )
    )
    updated = [c for c in app.slack.calls_to("chat.update") if c["ts"] == message["ts"]]
    assert updated, "the clicked message was updated in place"
    view = await app.core.incidents.get("LEAK-2026-0001", OPERATOR)
    assert view.step("report_to_superior").status == StepStatus.DONE


async def test_an_outsider_is_refused_and_nothing_changes(app) -> None:
    channel = await opened(app)
    await app.driver.click(
        "UOUTSIDER", phase_message(app, channel.id), channel.id, "step:report_to_superior:done"
    )
    refusal = await app.eventually(lambda: next(e for e in app.slack.ephemerals if e["user"] == "UOUTSIDER"))
    assert "対応チームのメンバーだけ" in refusal["text"]
    view = await app.core.incidents.get("LEAK-2026-0001", OPERATOR)
    assert view.step("report_to_superior").status == StepStatus.TODO


async def test_unmet_requires_get_an_ephemeral_explanation(app) -> None:
    channel = await opened(app)
    await app.driver.click(
        "UCOMMANDER", phase_message(app, channel.id), channel.id, "step:set_up_response_team:done"
    )
    note = await app.eventually(lambda: next(e for e in app.slack.ephemerals if e["user"] == "UCOMMANDER"))
    assert "上長・責任者への一次報告" in note["text"]


async def test_double_clicks_make_one_transition(app) -> None:
    channel = await opened(app)
    message = phase_message(app, channel.id)
    before = (await app.core.incidents.get("LEAK-2026-0001", OPERATOR)).audit_events
    for _ in range(3):
        await app.driver.click("UIT", message, channel.id, "step:preserve_evidence:in_progress")
    await app.eventually(lambda: app.slack.calls_to("chat.update"))
    after = await app.core.incidents.get("LEAK-2026-0001", OPERATOR)
    assert after.step("preserve_evidence").status == StepStatus.IN_PROGRESS
    assert after.audit_events == before + 1


async def test_a_retried_submission_opens_no_second_incident_or_channel(app) -> None:
    status, _, view = await app.report("UREPORTER", "USB紛失", {"summary": "USB紛失"})
    await app.eventually(lambda: app.slack.channel_named("leak-20261201-0001"))
    status, body = await app.driver.submit_view("UREPORTER", view, modal_state({"summary": "USB紛失"}))
    assert status == 200 and json.loads(body)["response_action"] == "update"
    assert len(await app.core.incidents.list(OPERATOR)) == 1
    assert len(app.slack.calls_to("conversations.create")) == 1


async def test_a_failed_invite_leaves_the_incident_usable_and_is_said(app) -> None:
    app.slack.fail_invite_for("UPR", "user_is_restricted")
    channel = await opened(app)
    note = await app.eventually(lambda: app.slack.latest(channel.id, "user_is_restricted"))
    assert "<@UPR>" in note["text"]
    await app.driver.click(
        "UCOMMANDER", phase_message(app, channel.id), channel.id, "step:report_to_superior:done"
    )
    await app.eventually(lambda: app.slack.calls_to("chat.update"))


async def test_facts_edit_reassesses_and_says_what_changed(app) -> None:
    channel = await opened(app, persons="800")
    summary = app.slack.latest(channel.id, "個人データ漏えい対応")
    await app.driver.click("ULEGAL", summary, channel.id, "summary:facts")
    modal = await app.eventually(
        lambda: next(v for v in app.slack.opened_views if v["callback_id"] == "leak_facts")
    )
    values = {
        "cause": "unauthorized_access",
        "persons": "1,200",
        "persons_upper_bound": "",
        "flags": [],
        "data_items": [],
        "involvement": [],
        "secondary_damage": "",
    }
    status, body = await app.driver.submit_view("ULEGAL", modal, modal_state(values))
    assert (status == 200 and body in ("", "{}")) or json.loads(body or "{}").get(
        "response_action"
    ) != "errors"
    note = await app.eventually(lambda: app.slack.latest(channel.id, "事実が更新されました"))
    assert "報告対象になりました" in note["text"] and "60日" in note["text"]
    view = await app.core.incidents.get("LEAK-2026-0001", OPERATOR)
    assert view.assessment.final_days == 60 and "isolate_network" in [s.step.id for s in view.steps]
    reporting = await app.eventually(lambda: app.slack.latest(channel.id, "報告・通知（フェーズ"))
    assert "個人情報保護委員会等への速報" in json.dumps(reporting, ensure_ascii=False), (
        "the 速報 step is posted at once"
    )


async def test_user_text_cannot_ping_or_forge_links(app) -> None:
    channel = await opened(app, "<!channel> 至急 <https://evil.example|社内ポータル> &")
    summary = json.dumps(app.slack.latest(channel.id, "個人データ漏えい対応"), ensure_ascii=False)
    assert "<!channel>" not in summary and "<https://evil" not in summary
    assert "&lt;!channel&gt;" in summary and "&amp;" in summary


async def test_requests_with_a_bad_signature_are_refused(app) -> None:
    status, _ = await app.driver.command("UREPORTER", "help", secret="not-the-secret")
    assert status == 401
    assert app.slack.opened_views == []


async def test_help_and_status(app) -> None:
    status, body = await app.driver.command("UREPORTER", "help")
    assert status == 200 and "/leak status" in body
    channel = await opened(app)
    summaries = len([m for m in app.slack.messages[channel.id] if "個人データ漏えい対応" in m["text"]])
    await app.driver.command("UIT", "status", channel=channel.id)
    await app.eventually(
        lambda: (
            len([m for m in app.slack.messages[channel.id] if "個人データ漏えい対応" in m["text"]])
            == summaries + 1
        )
    )


async def test_english_locale_gets_an_english_modal(app) -> None:
    await app.driver.command("UPR", "")
    view = await app.eventually(lambda: app.slack.opened_views[-1])
    assert view["title"]["text"] == "Report a data leak"


async def test_app_home_lists_my_incidents(app) -> None:
    await opened(app)
    await app.driver.event({"type": "app_home_opened", "user": "ULEGAL", "channel": "DHOME", "tab": "home"})
    home = await app.eventually(lambda: app.slack.home_views["ULEGAL"])
    text = json.dumps(home, ensure_ascii=False)
    assert "LEAK-2026-0001" in text and "次の期限" in text


async def test_rate_limited_posts_are_retried(app) -> None:
    app.slack.fail_next("chat.postMessage", status=429, retry_after=0)
    channel = await opened(app)
    assert app.slack.latest(channel.id, "個人データ漏えい対応")


async def test_health_and_metrics(app) -> None:
    await opened(app)
    async with app.driver.session.get(f"{app.url}/healthz") as health:
        assert health.status == 200 and (await health.json())["status"] == "ok"
    async with app.driver.session.get(f"{app.url}/metrics") as metrics:
        text = await metrics.text()
    assert 'leakbot_incidents_opened_total{platform="slack"} 1.0' in text
    assert "leakbot_ack_latency_seconds_bucket" in text


async def test_logs_never_carry_the_report_text(app, caplog) -> None:
    """Even at DEBUG: the libraries that log payloads are held at INFO by the serve command's set-up."""
    from adapters.logging_setup import quiet_payload_loggers

    caplog.set_level("DEBUG")
    quiet_payload_loggers()
    await opened(app, "山田太郎様の診療記録を誤送信")
    assert "LEAK-2026-0001" in caplog.text
    assert "山田太郎" not in caplog.text


async def test_a_retried_event_delivery_changes_nothing_twice(app) -> None:
    await opened(app)
    before = len(await app.core.incidents.list(OPERATOR))
    for retry in (None, 1, 2):  # Slack redelivers with X-Slack-Retry-Num when an answer was slow
        status, _ = await app.driver.event(
            {"type": "app_home_opened", "user": "ULEGAL", "tab": "home"}, retry=retry
        )
        assert status == 200
    await app.eventually(lambda: len(app.slack.calls_to("views.publish")) == 3)
    assert len(await app.core.incidents.list(OPERATOR)) == before
    assert "LEAK-2026-0001" in json.dumps(app.slack.home_views["ULEGAL"], ensure_ascii=False)
