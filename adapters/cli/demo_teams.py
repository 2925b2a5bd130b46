"""`leakbot demo --teams`: the Teams journey, in-process, against a fake Bot Framework connector and a fake
Microsoft Graph: a private channel per incident, people found by e-mail, an executive reached after the app
is installed for them, and the thread it falls back to when Graph is down."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC
from pathlib import Path
from typing import Any

import click

from adapters.cli.demo import demo_start
from adapters.cli.transcript import card_as_text
from bot.clock import FakeClock
from bot.config.org import parse_org_config
from bot.services.ports import OPERATOR
from bot.storage import migrate

DEMO_ORG = """
organization: {name: 株式会社サンプル商事}
roles:
  commander: [kato@example.co.jp]
  it: [suzuki@example.co.jp]
  legal: [yamada@example.co.jp]
  executives: [watanabe@example.co.jp]
"""
NAMES = {
    "29:kato": "加藤（対策本部長）",
    "29:suzuki": "鈴木（情報システム）",
    "29:yamada": "山田（法務）",
    "29:watanabe": "渡辺（役員）",
    "29:sato": "佐藤（報告者）",
    "29:kobayashi": "小林（無関係の社員）",
}
ENTRA = {user: f"00000000-0000-4000-8000-{index:012d}" for index, user in enumerate(NAMES, 1)}  # Entra ids
NAMES |= {ENTRA[user]: name for user, name in NAMES.items()}
INSTALLED = {"29:kato", "29:suzuki", "29:yamada", "29:sato", "29:kobayashi"}  # 渡辺 never opened leakbot


class Printer:
    def __init__(self, connector: Any, graph: Any = None) -> None:
        self.connector = connector
        self.graph = graph
        self.seen: dict[str, int] = {}

    def where(self, conversation: str) -> str:
        channel = self.graph.channels.get(conversation) if self.graph is not None else None
        if channel is not None:
            return f"private channel {channel['displayName']}"
        created = next((c for c in self.connector.created if c["id"] == conversation), None)
        if created and (created.get("channelData") or {}).get("channel"):
            return "response thread"
        if created:
            return "1:1 → " + ", ".join(NAMES.get(m["id"], m["id"]) for m in created.get("members", []))
        return "1:1 → " + NAMES.get(conversation.removeprefix("a:personal-"), conversation)

    def flush(self) -> None:
        for conversation, activities in self.connector.sent.items():
            for activity in activities[self.seen.get(conversation, 0) :]:
                click.echo(f"\n🤖 leakbot → {self.where(conversation)}")
                if activity.get("text"):
                    click.echo("   " + activity["text"].replace("**", "").replace("\n\n", "\n   "))
                for attachment in activity.get("attachments") or []:
                    for line in card_as_text(attachment["content"])[:14]:
                        click.echo("   " + line)
            self.seen[conversation] = len(activities)


def person(user: str, action: str) -> None:
    click.echo(f"\n👤 {NAMES[user]}: {action}")


@asynccontextmanager
async def teams_workspace(database: Path) -> AsyncIterator[tuple[Any, FakeClock]]:
    """The real app on a fresh SQLite file, its Teams endpoint against the fake connector and the fake Graph
    with the demo's people (渡辺 never opened leakbot), at 10:00 JST today: (the harness, its clock)."""
    from adapters.fakes.teams_harness import TeamsHarness

    logging.getLogger("microsoft_agents").setLevel(logging.CRITICAL)  # dev mode's notices; the refused chat
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)  # the SDK leaves a refused call's session open
    url = f"sqlite+aiosqlite:///{database}"
    await asyncio.to_thread(migrate.upgrade, url)
    clock = FakeClock(demo_start().astimezone(UTC))
    org = parse_org_config(DEMO_ORG, "demo.yaml")
    async with TeamsHarness(url, org, clock, graph=True, names=dict(NAMES)) as teams:
        assert teams.graph is not None
        for user, name in NAMES.items():
            if user.startswith("29:"):
                teams.graph.add_user(ENTRA[user], name, f"{user.removeprefix('29:')}@example.co.jp")
        teams.connector.installed = {ENTRA[u] for u in INSTALLED}
        yield teams, clock


