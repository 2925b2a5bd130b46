"""Closing and legal hold on Slack, over HTTP against the spec-checked fake workspace (issue 21): `/leak close`
archives the response channel (`conversations.archive`) once it says so; a legal hold is the commander's,
set with `/leak hold REF reason` from anywhere, and anyone else's attempt is refused and audited; `/leak reopen
REF` from outside the archived channel unarchives it and the team is told there."""

from __future__ import annotations

from bot.services.ports import OPERATOR
from tests.test_slack_e2e import opened

REF = "LEAK-2026-0001"


def ephemerals_for(app, user: str) -> list[str]:
    return [e["text"] for e in app.slack.ephemerals if e["user"] == user]


async def test_close_archives_then_hold_and_reopen_by_reference_from_anywhere(app) -> None:
    channel = await opened(app)
    await app.driver.command("UCOMMANDER", "close", channel=channel.id)
    await app.eventually(lambda: channel.is_archived)
    assert "アーカイブ" in app.slack.messages[channel.id][-1]["text"], "said before it was archived"
    assert [a["channel"] for a in app.slack.calls_to("conversations.archive")] == [channel.id]

    general = app.slack.add_channel("general")  # anywhere but the archived channel
    await app.driver.command("UIT", f"hold {REF} 訴訟の可能性", channel=general)
    await app.eventually(lambda: ephemerals_for(app, "UIT"))
    assert "対策本部長だけ" in ephemerals_for(app, "UIT")[0]
    view = await app.core.incidents.get(REF, OPERATOR)
    assert not view.legal_hold and view.last_refusal.attempt == "legal_hold"

    await app.driver.command("UCOMMANDER", f"hold {REF.lower()} 損害賠償請求の通知あり", channel=general)
    await app.eventually(lambda: ephemerals_for(app, "UCOMMANDER"))
    assert "法的保全" in ephemerals_for(app, "UCOMMANDER")[-1]
    assert (await app.core.incidents.get(REF, OPERATOR)).legal_hold
    _, trail = await app.core.incidents.trail(REF, OPERATOR)
    held = next(e for e in trail if e.action == "legal_hold_set")
    assert held.actor == "slack:UCOMMANDER" and held.details["reason"] == "損害賠償請求の通知あり"

    await app.driver.command("UCOMMANDER", f"reopen {REF}", channel=general)
    await app.eventually(lambda: "再開しました" in app.slack.messages[channel.id][-1]["text"])
    assert not channel.is_archived
    assert (await app.core.incidents.get(REF, OPERATOR)).status == "open"
