"""The drafts from the summary: 文書の状態 (a draft's status, with the reason when a final status is taken back)
and 文書を編集 (pick a section, then rewrite it in a text area that starts from its current text). Who may do
what, and whether a submission is stale, is the core's to decide; refusals come back as field errors."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from adapters.slack.blocks.document_forms import documents_modal, edit_modal, edit_picker
from adapters.slack.listening import PLATFORM
from adapters.slack.listening import actor as _actor
from adapters.slack.payloads import PARSED, action_time, state_values
from bot.documents.status import states as document_states
from bot.i18n import t
from bot.refusals import refusal
from bot.services.errors import ServiceError
from bot.services.policy import Permission

log = logging.getLogger(__name__)


def _clicked_at(body: dict[str, Any]) -> float | None:
    actions = body.get("actions") or [{}]
    moment = action_time(actions[0])
    return moment.timestamp() if moment else None


class DraftsListening:
    """Mixed into SlackListeners (its core, client, locales, _guarded and REFUSALS)."""

    # --- 文書の状態 ------------------------------------------------------------------------------------

    async def on_documents(self, ack, body: dict[str, Any], context) -> None:
        await ack()
        user_id, ref = body["user"]["id"], context[PARSED].r
        opened = self._open_documents(body["trigger_id"], ref, user_id, _clicked_at(body))
        await self._guarded(user_id, (body.get("channel") or {}).get("id"), opened)

    async def _open_documents(self, trigger_id: str, ref: str, user_id: str, at: float | None) -> None:
        incident = await self.core.incidents.authorize(ref, _actor(user_id), Permission.WORK)
        lang = await self.locales.language(user_id)
        states = document_states(incident.document_states, incident.deadlines, incident.facts.jurisdictions)
        await self.client.views_open(trigger_id=trigger_id, view=documents_modal(ref, states, lang, at))

    async def on_documents_submitted(self, ack, body: dict[str, Any], view: dict[str, Any], context) -> None:
        """``at`` in the modal is Slack's time of the click that opened it: a form opened before the document's
        last change, or the same submission replayed, is refused as stale."""
        meta, user_id = context[PARSED], body["user"]["id"]
        values = state_values(view)
        acted_at = datetime_of(meta.at)
        try:
            await self.core.incidents.set_document_status(
                meta.ref,
                str(values.get("document") or ""),
                str(values.get("status") or ""),
                _actor(user_id),
                reason=str(values.get("reason") or "") or None,
                acted_at=acted_at,
            )
        except self.REFUSALS as refused:
            field = "reason" if _about_reason(refused) else "status"
            await ack(
                response_action="errors", errors={field: refusal(refused, meta.lang, platform=PLATFORM)}
            )
            return
        except Exception as exc:
            log.error("a document status change failed: %s", type(exc).__name__)
            await ack(response_action="errors", errors={"status": t("error.unavailable", meta.lang)})
            return
        await ack()

    # --- 文書を編集 ------------------------------------------------------------------------------------

    async def on_edit(self, ack, body: dict[str, Any], context) -> None:
        await ack()
        user_id, ref = body["user"]["id"], context[PARSED].r
        opened = self._open_edit(body["trigger_id"], ref, user_id)
        await self._guarded(user_id, (body.get("channel") or {}).get("id"), opened)

    async def _open_edit(self, trigger_id: str, ref: str, user_id: str) -> None:
        editable = await self.core.incidents.editable(ref, _actor(user_id))
        lang = await self.locales.language(user_id)
        await self.client.views_open(trigger_id=trigger_id, view=edit_picker(ref, editable, lang))

    async def on_edit_picked(self, ack, body: dict[str, Any], view: dict[str, Any], context) -> None:
        """The section chosen: the same modal becomes the text area, starting from the section's text."""
        meta, user_id = context[PARSED], body["user"]["id"]
        document, _, section = str(state_values(view).get("section") or "").partition("|")
        try:
            editable = await self.core.incidents.editable(meta.ref, _actor(user_id))
        except self.REFUSALS as refused:
            await ack(
                response_action="errors", errors={"section": refusal(refused, meta.lang, platform=PLATFORM)}
            )
            return
        chosen = next((e for e in editable if (e.document, e.section) == (document, section)), None)
        if chosen is None:
            await ack(
                response_action="errors",
                errors={"section": t("error.unknown_document", meta.lang, reference=meta.ref)},
            )
            return
        await ack(response_action="update", view=edit_modal(meta.ref, chosen, meta.lang))

    async def on_edit_submitted(self, ack, body: dict[str, Any], view: dict[str, Any], context) -> None:
        meta, user = context[PARSED], body["user"]
        text = str(state_values(view).get("text") or "")
        try:
            await self.core.incidents.edit_section(
                meta.ref, meta.doc, meta.sec, text, _actor(user["id"]), by_name=str(user.get("name") or "")
            )
        except self.REFUSALS as refused:
            await ack(
                response_action="errors", errors={"text": refusal(refused, meta.lang, platform=PLATFORM)}
            )
            return
        except Exception as exc:
            log.error("a section edit failed: %s", type(exc).__name__)
            await ack(response_action="errors", errors={"text": t("error.unavailable", meta.lang)})
            return
        await ack()


def datetime_of(at: float | None) -> datetime | None:
    return datetime.fromtimestamp(at, UTC) if at is not None else None


def _about_reason(refused: Exception) -> bool:
    return isinstance(refused, ServiceError) and refused.code in ("takeback_reason_required", "too_long")
