"""`leakbot demo`: the whole journey, in-process, on a temporary SQLite database and a fake workspace.

It runs the real application (aiohttp, slack-bolt, the core, the scheduler's reminder service) and prints
what each person did and what the bot posted. Time is a fake clock, moved forward to show reminders.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

from adapters.cli.errors import CliError
from adapters.cli.transcript import blocks_as_text
from bot.appi.deadlines import JST
from bot.clock import FakeClock
from bot.config.org import parse_org_config
from bot.services.ports import OPERATOR
from bot.storage import migrate
from bot.storage.crypto import generate_key
from bot.storage.keys import KeySettings

DEMO_ORG = """
organization: {name: 株式会社サンプル商事, entity: business, sector: general}
channels: {prefix: leak, invite_reporter: true}
roles:
  commander: [UKATO]
  it: [USUZUKI]
  support: [UTANAKA]
  pr: [UITO]
  legal: [legal@sample.co.jp]
  executives: [UWATANABE]
"""
PEOPLE = {
    "UKATO": ("加藤（対策本部長）", "kato@sample.co.jp"),
    "USUZUKI": ("鈴木（情報システム）", "suzuki@sample.co.jp"),
    "UTANAKA": ("田中（カスタマーサポート）", "tanaka@sample.co.jp"),
    "UITO": ("伊藤（広報）", "ito@sample.co.jp"),
    "UYAMADA": ("山田（法務）", "legal@sample.co.jp"),
    "UWATANABE": ("渡辺（役員）", "watanabe@sample.co.jp"),
    "USATO": ("佐藤（営業部・報告者）", "sato@sample.co.jp"),
    "UKOBAYASHI": ("小林（無関係の社員）", "kobayashi@sample.co.jp"),
}


class Transcript:
    """Prints what people do and what the bot posts, as it happens."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.seen: dict[str, int] = {}
        self.seen_ephemeral = 0
        self.seen_updates = 0

    def names(self, text: str) -> str:
        for user, (name, _) in PEOPLE.items():
            text = text.replace(f"<@{user}>", f"@{name.split('（')[0]}")
        for channel in self.app.slack.channels.values():
            text = text.replace(f"<#{channel.id}>", f"#{channel.name}")
        return text

    def where(self, channel_id: str) -> str:
        channel = self.app.slack.channels[channel_id]
        if channel.is_im:
            person = next(iter(channel.members - {"UBOT"}), "")
            return f"DM → {PEOPLE.get(person, (person,))[0]}"
        return f"#{channel.name}"

    def person(self, user: str, action: str) -> None:
        click.echo(f"\n👤 {PEOPLE[user][0]}: {action}")

    def narrate(self, text: str) -> None:
        click.echo(click.style(f"\n⏩ {text}", fg="cyan"))

    def flush(self) -> None:
        slack = self.app.slack
        updates = slack.calls_to("chat.update")
        for update in updates[self.seen_updates :]:
            first = next(iter(blocks_as_text(update.get("blocks", []), update.get("text", ""))), "")
            click.echo(
                f"   ✏️  leakbot updated in place ({self.where(update['channel'])}): {self.names(first)}"
            )
        self.seen_updates = len(updates)
        for channel_id, messages in slack.messages.items():
            for message in messages[self.seen.get(channel_id, 0) :]:
                click.echo(f"\n🤖 leakbot → {self.where(channel_id)}")
                for line in blocks_as_text(message.get("blocks", []), message.get("text", "")):
                    click.echo("   " + self.names(line))
            self.seen[channel_id] = len(messages)
        for ephemeral in slack.ephemerals[self.seen_ephemeral :]:
            click.echo(f"\n🤖 leakbot → (only {PEOPLE[ephemeral['user']][0]} sees this)")
            click.echo("   " + self.names(ephemeral["text"]))
        self.seen_ephemeral = len(slack.ephemerals)

    async def settle(self) -> None:
        await asyncio.sleep(0.05)  # the app answers Slack first, then works
        await self.app.core.settle()  # everything that follows a change has been posted or updated
        self.flush()


