"""`leakbot demo --drill`: a rehearsal on the fake Slack — the commander picks a scenario, the drill's channel
opens with the briefing, the scenario's injects arrive as the accelerated drill clock passes them, the team
enters the new facts, the reminders and an executive ping come in drill time, and ending the drill posts the
after-action report. Nothing is marked LEAK-; the real incidents and digests do not see it."""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path

import click

from adapters.cli.demo import Transcript, demo_workspace
from bot.services.ports import OPERATOR

SCENARIO = "misdelivery"


async def run_drill_demo(database: Path) -> str:
    from adapters.fakes.slack_harness import modal_state

    async with demo_workspace(database) as (app, clock, start):
        show = Transcript(app)
        speed = app.core.org.drills.speed
        click.echo(f"leakbot demo --drill — drill clock {speed:g}× faster")

        show.person("UKATO", "/leak drill — picks 「メール誤送信」 in the scenario picker")
        await app.driver.command("UKATO", "drill")
        picker = await app.eventually(lambda: app.slack.opened_views and app.slack.opened_views[-1])
        await app.driver.submit_view("UKATO", picker, modal_state({"scenario": SCENARIO}))
        channel = await app.eventually(lambda: app.slack.channel_named("drill-"))
        await app.eventually(lambda: any("訓練シナリオ" in m["text"] for m in app.slack.messages[channel.id]))
        await show.settle()
        [drill] = await app.core.incidents.list(OPERATOR, drills=True)
        ref = drill.reference

        scenario = app.core.incidents.scenarios[SCENARIO]
        reminders = app.core.reminder_service({"slack": app.notifier()}, "demo")
        for number, inject in enumerate(scenario.ordered_injects(), start=1):
            real = inject.at / speed
            show.narrate(f"{real.total_seconds():.0f} s later ({inject.at} of drill time): the sweep runs")
            clock.set(start.astimezone(UTC) + real + timedelta(seconds=1))
            await app.core.journey.resume()
            await reminders.sweep()
            await show.settle()
            if number == 1:
                show.person("UYAMADA", "enters the new facts from 状況 1 with [事実を更新]: 1,240 people")
                summary = app.slack.latest(channel.id, "個人データ漏えい対応")
                await app.driver.click("UYAMADA", summary, channel.id, "summary:facts")
                modal = await app.eventually(
                    lambda: next(
                        v for v in reversed(app.slack.opened_views) if v["callback_id"] == "leak_facts"
                    )
                )
                await app.driver.submit_view(
                    "UYAMADA",
                    modal,
                    modal_state(
                        {
                            "cause": "misdelivery",
                            "persons": "1,240",
                            "persons_upper_bound": "",
                            "flags": [],
                            "data_items": ["name", "email"],
                            "involvement": [],
                            "secondary_damage": "",
                        }
                    ),
                )
                await app.eventually(lambda: app.slack.latest(channel.id, "事実が更新されました"))
                await show.settle()
                show.person("UKATO", "clicks [完了] on 上長・責任者への一次報告")
                phase = app.slack.latest(channel.id, "📋 初動")
                await app.driver.click("UKATO", phase, channel.id, "step:report_to_superior:done")
                await show.settle()

        view = await app.core.incidents.get(ref, OPERATOR)
        preliminary = next((d for d in view.deadlines if d.key == "preliminary"), None)
        if preliminary is not None:
            clock_of_drill = (preliminary.due_at - view.aware_at) / speed
            show.narrate(
                f"{clock_of_drill.total_seconds() / 60:.0f} min after the start: the 速報 target in drill time; "
                "the sweep runs"
            )
            clock.set(view.aware_at + clock_of_drill + timedelta(seconds=1))
            await reminders.sweep()
            await show.settle()

        show.person("UKATO", "/leak drill end — in the drill's channel")
        await app.driver.command("UKATO", "drill end", channel=channel.id)
        await app.eventually(lambda: app.slack.latest(channel.id, "事後レビュー"))
        await show.settle()

        real_incidents = await app.core.incidents.list(OPERATOR)
        click.echo("\n" + "═" * 80)
        click.echo(f"{ref}: scenario {SCENARIO}, ended; LEAK- incidents: {len(real_incidents)} (none used)")
        click.echo(
            f"  the drafts and after-action.md/.docx: `leakbot demo --drill --keep DIR`, then "
            f"`leakbot incidents export {ref}`"
        )
        return ref
