"""`leakbot demo --teams --drill`: a rehearsal on Teams — the commander types `leak drill` and picks a
scenario on the card, the drill's private channel opens with the briefing, the scenario's injects arrive as the
accelerated drill clock passes them, the team enters the new facts on the facts card, the executive is pinged
in drill time, and `leak drill end` posts the after-action report. The drill never takes a LEAK- number."""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path

import click

from adapters.cli.demo_teams import ENTRA, Printer, person, teams_workspace
from bot.services.ports import OPERATOR

SCENARIO = "misdelivery"


async def run_teams_drill_demo(database: Path) -> str:
    from adapters.fakes.teams_harness import card_of, execute_data

    async with teams_workspace(database) as (teams, clock):
        assert teams.graph is not None
        show = Printer(teams.connector, teams.graph)
        speed = teams.core.org.drills.speed
        click.echo(f"leakbot demo --teams --drill — drill clock {speed:g}× faster")
        start = clock.now()

        person("29:kato", "types `leak drill` to leakbot and picks 「メール誤送信」 on the card")
        await teams.say("29:kato", "leak drill", aad=ENTRA["29:kato"])
        show.flush()
        picker = teams.connector.cards_in("a:personal-29:kato")[-1]
        await teams.execute(
            "29:kato",
            "leak.drill",
            execute_data(picker, "leak.drill", scenario=SCENARIO),
            aad=ENTRA["29:kato"],
        )
        await teams.settle()
        show.flush()
        [drill] = await teams.core.incidents.list(OPERATOR, drills=True)
        space = drill.channel_id
        assert space is not None

        scenario = teams.core.incidents.scenarios[SCENARIO]
        reminders = teams.core.reminder_service({"teams": teams.bot.notifier}, "demo")
        for number, inject in enumerate(scenario.ordered_injects(), start=1):
            real = inject.at / speed
            click.echo(
                click.style(
                    f"\n⏩ {real.total_seconds():.0f} s later ({inject.at} of drill time): the sweep runs",
                    fg="cyan",
                )
            )
            clock.set(start + real + timedelta(seconds=1))
            await teams.core.journey.resume()
            await reminders.sweep()
            await teams.settle()
            show.flush()
            if number == 1:
                person("29:yamada", "enters the new facts from 状況 1 on the facts card: 1,240 people")
                summary = teams.connector.summary_in(space)
                _, body = await teams.execute(
                    "29:yamada",
                    "leak.facts",
                    execute_data(summary, "leak.facts"),
                    conversation=space,
                    aad=ENTRA["29:yamada"],
                )
                facts = execute_data(
                    card_of(body),
                    "leak.facts.save",
                    cause="misdelivery",
                    persons="1240",
                    persons_upper_bound="",
                    flags="",
                    data_items="name,email",
                    involvement="",
                    secondary_damage="",
                )
                await teams.execute(
                    "29:yamada", "leak.facts.save", facts, conversation=space, aad=ENTRA["29:yamada"]
                )
                await teams.settle()
                show.flush()

        view = await teams.core.incidents.get(drill.reference, OPERATOR)
        preliminary = next((d for d in view.deadlines if d.key == "preliminary"), None)
        if preliminary is not None:
            in_real_time = (preliminary.due_at - view.aware_at) / speed
            click.echo(
                click.style(
                    f"\n⏩ {in_real_time.total_seconds() / 60:.0f} min after the start: the 速報 target in drill "
                    "time; the sweep runs",
                    fg="cyan",
                )
            )
            clock.set(view.aware_at.astimezone(UTC) + in_real_time + timedelta(seconds=1))
            await reminders.sweep()
            await teams.settle()
            show.flush()

        person("29:kato", "types `leak drill end` in the drill's channel")
        await teams.say("29:kato", "leak drill end", conversation=space, aad=ENTRA["29:kato"])
        await teams.settle()
        show.flush()

        real_incidents = await teams.core.incidents.list(OPERATOR)
        click.echo("\n" + "═" * 80)
        click.echo(
            f"{drill.reference}: scenario {SCENARIO}, ended; LEAK- incidents: {len(real_incidents)} (none used)"
        )
        return drill.reference
