"""The fake Graph's calendars: ``/users/{id}/events`` POST, PATCH, DELETE (v1.0), as strict as Graph where
leakbot relies on it. A body with a property the event resource does not have is refused (400
``RequestBodyRead``, Graph's answer); ``start``/``end`` are dateTimeTimeZone (a local dateTime without offset
and a time zone Graph knows), end not before start; ``isReminderOn`` a boolean, ``reminderMinutesBeforeStart``
a whole number of minutes. A create repeated with the same ``transactionId`` answers the event it made then
(no second event); an update cannot change ``transactionId``. Mixed into FakeGraph (adapters/fakes/teams/graph.py).
"""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from aiohttp import web

# the event resource's writable properties (v1.0) leakbot may send; anything else is refused
EVENT_FIELDS = {
    *("subject", "body", "start", "end", "isReminderOn", "reminderMinutesBeforeStart", "showAs"),
    *("transactionId", "sensitivity", "importance", "categories", "isAllDay", "location"),
}
TIME_ZONES = {"UTC", "Tokyo Standard Time", "Asia/Tokyo"}
SHOW_AS = {"free", "tentative", "busy", "oof", "workingElsewhere", "unknown"}
_event_ids = itertools.count(1)


def _error(status: int, code: str, message: str = "") -> web.Response:
    return web.json_response({"error": {"code": code, "message": message or code}}, status=status)


def _moment(value: Any) -> datetime | None:
    """A dateTimeTimeZone's moment (naive, in its zone), or None when it is not one."""
    if not isinstance(value, dict) or set(value) != {"dateTime", "timeZone"}:
        return None
    if value["timeZone"] not in TIME_ZONES or not isinstance(value["dateTime"], str):
        return None
    try:
        moment = datetime.fromisoformat(value["dateTime"])
    except ValueError:
        return None
    return moment if moment.tzinfo is None else None


def problem(body: Any, creating: bool) -> str | None:
    """What Graph would refuse in an event's body (None: nothing)."""
    if not isinstance(body, dict):
        return "the body is not an event"
    unknown = set(body) - EVENT_FIELDS
    if unknown:
        return f"The property '{sorted(unknown)[0]}' does not exist on type 'microsoft.graph.event'"
    if creating and not body.get("subject"):
        return "an event needs a subject"
    if "subject" in body and (not isinstance(body["subject"], str) or len(body["subject"]) > 255):
        return "subject"
    for when in ("start", "end"):
        if (creating or when in body) and _moment(body.get(when)) is None:
            return f"{when} must be a dateTimeTimeZone (dateTime without offset, a known timeZone)"
    if "start" in body and "end" in body:
        start, end = _moment(body["start"]), _moment(body["end"])
        if start and end and body["start"]["timeZone"] == body["end"]["timeZone"] and end < start:
            return "end is before start"
    if "isReminderOn" in body and not isinstance(body["isReminderOn"], bool):
        return "isReminderOn"
    minutes = body.get("reminderMinutesBeforeStart", 0)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 0:
        return "reminderMinutesBeforeStart"
    content = body.get("body", {"contentType": "text", "content": ""})
    if (
        not isinstance(content, dict)
        or content.get("contentType") not in ("text", "html")
        or not isinstance(content.get("content"), str)
    ):
        return "body must be an itemBody"
    if "showAs" in body and body["showAs"] not in SHOW_AS:
        return "showAs"
    return None


class FakeCalendars:
    """``self.events``: user id → event id → the event as Graph keeps it."""

    events: dict[str, dict[str, dict[str, Any]]]
    users: dict[str, dict[str, Any]]

    def calendar_routes(self, app: web.Application, version: str) -> None:
        app.router.add_post(version + "/users/{user}/events", self._create_event)
        app.router.add_patch(version + "/users/{user}/events/{event}", self._update_event)
        app.router.add_delete(version + "/users/{user}/events/{event}", self._delete_event)

    def events_of(self, user_id: str) -> list[dict[str, Any]]:
        return sorted(self.events.get(user_id, {}).values(), key=lambda e: e["start"]["dateTime"])

    def _refused(self, request: web.Request) -> web.Response | None:  # FakeGraph's
        raise NotImplementedError

    async def _json(self, request: web.Request) -> Any:
        try:
            return await request.json()
        except ValueError:
            return None

    async def _create_event(self, request: web.Request) -> web.Response:
        if refused := self._refused(request):
            return refused
        user = request.match_info["user"]
        if user not in self.users:
            return _error(404, "ErrorInvalidUser", "The requested user is invalid.")
        body = await self._json(request)
        if wrong := problem(body, creating=True):
            return _error(
                400, "RequestBodyRead" if "does not exist" in wrong else "ErrorInvalidRequest", wrong
            )
        calendar = self.events.setdefault(user, {})
        transaction = body.get("transactionId")
        if transaction:
            made = next((e for e in calendar.values() if e.get("transactionId") == transaction), None)
            if made is not None:  # a retried create: the event it made, not a second one
                return web.json_response(made, status=201)
        event_id = f"AAMkAD-event-{next(_event_ids)}="
        calendar[event_id] = {"id": event_id, **body}
        return web.json_response(calendar[event_id], status=201)

    async def _update_event(self, request: web.Request) -> web.Response:
        if refused := self._refused(request):
            return refused
        event = self.events.get(request.match_info["user"], {}).get(request.match_info["event"])
        if event is None:
            return _error(404, "ErrorItemNotFound", "The specified object was not found in the store.")
        body = await self._json(request)
        if wrong := problem(body, creating=False):
            return _error(
                400, "RequestBodyRead" if "does not exist" in wrong else "ErrorInvalidRequest", wrong
            )
        if "transactionId" in body and body["transactionId"] != event.get("transactionId"):
            return _error(400, "ErrorInvalidRequest", "transactionId cannot be changed")
        merged = {**event, **body}
        if problem({k: v for k, v in merged.items() if k != "id"}, creating=True):
            return _error(400, "ErrorInvalidRequest", "the event would be invalid")
        event.update(body)
        return web.json_response(event)

    async def _delete_event(self, request: web.Request) -> web.Response:
        if refused := self._refused(request):
            return refused
        calendar = self.events.get(request.match_info["user"], {})
        if calendar.pop(request.match_info["event"], None) is None:
            return _error(404, "ErrorItemNotFound", "The specified object was not found in the store.")
        return web.Response(status=204)
