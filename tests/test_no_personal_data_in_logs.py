"""No personal data in logs, at any level.

The Slack and Teams journeys (Teams also with Microsoft Graph answering 429 and 5xx) run against the real app
with the root logger at DEBUG and every record captured; the report carries a name, an e-mail address and a phone number, typed into every free-text field
(the /leak text, the report modal, a skip reason, the facts edit, a Teams message the bot has no route for),
and the same text arrives in requests the app must refuse (a bad Slack signature, a late retry whose
timestamp has expired, a Teams activity with a forged token). None of the three strings may appear in any
record: message with its arguments, exception text or stack.

The harnesses are entry points like `leakbot serve`: they hold the library loggers themselves, so this test
does not call anything from adapters.logging_setup. It starts from loggers as a fresh process has them.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import timedelta
from urllib.parse import urlencode

import pytest

from adapters.fakes.slack_driver import TEAM, sign
from adapters.fakes.slack_harness import SIGNING_SECRET, SlackHarness, modal_state
from adapters.fakes.teams_harness import TeamsHarness, card_of, execute_data
from adapters.teams.graph import GraphClient
from bot.config.org import parse_org_config
from bot.services.ports import OPERATOR
from tests.test_slack_e2e import opened, phase_message

NAME, EMAIL, PHONE = "山田太郎", "taro.yamada@example.co.jp", "090-1234-5678"
# the address as a URL carries it (taro.yamada%40example.co.jp) is caught by its local part
PERSONAL = (NAME, EMAIL, PHONE, EMAIL.split("@")[0])
TEXT = f"{NAME}様の診療記録を誤送信（連絡先 {EMAIL} / {PHONE}）"

# Loggers of the libraries the app runs on; a fresh process has none of them held (see the fixture below).
LIBRARIES = (
    "slack_bolt",
    "slack_sdk",
    "microsoft_agents",
    "msal",
    "aiosqlite",
    "asyncpg",
    "aiohttp",
    "sqlalchemy",
    "apscheduler",
    "urllib3",
    "httpx",
    "httpcore",
    "app.py",  # slack-bolt names its per-request and listener loggers after the file that built the app
)

TEAMS_ORG = """
organization: {name: テスト株式会社}
roles:
  commander: ["29:commander"]
  it: ["29:it"]
  support: ["29:support"]
  legal: ["29:legal", legal@example.co.jp]
  executives: ["29:exec"]