async def click_step(
    app: Any, show: Transcript, user: str, channel_id: str, phase: str, step: str, to: str
) -> None:
    message = app.slack.latest(channel_id, f"📋 {phase}")
    await app.driver.click(user, message, channel_id, f"step:{step}:{to}")
    await show.settle()


def demo_start() -> datetime:
    """10:00 JST today: the demos' fake clocks start there."""
    return datetime.now(JST).replace(hour=10, minute=0, second=0, microsecond=0)


@asynccontextmanager
async def demo_workspace(database: Path) -> AsyncIterator[tuple[Any, FakeClock, datetime]]:
    """The real app on a fresh SQLite file against the fake Slack with the demo's people, at 10:00 JST today:
    (the harness, its clock, the start)."""
    from adapters.fakes.slack_harness import SlackHarness

    url = f"sqlite+aiosqlite:///{database}"
    await asyncio.to_thread(migrate.upgrade, url)
    start = demo_start()
    clock = FakeClock(start.astimezone(UTC))
    async with SlackHarness(url, parse_org_config(DEMO_ORG, "demo.yaml"), clock) as app:
        for user, (person, email) in PEOPLE.items():
            app.slack.add_user(user, email, name=person)
        yield app, clock, start


async def run_demo(database: Path) -> str:
    from adapters.fakes.slack_harness import modal_state
    from adapters.fakes.specs import SLACK_WEB, spec_path

    async with demo_workspace(database) as (app, clock, start):
        show = Transcript(app)
        click.echo(f"leakbot demo — fake Slack at {app.slack.base_url}")
        click.echo(f"It is {start:%Y-%m-%d %H:%M} JST.")

        summary_text = "顧客リスト（氏名・メールアドレス）を添付したメールを社外の誤った宛先に送信しました"
        show.person("USATO", "/leak 顧客リストを誤送信しました")
        _, _body, view = await app.report(
            "USATO",
            "顧客リストを誤送信しました",
            {
                "summary": summary_text,
                "cause": "misdelivery",
                "data_items": ["name", "email"],
                "persons": "800",
                "confirmed": "yes",
            },
        )
        click.echo(f"   (fills in the modal “{view['title']['text']}” in under a minute and submits it)")
        channel = await app.eventually(lambda: app.slack.channel_named("leak-"))
        await app.eventually(lambda: len(app.slack.messages[channel.id]) >= 2)
        ref = (await app.core.incidents.by_channel(channel.id, OPERATOR)).reference
        await show.settle()
        members = ", ".join(PEOPLE[u][0] for u in sorted(channel.members) if u in PEOPLE)
        click.echo(f"\n   #{channel.name} is private ({channel.is_private}); members: {members}")

        show.person("UKOBAYASHI", "clicks [完了] on 証拠の保全 — he is not on the response team")
        await click_step(app, show, "UKOBAYASHI", channel.id, "初動", "preserve_evidence", "done")
        show.person("UKATO", "clicks [完了] on 対策本部の設置 before the first report is recorded")
        await click_step(app, show, "UKATO", channel.id, "初動", "set_up_response_team", "done")
        show.person("UKATO", "clicks [完了] on 上長・責任者への一次報告, then on 対策本部の設置")
        await click_step(app, show, "UKATO", channel.id, "初動", "report_to_superior", "done")
        await click_step(app, show, "UKATO", channel.id, "初動", "set_up_response_team", "done")

        show.person("UYAMADA", "opens [事実を更新]: the logs show unauthorized access; about 1,200 people")
        await app.driver.click(
            "UYAMADA", app.slack.latest(channel.id, "個人データ漏えい対応"), channel.id, "summary:facts"
        )
        modal = await app.eventually(
            lambda: next(v for v in app.slack.opened_views if v["callback_id"] == "leak_facts")
        )
        await app.driver.submit_view(
            "UYAMADA",
            modal,
            modal_state(
                {
                    "cause": "unauthorized_access",
                    "persons": "1,200",
                    "persons_upper_bound": "",
                    "flags": ["malicious"],
                    "data_items": ["name", "email"],
                    "involvement": [],
                    "secondary_damage": "",
                }
            ),
        )
        await app.eventually(lambda: app.slack.latest(channel.id, "事実が更新されました"))
        await show.settle()
        canvas = await app.eventually(
            lambda: next(c for c in app.slack.canvases.values() if c["channel_id"] == channel.id)
        )
        await app.eventually(lambda: "1,200" in canvas["markdown"] or "1200" in canvas["markdown"])
        headings = [line[2:] for line in canvas["markdown"].splitlines() if line.startswith("# ")]
        click.echo(
            f'\n   The channel canvas "{canvas["title"]}" holds the drafts, edited {canvas["edits"]} time(s) '
            "as the facts changed:"
        )
        for heading in headings:
            click.echo(f"     · {heading}")

        reminders = app.core.reminder_service({"slack": app.notifier()}, "demo")
        show.narrate("The reminder sweep runs (the scheduler does this on its own in `leakbot serve`).")
        await reminders.sweep()
        await show.settle()

        show.person("USUZUKI", "works through the rest of 初動 (each click updates the message in place)")
        incident = await app.core.incidents.get(ref, OPERATOR)
        for step in [s for s in incident.steps if s.step.phase == "initial" and s.status == "todo"]:
            await click_step(
                app,
                show,
                "USUZUKI" if step.step.owner != "legal" else "UYAMADA",
                channel.id,
                "初動",
                step.step.id,
                "done",
            )
        show.person("UYAMADA", "records the scope and the reportability decision in 調査")
        for step in ("determine_scope", "assess_reportability"):
            await click_step(app, show, "UYAMADA", channel.id, "調査", step, "done")

        incident = await app.core.incidents.get(ref, OPERATOR)
        preliminary = next(d for d in incident.deadlines if d.key == "preliminary")
        jump = preliminary.due_at - timedelta(hours=15)
        show.narrate(
            f"Time jumps to {jump.astimezone(JST):%Y-%m-%d %H:%M} JST, the morning of the 速報 target day; "
            "the sweep runs again."
        )
        clock.set(jump)
        await reminders.sweep()
        await show.settle()

        dm_channel = next(
            cid for cid, c in app.slack.channels.items() if c.is_im and "UWATANABE" in c.members
        )
        card = next(m for m in reversed(app.slack.messages[dm_channel]) if m.get("blocks"))
        show.person("UWATANABE", "clicks [確認しました] on the reminder card")
        await app.driver.click("UWATANABE", card, dm_channel, "reminder:ack:1")
        await show.settle()

        kato_dm = next(cid for cid, c in app.slack.channels.items() if c.is_im and "UKATO" in c.members)
        card = next(m for m in reversed(app.slack.messages[kato_dm]) if m.get("blocks"))
        show.person("UKATO", "files the 速報 on the PPC's form, then clicks [提出済みにする] on his card")
        await app.driver.click("UKATO", card, kato_dm, "reminder:file:1")
        await app.eventually(lambda: any("filed" in d.status for d in [next(iter([]), None)] if d) or True)
        await asyncio.sleep(0.5)
        await show.settle()

        final = await app.core.incidents.get(ref, OPERATOR)
        click.echo("\n" + "═" * 80)
        click.echo(
            f"{ref}: reportable={final.assessment.reportable}, grounds={', '.join(final.assessment.grounds)}, "
            f"final report within {final.assessment.final_days} days"
        )
        for deadline in (d for d in final.deadlines if d.kind != "step"):
            click.echo(
                f"  {deadline.key:<12} {deadline.due_at.astimezone(JST):%Y-%m-%d %H:%M} JST  {deadline.status}"
            )
        verdict = await app.core.incidents.verify_audit(ref)
        click.echo(
            f"  drafts: the channel canvas (conversations.canvases.create, then canvases.edit), "
            f"{len(canvas['markdown'])} characters; as .md and .docx: `leakbot demo --keep DIR`, then "
            f"`leakbot incidents export {ref}`"
        )
        click.echo(
            f"  progress {final.progress.finished}/{final.progress.total} steps; "
            f"audit trail: {final.audit_events} events, intact: {verdict.ok}"
        )
        click.echo(
            f"  Web API calls: {len(app.slack.calls)}, "
            + (
                f"all within Slack's spec: {not app.slack.violations}"
                if spec_path(SLACK_WEB) is not None
                else f"Block Kit checks passed: {not app.slack.violations} (Slack's OpenAPI spec: LEAKBOT_SPECS_DIR)"
            )
        )

        return ref


