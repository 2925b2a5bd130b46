"""The core's view models as Teams markdown and Adaptive Cards 1.5. Only the mapping lives here.

A step's menu (スキップ / 該当なし / 再開) uses secondary actions, which Teams shows in the "…" overflow; the skip
reason's input id carries the step id, so every input id in a card is unique.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from adapters.teams.text import escape
from bot.i18n import t
from bot.i18n.rich import Rich, Span
from bot.journey.port import Drafts
from bot.views.elements import Action
from bot.views.incident import PhaseView, StepLine, SummaryView
from bot.views.reminders import ReminderMessage

Card = dict[str, Any]
VERSION = "1.5"
VERBS = {
    "step": "leak.step",
    "facts": "leak.facts",
    "correct": "leak.correct",
    "refresh": "leak.refresh",
    "docs": "leak.docs",
    "edit": "leak.edit",
    "ack": "leak.ack",
    "file": "leak.file",
}


def card(body: list[dict], actions: list[dict] | None = None) -> Card:
    result: Card = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": VERSION,
        "body": body,
    }
    if actions:
        result["actions"] = actions
    return result


def text(value: str, **extra: Any) -> dict:
    return {"type": "TextBlock", "text": value, "wrap": True, **extra}


def _span(span: Span, mentions: list[tuple[str, str]] | None) -> str:
    shown = span.text or span.target
    if span.kind == "mention":
        if mentions is not None:
            mentions.append((span.target, shown))
            return f"<at>{escape(shown, 200)}</at>"
        return escape(shown, 200)
    if span.kind == "link":
        return f"[{escape(span.text, 200)}]({span.target})"
    if span.kind == "channel":
        return escape(span.text or "Teams", 200)
    return escape(span.text)


def markdown(rich: Rich, mentions: list[tuple[str, str]] | None = None) -> str:
    """Rich text as the markdown Teams renders: user words escaped, bold as **…**. With ``mentions`` (for a
    message activity) people become <at> mentions and are collected for the activity's entities."""
    out: list[str] = []
    for is_bold, group in groupby(rich, key=lambda s: s.bold):
        inner = "".join(_span(s, mentions) for s in group)
        if is_bold and inner.strip():
            lead, trail = inner[: len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()) :]
            out.append(f"{lead}**{inner.strip()}**{trail}")
        else:
            out.append(inner)
    return "".join(out).replace("\n", "\n\n")


def execute(action: Action, **extra: Any) -> dict:
    result = {
        "type": "Action.Execute",
        "title": action.label,
        "verb": VERBS[action.verb],
        "data": action.value,
    }
    if action.style == "primary":
        result["style"] = "positive"
    return result | extra


def summary_card(view: SummaryView) -> Card:
    body: list[dict] = [
        text(escape(view.title), size="Large", weight="Bolder"),
        text(f"**{escape(view.next_steps.title)}**", spacing="Medium"),
        text(markdown(_lines(view.next_steps.lines))),
        text(escape(view.description), separator=True),
        {"type": "FactSet", "facts": [{"title": f.label, "value": markdown(f.value)} for f in view.fields]},
    ]
    for part in view.parts:
        body.append(text(f"**{escape(part.title)}**", spacing="Medium"))
        body.append(text(markdown(_lines(part.lines))))
    body += [text(markdown(note), isSubtle=True) for note in view.notes]
    return card(body, [execute(a) for a in view.actions if a.verb in VERBS])


def _lines(lines: tuple[Rich, ...]) -> Rich:
    spans: list[Span] = []
    for index, line in enumerate(lines):
        if index:
            spans.append(Span("\n"))
        spans.extend(line)
    return tuple(spans)


def _menu_action(action: Action, step: StepLine, lang: str) -> dict:
    if action.value.get("t") != "skipped":
        return execute(action, mode="secondary")
    reason = f"reason_{step.step_id}"  # unique in the card: one per step
    form = card(
        [
            {
                "type": "Input.Text",
                "id": reason,
                "label": t("skip.reason", lang),
                "isRequired": True,
                "errorMessage": t("error.reason_required", lang),
                "maxLength": 1000,
            }
        ],
        [execute(Action(t("skip.save", lang), "step", action.value))],
    )
    return {"type": "Action.ShowCard", "title": action.label, "card": form, "mode": "secondary"}


