"""The response team and the incident's life: members resolved and added, the channel attached, notes, close
and reopen."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from bot.domain.events import (
    StatusChanged,
    TeamChanged,
)
from bot.domain.views import Change
from bot.domain.vocabulary import Role
from bot.reminders.planner import replan
from bot.services import audit_log
from bot.services.errors import ServiceError
from bot.services.incident_base import IncidentsBase, Outcome, _member
from bot.services.policy import Permission
from bot.services.ports import SYSTEM, Actor, Directory
from bot.services.records import forget_rows, member_rows

log = logging.getLogger(__name__)


class Team(IncidentsBase):
    async def resolve_team(self, reference: str, directory: Directory) -> tuple[Outcome, list[str]]:
        """Add the configured role members, resolved on the incident's platform; returns the unresolved."""
        wanted = [(str(role), written) for role in Role for written in self.org.members_of(role)]
        # Every lookup at once: one round trip to the platform, however many people are written as e-mails.
        written_once = list(dict.fromkeys(written for _, written in wanted))
        found = await asyncio.gather(*(directory.resolve(written) for written in written_once))
        user_of = dict(zip(written_once, found, strict=True))
        resolved = [(role, user_of[written]) for role, written in wanted if user_of.get(written)]
        unresolved = list(dict.fromkeys(written for _, written in wanted if not user_of.get(written)))
        now = self.clock.now()
        async with self._uow() as uow:
            incident = await self._locked(uow, reference)
            existing = {(m.platform, m.user_id, m.role) for m in await member_rows(uow.session, incident)}
            added = []
            for role, user_id in resolved:
                if (directory.name, user_id, role) not in existing:
                    existing.add((directory.name, user_id, role))
                    uow.session.add(_member(incident, Actor(directory.name, user_id), role, SYSTEM, now))
                    forget_rows(uow.session, incident, "members")
                    added.append({"role": role, "user": user_id})
            changes: list[Change] = []
            if added or unresolved:
                await audit_log.record(
                    uow.session,
                    incident,
                    now,
                    SYSTEM,
                    "team_resolved",
                    {"added": added, "unresolved": unresolved},
                )
                changes.append(Change("team_resolved", {"added": added, "unresolved": unresolved}))
            await uow.session.flush()
            await replan(uow.session, incident, self.org.reminders, now)
            view = await self._view(uow.session, incident)
            if added:
                users = tuple(a["user"] for a in added)
                uow.events.append(TeamChanged(view, str(SYSTEM), tuple(changes), added=users))
            return Outcome(view, tuple(changes)), unresolved

    async def attach_channel(self, reference: str, channel_id: str, channel_name: str) -> Outcome:
        now = self.clock.now()
        async with self._uow() as uow:
            incident = await self._locked(uow, reference)
            if incident.channel_id == channel_id:
                return Outcome(await self._view(uow.session, incident))
            incident.channel_id, incident.channel_name, incident.updated_at = channel_id, channel_name, now
            await audit_log.record(
                uow.session,
                incident,
                now,
                SYSTEM,
                "channel_attached",
                {"channel": channel_id, "name": channel_name},
            )
            return Outcome(await self._view(uow.session, incident), (Change("channel_attached"),))

    async def note(self, reference: str, action: str, details: dict[str, Any], actor: Actor = SYSTEM) -> None:
        """Record something done outside the database (a failed invite, a post) in the audit trail."""
        now = self.clock.now()
        async with self._uow() as uow:
            incident = await self._locked(uow, reference)
            await audit_log.record(uow.session, incident, now, actor, action, details)

    # --- the team ----------------------------------------------------------------------------------------

    async def add_member(self, reference: str, user_id: str, role: Role, actor: Actor) -> Outcome:
        """The commander brings someone into the response team."""
        async with self._attempt(reference, actor, "add_member", user=user_id, role=str(role)):
            now = self.clock.now()
            async with self._uow() as uow:
                incident = await self._locked(uow, reference)
                await self._authorize(uow.session, incident, actor, Permission.MANAGE)
                target = Actor(actor.platform, user_id)
                if str(role) in await self._roles_of(uow.session, incident, target):
                    return Outcome(await self._view(uow.session, incident))
                uow.session.add(_member(incident, target, str(role), actor, now))
                forget_rows(uow.session, incident, "members")
                await uow.session.flush()
                await replan(uow.session, incident, self.org.reminders, now)
                await audit_log.record(
                    uow.session, incident, now, actor, "member_added", {"user": user_id, "role": str(role)}
                )
                change = Change("member_added", {"user": user_id, "role": str(role)})
                view = await self._view(uow.session, incident)
                uow.events.append(TeamChanged(view, str(actor), (change,), added=(user_id,)))
                return Outcome(view, (change,))

    async def close(self, reference: str, actor: Actor) -> Outcome:
        """The commander closes the incident: it is read-only and its reminders stop until reopened."""
        return await self._set_status(reference, actor, "closed")

    async def reopen(self, reference: str, actor: Actor) -> Outcome:
        """The commander reopens a closed incident: it can be changed again and its reminders resume."""
        return await self._set_status(reference, actor, "open")

    async def _set_status(self, reference: str, actor: Actor, status: str) -> Outcome:
        action = "closed" if status == "closed" else "reopened"
        async with self._attempt(reference, actor, action):
            now = self.clock.now()
            async with self._uow() as uow:
                incident = await self._locked(uow, reference)
                await self._authorize(uow.session, incident, actor, Permission.REOPEN)
                if incident.status == status:
                    return Outcome(await self._view(uow.session, incident))
                if incident.purged_at is not None:  # its words are gone: a record, no longer a response
                    raise ServiceError("incident_purged", reference=reference)
                incident.status, incident.updated_at = status, now
                incident.closed_at = now if status == "closed" else None
                if status == "open":
                    await self._resync(uow.session, incident, now, actor)
                await replan(uow.session, incident, self.org.reminders, now)
                await audit_log.record(uow.session, incident, now, actor, action, {})
                view = await self._view(uow.session, incident)
                return self._changed(uow, StatusChanged, view, actor, [Change(action)])
