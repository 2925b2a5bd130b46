"""The core's view models as Teams markdown and Adaptive Cards 1.5. Only the mapping lives here.

A step's menu (スキップ / 該当なし / 再開) uses secondary actions, which Teams shows in the "…" overflow; the skip
reason's input id carries the step id, so every input id in a card is unique.
"""

from __future__ import annotations

import json
from itertools import groupby
from typing import Any

from adapters.teams.text import neutral, strong
from bot.documents.model import Block, Document
from bot.documents.snapshots import Filed, stamp
from bot.i18n import t
from bot.i18n.rich import Rich, Span
from bot.journey.port import Drafts
from bot.views.elements import Action
from bot.views.incident import PhaseView, StepLine, SummaryView
from bot.views.lookalike import LookalikeQuestion
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
    "merge": "leak.lookalike.merge",
    "separate": "leak.lookalike.separate",
}


def card(body: list[dict], actions: list[dict] | None = None) -> Card:
    """A card of ``body`` (a TextBlock with no words left out: Teams shows it as a gap)."""
    result: Card = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": VERSION,
        "body": [b for b in body if b.get("type") != "TextBlock" or b.get("text", "").strip()],
    }
    if actions:
        result["actions"] = actions
    return result


def text(value: str, **extra: Any) -> dict:
    return {"type": "TextBlock", "text": value, "wrap": True, **extra}


def _link(span: Span, bold: bool) -> str:
    label = neutral(span.text, 200) or neutral(span.target, 200)
    target = span.target.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    return f"[{strong(label) if bold else label}]({target})"


def _group(spans: list[Span], bold: bool, mentions: list[tuple[str, str]] | None) -> str:
    """Spans of one kind and weight: words neutralized, people by name (or <at> mentions in a message)."""
    kind = spans[0].kind
    if kind == "link":
        return "".join(_link(s, bold) for s in spans)
    if kind == "mention" and mentions is not None:
        out = []
        for span in spans:
            name = neutral(span.text or span.target, 200)
            mentions.append((span.target, name))
            out.append(f"<at>{name}</at>")  # never inside ** (a mention's tag must stay whole)
        return "".join(out)
    if kind == "channel":
        words = "".join(neutral(s.text, 200) or "Teams" for s in spans)
    else:
        words = "".join(neutral(s.text or s.target, 200 if kind == "mention" else 3000) for s in spans)
    return strong(words) if bold else words


def markdown(rich: Rich, mentions: list[tuple[str, str]] | None = None) -> str:
    """Rich text as the markdown Teams renders: people's words neutralized (never backslashes, which Teams
    shows), bold as **…** placed where it renders next to Japanese punctuation, one paragraph per line. With
    ``mentions`` (for a message activity) people become <at> mentions, collected for the activity's
    entities."""
    out: list[str] = []
    for (is_bold, _kind), group in groupby(rich, key=lambda s: (s.bold, s.kind)):
        out.append(_group(list(group), is_bold, mentions))
    return paragraphs("".join(out))


def paragraphs(text: str) -> str:
    """One paragraph per line: a TextBlock joins lines split by a single line break."""
    return "\n\n".join(line for line in text.split("\n") if line.strip()) if text.strip() else ""


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
        text(neutral(view.title), size="Large", weight="Bolder"),
        text(strong(neutral(view.next_steps.title)), spacing="Medium"),
        text(markdown(_lines(view.next_steps.lines))),
        text(paragraphs(neutral(view.description)) or "-", separator=True),
        {
            "type": "FactSet",
            "facts": [{"title": neutral(f.label), "value": markdown(f.value)} for f in view.fields],
        },
    ]
    for part in view.parts:
        body.append(text(strong(neutral(part.title)), spacing="Medium"))
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
    title = f"{step.icon} {strong(neutral(step.title, 300))}"
    meta = " · ".join(markdown(m) for m in step.meta)
    if step.collapsed:
        items = [text(f"{title}" + (f" · {meta}" if meta else ""), size="Small")]
    else:
        items = [text(title)]
        if step.guidance:
            items.append(text(paragraphs(neutral(step.guidance, 1500)), isSubtle=True, spacing="None"))
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
        text(neutral(view.title), size="Medium", weight="Bolder"),
        text(neutral(view.progress), isSubtle=True),
    ]
    for step in view.steps:
        body += _step_items(step, lang)
    return card(body)


def lookalike_card(view: LookalikeQuestion) -> Card:
    """「LEAK-… と同じ事案ですか？」 with 統合する / 別事案として対応 while reports wait."""
    body = [text(strong(neutral(view.title)), size="Medium"), text(markdown(_lines(view.lines)))]
    return card(body, [execute(a) for a in view.actions])