"""


def _library_loggers() -> list[logging.Logger]:
    return [
        logger
        for name, logger in logging.Logger.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
        and any(name == lib or name.startswith((lib + ".", lib + ":")) for lib in LIBRARIES)
    ]


@pytest.fixture(autouse=True)
def everything_at_debug(caplog: pytest.LogCaptureFixture):
    """Root at DEBUG, and the library loggers as a fresh process has them (earlier tests in this process
    may have held them already, which would hide an entry point that forgets to)."""
    saved = [(logger, logger.level, list(logger.filters), logger.disabled) for logger in _library_loggers()]
    for logger, *_ in saved:
        logger.setLevel(logging.NOTSET)
        logger.disabled = False
        for held in list(logger.filters):
            logger.removeFilter(held)
    caplog.set_level(logging.DEBUG)
    yield caplog
    for logger, level, filters, disabled in saved:
        logger.setLevel(level)
        logger.disabled = disabled
        for held in list(logger.filters):
            logger.removeFilter(held)
        for kept in filters:
            logger.addFilter(kept)


def rendered(record: logging.LogRecord) -> str:
    """Everything a handler could write for this record."""
    formatter = logging.Formatter()
    parts = [record.name, record.getMessage()]
    if record.exc_info:
        parts.append(formatter.formatException(record.exc_info))
    if record.exc_text:
        parts.append(record.exc_text)
    if record.stack_info:
        parts.append(formatter.formatStack(record.stack_info))
    return "\n".join(parts)


def assert_no_personal_data(caplog: pytest.LogCaptureFixture, proof: str) -> None:
    texts = [(record, rendered(record)) for record in caplog.records]
    assert any(r.levelno == logging.DEBUG for r, _ in texts), "DEBUG records were captured"
    assert any(proof in text for _, text in texts), f"the app's own log lines were captured ({proof})"
    leaks = [
        f"{r.name} {r.levelname}: {text[:300]!r}"
        for r, text in texts
        if any(personal in text for personal in PERSONAL)
    ]
    assert leaks == [], f"{len(leaks)} of {len(texts)} log records carry personal data:\n" + "\n".join(leaks)


# --- Slack -------------------------------------------------------------------------------------------------


def dm_channel(app: SlackHarness, user: str) -> str:
    return next(cid for cid, c in app.slack.channels.items() if c.is_im and user in c.members)


async def refused_slack_requests(app: SlackHarness) -> None:
    """A forged signature, and a late retry (valid signature, timestamp older than five minutes)."""
    status, _ = await app.driver.command("UREPORTER", TEXT, secret="not-the-secret")
    assert status == 401
    submission = {
        "type": "view_submission",
        "team": {"id": TEAM},
        "user": {"id": "UREPORTER", "team_id": TEAM},
        "view": {
            "id": "VLATE",
            "callback_id": "leak_report",
            "state": {"values": modal_state({"summary": TEXT})},
        },
    }
    status, _ = await app.driver.interactive(submission, secret="not-the-secret")
    assert status == 401
    command = urlencode(
        {"team_id": TEAM, "user_id": "UREPORTER", "command": "/leak", "text": TEXT, "channel_id": "CGENERAL"}
    )
    late = int(time.time()) - 10 * 60
    for body in (command, urlencode({"payload": json.dumps(submission)})):
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": str(late),
            "X-Slack-Signature": sign(SIGNING_SECRET, body, late),
            "X-Slack-Retry-Num": "1",
            "X-Slack-Retry-Reason": "http_timeout",
        }
        async with app.driver.session.post(
            f"{app.url}/slack/events", data=body.encode(), headers=headers
        ) as r:
            assert r.status == 401, "an expired timestamp is refused"


async def test_the_slack_journey_logs_no_personal_data(app: SlackHarness, clock, caplog) -> None:
    channel = await opened(app, TEXT, persons="5000", notes=TEXT)
    assert TEXT in json.dumps(app.slack.latest(channel.id, "個人データ漏えい対応"), ensure_ascii=False)

    # clicks: a member, an outsider, and a skip with a reason
    status, _ = await app.driver.click(
        "UCOMMANDER", phase_message(app, channel.id), channel.id, "step:report_to_superior:done"
    )
    assert status == 200
    await app.driver.click(
        "UOUTSIDER", phase_message(app, channel.id), channel.id, "step:preserve_evidence:done"
    )
    await app.eventually(lambda: next(e for e in app.slack.ephemerals if e["user"] == "UOUTSIDER"))
    before = len(app.slack.opened_views)
    await app.driver.click(
        "UIT", phase_message(app, channel.id), channel.id, "step:preserve_evidence:skipped"
    )
    skip = await app.eventually(lambda: len(app.slack.opened_views) > before and app.slack.opened_views[-1])
    status, _ = await app.driver.submit_view("UIT", skip, modal_state({"reason": TEXT}))
    assert status == 200
    await app.eventually(lambda: NAME in json.dumps(phase_message(app, channel.id), ensure_ascii=False))

    # the facts edit
    await app.driver.click(
        "ULEGAL", app.slack.latest(channel.id, "個人データ漏えい対応"), channel.id, "summary:facts"
    )
    facts = await app.eventually(
        lambda: next(v for v in app.slack.opened_views if v["callback_id"] == "leak_facts")
    )
    values = {
        "cause": "unauthorized_access",
        "persons": "5000",
        "persons_upper_bound": "",
        "flags": [],
        "data_items": [],
        "involvement": [],
        "secondary_damage": TEXT,
    }
    status, _ = await app.driver.submit_view("ULEGAL", facts, modal_state(values))
    assert status == 200
    await app.eventually(lambda: app.slack.latest(channel.id, "事実が更新されました"))

    # status, App Home, a reminder sweep and the executive's acknowledgement
    await app.driver.command("UIT", "status", channel=channel.id)
    await app.driver.event({"type": "app_home_opened", "user": "ULEGAL", "tab": "home"})
    await app.eventually(lambda: app.slack.home_views["ULEGAL"])
    reminders = app.core.reminder_service({"slack": app.notifier()}, "test")
    assert (await reminders.sweep()).sent
    card = app.slack.latest(dm_channel(app, "UEXEC"), "LEAK-2026-0001")
    await app.driver.click("UEXEC", card, dm_channel(app, "UEXEC"), "reminder:ack:1")
    await app.eventually(
        lambda: (
            "が確認しました"
            in json.dumps(app.slack.latest(dm_channel(app, "UEXEC"), "LEAK"), ensure_ascii=False)
        )
    )
    clock.advance(timedelta(days=2))
    await reminders.sweep()

    await refused_slack_requests(app)
    assert len(await app.core.incidents.list(OPERATOR)) == 1
    assert_no_personal_data(caplog, "LEAK-2026-0001")


# --- Teams -------------------------------------------------------------------------------------------------


async def test_the_teams_journey_logs_no_personal_data(clean_database, clock, caplog) -> None:
    org = parse_org_config(TEAMS_ORG, "org.yaml")
    async with TeamsHarness(clean_database, org, clock) as teams:
        status, _ = await teams.say("29:reporter", TEXT)  # no `leak` in front: no route takes it
        assert status in (200, 202)
        await teams.say("29:reporter", f"leak {TEXT}")
        form = teams.connector.cards_in("a:personal-29:reporter")[-1]
        data = execute_data(form, "leak.report", summary=TEXT, notes=TEXT, persons="5000")
        status, body = await teams.execute("29:reporter", "leak.report", data)
        assert status == 200 and "LEAK-2026-0001" in str(card_of(body))
        await teams.settle()
        thread = teams.connector.thread()

        phase = next(c for c in teams.connector.cards_in(thread) if "初動" in c["body"][0]["text"])
        done = execute_data(phase, "leak.step", where={"s": "report_to_superior", "t": "done"})
        await teams.execute("29:outsider", "leak.step", done, conversation=thread)
        await teams.execute("29:commander", "leak.step", done, conversation=thread)
        skip = execute_data(phase, "leak.step", where={"s": "preserve_evidence", "t": "skipped"}, reason=TEXT)
        _status, body = await teams.execute("29:it", "leak.step", skip, conversation=thread)
        assert NAME in str(card_of(body))

        summary = teams.connector.summary_in(thread)
        _status, body = await teams.execute(
            "29:legal", "leak.facts", execute_data(summary, "leak.facts"), conversation=thread
        )
        facts = execute_data(
            card_of(body),
            "leak.facts.save",
            cause="unauthorized_access",
            persons="5000",
            persons_upper_bound="",
            flags="",
            data_items="",
            involvement="",
            secondary_damage=TEXT,
        )
        await teams.execute("29:legal", "leak.facts.save", facts, conversation=thread)
        await teams.settle()

        reminders = teams.core.reminder_service({"teams": teams.bot.notifier}, "test")
        assert (await reminders.sweep()).sent
        chats = [c for c in teams.connector.created if not (c.get("channelData") or {}).get("channel")]
        exec_chat = next(c["id"] for c in chats if c["members"][0]["id"] == "29:exec")
        card = teams.connector.cards_in(exec_chat)[-1]
        await teams.execute("29:exec", "leak.ack", execute_data(card, "leak.ack"), conversation=exec_chat)
        await teams.settle()

    async with TeamsHarness(clean_database, org, clock, dev_mode=False) as guarded:
        forged = guarded.activity(
            "29:reporter", "a:personal-29:reporter", type="message", text=f"leak {TEXT}"
        )
        status, _ = await guarded.post(forged, {"Authorization": "Bearer not-a-real-token"})
        assert status == 401
        status, _ = await guarded.post(forged)
        assert status == 401

    assert_no_personal_data(caplog, "LEAK-2026-0001")


# --- Teams with Microsoft Graph, throttled and failing ------------------------------------------------------

BOSS, REPORTER, CEO = (f"aaaaaaaa-0000-0000-0000-00000000000{n}" for n in (1, 2, 3))
GRAPH_ORG = f"""
organization: {{name: テスト株式会社}}
roles:
  commander: [boss@example.co.jp]
  legal: ["{EMAIL}"]
  executives: [ceo@example.co.jp]
