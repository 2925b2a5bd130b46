"""Short messages said in the response channel or to one person: what changed, provisioning problems, the
reporter's receipt, App Home. A drill's are marked 【訓練】 / [DRILL] (issue 14)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.views import Change, IncidentView
from bot.i18n import t
from bot.i18n.rich import Rich, channel, join, r, rich
from bot.playbook.schema import Playbook
from bot.presentation import (
    drill_marked,
    drill_marked_rich,
    incident_now,
    next_deadline_line,
    progress_bar,
)
from bot.views.changes import change_lines
from bot.views.elements import people, person


def changes_notice(
    incident: IncidentView, changes: tuple[Change, ...], playbook: Playbook, actor: str, lang: str
) -> Rich | None:
    """What a change means for the team (a new deadline, reportable now, …), or None when nothing is worth
    saying (a step's own state shows in its message)."""
    lines = change_lines(changes, incident, playbook, lang)
    if not lines:
        return None
    facts_changed = any(c.what in ("facts", "corrected") for c in changes)
    header = "change.header" if facts_changed else "change.step_header"
    head = rich(header, lang, reference=incident.reference, who=person(actor))
    return join([drill_marked_rich(head, incident, lang), *(r("• ", line) for line in lines)])


def problems_notice(problems: list[Rich], lang: str, incident: IncidentView | None = None) -> Rich:
    """Provisioning problems; marked 【訓練】 when ``incident`` is given and is a drill."""
    head = drill_marked_rich(rich("channel.problems", lang), incident, lang)
    return join([head, *(r("• ", p) for p in problems)])


def drill_refusal(starters: tuple[str, ...], lang: str) -> Rich:
    """Who may start a drill, by name (the commanders and drill organizers the platform knows), told to anyone
    else who asks for the scenario picker or a scenario."""
    if not starters:
        return rich("error.drill_not_allowed", lang)
    return rich("drill.who_may_start", lang, people=people(starters, ""))


def receipt(incident: IncidentView, space_id: str | None, space_name: str, lang: str) -> Rich:
    """What the reporter hears: the reference, and where the response happens (or that it could not)."""
    if space_id is None:
        said = rich("report.received_no_channel", lang, reference=incident.reference)
    else:
        said = rich(
            "report.received", lang, reference=incident.reference, channel=channel(space_id, space_name)
        )
    return drill_marked_rich(said, incident, lang)


def reported_outside_chat(incident: IncidentView, lang: str) -> str:
    """Who reported an imported incident, for the summary: how it came, and who (as the file says)."""
    origin = incident.origin
    assert origin is not None
    said = (
        t("import.reporter", lang, source=t(f"import.source.{origin.source}", lang))
        if origin.source is not None
        else t("import.reporter_no_source", lang)
    )
    return f"{said} {origin.reported_by}".strip()


def imported_notice(incident: IncidentView, lang: str) -> Rich:
    """Said in the response channel instead of the reporter's receipt: the incident was imported by an
    administrator from a report made outside chat, and its reporter was not told."""
    origin = incident.origin
    assert origin is not None
    ref = incident.reference
    if origin.source is not None:
        source = t(f"import.source.{origin.source}", lang)
        lines = [rich("import.notice", lang, reference=ref, source=source)]
    else:
        lines = [rich("import.notice_no_source", lang, reference=ref)]
    if origin.title:
        lines.append(rich("import.notice_title", lang, title=origin.title))
    if origin.reported_by:
        lines.append(rich("import.notice_by", lang, who=origin.reported_by))
    return join(lines)


@dataclass(frozen=True)
class HomeEntry:
    reference: str
    status: str
    channel_id: str | None
    channel_name: str
    progress: str
    next_deadline: str


@dataclass(frozen=True)
class HomeView:
    title: str
    intro: str
    mine: Rich
    empty: str
    entries: tuple[HomeEntry, ...]


MAX_LISTED = 30
# a report merged into another incident is being handled there: 対応中 to its reporter, who is never told of
# the other incident (issue 22)
ACTIVE = ("open", "merged")


def home_view(incidents: list[IncidentView], now: datetime, lang: str) -> HomeView:
    ordered = sorted(incidents, key=lambda i: (i.status not in ACTIVE, i.reference))
    entries = tuple(
        HomeEntry(
            reference=i.reference,
            status=drill_marked(
                t("home.status_open" if i.status in ACTIVE else "home.status_closed", lang), i, lang
            ),
            channel_id=i.channel_id,
            channel_name=i.channel_name or "",
            progress=progress_bar(i.progress.finished, i.progress.total),
            next_deadline=t("home.next", lang, deadline=next_deadline_line(i, incident_now(i, now), lang)),
        )
        for i in ordered[:MAX_LISTED]
    )
    return HomeView(
        title=t("home.header", lang),
        intro=t("home.intro", lang),
        mine=rich("home.mine", lang),
        empty=t("home.none", lang),
        entries=entries,
    )
