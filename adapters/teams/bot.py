"""Teams events to core use cases, through the Agents SDK's AgentApplication. Same services, same
authorization and the same message catalog as Slack; cards update in place through Universal Actions."""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from typing import Any

from aiohttp import web
from microsoft_agents.activity import AdaptiveCardInvokeResponse
from microsoft_agents.hosting.aiohttp import jwt_authorization_decorator
from microsoft_agents.hosting.core import AgentApplication, MemoryStorage, TurnContext, TurnState

from adapters.metrics import Metrics
from adapters.teams.calendar import TeamsCalendar
from adapters.teams.cards import (
    received,
    report_form,
    report_values,
)
from adapters.teams.drafts import DraftsActions
from adapters.teams.drill_card import drill_picker
from adapters.teams.form_actions import FormActions
from adapters.teams.graph import GraphClient
from adapters.teams.invoke import (
    REFERENCE,
    REFUSALS,
    Malformed,
    _card,
    _field,
    _malformed,
    _message,
    _status,
)
from adapters.teams.lookalike_actions import LookalikeActions
from adapters.teams.platform import PLATFORM, TeamsPlatform
from adapters.teams.render import markdown, phase_card, summary_card
from adapters.teams.sdk import Conversation, TeamsGateway, card_activity, tenant_of, text_activity
from adapters.teams.settings import TeamsSettings
from bot.bootstrap import Core
from bot.commands import ByReference, by_reference
from bot.domain.vocabulary import Role
from bot.i18n import language_for, t
from bot.i18n.rich import text_of
from bot.refusals import refusal
from bot.services.errors import ServiceError
from bot.services.incidents import ReportRequest
from bot.services.policy import Permission
from bot.services.ports import Actor
from bot.services.report_form import FormErrors, parse_report
from bot.views.incident import phase_view, summary_view
from bot.views.notices import drill_refusal

