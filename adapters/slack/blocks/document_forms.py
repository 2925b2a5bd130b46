"""The drafts' modals: a document's status (reviewed, filed, sent, published, or taken back with a reason),
and a section rewritten by the team (pick the section, then its text)."""

from __future__ import annotations

from adapters.slack.blocks.elements import (
    input_block,
    modal,
    option,
    section,
    static_select,
    text_input,
)
from adapters.slack.blocks.elements import plain as plain_text
from adapters.slack.blocks.forms import DOCUMENTS_CALLBACK, EDIT_CALLBACK, EDIT_PICK_CALLBACK
from adapters.slack.mrkdwn import safe
from bot.documents.edits import EDIT_MAX
from bot.domain.facts import REASON_MAX
from bot.i18n import t


def documents_modal(reference: str, states: tuple, lang: str, at: float | None = None) -> dict:
    """Mark a draft reviewed, filed, sent or published: which draft, and where it now stands; a reason when a
    final status is taken back. ``at``: Slack's time of the click that opened it (stale forms are refused)."""
    documents = [
        option(f"{t('document.' + s.key, lang)} ({t('document.status.' + s.status, lang)})", s.key)
        for s in states
    ]
    statuses = [
        option(t(f"document.status.{status}", lang), status)
        for status in ("draft", "reviewed", "filed", "sent", "published")
    ]
    blocks = [
        section(t("documents.intro", lang, reference=reference)),
        input_block("document", t("documents.which", lang), static_select(documents, None)),
        input_block("status", t("documents.status", lang), static_select(statuses, None)),
        input_block(
            "reason",
            t("documents.reason", lang),
            text_input(multiline=True, max_length=REASON_MAX),
            optional=True,
        ),
    ]
    return modal(
        DOCUMENTS_CALLBACK,
        t("documents.title", lang),
        blocks,
        t("documents.save", lang),
        t("form.cancel", lang),
        {"ref": reference, "lang": lang, "at": at},
    )


def edit_picker(reference: str, editable: tuple, lang: str) -> dict:
    """文書を編集, first step: which section of which draft (grouped by draft)."""
    groups: dict[str, list[dict]] = {}
    for e in editable:
        groups.setdefault(e.document, []).append(option(e.heading, f"{e.document}|{e.section}"))
    blocks = [section(t("edit.intro", lang, reference=reference))]
    if groups:
        element = {
            "type": "static_select",
            "action_id": "value",
            "option_groups": [
                {"label": plain_text(t(f"doc.name.{doc}", lang)), "options": options[:100]}
                for doc, options in list(groups.items())[:100]
            ],
        }
        blocks.append(input_block("section", t("edit.section", lang), element))
    else:
        blocks.append(section(t("edit.none", lang)))
    return modal(
        EDIT_PICK_CALLBACK,
        t("edit.title", lang),
        blocks,
        t("edit.next", lang),
        t("form.cancel", lang),
        {"ref": reference, "lang": lang},
    )


def edit_modal(reference: str, chosen, lang: str) -> dict:
    """文書を編集, second step: the section's text to rewrite (empty: back to the generated text)."""
    blocks = [
        section(f"*{safe(t(f'doc.name.{chosen.document}', lang))}* — {safe(chosen.heading)}"),
        input_block(
            "text",
            t("edit.text", lang),
            text_input(chosen.text, multiline=True, max_length=EDIT_MAX),
            optional=True,
            hint=t("edit.text_hint", lang),
        ),
    ]
    return modal(
        EDIT_CALLBACK,
        t("edit.title", lang),
        blocks,
        t("edit.save", lang),
        t("form.cancel", lang),
        {"ref": reference, "lang": lang, "doc": chosen.document, "sec": chosen.section},
    )