def reminder_card(message: ReminderMessage) -> Card:
    body: list[dict] = [text(markdown(message.header), weight="Bolder")]
    for entry in message.entries:
        body.append(text(markdown(entry.text)))
        if entry.progress:
            body.append(text(neutral(entry.progress), isSubtle=True, spacing="None"))
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


# A bot message may be about 100 KB counted in UTF-16, and Microsoft advises staying within 80 KB
# (learn.microsoft.com, "Format your bot messages"): the drafts card keeps to this, with room around it.
DRAFTS_CARD_BUDGET = 76_000
SECTION_LIMIT = 800  # characters of each draft shown in the card: a Teams message holds about 28 KB


def drafts_card(drafts: Drafts, reference: str, lang: str) -> Card:
    """The drafts as one card, a collapsed section per document (open with its button); the full text and
    the .docx come from ``leakbot incidents export``. Each draft is rendered from its model, in what a
    TextBlock shows: headings in bold, fields as **label**: text, bullets as a list, the words neutralized. A
    filed / sent / published draft shows its frozen copy under its stamp."""
    body: list[dict] = [text(f"📄 {strong(neutral(drafts.title))}", size="Medium")]
    shown: list[tuple[Document, str]] = []  # each document, with the stamp of the frozen copy it belongs to
    for item in drafts.documents:
        if isinstance(item, Filed):
            shown += [(document, stamp(item)) for document in item.documents]
        else:
            shown.append((item, ""))
    too_long = [text(neutral(t("teams.drafts_too_long", lang, reference=reference)), isSubtle=True)]
    # Each draft gets an even share of the card: as much of its text as fits, every draft listed.
    share = (DRAFTS_CARD_BUDGET - _size(body) - 1_000) // max(1, len(shown))
    for number, (document, filed) in enumerate(shown, start=1):
        for limit in (SECTION_LIMIT, 400, 150, 0):
            entry = _draft_entry(number, document, _draft(document, filed, limit))
            if _size(entry) <= share:
                break
        else:
            entry = _draft_entry(number, document, too_long)
        body += entry
    body.append(text(neutral(t("teams.drafts_export", lang, reference=reference)), isSubtle=True))
    return card(body)


def _draft_entry(number: int, document: Document, items: list[dict]) -> list[dict]:
    """The draft's button and its collapsed text."""
    return [
        {
            "type": "ActionSet",
            "actions": [
                {
                    "type": "Action.ToggleVisibility",
                    "title": f"▸ {document.title}"[:120],
                    "targetElements": [f"draft_{number}"],
                }
            ],
        },
        {"type": "Container", "id": f"draft_{number}", "isVisible": False, "items": items},
    ]


def _size(body: list[dict]) -> int:
    """The message's size as Teams counts it: the payload encoded as UTF-16."""
    return len(json.dumps(body, ensure_ascii=False).encode("utf-16-le"))


def _draft(document: Document, filed: str = "", limit: int = SECTION_LIMIT) -> list[dict]:
    notes = [filed] if filed else []
    items: list[dict] = [text(neutral(note), isSubtle=True) for note in notes + document.notes()]
    shown = 0
    for section in document.sections:
        if shown >= limit:
            items.append(text(neutral(t("teams.drafts_cut", document.lang)), isSubtle=True))
            break
        shown_text = ""
        for index, block in enumerate(section.blocks):
            if index:  # a list runs on; a paragraph stands apart (a line of its own would join the list)
                kinds = {block.kind, section.blocks[index - 1].kind}
                shown_text += "\n\n" if "paragraph" in kinds else "\n"
            shown_text += _block(block)
        if len(shown_text) > limit - shown:  # a long section is cut, not left out of a card it alone fills
            shown_text = shown_text[: max(0, limit - shown)].rstrip()
            if shown_text.count("**") % 2:  # cut inside a bold label: no stray ** left to show
                head, _, tail = shown_text.rpartition("**")
                shown_text = head + tail
            shown_text += "…"
        shown += len(shown_text)
        items.append(text(strong(neutral(section.heading)), spacing="Medium"))
        if shown_text:
            items.append(text(shown_text, spacing="Small"))
    return items


def _block(block: Block) -> str:
    words = " ".join(neutral(line.strip(), 1500) for line in block.text.splitlines() if line.strip())
    if block.kind == "field":
        return f"- {strong(neutral(block.label))}: {words}"
    return f"- {words}" if block.kind == "bullet" else words
