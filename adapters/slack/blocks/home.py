"""App Home: the incidents a person is part of, with progress and the next legal deadline."""

from __future__ import annotations

from datetime import datetime

from adapters.slack.blocks.elements import Block, context, divider, header, section
from bot.domain.views import IncidentView
from bot.i18n import t
from bot.presentation import next_deadline_line, progress_bar

MAX_LISTED = 30  # 3 blocks each, within the home tab's 100


def home_view(incidents: list[IncidentView], now: datetime, lang: str) -> dict:
    blocks: list[Block] = [header(t("home.header", lang)), section(t("home.intro", lang)), divider()]
    blocks.append(section(t("home.mine", lang)))
    if not incidents:
        blocks.append(context(t("home.none", lang)))
    ordered = sorted(incidents, key=lambda i: (i.status != "open", i.reference), reverse=False)
    for incident in ordered[:MAX_LISTED]:
        deadline = next_deadline_line(incident, now, lang)
        channel = f"<#{incident.channel_id}>" if incident.channel_id else "-"
        status = t("home.status_open" if incident.status == "open" else "home.status_closed", lang)
        blocks.append(section(f"*{incident.reference}* · {status} · {channel}"))
        blocks.append(
            context(
                progress_bar(incident.progress.finished, incident.progress.total),
                t("home.next", lang, deadline=deadline),
            )
        )
    return {"type": "home", "blocks": blocks}
