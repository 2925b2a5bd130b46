"""The facts form and the correction of the report, from the summary's buttons."""

from __future__ import annotations

import logging
from typing import Any

from adapters.slack.blocks.forms import (
    correct_modal,
    facts_modal,
    facts_values,
    report_error_blocks,
)
from adapters.slack.listening import PLATFORM, REFUSALS
from adapters.slack.listening import actor as _actor
from adapters.slack.payloads import PARSED, state_values
from bot.i18n import t
from bot.refusals import refusal
from bot.services.policy import Permission
from bot.services.report_form import FormErrors, parse_correction, parse_facts_form

log = logging.getLogger(__name__)


class FactsListening:
    """Mixed into SlackListeners (its core, client, locales and _guarded)."""

    # --- facts and corrections -------------------------------------------------------------------------

    async def on_edit_facts(self, ack, body: dict[str, Any], context) -> None:
        await ack()
        user_id, ref = body["user"]["id"], context[PARSED].r
        await self._guarded(
            user_id, (body.get("channel") or {}).get("id"), self._open_facts(body["trigger_id"], ref, user_id)
        )

    async def _open_facts(self, trigger_id: str, ref: str, user_id: str) -> None:
        incident = await self.core.incidents.authorize(ref, _actor(user_id), Permission.WORK)
        lang = await self.locales.language(user_id)
        await self.client.views_open(trigger_id=trigger_id, view=facts_modal(ref, incident.facts, lang))

    async def on_facts_submitted(self, ack, body: dict[str, Any], view: dict[str, Any], context) -> None:
        self.metrics.requests.labels(PLATFORM, "facts").inc()
        meta, user_id = context[PARSED], body["user"]["id"]
        try:
            incident = await self.core.incidents.authorize(meta.ref, _actor(user_id), Permission.WORK)
            values, now = facts_values(state_values(view)), self.core.clock.now()
            updates = parse_facts_form(values, meta.lang, now=now, aware_at=incident.aware_at)
            await self.core.incidents.update_facts(meta.ref, updates, _actor(user_id))
        except FormErrors as invalid:
            await ack(response_action="errors", errors=invalid.errors)
            return
        except REFUSALS as refused:
            await ack(
                response_action="errors", errors={"cause": refusal(refused, meta.lang, platform=PLATFORM)}
            )
            return
        except Exception as exc:
            log.error("saving facts failed: %s", type(exc).__name__)
            await ack(response_action="errors", errors={"cause": t("error.unavailable", meta.lang)})
            return
        await ack()

    async def on_correct(self, ack, body: dict[str, Any], context) -> None:
        await ack()
        user_id, ref = body["user"]["id"], context[PARSED].r
        await self._guarded(
            user_id,
            (body.get("channel") or {}).get("id"),
            self._open_correct(body["trigger_id"], ref, user_id),
        )

    async def _open_correct(self, trigger_id: str, ref: str, user_id: str) -> None:
        incident = await self.core.incidents.authorize(ref, _actor(user_id), Permission.WORK)
        lang = await self.locales.language(user_id)
        await self.client.views_open(
            trigger_id=trigger_id, view=correct_modal(ref, incident.aware_at, incident.facts, lang)
        )

    async def on_correct_submitted(self, ack, body: dict[str, Any], view: dict[str, Any], context) -> None:
        meta, user_id = context[PARSED], body["user"]["id"]
        try:
            correction = parse_correction(state_values(view), self.core.clock.now(), meta.lang)
        except FormErrors as invalid:
            await ack(response_action="errors", errors=report_error_blocks(invalid.errors))
            return
        try:
            await self.core.incidents.correct_report(meta.ref, correction, _actor(user_id))
        except REFUSALS as refused:
            await ack(
                response_action="errors", errors={"reason": refusal(refused, meta.lang, platform=PLATFORM)}
            )
            return
        except Exception as exc:
            log.error("a correction failed: %s", type(exc).__name__)
            await ack(response_action="errors", errors={"reason": t("error.unavailable", meta.lang)})
            return
        await ack()