"""


async def test_teams_with_graph_throttled_and_failing_logs_no_personal_data(
    clean_database, clock, caplog
) -> None:
    """The person written as an e-mail address is the reporter: Graph is asked for them by address (429,
    then 503 every time), the channel is created after 429s, adding the reporter fails with 503, and the
    executive is reached after the app is installed for them; the deadlines' calendar events fail (503)."""
    org = parse_org_config(GRAPH_ORG, "org.yaml")
    names = {"29:reporter": NAME}
    calendar = {"LEAKBOT_TEAMS_CALENDAR": "1"}
    async with TeamsHarness(clean_database, org, clock, graph=True, names=names, env=calendar) as teams:
        graph, client = teams.graph, teams.bot.graph
        assert graph is not None and isinstance(client, GraphClient)
        graph.add_user(BOSS, "加藤 一郎", "boss@example.co.jp")
        graph.add_user(REPORTER, NAME, EMAIL)
        graph.add_user(CEO, "渡辺 社長", "ceo@example.co.jp")
        teams.connector.installed = {BOSS, REPORTER}
        client.backoff = 0.01
        graph.throttle(6, retry_after=0.05)
        graph.failing = {f"GET /users/{EMAIL}": 503, "POST /members/add": 503, "POST /events": 503}

        await teams.say("29:reporter", f"leak {TEXT}", aad=REPORTER)
        form = teams.connector.cards_in("a:personal-29:reporter")[-1]
        data = execute_data(form, "leak.report", summary=TEXT, notes=TEXT, persons="5000")
        status, body = await teams.execute("29:reporter", "leak.report", data, aad=REPORTER)
        assert status == 200 and "LEAK-2026-0001" in str(card_of(body))
        await teams.settle()

        [channel] = graph.channels
        assert graph.throttled and client.waited, "Graph throttled us"
        said = " ".join(teams.connector.texts_in(channel))
        assert EMAIL in said and "招待できませんでした" in said, "the look-up and the add failed (5xx)"
        summary = teams.connector.summary_in(channel)
        assert NAME in json.dumps(summary, ensure_ascii=False), "the reporter is shown by name"

        reminders = teams.core.reminder_service({"teams": teams.bot.notifier}, "test")
        assert (await reminders.sweep()).sent
        assert CEO in graph.installed
        await teams.settle()
        assert any(path == f"/v1.0/users/{CEO}/events" for _, path in graph.calls), "a calendar was asked"

    assert_no_personal_data(caplog, "LEAK-2026-0001")