log = logging.getLogger(__name__)
LEAK = re.compile(r"^\s*(?:<at>[^<]*</at>\s*)?leak\b\s*(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)


async def _activity_problem(request: web.Request, tenant_id: str | None) -> web.Response | None:
    """A 4xx for what is not an activity we can answer (no serviceUrl, not JSON) or comes from another
    tenant than ours; None when it may go on to the SDK."""
    try:
        activity = await request.json()
    except ValueError:
        return web.json_response({"error": "not JSON"}, status=400)
    if not isinstance(activity, dict) or not isinstance(activity.get("type"), str):
        return web.json_response({"error": "not an activity"}, status=400)
    if not isinstance(activity.get("serviceUrl"), str) or not activity["serviceUrl"].startswith("http"):
        return web.json_response({"error": "no serviceUrl"}, status=400)
    conversation = activity.get("conversation") if isinstance(activity.get("conversation"), dict) else {}
    channel_data = activity.get("channelData") if isinstance(activity.get("channelData"), dict) else {}
    tenants = {conversation.get("tenantId"), (channel_data.get("tenant") or {}).get("id")} - {None}
    if tenant_id and tenants and tenants != {tenant_id}:
        log.warning("refused a Teams activity from another tenant")
        return web.json_response({"error": "another tenant"}, status=403)
    return None


def graph_client(settings: TeamsSettings) -> GraphClient | None:
    """Microsoft Graph, in private-channel mode (a response team and the app's credentials)."""
    if not settings.graph_enabled:
        return None
    assert settings.tenant_id and settings.app_id and settings.app_password
    return GraphClient(
        settings.tenant_id,
        settings.app_id,
        settings.app_password.get_secret_value(),
        settings.graph_url,
        settings.graph_authority,
        timeout=settings.graph_timeout,
    )


class TeamsBot(DraftsActions, LookalikeActions, FormActions):
    def __init__(self, core: Core, settings: TeamsSettings, metrics: Metrics) -> None:
        self.core = core
        self.settings = settings
        self.metrics = metrics
        self.gateway = TeamsGateway(settings)
        self.graph = graph_client(settings)
        self.platform = TeamsPlatform(
            self.gateway, settings, core.conversations, core.org.language, core.org, self.graph
        )
        if settings.calendar and self.graph is not None:
            self.platform.calendar = TeamsCalendar(
                self.graph, core.org.language, settings.response_team, settings.tenant_id
            )
        elif settings.calendar:
            log.warning("LEAKBOT_TEAMS_CALENDAR needs private-channel mode (Graph): no calendar events")
        self._written = {w for role in Role for w in core.org.members_of(role)}
        core.journey.add_platform(self.platform)
        self.app: AgentApplication[TurnState] = AgentApplication[TurnState](
            storage=MemoryStorage(), connection_manager=self.gateway.connections
        )
        self._tasks: set[asyncio.Task] = set()
        self._register()

    def _register(self) -> None:
        self.app.message(LEAK)(self.on_leak)
        cards = self.app.adaptive_card
        cards.action_execute("leak.report")(self.on_report)
        cards.action_execute("leak.step")(self.on_step)
        cards.action_execute("leak.facts")(self.on_facts_open)
        cards.action_execute("leak.facts.save")(self.on_facts_save)
        cards.action_execute("leak.correct")(self.on_correct_open)
        cards.action_execute("leak.correct.save")(self.on_correct_save)
        cards.action_execute("leak.refresh")(self.on_refresh)
        cards.action_execute("leak.ack")(self.on_ack)
        cards.action_execute("leak.file")(self.on_file)
        cards.action_execute("leak.drill")(self.on_drill_pick)
        cards.action_execute("leak.docs")(self.on_docs_open)
        cards.action_execute("leak.docs.save")(self.on_docs_save)
        cards.action_execute("leak.edit")(self.on_edit_open)
        cards.action_execute("leak.edit.pick")(self.on_edit_pick)
        cards.action_execute("leak.edit.save")(self.on_edit_save)
        self.register_lookalikes(cards)

    def route(self):
        @jwt_authorization_decorator
        async def handle(request: web.Request) -> web.Response:
            self.metrics.requests.labels(PLATFORM, "activity").inc()
            problem = await _activity_problem(request, self.platform.tenant_id)
            if problem is not None:
                self.metrics.requests.labels(PLATFORM, "refused").inc()
                return problem
            return await self.gateway.adapter.process(request, self.app)

        return handle

    def _background(self, work) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        if self.graph is not None:
            await self.graph.close()

    async def settle(self) -> None:
        """Wait for background work (tests and the demo): ours, then the journey's."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        await self.core.settle()

    @property
    def notifier(self):
        """Reminders on Teams: the core's notifier over this platform."""
        return self.core.notifiers()[PLATFORM]

    def _who(self, context: TurnContext) -> tuple[Actor, str]:
        """Who acts: their Entra object id when Teams sends it (Graph and the connector both know people by
        it), unless the org config writes them by their 29: id."""
        activity = context.activity
        self.platform.seen(activity.service_url, tenant_of(activity))
        person = activity.from_property
        aad = getattr(person, "aad_object_id", None)
        user_id = aad if aad and person.id not in self._written else person.id
        self.platform.learn(person.id, person.name, aad)
        return Actor(PLATFORM, user_id), language_for(activity.locale)

    def _name(self, actor: Actor, lang: str) -> str:
        """The person by the name Teams showed us, never their id."""
        return self.platform.names.get(actor.user_id) or t("summary.member", lang)

    def _refusal(self, error: Exception, lang: str) -> AdaptiveCardInvokeResponse:
        return _message(
            refusal(error, lang, self.core.playbooks.get(self.core.org.playbook), platform=PLATFORM)
        )

    # --- messages ----------------------------------------------------------------------------------------

    async def on_leak(self, context: TurnContext, state: TurnState) -> None:
        actor, lang = self._who(context)
        match = LEAK.match(context.activity.text or "")
        rest = (match.group("rest") if match else "").strip()
        if context.activity.conversation.conversation_type == "personal":
            await self.core.conversations.remember(
                PLATFORM, f"user:{actor.user_id}", Conversation.of(context.activity).as_json()
            )
        if rest.lower() == "help":
            await context.send_activity(text_activity(t("teams.help", lang)))
            return
        words = rest.lower().split()
        if words and words[0] in ("drill", "訓練"):
            await self._drill(context, actor, lang, words[1:])
            return
        if (named := by_reference(rest)) is not None:
            await self._by_reference(context, actor, lang, named)
            return
        if words in (["close"], ["クローズ"], ["reopen"], ["再開"]):
            await self._close_or_reopen(context, actor, lang, reopen=words[0] in ("reopen", "再開"))
            return
        if rest.lower() == "status":
            conversation = context.activity.conversation.id  # the thread: "19:…;messageid=…"
            try:
                incident = await self.core.incidents.by_channel(conversation, actor)
            except REFUSALS as refused:
                await context.send_activity(text_activity(refusal(refused, lang, platform=PLATFORM)))
                return
            if incident is None:
                await context.send_activity(text_activity(t("teams.status_not_a_response_space", lang)))
            else:
                await context.send_activity(card_activity(await self._summary(incident)))
            return
        form = report_form(lang, self.core.clock.now(), str(uuid.uuid4()), {"summary": rest})
        await context.send_activity(card_activity(form))

    async def _close_or_reopen(self, context: TurnContext, actor: Actor, lang: str, reopen: bool) -> None:
        """leak close / leak reopen in a response channel or thread: the commander's (the core decides)."""
        try:
            incident = await self.core.incidents.by_channel(context.activity.conversation.id, actor)
            if incident is None:
                await context.send_activity(text_activity(t("teams.close_usage", lang)))
                return
            change = self.core.incidents.reopen if reopen else self.core.incidents.close
            await change(incident.reference, actor)
        except REFUSALS as refused:
            await context.send_activity(text_activity(refusal(refused, lang, platform=PLATFORM)))

    async def _by_reference(self, context: TurnContext, actor: Actor, lang: str, named: ByReference) -> None:
        """leak reopen REF, leak hold REF [reason], leak release REF: anywhere (the commander's)."""
        try:
            if named.verb == "reopen":
                await self.core.incidents.reopen(named.reference, actor)
                return  # the response space says it
            outcome = await self.core.incidents.set_legal_hold(
                named.reference, actor, named.verb == "hold", named.reason
            )
        except REFUSALS as refused:
            await context.send_activity(text_activity(refusal(refused, lang, platform=PLATFORM)))
            return
        key = "retention.hold_on" if outcome.incident.legal_hold else "retention.hold_off"
        await context.send_activity(text_activity(t(key, lang, reference=named.reference)))

    async def _drill(self, context: TurnContext, actor: Actor, lang: str, words: list[str]) -> None:
        """leak drill: the scenario picker; leak drill <scenario>: start it; leak drill end: end it here."""
        if words[:1] in (["end"], ["終了"]):
            try:
                incident = await self.core.incidents.by_channel(context.activity.conversation.id, actor)
                if incident is None or not incident.drill:
                    await context.send_activity(text_activity(t("drill.end_usage_teams", lang)))
                    return
                await self.core.incidents.close(incident.reference, actor)
            except REFUSALS as refused:
                await context.send_activity(text_activity(refusal(refused, lang, platform=PLATFORM)))
            return
        allowed, starters = await self.core.incidents.drill_starters(actor, self.platform)
        if not allowed:  # told who may, by name, before any picker
            log.info("a drill start was refused: drill_not_allowed")
            told = await self.platform.with_names(drill_refusal(starters, lang))
            await context.send_activity(text_activity(markdown(told)))
            return
        if words:
            try:
                await self._start_drill(words[0], actor, lang)
            except REFUSALS as refused:
                await context.send_activity(text_activity(refusal(refused, lang, platform=PLATFORM)))
            return
        await context.send_activity(card_activity(drill_picker(self.core.incidents.scenarios.values(), lang)))

    async def _start_drill(self, scenario: str, actor: Actor, lang: str) -> str:
        outcome = await self.core.incidents.start_drill(scenario, actor, lang, self.platform)
        log.info("drill %s started", outcome.incident.reference)
        return outcome.incident.reference

    async def on_drill_pick(self, context: TurnContext, state: TurnState, data: dict[str, Any]):
        actor, lang = self._who(context)
        try:
            reference = await self._start_drill(_field(data, "scenario"), actor, lang)
        except Malformed:
            return _malformed(lang)
        except REFUSALS as refused:
            if isinstance(refused, ServiceError) and refused.code == "drill_not_allowed":
                _, starters = await self.core.incidents.drill_starters(actor, self.platform)
                return _message(text_of(await self.platform.with_names(drill_refusal(starters, lang))))
            return self._refusal(refused, lang)
        return _message(t("drill.started", lang, reference=reference))

    # --- the report --------------------------------------------------------------------------------------

    async def on_report(
        self, context: TurnContext, state: TurnState, data: dict[str, Any]
    ) -> AdaptiveCardInvokeResponse:
        self.metrics.requests.labels(PLATFORM, "report").inc()
        actor, lang = self._who(context)
        values = report_values(data)
        try:
            parsed = parse_report(values, self.core.clock.now(), lang)
        except FormErrors as invalid:
            return _card(
                report_form(lang, self.core.clock.now(), data.get("form_id", ""), data, invalid.errors)
            )
        key = f"teams:form:{data.get('form_id') or context.activity.id}"
        try:
            outcome = await self.core.incidents.report(
                ReportRequest(PLATFORM, actor.user_id, lang, parsed.aware_at, parsed.facts, key)
            )
        except Exception as exc:
            log.error("a Teams report could not be saved: %s", type(exc).__name__)
            errors = {"summary": t("form.error.not_saved", lang)}
            return _card(report_form(lang, self.core.clock.now(), data.get("form_id", ""), data, errors))
        if outcome.created:
            self.metrics.incidents_opened.labels(PLATFORM).inc()
            log.info("incident %s reported", outcome.incident.reference)
        return _card(received(outcome.incident.reference, lang, self.platform.team is not None))

    async def _summary(self, incident) -> dict:
        view = summary_view(incident, self.core.clock.now(), self.core.org.language)
        return summary_card(await self.platform.with_names(view))

    # --- cards in the response thread ---------------------------------------------------------------------

    async def on_step(
        self, context: TurnContext, state: TurnState, data: dict[str, Any]
    ) -> AdaptiveCardInvokeResponse:
        self.metrics.requests.labels(PLATFORM, "step").inc()
        actor, lang = self._who(context)
        try:
            ref, step_id, target = _field(data, "r", REFERENCE), _field(data, "s"), _status(data)
        except Malformed:
            return _malformed(lang)
        typed = data.get(f"reason_{step_id}", data.get("reason"))  # the skip form's input is per step
        reason = typed if isinstance(typed, str) else None
        try:
            outcome = await self.core.incidents.set_step(
                ref, step_id, target, actor, reason, context.activity.timestamp
            )
        except REFUSALS as refused:
            return self._refusal(refused, lang)
        incident = outcome.incident
        playbook = self.core.playbooks.get(incident.playbook_id)
        step = next(s for s in playbook.steps if s.id == step_id)
        lang = self.core.org.language
        view = phase_view(incident, playbook, step.phase, self.core.clock.now(), lang)
        return _card(phase_card(await self.platform.with_names(view), lang))

    async def _form(self, context: TurnContext, data: dict[str, Any], build):
        """A form opened from the summary: only for who may work the incident (refusals recorded)."""
        actor, lang = self._who(context)
        try:
            ref = _field(data, "r", REFERENCE)
            incident = await self.core.incidents.authorize(ref, actor, Permission.WORK)
        except Malformed:
            return _malformed(lang)
        except REFUSALS as refused:
            return self._refusal(refused, lang)
        return _card(build(ref, incident, lang))

    async def on_refresh(self, context: TurnContext, state: TurnState, data: dict[str, Any]):
        actor, lang = self._who(context)
        try:
            incident = await self.core.incidents.get(_field(data, "r", REFERENCE), actor)
        except Malformed:
            return _malformed(lang)
        except REFUSALS as refused:
            return self._refusal(refused, lang)
        return _card(await self._summary(incident))
