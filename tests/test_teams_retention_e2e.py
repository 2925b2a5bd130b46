"""Closing on Teams in private-channel mode (issue 21), end to end against the fake connector and the fake
Graph: `leak close` in the private channel archives it through Graph (`channel: archive`, read-only, kept);
`leak reopen REF` said to leakbot in a personal chat unarchives it; a legal hold from anyone but the commander
is refused and audited."""

from __future__ import annotations

from bot.services.ports import OPERATOR
from tests.test_teams_graph_e2e import KATO, REF, SUZUKI, only_channel, report, teams  # noqa: F401


async def test_close_archives_the_private_channel_and_reopen_from_a_chat_unarchives_it(teams) -> None:  # noqa: F811
    await report(teams)
    channel = only_channel(teams)
    status, _ = await teams.say("29:kato", "leak close", conversation=channel["id"], aad=KATO)
    assert status in (200, 202)
    await teams.settle()
    assert channel.get("isArchived") is True
    assert any(
        c == ("POST", f"/v1.0/teams/{channel['team']}/channels/{channel['id']}/archive")
        for c in teams.graph.calls
    )

    await teams.say("29:suzuki", f"leak hold {REF} 訴訟", aad=SUZUKI)
    await teams.settle()
    view = await teams.core.incidents.get(REF, OPERATOR)
    assert not view.legal_hold and view.last_refusal.attempt == "legal_hold"

    await teams.say("29:kato", f"leak reopen {REF}", aad=KATO)
    await teams.settle()
    assert channel.get("isArchived") is False
    assert (await teams.core.incidents.get(REF, OPERATOR)).status == "open"
