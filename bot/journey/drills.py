"""A drill's own moments in the response space: the briefing once the space is ready, each inject when its
drill time comes (the sweep asks), and the after-action report when the drill ends. Every one is marked
【訓練】 / [DRILL]."""

from __future__ import annotations

import dataclasses
import logging

from bot.documents.model import Document
from bot.documents.timeline import TimelineEvent
from bot.domain.events import DrillInjected, StatusChanged
from bot.domain.views import IncidentView
from bot.drills.clock import DrillClock, drill_clock
from bot.drills.marking import marked
from bot.drills.report import after_action_report
from bot.drills.scenarios import format_offset, injects_due
from bot.i18n import t
from bot.i18n.rich import Rich, bold, plain, r
from bot.journey.port import Platform, Space
from bot.refusals import command
from bot.services.incidents import IncidentService
from bot.services.ports import SYSTEM

log = logging.getLogger(__name__)


def document_rich(document: Document) -> Rich:
    """A document as one message: the title and the headings bold, bullets and fields one to a line."""
    parts: list = [bold(document.title)]
    for section in document.sections:
        parts += ["\n\n", bold(section.heading)]
        for block in section.blocks:
            line = {"bullet": f"• {block.text}", "field": f"{block.label}: {block.text}"}.get(
                block.kind, block.text
            )
            parts += ["\n", line]
    return r(*parts)


def in_drill_time(view: IncidentView, events: list[TimelineEvent], clock: DrillClock):
    """The incident as the drill lived it: step changes and the trail moved from real time to drill time
    (its deadlines already are in drill time, counted from the drill's start)."""
    steps = tuple(
        dataclasses.replace(s, updated_at=clock.drill_now(s.updated_at) if s.updated_at else None)
        for s in view.steps
    )
    return (
        dataclasses.replace(view, steps=steps),
        [dataclasses.replace(e, at=clock.drill_now(e.at)) for e in events],
    )


class DrillConductor:
    def __init__(self, incidents: IncidentService, platforms: dict[str, Platform]) -> None:
        self.incidents = incidents
        self.platforms = platforms

    @property
    def lang(self) -> str:
        return self.incidents.org.language

    async def run_injects(self) -> int:
        """Deliver every inject whose drill time has come (the scheduler's sweep calls this)."""
        delivered = 0
        now = self.incidents.clock.now()
        for reference, drill in await self.incidents.open_drills():
            scenario = self.incidents.scenarios.get(drill.get("scenario", ""))
            if scenario is None:
                continue
            clock = drill_clock(drill)
            if clock is None:
                continue
            elapsed = clock.elapsed(now)
            done = set(drill.get("injects_done") or [])
            for inject in injects_due(scenario, None, elapsed):
                number = scenario.inject_number(inject)
                if number not in done and await self.incidents.record_inject(
                    reference, number, format_offset(inject.at)
                ):
                    delivered += 1
        return delivered

    async def brief(self, incident: IncidentView, platform: Platform) -> None:
        """The scenario's briefing, once the drill's space is ready."""
        scenario = self.incidents.scenarios.get((incident.drill or {}).get("scenario", ""))
        if scenario is None or not incident.channel_id:
            return
        speed = (incident.drill or {}).get("speed")
        text = r(
            bold(
                marked(t("drill.briefing_title", self.lang, title=scenario.title.get(self.lang)), self.lang)
            ),
            "\n",
            scenario.briefing.get(self.lang),
            "\n\n",
            plain(
                t(
                    "drill.briefing_rules",
                    self.lang,
                    speed=f"{speed:g}" if speed else "-",
                    leak=command(incident.platform, self.lang),
                )
            ),
        )
        await platform.post(_space(incident), text, "drill-briefing")

    async def on_injected(self, event: DrillInjected) -> None:
        incident, platform = event.incident, self.platforms.get(event.incident.platform)
        scenario = self.incidents.scenarios.get((incident.drill or {}).get("scenario", ""))
        if platform is None or scenario is None or not incident.channel_id:
            return
        inject = scenario.ordered_injects()[event.number - 1]
        heading = t("drill.inject_title", self.lang, number=event.number, at=format_offset(inject.at))
        hint = t(f"drill.inject_hint.{inject.kind}", self.lang)
        text = r(bold(marked(heading, self.lang)), "\n", inject.say.get(self.lang), "\n", plain(hint))
        await platform.post(_space(incident), text, f"drill-inject-{event.number}")

    async def on_status_changed(self, event: StatusChanged) -> None:
        """A drill that ends (closed) gets its after-action report in its space."""
        incident = event.incident
        platform = self.platforms.get(incident.platform)
        if not incident.drill or incident.status != "closed" or platform is None or not incident.channel_id:
            return
        await platform.post(
            _space(incident), document_rich(await self.report(incident.reference)), "drill-report"
        )

    async def report(self, reference: str, lang: str | None = None) -> Document:
        view, events = await self.incidents.trail(reference, SYSTEM)
        clock = drill_clock(view.drill)
        assert clock is not None, "a drill's report"
        scenario = self.incidents.scenarios.get((view.drill or {}).get("scenario", ""))
        drill_view, drill_events = in_drill_time(view, events, clock)
        return after_action_report(drill_view, drill_events, clock, lang or self.lang, scenario=scenario)


def _space(incident: IncidentView) -> Space:
    assert incident.channel_id
    return Space(incident.channel_id, incident.channel_name or "")