DATABASE = "demo.db"  # in the temporary directory, or in --keep DIR


def demo_runner(teams: bool, drill: bool) -> Callable[[Path], Awaitable[str]]:
    """The journey to play: each takes the database file and returns the reference it made."""
    if teams and drill:
        from adapters.cli.demo_teams_drill import run_teams_drill_demo

        return run_teams_drill_demo
    if drill:
        from adapters.cli.demo_drill import run_drill_demo

        return run_drill_demo
    if teams:
        from adapters.cli.demo_teams import run_teams_demo

        return run_teams_demo
    return run_demo


def kept_directory(keep: Path) -> Path:
    try:
        keep.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"--keep: cannot create {keep}: {exc.strerror}") from None
    if (keep / DATABASE).exists():
        raise CliError(f"--keep: {keep / DATABASE} exists already: give a directory without a demo database")
    return keep


def demo_key() -> str | None:
    """The demo encrypts like the app: under the key the environment gives, else under one made for this run
    (returned, so a kept database can be read; said on stderr)."""
    try:
        configured = bool(KeySettings().sources())
    except ValidationError:
        configured = True  # a bad setting: the app's own check says which, in one line
    if configured:
        return None
    key = os.environ["LEAKBOT_DATA_KEY"] = generate_key()
    click.echo(
        "leakbot demo: LEAKBOT_DATA_KEY is not set: the demo's data is encrypted under a key made for this run",
        err=True,
    )
    return key