async def run_teams_demo(database: Path) -> str:
    from adapters.fakes.specs import ADAPTIVE_CARD, spec_path
    from adapters.fakes.teams_harness import card_of, execute_data

    async with teams_workspace(database) as (teams, _clock):
        graph = teams.graph
        assert graph is not None
        show = Printer(teams.connector, graph)
        click.echo(
            f"leakbot Teams demo — fake connector at {teams.connector.url}, fake Microsoft Graph at {graph.url}"
        )
        person("29:sato", "types `leak` to leakbot")
        await teams.say("29:sato", "leak", aad=ENTRA["29:sato"])
        show.flush()
        form = teams.connector.cards_in("a:personal-29:sato")[-1]
        person("29:sato", "fills in the card and presses 送信")
        _, body = await teams.execute(
            "29:sato",
            "leak.report",
            execute_data(
                form, "leak.report", summary="顧客リストを誤送信しました", cause="misdelivery", persons="1500"
            ),
            aad=ENTRA["29:sato"],
        )
        for line in card_as_text(card_of(body)):
            click.echo("   (card replaced in place) " + line)
        await teams.settle()
        [channel] = graph.channels.values()
        click.echo(
            click.style(f"\n🔒 Microsoft Graph: private channel {channel['displayName']} created", fg="cyan")
        )
        for user, roles in graph.members[channel["id"]].items():
            click.echo(f"   {'owner ' if 'owner' in roles else 'member'} {NAMES[user]}")
        show.flush()
        space = channel["id"]
        phase = next(c for c in teams.connector.cards_in(space) if "初動" in c["body"][0]["text"])
        done = execute_data(phase, "leak.step", where={"s": "report_to_superior", "t": "done"})
        person("29:kobayashi", "clicks 完了 on 上長・責任者への一次報告")
        _, body = await teams.execute(
            "29:kobayashi", "leak.step", done, conversation=space, aad=ENTRA["29:kobayashi"]
        )
        click.echo(f"   (only he sees) {body['value']}")
        person("29:kato", "clicks 完了 on 上長・責任者への一次報告")
        _, body = await teams.execute("29:kato", "leak.step", done, conversation=space, aad=ENTRA["29:kato"])
        click.echo(
            "   (card updated in place) " + next(line for line in card_as_text(card_of(body)) if "✅" in line)
        )
        await teams.settle()
        show.flush()
        click.echo(click.style("\n⏩ The reminder sweep runs.", fg="cyan"))
        await teams.core.reminder_service({"teams": teams.bot.notifier}, "demo").sweep()
        if ENTRA["29:watanabe"] in graph.installed:
            click.echo(
                click.style(
                    "\n📲 Teams refused a chat with 渡辺（役員）: leakbot installed for him", fg="cyan"
                )
            )
        show.flush()
        click.echo(click.style("\n⏩ Microsoft Graph goes down; 佐藤 reports again.", fg="cyan"))
        graph.failing = {"POST /channels": 503}
        teams.bot.graph.backoff = 0.01
        await teams.say("29:sato", "leak", aad=ENTRA["29:sato"])
        form = teams.connector.cards_in("a:personal-29:sato")[-1]
        await teams.execute(
            "29:sato",
            "leak.report",
            execute_data(form, "leak.report", summary="USBメモリを紛失しました", cause="loss", persons="20"),
            aad=ENTRA["29:sato"],
        )
        await teams.settle()
        show.flush()
        view = await teams.core.incidents.get("LEAK-2026-0001", OPERATOR)
        click.echo("\n" + "═" * 80)
        click.echo(
            f"{view.reference} ({view.platform}): reportable={view.assessment.reportable}, "
            f"progress {view.progress.finished}/{view.progress.total}, audit events {view.audit_events}"
        )
        if spec_path(ADAPTIVE_CARD) is not None:
            click.echo(f"  every card matched the Adaptive Card 1.5 schema: {not teams.connector.violations}")
        else:
            click.echo(
                f"  cards refused: {len(teams.connector.violations)} (the Adaptive Card schema: LEAKBOT_SPECS_DIR)"
            )
        return view.reference