def _step_items(step: StepLine, lang: str) -> list[dict]:
    title = f"{step.icon} **{escape(step.title, 300)}**"
    meta = " · ".join(markdown(m) for m in step.meta)
    if step.collapsed:
        items = [text(f"{title}" + (f" · {meta}" if meta else ""), size="Small")]
    else:
        items = [text(title)]
        if step.guidance:
            items.append(text(escape(step.guidance, 1500), isSubtle=True, spacing="None"))
        if meta:
            items.append(text(meta, size="Small", spacing="None"))
    actions = ([execute(step.primary)] if step.primary else []) + [
        _menu_action(a, step, lang) for a in step.menu
    ]
    container: list[dict] = [
        {"type": "Container", "id": f"step-{step.step_id}", "separator": True, "items": items}
    ]
    if actions:
        container.append({"type": "ActionSet", "id": f"act-{step.step_id}", "actions": actions})
    return container


def phase_card(view: PhaseView, lang: str) -> Card:
    body: list[dict] = [
        text(escape(view.title), size="Medium", weight="Bolder"),
        text(escape(view.progress), isSubtle=True),
    ]
    for step in view.steps:
        body += _step_items(step, lang)
    return card(body)


def reminder_card(message: ReminderMessage) -> Card:
    body: list[dict] = [text(markdown(message.header), weight="Bolder")]
    for entry in message.entries:
        body.append(text(markdown(entry.text)))
        if entry.progress:
            body.append(text(escape(entry.progress), isSubtle=True, spacing="None"))
        if entry.actions:
            body.append({"type": "ActionSet", "actions": [execute(a) for a in entry.actions]})
    return card(body)


def reminder_text(message: ReminderMessage) -> tuple[str, list[tuple[str, str]]]:
    """The channel's reminder list as a message with the owners @mentioned."""
    mentions: list[tuple[str, str]] = []
    lines = [markdown(message.header, mentions)]
    for entry in message.entries:
        line = markdown(entry.text, mentions)
        if entry.owners:
            line += "\n\n" + markdown(entry.owners, mentions)
        lines.append(line)
    return "\n\n".join(lines), mentions


SECTION_LIMIT = 800  # characters of each draft shown in the card: a Teams message holds about 28 KB


def drafts_card(drafts: Drafts, reference: str, lang: str) -> Card:
    """The drafts as one card, a collapsed section per document (open with its button); the full text and
    the .docx come from ``leakbot incidents export``."""
    sections: list[tuple[str, str]] = []  # (title, what precedes it — a filed copy's stamp — and its text)
    intro = ""  # what precedes the first draft: how the drafts are edited
    for number, chunk in enumerate(drafts.markdown.split("\n---\n\n")):
        lead, _, rest = chunk.partition("\n# ") if not chunk.startswith("# ") else ("", "", chunk[2:])
        heading, _, content = rest.partition("\n")
        if not number:
            intro, lead = lead.removeprefix("> ").strip(), ""
        if heading:
            sections.append((heading.strip(), (lead.strip() + "\n\n" if lead.strip() else "") + content))
    body: list[dict] = [text(f"📄 **{escape(drafts.title)}**", size="Medium")]
    if intro:
        body.append(text(intro.strip(), isSubtle=True, size="Small"))
    for number, (heading, content) in enumerate(sections, start=1):
        shown = content.strip()
        if len(shown) > SECTION_LIMIT:
            shown = shown[:SECTION_LIMIT].rstrip() + "\n\n" + t("teams.drafts_cut", lang)
        body += [
            {
                "type": "ActionSet",
                "actions": [
                    {
                        "type": "Action.ToggleVisibility",
                        "title": f"▸ {heading}"[:120],
                        "targetElements": [f"draft_{number}"],
                    }
                ],
            },
            {"type": "Container", "id": f"draft_{number}", "isVisible": False, "items": [text(shown)]},
        ]
    body.append(text(t("teams.drafts_export", lang, reference=reference), isSubtle=True))
    return card(body)
