"""One process, one database: a Slack incident and a Teams incident open at the same time, each walked
and reminded on its own platform."""

from __future__ import annotations

from adapters.fakes.slack_harness import SlackHarness
from adapters.fakes.teams_harness import TeamsHarness, execute_data
from bot.config.org import parse_org_config
from bot.services.ports import OPERATOR

ORG = """
organization: {name: テスト株式会社}
roles:
  commander: [UCOMMANDER, "29:commander"]
  legal: [ULEGAL, "29:legal"]
  executives: [UEXEC, "29:exec"]
"""


async def test_slack_and_teams_incidents_side_by_side(clean_database, clock) -> None:
    org = parse_org_config(ORG, "org.yaml")
    async with SlackHarness(clean_database, org, clock) as slack:
        for user in ("UCOMMANDER", "ULEGAL", "UEXEC", "UREPORTER"):
            slack.slack.add_user(user, f"{user.lower()}@example.co.jp")
        async with TeamsHarness(clean_database, org, clock, core=slack.core) as teams:
            await slack.report("UREPORTER", "USB紛失", {"summary": "USBメモリを紛失", "persons": "2000"})
            channel = await slack.eventually(lambda: slack.slack.channel_named("leak-"))
            await teams.say("29:reporter", "leak")
            form = teams.connector.cards_in("a:personal-29:reporter")[-1]
            await teams.execute(
                "29:reporter",
                "leak.report",
                execute_data(form, "leak.report", summary="誤送信", persons="3000"),
            )
            await teams.settle()

            incidents = {i.reference: i.platform for i in await slack.core.incidents.list(OPERATOR)}
            assert incidents == {"LEAK-2026-0001": "slack", "LEAK-2026-0002": "teams"}
            slack_view = await slack.core.incidents.get("LEAK-2026-0001", OPERATOR)
            assert {m.platform for m in slack_view.members} == {"slack"}, (
                "each incident's team is on its platform"
            )

            reminders = slack.core.reminder_service(
                {"slack": slack.notifier(), "teams": teams.bot.notifier}, "both"
            )
            result = await reminders.sweep()
            assert result.failed == 0 and result.deliveries == 6
            assert slack.slack.latest(channel.id, "⏰")
            assert any("LEAK-2026-0002" in t for t in teams.connector.texts_in(teams.connector.thread()))
            assert slack.slack.violations == [] and teams.connector.violations == []
