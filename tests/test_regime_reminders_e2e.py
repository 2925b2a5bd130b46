"""Filing another law's notification from a reminder (issue 20), end to end on Slack: Korea's 72-hour clocks
ping the executives and the commander with 提出済みにする; the commander's click marks the report to the
PIPC/KISA filed (its draft frozen), which files Korea's deadline and silences its reminders, while the 72 hours
to tell the people keep being reminded. The executive holds no owner role: the click is refused and changes
nothing."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.services.ports import OPERATOR
from tests.test_regimes_slack_e2e import REF, eu_app  # noqa: F401  (eu_app: a fixture)
from tests.test_slack_e2e import opened
from tests.test_slack_reminders_e2e import dm_channel

KR_REPORT, KR_PEOPLE = "regime:KR:authority", "regime:KR:individuals"


def file_button(message: dict, key: str) -> str | None:
    """The action id of the 提出済みにする button of ``key``'s entry in a reminder message, if any."""
    for block in message.get("blocks", []):
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element["action_id"].startswith("reminder:file:") and json.loads(element["value"])["k"] == key:
                return element["action_id"]
    return None


def latest_with(app, user: str, key: str) -> dict:
    return next(m for m in reversed(app.slack.messages[dm_channel(app, user)]) if file_button(m, key))


async def test_filing_koreas_report_from_a_reminder_files_its_deadline_and_silences_it(eu_app, clock) -> None:  # noqa: F811
    app = eu_app
    channel = await opened(app, persons="1500", jurisdictions=["JP", "KR"])
    reminders = app.core.reminder_service({"slack": app.notifier()}, "test")
    await reminders.sweep()  # the 72-hour clocks started: said at once
    card = latest_with(app, "UEXEC", KR_REPORT)
    assert "KR 監督機関への通知" in json.dumps(card, ensure_ascii=False), "the executive is pinged"
    assert file_button(card, KR_PEOPLE), "the notice to the people is filed from its reminder too"

    await app.driver.click("UEXEC", card, dm_channel(app, "UEXEC"), file_button(card, KR_REPORT))
    await app.eventually(lambda: next(e for e in app.slack.ephemerals if e["user"] == "UEXEC"))
    view = await app.core.incidents.get(REF, OPERATOR)
    assert next(d for d in view.deadlines if d.key == KR_REPORT).status == "pending", "refused: no owner role"

    mine = latest_with(app, "UCOMMANDER", KR_REPORT)
    await app.driver.click("UCOMMANDER", mine, dm_channel(app, "UCOMMANDER"), file_button(mine, KR_REPORT))
    await app.eventually(lambda: app.slack.latest(channel.id, "提出済みになりました"))
    await app.core.settle()  # what follows the filing (Slack's scheduled ping withdrawn) before time moves
    view = await app.core.incidents.get(REF, OPERATOR)
    assert next(d for d in view.deadlines if d.key == KR_REPORT).status == "filed"
    assert next(d for d in view.deadlines if d.key == KR_PEOPLE).status == "pending"
    assert view.document_states["kr-notification"]["status"] == "filed", "its draft is frozen as filed"

    in_channel = len(app.slack.messages[channel.id])
    clock.advance(timedelta(hours=24))  # 48 hours before the 72: the next pings
    before = len(app.slack.messages[dm_channel(app, "UEXEC")])
    await reminders.sweep()
    later = json.dumps(app.slack.messages[dm_channel(app, "UEXEC")][before:], ensure_ascii=False)
    assert "KR 本人への通知" in later, "the people's 72 hours are still reminded"
    assert "KR 監督機関への通知" not in later, "a filed report is not reminded again"

    clock.advance(timedelta(hours=49))  # past the 72 hours: what to do now cites Korea's law, not the GDPR
    await reminders.sweep()
    overdue = json.dumps(app.slack.messages[channel.id][-3:], ensure_ascii=False)
    assert (
        "直ちに「KR 本人への通知」を済ませてください（PIPA Art. 34(1); Enforcement Decree Art. 39(1)）"
        in overdue
    )
    assert "GDPR" not in overdue
    said = json.dumps(app.slack.messages[channel.id][in_channel:], ensure_ascii=False)
    assert "KR 監督機関への通知" not in said, "nor in the channel: Slack's scheduled ping was withdrawn"