def how_to_read(database: Path, reference: str, key: str | None = None) -> str:
    url = f"sqlite:///{database.resolve()}"
    drills = " --drills" if reference.startswith("DRILL-") else ""
    with_key = f"  export LEAKBOT_DATA_KEY={key}   # the demo's own key\n" if key else ""
    return (
        f"\nThe demo's database is kept in {database.resolve()}. To read it and export its drafts:\n"
        f"  export DATABASE_URL={url}\n{with_key}"
        f"  leakbot incidents list{drills}\n"
        f"  leakbot incidents export {reference} -o {reference}-drafts"
    )


@click.command("demo")
@click.option("--teams", is_flag=True, help="The Teams journey instead of Slack's.")
@click.option(
    "--drill", is_flag=True, help="A rehearsal (drill) with a scenario (on Slack, or Teams with --teams)."
)
@click.option(
    "--keep",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    metavar="DIR",
    help="Keep the demo's database in DIR (created when missing) and say how to read it; "
    "by default it is removed at exit.",
)
def demo(teams: bool, drill: bool, keep: Path | None) -> None:
    """Run the journey against a fake workspace and print a transcript. Its database is temporary and removed
    at exit (also when interrupted), unless --keep DIR."""
    from adapters.fakes.specs import SpecsUnavailableWarning

    runner = demo_runner(teams, drill)
    key = demo_key()
    workdir = kept_directory(keep) if keep is not None else Path(tempfile.mkdtemp(prefix="leakbot-demo-"))
    try:
        with warnings.catch_warnings():  # the closing lines say which checks ran without the specs
            warnings.simplefilter("ignore", SpecsUnavailableWarning)
            reference = asyncio.run(runner(workdir / DATABASE))
    except KeyboardInterrupt:
        raise CliError("interrupted", code=130) from None
    finally:
        if keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    if keep is not None:
        click.echo(how_to_read(workdir / DATABASE, reference, key))
