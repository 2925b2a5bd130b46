"""The legal deadlines in the commanders' and executives' Outlook calendars, through Microsoft Graph
(``Calendars.ReadWrite``, application permission), when ``LEAKBOT_TEAMS_CALENDAR`` is on. The core decides which
events, for whom and when (bot/journey/calendar_events.py); this module only writes them in Graph's words.

An event says the reference and the deadline, nothing of the leak; its body says what the deadline is and
links the response channel (or thread). Times are written in Tokyo Standard Time, like the deadlines.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from adapters.teams.graph import GraphClient, GraphError
from adapters.teams.platform import ENTRA_ID
from bot.appi.deadlines import JST
from bot.i18n import t
from bot.journey.port import CalendarEvent, PlatformFailure

TIME_ZONE = "Tokyo Standard Time"  # Graph's (Windows) name of Asia/Tokyo
TEAMS = "https://teams.microsoft.com/l"


def _when(moment: datetime) -> dict[str, str]:
    return {
        "dateTime": moment.astimezone(JST).replace(tzinfo=None).isoformat(timespec="seconds"),
        "timeZone": TIME_ZONE,
    }


def space_link(space_id: str, name: str, team: str | None, tenant: str | None) -> str:
    """Teams' deep link to the response channel (a private channel), or to the thread's first message."""
    query = {k: v for k, v in (("groupId", team), ("tenantId", tenant)) if v}
    channel, _, message = space_id.partition(";messageid=")
    if message:
        query["parentMessageId"] = message
        return f"{TEAMS}/message/{quote(channel, safe='')}/{message}?{urlencode(query)}"
    return f"{TEAMS}/channel/{quote(channel, safe='')}/{quote(name, safe='')}?{urlencode(query)}"


class TeamsCalendar:
    def __init__(self, graph: GraphClient, lang: str, team: str | None, tenant: str | None) -> None:
        self.graph = graph
        self.lang = lang
        self.team = team
        self.tenant = tenant

    def body(self, event: CalendarEvent) -> dict[str, Any]:
        link = space_link(event.space_id, event.space_name, self.team, self.tenant)
        text = f"{event.description}\n\n{t('teams.calendar_link', self.lang, link=link)}"
        return {
            "subject": event.title,
            "body": {"contentType": "text", "content": text},
            "start": _when(event.start),
            "end": _when(event.end),
            "isReminderOn": True,
            "reminderMinutesBeforeStart": event.reminder_minutes,
            "showAs": "free",  # a deadline, not a meeting: the person's time stays free
        }

    async def put_event(self, user_id: str, event: CalendarEvent, event_id: str | None) -> str:
        if not ENTRA_ID.match(user_id):
            raise PlatformFailure("not_an_entra_user")  # a 29: id: Graph has no calendar by it
        try:
            if event_id is None:
                return await self.graph.create_event(
                    user_id, {**self.body(event), "transactionId": event.transaction_id}
                )
            return await self.graph.update_event(user_id, event_id, self.body(event))
        except GraphError as exc:
            if event_id is not None and exc.status == 404:
                raise PlatformFailure("event_gone") from exc
            raise PlatformFailure(exc.code, retry=exc.retry) from exc

    async def remove_event(self, user_id: str, event_id: str) -> None:
        if not ENTRA_ID.match(user_id):
            return
        try:
            await self.graph.delete_event(user_id, event_id)
        except GraphError as exc:
            raise PlatformFailure(exc.code, retry=exc.retry) from exc
