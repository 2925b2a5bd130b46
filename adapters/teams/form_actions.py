"""The facts and correction cards and the reminder cards' buttons on Teams: Action.Execute handlers mixed into
TeamsBot (its core, platform, _who, _name, _form, _refusal and _summary)."""

from __future__ import annotations

import logging
from typing import Any

from microsoft_agents.hosting.core import TurnContext, TurnState

from adapters.teams.cards import (
    correct_card,
    correct_form_values,
    facts_card,
    facts_form_values,
    facts_values,
)
from adapters.teams.invoke import REFERENCE, REFUSALS, Malformed, _card, _field, _malformed, _message
from adapters.teams.platform import PLATFORM
from bot.i18n import t
from bot.refusals import refusal
from bot.services.errors import ServiceError
from bot.services.policy import Permission
from bot.services.report_form import FormErrors, parse_correction, parse_facts_form

log = logging.getLogger(__name__)


class FormActions:
    async def on_facts_open(self, context: TurnContext, state: TurnState, data: dict[str, Any]):
        return await self._form(
            context, data, lambda ref, i, lang: facts_card(ref, facts_form_values(i.facts), lang)
        )

    async def on_facts_save(self, context: TurnContext, state: TurnState, data: dict[str, Any]):
        """Membership is decided before anything of the incident is shown; a bad value brings the form
        back with what was typed and a message under the field."""
        self.metrics.requests.labels(PLATFORM, "facts").inc()
        actor, lang = self._who(context)
        try:
            ref = _field(data, "r", REFERENCE)
            incident = await self.core.incidents.authorize(ref, actor, Permission.WORK)
            now = self.core.clock.now()
            updates = parse_facts_form(facts_values(data), lang, now=now, aware_at=incident.aware_at)
            outcome = await self.core.incidents.update_facts(ref, updates, actor)
        except Malformed:
            return _malformed(lang)
        except FormErrors as invalid:
            return _card(facts_card(ref, data, lang, invalid.errors))
        except REFUSALS as refused:
            return self._refusal(refused, lang)
        return _card(await self._summary(outcome.incident))

    async def on_correct_open(self, context: TurnContext, state: TurnState, data: dict[str, Any]):
        return await self._form(
            context, data, lambda ref, i, lang: correct_card(ref, correct_form_values(i), lang)
        )

    async def on_correct_save(self, context: TurnContext, state: TurnState, data: dict[str, Any]):
        actor, lang = self._who(context)
        try:
            ref = _field(data, "r", REFERENCE)
            await self.core.incidents.authorize(ref, actor, Permission.WORK)
            correction = parse_correction(data, self.core.clock.now(), lang)
            outcome = await self.core.incidents.correct_report(ref, correction, actor)
        except Malformed:
            return _malformed(lang)
        except FormErrors as invalid:
            return _card(correct_card(ref, data, lang, invalid.errors))
        except REFUSALS as refused:
            if isinstance(refused, ServiceError) and refused.code in (
                "correction_reason_required",
                "too_long",
            ):
                return _card(
                    correct_card(ref, data, lang, {"reason": refusal(refused, lang, platform=PLATFORM)})
                )
            return self._refusal(refused, lang)
        return _card(await self._summary(outcome.incident))

    # --- reminder cards ----------------------------------------------------------------------------------

    async def on_ack(self, context: TurnContext, state: TurnState, data: dict[str, Any]):
        actor, lang = self._who(context)
        try:
            await self.core.incidents.acknowledge(_field(data, "r", REFERENCE), _field(data, "k"), actor)
        except Malformed:
            return _malformed(lang)
        except REFUSALS as refused:
            return self._refusal(refused, lang)
        return _message(t("reminder.acked", lang, who=self._name(actor, lang)))

    async def on_file(self, context: TurnContext, state: TurnState, data: dict[str, Any]):
        actor, lang = self._who(context)
        try:
            ref, key = _field(data, "r", REFERENCE), _field(data, "k")
            await self.core.incidents.mark_filed(ref, key, actor, context.activity.timestamp)
        except Malformed:
            return _malformed(lang)
        except REFUSALS as refused:
            return self._refusal(refused, lang)
        return _message(t("reminder.filed", lang, who=self._name(actor, lang)))
