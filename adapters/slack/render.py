"""The core's view models as Slack mrkdwn and Block Kit. No wording and no rule here: only the mapping.

Every block that shows a step carries the step's id in its ``block_id`` (``step:<id>``, ``act:<id>``), so an
update can be matched to a step; a step's blocks change only when its state or owner does.
"""

from __future__ import annotations

import json
from itertools import groupby

from adapters.slack.blocks.elements import Block, context, divider, header, md, section
from adapters.slack.mrkdwn import MAX_SECTION, clip, escape
from bot.i18n.rich import Rich, Span
from bot.views.elements import Action
from bot.views.incident import PhaseView, StepLine, SummaryView
from bot.views.lookalike import LookalikeQuestion
from bot.views.notices import HomeView
from bot.views.reminders import ReminderMessage

STEP_ACTION = "step"
STEP_MENU = "stepmenu"
SUMMARY_ACTION = "summary"
REMINDER_ACTION = "reminder"
LOOKALIKE_ACTION = "lookalike"
MAX_STEPS_WITH_DIVIDERS = 15  # a message holds 50 blocks: 2 + 3 per step with dividers, 2 without


def _span(span: Span) -> str:
    if span.kind == "mention":
        return f"<@{span.target}>"
    if span.kind == "channel":
        return f"<#{span.target}>"
    if span.kind == "link":
        return f"<{span.target}|{escape(span.text)}>"
    return escape(span.text)


def mrkdwn(text: Rich, limit: int = MAX_SECTION) -> str:
    """Rich text as mrkdwn: user words escaped (no forged mentions, links or @channel), bold as *…*."""
    out: list[str] = []
    for is_bold, group in groupby(text, key=lambda s: s.bold):
        inner = "".join(_span(s) for s in group)
        if is_bold and inner.strip():
            stripped = inner.strip().replace("*", "＊")
            lead, trail = inner[: len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()) :]
            out.append(f"{lead}*{stripped}*{trail}")
        else:
            out.append(inner)
    return clip("".join(out), limit)


def button(action: Action, action_id: str) -> dict:
    element = {
        "type": "button",
        "text": {"type": "plain_text", "text": action.label[:75], "emoji": True},
        "action_id": action_id,
        "value": json.dumps(action.value, separators=(",", ":")),
    }
    if action.style:
        element["style"] = action.style
    return element


def summary_blocks(view: SummaryView) -> list[Block]:
    blocks: list[Block] = [
        header(view.title),
        section(f"*{escape(view.next_steps.title)}*\n" + mrkdwn(_lines(view.next_steps.lines), 2900)),
        section(escape(view.description) or "-"),
        {
            "type": "section",
            "fields": [md(f"*{escape(f.label)}*\n{mrkdwn(f.value, 1900)}") for f in view.fields],
        },
    ]
    for part in view.parts:
        blocks.append(section(f"*{escape(part.title)}*\n" + mrkdwn(_lines(part.lines), 2900)))
    blocks += [context(mrkdwn(note)) for note in view.notes]
    if view.actions:
        blocks.append(
            {
                "type": "actions",
                "block_id": f"summary:{view.reference}",
                "elements": [button(a, f"{SUMMARY_ACTION}:{a.verb}") for a in view.actions],
            }
        )
    return blocks


def _lines(lines: tuple[Rich, ...]) -> Rich:
    spans: list[Span] = []
    for index, line in enumerate(lines):
        if index:
            spans.append(Span("\n"))
        spans.extend(line)
    return tuple(spans)


def _step_blocks(step: StepLine, reference: str) -> list[Block]:
    title = f"{step.icon} *{escape(step.title)}*"
    if step.collapsed:
        line = " · ".join([title, *(mrkdwn(m) for m in step.meta)])
        text = section(clip(line), block_id=f"step:{step.step_id}")
        if step.menu:
            text["accessory"] = _overflow(step, reference)
        return [text]
    lines = [title, escape(step.guidance)[:1500], " · ".join(mrkdwn(m, 600) for m in step.meta)]
    blocks: list[Block] = [section(clip("\n".join(x for x in lines if x)), block_id=f"step:{step.step_id}")]
    elements = []
    if step.primary is not None:
        elements.append(button(step.primary, f"{STEP_ACTION}:{step.step_id}:{step.primary.value['t']}"))
    if step.menu:
        elements.append(_overflow(step, reference))
    if elements:
        blocks.append({"type": "actions", "block_id": f"act:{step.step_id}", "elements": elements})
    return blocks


def _overflow(step: StepLine, reference: str) -> dict:
    """スキップ / 該当なし / 再開 in one menu; each option's value is "<reference>|<target state>"."""
    return {
        "type": "overflow",
        "action_id": f"{STEP_MENU}:{step.step_id}",
        "options": [
            {
                "text": {"type": "plain_text", "text": a.label[:75], "emoji": True},
                "value": f"{reference}|{a.value['t']}",
            }
            for a in step.menu
        ],
    }


def phase_blocks(view: PhaseView) -> list[Block]:
    blocks: list[Block] = [header(view.title), context(escape(view.progress))]
    dividers = len(view.steps) <= MAX_STEPS_WITH_DIVIDERS
    for step in view.steps:
        if dividers:
            blocks.append(divider())
        blocks += _step_blocks(step, view.reference)
    return blocks


def lookalike_blocks(view: LookalikeQuestion) -> list[Block]:
    """「LEAK-… と同じ事案ですか？」 with its two buttons while reports wait."""
    blocks: list[Block] = [section(f"*{escape(view.title)}*\n" + mrkdwn(_lines(view.lines), 2900))]
    if view.actions:
        blocks.append(
            {
                "type": "actions",
                "block_id": view.question,
                "elements": [button(a, f"{LOOKALIKE_ACTION}:{a.verb}") for a in view.actions],
            }
        )
    return blocks


def reminder_blocks(message: ReminderMessage) -> list[Block]:
    blocks: list[Block] = [section(mrkdwn(message.header))]
    for number, entry in enumerate(message.entries, start=1):
        if not message.direct:
            owners = f"\n{mrkdwn(entry.owners)}" if entry.owners else ""
            blocks.append(section(mrkdwn(entry.text) + owners))
            continue
        blocks.append(section(mrkdwn(entry.text)))
        channel = f"<#{entry.channel_id}>" if entry.channel_id else "-"
        blocks.append(context(escape(entry.progress), channel_link(channel)))
        blocks.append(
            {
                "type": "actions",
                "block_id": f"reminder:{number}",
                "elements": [button(a, f"{REMINDER_ACTION}:{a.verb}:{number}") for a in entry.actions],
            }
        )
    return blocks


def channel_link(channel: str) -> str:
    from bot.i18n import t  # the label only; the channel reference is Slack's own syntax

    return t("reminder.channel_link", "ja", channel=channel)


def home_blocks(view: HomeView) -> dict:
    blocks: list[Block] = [
        header(view.title),
        section(escape(view.intro)),
        divider(),
        section(mrkdwn(view.mine)),
    ]
    if not view.entries:
        blocks.append(context(escape(view.empty)))
    for entry in view.entries:
        channel = f"<#{entry.channel_id}>" if entry.channel_id else "-"
        blocks.append(section(f"*{escape(entry.reference)}* · {escape(entry.status)} · {channel}"))
        blocks.append(context(escape(entry.progress), escape(entry.next_deadline)))
    return {"type": "home", "blocks": blocks}
