"""The playbook file format, validated with pydantic.

A playbook is YAML: phases in order, then steps. Every user-facing text carries Japanese and English.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from bot.domain.vocabulary import OWNER_ROLES, Cause, Condition, DeadlineKind, FactKey, Role

Ident = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
PlaybookId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$", max_length=60)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A text in Japanese first, English alongside."""

    ja: Annotated[str, StringConstraints(min_length=1)]
    en: Annotated[str, StringConstraints(min_length=1)]

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.ja


class Due(_Strict):
    """A step's own due time: some hours after awareness or after another step is finished."""

    after: Ident = "awareness"
    hours: int = Field(gt=0, le=24 * 365)


class Step(_Strict):
    id: Ident
    phase: Ident
    owner: Role
    title: Text
    guidance: Text
    requires: tuple[Ident, ...] = ()
    causes: tuple[Cause, ...] = ()  # empty: every cause
    when: tuple[Condition, ...] = ()  # all must hold
    due: Due | None = None
    deadline: DeadlineKind | None = None
    captures: tuple[FactKey, ...] = ()


class Phase(_Strict):
    id: Ident
    title: Text


class Playbook(_Strict):
    id: PlaybookId
    version: int = Field(ge=1)
    title: Text
    phases: tuple[Phase, ...] = Field(min_length=1)
    steps: tuple[Step, ...] = Field(min_length=1)


class StepPatch(_Strict):
    """An organization's change to one step of a base playbook: only the fields given are replaced."""

    id: Ident
    phase: Ident | None = None
    owner: Role | None = None
    title: Text | None = None
    guidance: Text | None = None
    requires: tuple[Ident, ...] | None = None
    causes: tuple[Cause, ...] | None = None
    when: tuple[Condition, ...] | None = None
    due: Due | None = None
    deadline: DeadlineKind | None = None
    captures: tuple[FactKey, ...] | None = None


class Overlay(_Strict):
    """An organization file that changes a base playbook: `extends` names it."""

    extends: PlaybookId
    override: tuple[StepPatch, ...] = ()
    add: tuple[Step, ...] = ()
    remove: tuple[Ident, ...] = ()


STEP_OWNER_ROLES = frozenset(OWNER_ROLES)
