"""The pieces every view model is made of; Block Kit and Adaptive Cards map each one."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n.rich import Rich, Span, mention, plain


@dataclass(frozen=True)
class Action:
    """A button (or a menu entry): what it says and what it asks the core to do.

    ``verb`` is one of: step, facts, correct, calendar, refresh (on the summary and the steps), ack, file (on
    reminder cards). ``value`` holds what the verb needs (the incident reference ``r``, a step ``s``, a target
    state ``t``, a deadline ``k``)."""

    label: str
    verb: str
    value: dict[str, str]
    style: str | None = None  # "primary" for the one thing to do next


@dataclass(frozen=True)
class Field:
    label: str
    value: Rich


@dataclass(frozen=True)
class Part:
    """A titled part of a message: a bold title, then lines."""

    title: str
    lines: tuple[Rich, ...]


def person(actor: str | None, fallback: str = "") -> Rich:
    """A stored actor ("slack:U123", "teams:29:…") as a mention; anything else as text."""
    if actor and ":" in actor and not actor.startswith(("system:", "cli:")):
        return (mention(actor.split(":", 1)[1]),)
    return plain(actor or fallback)


def people(user_ids: tuple[str, ...] | list[str], nobody: str) -> Rich:
    spans: list[Span] = []
    for index, user_id in enumerate(user_ids):
        if index:
            spans.append(Span(" "))
        spans.append(mention(user_id))
    return tuple(spans) or plain(nobody)
