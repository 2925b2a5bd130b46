"""The drafts from the summary card on Teams: 文書の状態 (with the reason when a final status is taken back; the
activity's time lets the core refuse a replayed or stale submission) and 文書を編集 (pick a section, then rewrite
it from its current text). The core decides who may; refusals come back under the field."""

from __future__ import annotations

import re
from typing import Any

from microsoft_agents.hosting.core import TurnContext, TurnState

from adapters.teams.cards import choices, execute
from adapters.teams.invoke import REFERENCE, REFUSALS, Malformed, _card, _field, _malformed
from adapters.teams.platform import PLATFORM
from adapters.teams.render import Card, card, text
from bot.documents.edits import EDIT_MAX
from bot.documents.status import states as document_states
from bot.domain.facts import REASON_MAX
from bot.i18n import t
from bot.refusals import refusal
from bot.services.errors import ServiceError
from bot.services.policy import Permission

CHOICE = re.compile(r"^[A-Za-z0-9_.:-]{1,80}\|[A-Za-z0-9_.:-]{1,80}$")
STATUSES = ("draft", "reviewed", "filed", "sent", "published")


def _error(errors: dict[str, str], field: str) -> list[dict]:
    return [text(errors[field], color="Attention", size="Small", spacing="None")] if field in errors else []


def documents_card(reference: str, states, lang: str, errors: dict[str, str] | None = None) -> Card:
    """Mark a draft reviewed, filed, sent or published (a reason to take a final status back)."""
    errors = errors or {}
    documents = [
        (f"{t('document.' + s.key, lang)} ({t('document.status.' + s.status, lang)})", s.key) for s in states
    ]
    statuses = [(t(f"document.status.{status}", lang), status) for status in STATUSES]
    body = [
        text(t("documents.title", lang), size="Medium", weight="Bolder"),
        text(t("documents.intro", lang, reference=reference)),
        {
            "type": "Input.ChoiceSet",
            "id": "document",
            "label": t("documents.which", lang),
            "style": "compact",
            "choices": choices(documents),
        },
        {
            "type": "Input.ChoiceSet",
            "id": "status",
            "label": t("documents.status", lang),
            "style": "compact",
            "choices": choices(statuses),
        },
        *_error(errors, "status"),
        {
            "type": "Input.Text",
            "id": "reason",
            "label": t("documents.reason", lang),
            "isMultiline": True,
            "maxLength": REASON_MAX,
        },
        *_error(errors, "reason"),
    ]
    actions = [
        execute(t("documents.save", lang), "leak.docs.save", {"r": reference}, style="positive"),
        execute(t("form.cancel", lang), "leak.refresh", {"r": reference}),
    ]
    return card(body, actions)


def edit_picker(reference: str, editable, lang: str, errors: dict[str, str] | None = None) -> Card:
    options = [
        (f"{t(f'doc.name.{e.document}', lang)}: {e.heading}", f"{e.document}|{e.section}") for e in editable
    ]
    body = [
        text(t("edit.title", lang), size="Medium", weight="Bolder"),
        text(t("edit.intro", lang, reference=reference)),
    ]
    if not options:
        return card([*body, text(t("edit.none", lang))])
    body += [
        {
            "type": "Input.ChoiceSet",
            "id": "section",
            "label": t("edit.section", lang),
            "style": "compact",
            "choices": choices(options),
        },
        *_error(errors or {}, "section"),
    ]
    actions = [
        execute(t("edit.next", lang), "leak.edit.pick", {"r": reference}, style="positive"),
        execute(t("form.cancel", lang), "leak.refresh", {"r": reference}),
    ]
    return card(body, actions)


def edit_card(reference: str, chosen, lang: str, errors: dict[str, str] | None = None) -> Card:
    body = [
        text(t("edit.title", lang), size="Medium", weight="Bolder"),
        text(f"**{t(f'doc.name.{chosen.document}', lang)}** — {chosen.heading}"),
        {
            "type": "Input.Text",
            "id": "text",
            "label": t("edit.text", lang),
            "isMultiline": True,
            "maxLength": EDIT_MAX,
            "value": chosen.text[:EDIT_MAX],
        },
        text(t("edit.text_hint", lang), isSubtle=True, size="Small"),
        *_error(errors or {}, "text"),
    ]
    data = {"r": reference, "d": chosen.document, "s": chosen.section}
    actions = [
        execute(t("edit.save", lang), "leak.edit.save", data, style="positive"),
        execute(t("form.cancel", lang), "leak.refresh", {"r": reference}),
    ]
    return card(body, actions)


