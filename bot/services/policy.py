"""Who may do what with an incident: the one place every read and every write is decided.

Use cases ask ``decide`` with the actor's roles on the incident; adapters never decide. The answer is a
refusal (a ServiceError the adapter turns into a message) or nothing.
"""

from __future__ import annotations

from collections.abc import Set
from enum import StrEnum

from bot.domain.vocabulary import OWNER_ROLES, Role
from bot.services.errors import NotAllowedError, ServiceError
from bot.services.ports import Actor

TEAM_ROLES = frozenset(str(r) for r in OWNER_ROLES)
REPORTER_ROLE = "reporter"  # invited to the channel; may read, not change
COMMANDER = str(Role.COMMANDER)


class Permission(StrEnum):
    READ = "read"  # the summary, facts, calendar, status, App Home, reminder cards
    WORK = "work"  # change a step, edit or correct the facts
    ACKNOWLEDGE = "acknowledge"  # 確認しました on a reminder
    FILE = "file"  # 提出済みにする: the owner of the filing step, or the commander
    MANAGE = "manage"  # add a member, close
    REOPEN = "reopen"  # the commander reopens a closed incident
    HOLD = "hold"  # the commander puts a legal hold on it or lifts it, open or closed (retention, issue 21)
    MERGE = "merge"  # the commander answers 「…と同じ事案ですか？」: merge look-alike reports, or not


WRITES = frozenset(Permission) - {Permission.READ, Permission.REOPEN, Permission.HOLD}


def decide(
    permission: Permission,
    actor: Actor,
    roles: Set[str],
    *,
    reference: str,
    status: str,
    owner_role: str | None = None,
) -> ServiceError | None:
    """Why ``actor`` (holding ``roles`` on the incident) may not do this, or None when allowed."""
    if actor.is_operator:
        return None  # the command line is run by an administrator of the installation
    if not roles:
        return NotAllowedError(reference)
    team = roles & TEAM_ROLES
    if permission is Permission.READ:
        return None
    if permission is Permission.ACKNOWLEDGE:
        if not roles - {REPORTER_ROLE}:
            return NotAllowedError(reference)
    elif permission in (Permission.MANAGE, Permission.REOPEN, Permission.HOLD, Permission.MERGE):
        if not team:
            return NotAllowedError(reference)
        if COMMANDER not in roles:
            return ServiceError("commander_only", reference=reference)
    elif not team:
        return NotAllowedError(reference)
    elif permission is Permission.FILE and not roles & {owner_role or COMMANDER, COMMANDER}:
        return ServiceError("owner_only", reference=reference, role=owner_role or COMMANDER)
    if permission in WRITES and status == "closed":
        return ServiceError("incident_closed", reference=reference)
    return None
