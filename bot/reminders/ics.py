"""An iCalendar (.ics) file of an incident's legal deadlines, made with the icalendar library."""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Alarm, Calendar, Event

from bot.appi.deadlines import JST
from bot.domain.views import IncidentView
from bot.i18n import t
from bot.presentation import deadline_label

PRODID = "-//leakbot//APPI leak deadlines//JA"
ALARM_BEFORE = timedelta(hours=-15)


def deadlines_calendar(incident: IncidentView, now: datetime, lang: str = "ja") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{incident.reference}")
    for deadline in incident.deadlines:
        if deadline.kind == "step" or deadline.status == "cancelled":
            continue
        label = deadline_label(deadline, incident, lang)
        event = Event()
        event.add("uid", f"{incident.reference}-{deadline.key}@leakbot")
        event.add("dtstamp", now)
        event.add("summary", f"{incident.reference} {label}")
        event.add("dtstart", (deadline.window_start or deadline.due_at).astimezone(JST))
        event.add("dtend", deadline.due_at.astimezone(JST))
        event.add("description", t("ics.description", lang, reference=incident.reference, deadline=label))
        event.add("status", "CONFIRMED" if deadline.status == "pending" else "CANCELLED")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", label)
        alarm.add("trigger", ALARM_BEFORE)  # the due day's morning: deadlines end at 23:59:59 JST
        event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()
