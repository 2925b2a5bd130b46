"""Neutral rich text: what the catalog's templates and the view models hold, rendered by each platform.

A template marks bold with ``**…**``; its placeholders take plain values (shown as text, escaped by the
renderer for its own format) or spans (a mention of a person, a link, a channel). The core never writes
Slack mrkdwn or Teams markdown: each adapter turns a ``Rich`` into its own format.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Literal

from bot.i18n import DEFAULT_LANGUAGE, catalog

Kind = Literal["text", "mention", "link", "channel"]


@dataclass(frozen=True)
class Span:
    text: str = ""
    kind: Kind = "text"
    bold: bool = False
    target: str = ""  # a user id (mention), a URL (link) or a channel id (channel)


Rich = tuple[Span, ...]


def mention(user_id: str, name: str = "") -> Span:
    """A person: rendered as a mention on the platform (``name`` where the platform shows names)."""
    return Span(name, "mention", target=user_id)


def link(url: str, label: str) -> Span:
    return Span(label, "link", target=url)


def channel(channel_id: str, name: str = "") -> Span:
    return Span(name, "channel", target=channel_id)


def plain(text: str) -> Rich:
    return (Span(text),) if text else ()


def bold(text: str) -> Rich:
    return (Span(text, bold=True),) if text else ()


def r(*parts: str | Span | Rich) -> Rich:
    """Rich text from pieces: strings are text, spans and rich texts are kept."""
    spans: list[Span] = []
    for part in parts:
        if isinstance(part, str):
            spans.extend(plain(part))
        elif isinstance(part, Span):
            spans.append(part)
        else:
            spans.extend(part)
    return tuple(spans)


def join(parts: list[Rich], separator: str = "\n") -> Rich:
    spans: list[Span] = []
    for index, part in enumerate(parts):
        if index and separator:
            spans.append(Span(separator))
        spans.extend(part)
    return tuple(spans)


def text_of(rich: Rich) -> str:
    """The words alone (notification fallbacks, logs of our own texts, tests)."""
    return "".join(s.text or s.target for s in rich)


def _expand(template: str, bold: bool, params: dict[str, object]) -> list[Span]:
    spans: list[Span] = []
    for literal, field, spec, conversion in string.Formatter().parse(template):
        if literal:
            spans.append(Span(literal, bold=bold))
        if field is None:
            continue
        value = params[field]
        if isinstance(value, Span):
            spans.append(Span(value.text, value.kind, bold or value.bold, value.target))
        elif isinstance(value, tuple) and all(isinstance(v, Span) for v in value):
            spans.extend(Span(v.text, v.kind, bold or v.bold, v.target) for v in value)
        else:
            shown = format(value, spec or "") if conversion is None else format(str(value), spec or "")
            spans.append(Span(shown, bold=bold))
    return spans


def rich(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> Rich:
    """The catalog entry ``key`` as rich text, with ``params`` filled in (values stay values: a name with
    ``**`` or ``<!channel>`` in it is text, never markup)."""
    entry = catalog()[key]
    template = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    spans: list[Span] = []
    for index, part in enumerate(template.split("**")):
        spans.extend(_expand(part, bold=index % 2 == 1, params=params))
    return tuple(s for s in spans if s.text or s.kind != "text")
