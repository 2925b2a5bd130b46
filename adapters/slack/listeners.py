"""Slack events to core use cases. Every listener acknowledges within Slack's 3 seconds; what happens after
the ack runs guarded: a refusal or a failure reaches the person in their language, never as a stack trace.
Who may do what is decided by the core; payload shapes were checked by ``payloads.check_payload``."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable
from datetime import datetime
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from adapters.metrics import Metrics
from adapters.slack.blocks.elements import modal, section
from adapters.slack.blocks.forms import (
    CORRECT_CALLBACK,
    DOCUMENTS_CALLBACK,
    DRILL_CALLBACK,
    EDIT_CALLBACK,
    EDIT_PICK_CALLBACK,
    FACTS_CALLBACK,
    REPORT_CALLBACK,
    SKIP_CALLBACK,
    drill_modal,
    report_error_blocks,
    report_modal,
    report_values,
    skip_modal,
)
from adapters.slack.directory import LocaleCache
from adapters.slack.drafts_listeners import DraftsListening
from adapters.slack.facts_listeners import FactsListening
from adapters.slack.listening import PLATFORM, REFUSALS
from adapters.slack.listening import actor as _actor
from adapters.slack.lookalike_listeners import ACTIONS as LOOKALIKE_ACTIONS
from adapters.slack.lookalike_listeners import LookalikeListening
from adapters.slack.payloads import PARSED, action_time, check_payload, state_values
from adapters.slack.reminder_listeners import ReminderListening
from adapters.slack.render import REMINDER_ACTION, STEP_ACTION, STEP_MENU, SUMMARY_ACTION, home_blocks, mrkdwn
from bot.bootstrap import Core
from bot.commands import ByReference, by_reference
from bot.i18n import LANGUAGES, t
from bot.i18n.rich import rich
from bot.playbook.engine import StepStatus
from bot.refusals import refusal
from bot.services.incidents import ReportRequest
from bot.services.policy import Permission
from bot.services.report_form import FormErrors, parse_report
from bot.views.notices import drill_refusal, home_view

log = logging.getLogger(__name__)
SAVE_BUDGET = 2.0  # seconds a report may take to save before the modal is acknowledged without waiting
BURST_SAVES = 10  # reports saving at once from which the next is acknowledged at once (a mass report)


class SlackListeners(DraftsListening, LookalikeListening, FactsListening, ReminderListening):
    REFUSALS = REFUSALS

    def __init__(self, core: Core, app: AsyncApp, metrics: Metrics) -> None:
        self.core = core
        self.client = app.client
        self.metrics = metrics
        self.locales = LocaleCache(app.client)
        self.journey = core.journey
        self._tasks: set[asyncio.Task] = set()
        self._saving: set[asyncio.Future] = set()  # reports being saved
        for lang in LANGUAGES:  # the catalog and the report modal's fixed blocks, before the first /leak
            report_modal(lang, core.clock.now(), "", None)

    def register(self, app: AsyncApp) -> None:
        app.middleware(check_payload)
        app.command("/leak")(self.on_command)
        app.view(REPORT_CALLBACK)(self.on_report_submitted)
        app.view(FACTS_CALLBACK)(self.on_facts_submitted)
        app.view(SKIP_CALLBACK)(self.on_skip_submitted)
        app.view(CORRECT_CALLBACK)(self.on_correct_submitted)
        app.view(DOCUMENTS_CALLBACK)(self.on_documents_submitted)
        app.view(EDIT_PICK_CALLBACK)(self.on_edit_picked)
        app.view(EDIT_CALLBACK)(self.on_edit_submitted)
        app.view(DRILL_CALLBACK)(self.on_drill_submitted)
        app.action(re.compile(rf"^{STEP_ACTION}:"))(self.on_step_button)
        app.action(re.compile(rf"^{STEP_MENU}:"))(self.on_step_button)
        app.action(f"{SUMMARY_ACTION}:facts")(self.on_edit_facts)
        app.action(f"{SUMMARY_ACTION}:correct")(self.on_correct)
        app.action(f"{SUMMARY_ACTION}:refresh")(self.on_refresh)
        app.action(f"{SUMMARY_ACTION}:calendar")(self.on_calendar)
        app.action(f"{SUMMARY_ACTION}:docs")(self.on_documents)
        app.action(f"{SUMMARY_ACTION}:edit")(self.on_edit)
        app.action(re.compile(rf"^{REMINDER_ACTION}:ack:"))(self.on_reminder_ack)
        app.action(re.compile(rf"^{REMINDER_ACTION}:file:"))(self.on_reminder_file)
        app.event("app_home_opened")(self.on_home_opened)
        for action_id in LOOKALIKE_ACTIONS:
            app.action(action_id)(self.on_lookalike_answer)

    # --- after the ack -------------------------------------------------------------------------------------

    async def _guarded(self, user_id: str, channel_id: str | None, work: Awaitable[None]) -> None:
        """Run what follows an ack; tell the person about a refusal or a failure in their language."""
        try:
            await work
        except REFUSALS as refused:
            await self._tell(user_id, channel_id, await self._refusal_text(refused, user_id))
        except Exception as exc:
            log.error("a Slack action failed after its ack: %s", type(exc).__name__, exc_info=exc)
            try:
                await self._tell(
                    user_id, channel_id, t("error.unavailable", await self.locales.language(user_id))
                )
            except Exception as again:
                log.error("could not tell the person either: %s", type(again).__name__)

    async def _refusal_text(self, error: Exception, user_id: str) -> str:
        lang = await self.locales.language(user_id)
        return refusal(error, lang, self.core.playbooks.get(self.core.org.playbook), platform=PLATFORM)

    async def _tell(self, user_id: str, channel_id: str | None, text: str) -> None:
        """An ephemeral message where the person is; a direct message when that is not possible."""
        if channel_id:
            try:
                await self.client.chat_postEphemeral(channel=channel_id, user=user_id, text=text)
                return
            except SlackApiError as exc:
                log.info("ephemeral not possible (%s); sending a DM", exc.response.get("error"))
        await self.client.chat_postMessage(channel=user_id, text=text)

    def _background(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # --- /leak -----------------------------------------------------------------------------------------

    async def on_command(self, ack, command: dict[str, Any]) -> None:
        self.metrics.requests.labels(PLATFORM, "command").inc()
        word = (command.get("text") or "").strip().lower()
        user_id, channel_id = command["user_id"], command.get("channel_id")
        if word in ("help", "ヘルプ"):
            await ack(text=mrkdwn(rich("help.text", await self.locales.language(user_id))))
            return
        await ack()
        if word in ("status", "状況"):
            await self._guarded(user_id, channel_id, self._status(channel_id, user_id))
        elif word.split(" ")[0] in ("drill", "訓練"):
            rest = word.split(" ", 1)[1].strip() if " " in word else ""
            await self._guarded(user_id, channel_id, self._drill(command, rest))
        elif (named := by_reference(command.get("text") or "")) is not None:
            await self._guarded(user_id, channel_id, self._by_reference(user_id, channel_id, named))
        elif word in ("close", "クローズ", "reopen", "再開"):
            reopen = word in ("reopen", "再開")
            await self._guarded(user_id, channel_id, self._close_or_reopen(channel_id, user_id, reopen))
        else:
            lang = await self.locales.language(user_id)
            view = report_modal(lang, self.core.clock.now(), command.get("text") or "", channel_id)
            await self._guarded(
                user_id, channel_id, self.client.views_open(trigger_id=command["trigger_id"], view=view)
            )

    async def _drill(self, command: dict[str, Any], rest: str) -> None:
        """/leak drill: the scenario picker; /leak drill <scenario>: start it; /leak drill end: end it here."""
        user_id, channel_id = command["user_id"], command.get("channel_id")
        lang = await self.locales.language(user_id)
        if rest in ("end", "終了"):
            incident = await self.core.incidents.by_channel(channel_id or "", _actor(user_id))
            if incident is None or not incident.drill:
                await self._tell(user_id, channel_id, t("drill.end_usage", lang))
                return
            await self.core.incidents.close(incident.reference, _actor(user_id))
            return
        directory = self.core.journey.platforms.get(PLATFORM)
        allowed, starters = await self.core.incidents.drill_starters(_actor(user_id), directory)
        if not allowed:  # told who may, by name, before any picker
            log.info("a drill start was refused: drill_not_allowed")
            await self._tell(user_id, channel_id, mrkdwn(drill_refusal(starters, lang)))
            return
        if rest:
            await self._start_drill(rest, user_id, lang)
            return
        scenarios = self.core.incidents.scenarios.values()
        await self.client.views_open(trigger_id=command["trigger_id"], view=drill_modal(scenarios, lang))

    async def _start_drill(self, scenario: str, user_id: str, lang: str) -> None:
        directory = self.core.journey.platforms.get(PLATFORM)
        outcome = await self.core.incidents.start_drill(scenario, _actor(user_id), lang, directory)
        log.info("drill %s started", outcome.incident.reference)

    async def on_drill_submitted(self, ack, body: dict[str, Any], view: dict[str, Any], context) -> None:
        meta, user_id = context[PARSED], body["user"]["id"]
        scenario = str(state_values(view).get("scenario") or "")
        try:
            await self._start_drill(scenario, user_id, meta.lang)
        except REFUSALS as refused:
            await ack(
                response_action="errors", errors={"scenario": refusal(refused, meta.lang, platform=PLATFORM)}
            )
            return
        except Exception as exc:
            log.error("starting a drill failed: %s", type(exc).__name__)
            await ack(response_action="errors", errors={"scenario": t("error.unavailable", meta.lang)})
            return
        await ack()

    async def _status(self, channel_id: str | None, user_id: str) -> None:
        incident = await self.core.incidents.by_channel(channel_id or "", _actor(user_id))
        if incident is None:
            lang = await self.locales.language(user_id)
            await self._tell(user_id, channel_id, t("status.not_a_response_channel", lang))
            return
        await self.journey.post_summary(incident)

    async def _close_or_reopen(self, channel_id: str | None, user_id: str, reopen: bool) -> None:
        incident = await self.core.incidents.by_channel(channel_id or "", _actor(user_id))
        if incident is None:
            lang = await self.locales.language(user_id)
            await self._tell(user_id, channel_id, t("close.usage", lang))
            return
        change = self.core.incidents.reopen if reopen else self.core.incidents.close
        await change(incident.reference, _actor(user_id))

    async def _by_reference(self, user_id: str, channel_id: str | None, named: ByReference) -> None:
        """/leak reopen REF, /leak hold REF [reason], /leak release REF: anywhere (the commander's)."""
        actor, lang = _actor(user_id), await self.locales.language(user_id)
        if named.verb == "reopen":
            await self.core.incidents.reopen(named.reference, actor)
            return  # the response channel says it
        outcome = await self.core.incidents.set_legal_hold(
            named.reference, actor, named.verb == "hold", named.reason
        )
        key = "retention.hold_on" if outcome.incident.legal_hold else "retention.hold_off"
        await self._tell(user_id, channel_id, t(key, lang, reference=named.reference))

    # --- the report modal ------------------------------------------------------------------------------

    async def on_report_submitted(self, ack, body: dict[str, Any], view: dict[str, Any], context) -> None:
        """Saved before the modal closes when the database answers within SAVE_BUDGET; otherwise the modal
        says the report is being saved and the reporter hears the outcome by direct message."""
        self.metrics.requests.labels(PLATFORM, "report").inc()
        user_id, lang = body["user"]["id"], context[PARSED].lang
        try:
            parsed = parse_report(report_values(state_values(view)), self.core.clock.now(), lang)
        except FormErrors as invalid:
            await ack(response_action="errors", errors=report_error_blocks(invalid.errors))
            return
        request = ReportRequest(
            PLATFORM, user_id, lang, parsed.aware_at, parsed.facts, f"slack:view:{view['id']}"
        )
        budget = SAVE_BUDGET if len(self._saving) < BURST_SAVES else 0.0
        saving = asyncio.ensure_future(self.core.incidents.report(request))
        self._saving.add(saving)
        saving.add_done_callback(self._saving.discard)
        try:
            outcome = await asyncio.wait_for(asyncio.shield(saving), budget)
        except TimeoutError:
            await ack(response_action="update", view=self._notice_view(lang, t("report.saving_view", lang)))
            self._background(self._finish_slow_save(saving, user_id, lang, view["id"], parsed.facts.summary))
            return
        except Exception as exc:
            log.error("a report could not be saved: %s", type(exc).__name__)
            await ack(response_action="errors", errors={"summary": t("form.error.not_saved", lang)})
            return
        ref = outcome.incident.reference
        await ack(
            response_action="update",
            view=self._notice_view(lang, t("report.saved_view", lang, reference=ref), ref),
        )
        if outcome.created:
            self._opened(outcome)

    def _notice_view(self, lang: str, text: str, ref: str | None = None) -> dict:
        done = modal(
            "leak_received",
            t("form.title", lang),
            [section(text)],
            t("form.submit", lang),
            t("form.cancel", lang),
            {"ref": ref},
        )
        done.pop("submit")
        return done

    async def _finish_slow_save(
        self, saving: asyncio.Future, user_id: str, lang: str, view_id: str, summary: str
    ) -> None:
        try:
            outcome = await saving
        except Exception as exc:
            log.error("a slow report save failed: %s", type(exc).__name__)
            try:
                await self.client.chat_postMessage(
                    channel=user_id, text=t("report.not_saved_dm", lang, summary=summary)
                )
            except Exception as again:
                log.error("could not tell the reporter either: %s", type(again).__name__)
            return
        ref = outcome.incident.reference
        try:
            await self.client.views_update(
                view_id=view_id,
                view=self._notice_view(lang, t("report.saved_view", lang, reference=ref), ref),
            )
        except SlackApiError as exc:  # the person may have closed the modal: the DM still tells them
            log.info("could not update the report modal: %s", exc.response.get("error"))
        if outcome.created:
            self._opened(outcome)

    def _opened(self, outcome) -> None:
        """Counted and logged; the journey provisions the response channel (a domain event after commit)."""
        self.metrics.incidents_opened.labels(PLATFORM).inc()
        log.info("incident %s reported", outcome.incident.reference)

    # --- the playbook buttons --------------------------------------------------------------------------

    async def on_step_button(self, ack, body: dict[str, Any], action: dict[str, Any], context) -> None:
        await ack()
        self.metrics.requests.labels(PLATFORM, "step").inc()
        value, user_id = context[PARSED], body["user"]["id"]
        channel_id = (body.get("channel") or {}).get("id")
        acted_at = action_time(action)
        if value.t == StepStatus.SKIPPED:
            work = self._open_skip(body["trigger_id"], value.r, value.s, user_id, acted_at)
        else:
            work = self._set_step(value.r, value.s, value.t, user_id, acted_at)
        await self._guarded(user_id, channel_id, work)

    async def _set_step(
        self, ref: str, step_id: str, target: StepStatus, user_id: str, acted_at: datetime | None
    ) -> None:
        await self.core.incidents.set_step(ref, step_id, target, _actor(user_id), acted_at=acted_at)

    async def _open_skip(
        self, trigger_id: str, ref: str, step_id: str, user_id: str, acted_at: datetime | None
    ) -> None:
        incident = await self.core.incidents.authorize(ref, _actor(user_id), Permission.WORK)
        lang = await self.locales.language(user_id)
        step = next((s for s in incident.steps if s.step.id == step_id), None)
        title = step.step.title.get(lang) if step else step_id
        await self.client.views_open(
            trigger_id=trigger_id, view=skip_modal(ref, step_id, title, lang, acted_at)
        )

    async def on_skip_submitted(self, ack, body: dict[str, Any], view: dict[str, Any], context) -> None:
        meta, user_id = context[PARSED], body["user"]["id"]
        reason = str(state_values(view).get("reason") or "").strip()
        acted_at = action_time({"action_ts": meta.at}) if meta.at is not None else None
        try:
            await self.core.incidents.set_step(
                meta.ref, meta.step, StepStatus.SKIPPED, _actor(user_id), reason, acted_at
            )
        except REFUSALS as refused:
            text = refusal(
                refused, meta.lang, self.core.playbooks.get(self.core.org.playbook), platform=PLATFORM
            )
            await ack(response_action="errors", errors={"reason": text})
            return
        except Exception as exc:
            log.error("skipping a step failed: %s", type(exc).__name__)
            await ack(response_action="errors", errors={"reason": t("error.unavailable", meta.lang)})
            return
        await ack()

    # --- summary buttons -------------------------------------------------------------------------------

    async def on_calendar(self, ack, body: dict[str, Any], context) -> None:
        """Share the legal deadlines as an .ics file in the response channel."""
        await ack()
        user_id, ref = body["user"]["id"], context[PARSED].r
        await self._guarded(
            user_id, (body.get("channel") or {}).get("id"), self._share_calendar(ref, user_id)
        )

    async def _share_calendar(self, ref: str, user_id: str) -> None:
        await self.journey.share_calendar(await self.core.incidents.get(ref, _actor(user_id)))

    async def on_refresh(self, ack, body: dict[str, Any], context) -> None:
        await ack()
        user_id, ref = body["user"]["id"], context[PARSED].r
        await self._guarded(user_id, (body.get("channel") or {}).get("id"), self._refresh(ref, user_id))

    async def _refresh(self, ref: str, user_id: str) -> None:
        # only those who may read it may refresh it
        await self.journey.refresh(await self.core.incidents.get(ref, _actor(user_id)))

    # --- App Home --------------------------------------------------------------------------------------

    async def on_home_opened(self, event: dict[str, Any]) -> None:
        self.metrics.requests.labels(PLATFORM, "home").inc()
        if event.get("tab") not in (None, "home"):
            return
        user_id = event["user"]
        lang = await self.locales.language(user_id)
        # drills shown marked; each incident shown is a read in its audit trail
        incidents = await self.core.incidents.list(_actor(user_id), drills=True, audit="home")
        try:
            await self.client.views_publish(
                user_id=user_id, view=home_blocks(home_view(incidents, self.core.clock.now(), lang))
            )
        except SlackApiError as exc:
            log.warning("could not publish App Home: %s", exc.response.get("error"))