class DraftsActions:
    """Mixed into TeamsBot (its core, _who, _form, _refusal, _summary, REFUSALS and the card helpers)."""

    async def on_docs_open(self, context: TurnContext, state: TurnState, data: dict[str, Any]):
        return await self._form(context, data, _documents_form)

    async def on_docs_save(self, context: TurnContext, state: TurnState, data: dict[str, Any]):
        actor, lang = self._who(context)
        try:
            ref = _field(data, "r", REFERENCE)
            outcome = await self.core.incidents.set_document_status(
                ref,
                str(data.get("document") or ""),
                str(data.get("status") or ""),
                actor,
                reason=str(data.get("reason") or "") or None,
                acted_at=context.activity.timestamp,
            )
        except Malformed:
            return _malformed(lang)
        except REFUSALS as refused:
            try:
                incident = await self.core.incidents.authorize(ref, actor, Permission.WORK)
            except REFUSALS:
                return self._refusal(refused, lang)
            field = "reason" if _about_reason(refused) else "status"
            return _card(
                _documents_form(ref, incident, lang, {field: refusal(refused, lang, platform=PLATFORM)})
            )
        return _card(await self._summary(outcome.incident))

    async def on_edit_open(self, context: TurnContext, state: TurnState, data: dict[str, Any]):
        actor, lang = self._who(context)
        try:
            ref = _field(data, "r", REFERENCE)
            editable = await self.core.incidents.editable(ref, actor)
        except Malformed:
            return _malformed(lang)
        except REFUSALS as refused:
            return self._refusal(refused, lang)
        return _card(edit_picker(ref, editable, lang))

    async def on_edit_pick(self, context: TurnContext, state: TurnState, data: dict[str, Any]):
        actor, lang = self._who(context)
        try:
            ref = _field(data, "r", REFERENCE)
            choice = _field(data, "section", CHOICE)
            editable = await self.core.incidents.editable(ref, actor)
        except Malformed:
            return _malformed(lang)
        except REFUSALS as refused:
            return self._refusal(refused, lang)
        document, _, section = choice.partition("|")
        chosen = next((e for e in editable if (e.document, e.section) == (document, section)), None)
        if chosen is None:
            unknown = {"section": t("error.unknown_document", lang, reference=ref)}
            return _card(edit_picker(ref, editable, lang, unknown))
        return _card(edit_card(ref, chosen, lang))

    async def on_edit_save(self, context: TurnContext, state: TurnState, data: dict[str, Any]):
        actor, lang = self._who(context)
        try:
            ref = _field(data, "r", REFERENCE)
            document, section = _field(data, "d"), _field(data, "s")
            name = getattr(context.activity.from_property, "name", "") or ""
            outcome = await self.core.incidents.edit_section(
                ref, document, section, str(data.get("text") or ""), actor, by_name=name
            )
        except Malformed:
            return _malformed(lang)
        except REFUSALS as refused:
            try:
                editable = await self.core.incidents.editable(ref, actor)
            except REFUSALS:
                return self._refusal(refused, lang)
            chosen = next((e for e in editable if (e.document, e.section) == (document, section)), None)
            if chosen is None:
                return self._refusal(refused, lang)
            typed = type(chosen)(chosen.document, chosen.section, chosen.heading, str(data.get("text") or ""))
            return _card(edit_card(ref, typed, lang, {"text": refusal(refused, lang, platform=PLATFORM)}))
        return _card(await self._summary(outcome.incident))


def _documents_form(reference: str, incident, lang: str, errors: dict[str, str] | None = None):
    return documents_card(
        reference,
        document_states(incident.document_states, incident.deadlines, incident.facts.jurisdictions),
        lang,
        errors,
    )


def _about_reason(refused: Exception) -> bool:
    return isinstance(refused, ServiceError) and refused.code in ("takeback_reason_required", "too_long")
