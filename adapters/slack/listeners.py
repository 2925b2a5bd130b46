"""Slack events to core use cases. Every listener acknowledges first; slow work happens after the ack."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from adapters.metrics import Metrics
from adapters.slack.blocks.elements import modal, section, state_values
from adapters.slack.blocks.forms import (
    FACTS_CALLBACK,
    REPORT_CALLBACK,
    SKIP_CALLBACK,
    facts_modal,
    facts_values,
    report_error_blocks,
    report_modal,
    report_values,
    skip_modal,
)
from adapters.slack.blocks.home import home_view
from adapters.slack.blocks.incident import STEP_ACTION, SUMMARY_ACTION
from adapters.slack.channel import ChannelUpdater
from adapters.slack.directory import LocaleCache
from adapters.slack.mrkdwn import user
from adapters.slack.notifier import REMINDER_ACTION
from adapters.slack.provisioning import Provisioner
from bot.bootstrap import Core
from bot.i18n import t
from bot.playbook.engine import StepStatus, TransitionError
from bot.refusals import refusal
from bot.reminders.ics import deadlines_calendar
from bot.services.errors import NotAllowedError, ServiceError
from bot.services.incidents import ReportRequest
from bot.services.ports import Actor
from bot.services.report_form import FormErrors, parse_facts_form, parse_report

log = logging.getLogger(__name__)
PLATFORM = "slack"


def _actor(user_id: str) -> Actor:
    return Actor(PLATFORM, user_id)


class SlackListeners:
    def __init__(self, core: Core, app: AsyncApp, metrics: Metrics) -> None:
        self.core = core
        self.client = app.client
        self.metrics = metrics
        self.locales = LocaleCache(app.client)
        self.updater = ChannelUpdater(core, app.client)
        self.provisioner = Provisioner(core, app.client, self.updater)

    def register(self, app: AsyncApp) -> None:
        app.command("/leak")(self.on_command)
        app.view(REPORT_CALLBACK)(self.on_report_submitted)
        app.view(FACTS_CALLBACK)(self.on_facts_submitted)
        app.view(SKIP_CALLBACK)(self.on_skip_submitted)
        app.action(re.compile(rf"^{STEP_ACTION}:"))(self.on_step_button)
        app.action(f"{SUMMARY_ACTION}:facts")(self.on_edit_facts)
        app.action(f"{SUMMARY_ACTION}:refresh")(self.on_refresh)
        app.action(f"{SUMMARY_ACTION}:calendar")(self.on_calendar)
        app.action(re.compile(rf"^{REMINDER_ACTION}:ack:"))(self.on_reminder_ack)
        app.action(re.compile(rf"^{REMINDER_ACTION}:file:"))(self.on_reminder_file)
        app.event("app_home_opened")(self.on_home_opened)

    # --- /leak -----------------------------------------------------------------------------------------

    async def on_command(self, ack, command: dict[str, Any]) -> None:
        self.metrics.requests.labels(PLATFORM, "command").inc()
        text = (command.get("text") or "").strip()
        user_id = command["user_id"]
        word = text.lower()
        if word in ("help", "ヘルプ"):
            await ack(text=t("help.text", await self.locales.language(user_id)))
            return
        if word in ("status", "状況"):
            await ack()
            await self._status(command["channel_id"], user_id)
            return
        if word in ("close", "クローズ"):
            await ack()
            await self._close(command["channel_id"], user_id)
            return
        await ack()
        lang = await self.locales.language(user_id)
        view = report_modal(lang, self.core.clock.now(), text, command.get("channel_id"))
        await self.client.views_open(trigger_id=command["trigger_id"], view=view)

    async def _status(self, channel_id: str, user_id: str) -> None:
        incident = await self.core.incidents.by_channel(channel_id)
        if incident is None:
            lang = await self.locales.language(user_id)
            await self.client.chat_postEphemeral(
                channel=channel_id, user=user_id, text=t("status.not_a_response_channel", lang)
            )
            return
        await self.updater.post_summary(incident)

    async def _close(self, channel_id: str, user_id: str) -> None:
        incident = await self.core.incidents.by_channel(channel_id)
        if incident is None:
            lang = await self.locales.language(user_id)
            await self.client.chat_postEphemeral(
                channel=channel_id, user=user_id, text=t("close.usage", lang)
            )
            return
        try:
            outcome = await self.core.incidents.close(incident.reference, _actor(user_id))
        except ServiceError as refused:
            await self._refuse(incident.reference, user_id, channel_id, refused)
            return
        await self.updater.refresh(incident.reference)
        await self.updater.say_changes(outcome.incident, outcome.changes, user_id)

    # --- the report modal ------------------------------------------------------------------------------

    async def on_report_submitted(self, ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        self.metrics.requests.labels(PLATFORM, "report").inc()
        user_id = body["user"]["id"]
        lang = json.loads(view.get("private_metadata") or "{}").get("lang", "ja")
        try:
            parsed = parse_report(report_values(state_values(view)), self.core.clock.now(), lang)
        except FormErrors as invalid:
            await ack(response_action="errors", errors=report_error_blocks(invalid.errors))
            return
        request = ReportRequest(
            PLATFORM, user_id, lang, parsed.aware_at, parsed.facts, f"slack:view:{view['id']}"
        )
        try:
            outcome = await self.core.incidents.report(request)
        except Exception:
            log.exception("a report could not be saved")
            await ack(response_action="errors", errors={"summary": t("form.error.not_saved", lang)})
            return
        ref = outcome.incident.reference
        done = modal(
            "leak_received",
            t("form.title", lang),
            [section(t("report.saved_view", lang, reference=ref))],
            t("form.submit", lang),
            t("form.cancel", lang),
            {"ref": ref},
        )
        done.pop("submit")
        await ack(response_action="update", view=done)
        if outcome.created:
            self.metrics.incidents_opened.labels(PLATFORM).inc()
            log.info("incident %s reported", ref)
            await self.provisioner.provision(outcome.incident, lang)

    # --- the playbook buttons --------------------------------------------------------------------------

    async def on_step_button(self, ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        self.metrics.requests.labels(PLATFORM, "step").inc()
        value = json.loads(action["value"])
        ref, step_id, target = value["r"], value["s"], StepStatus(value["t"])
        user_id = body["user"]["id"]
        channel_id = body.get("channel", {}).get("id")
        if target == StepStatus.SKIPPED:
            await self._open_skip(body, ref, step_id, user_id, channel_id)
            return
        await self._set_step(ref, step_id, target, user_id, channel_id)

    async def _set_step(
        self,
        ref: str,
        step_id: str,
        target: StepStatus,
        user_id: str,
        channel_id: str | None,
        reason: str | None = None,
    ) -> bool:
        try:
            outcome = await self.core.incidents.set_step(ref, step_id, target, _actor(user_id), reason)
        except (ServiceError, TransitionError) as refused:
            await self._refuse(ref, user_id, channel_id, refused)
            return False
        await self.updater.refresh(ref)
        await self.updater.say_changes(outcome.incident, outcome.changes, user_id)
        return True

    async def _refuse(self, ref: str, user_id: str, channel_id: str | None, error: Exception) -> None:
        lang = await self.locales.language(user_id)
        incident = await self.core.incidents.get(ref)
        text = refusal(error, lang, incident)
        target = channel_id or incident.channel_id
        if target:
            await self.client.chat_postEphemeral(channel=target, user=user_id, text=text)

    async def _open_skip(
        self, body: dict, ref: str, step_id: str, user_id: str, channel_id: str | None
    ) -> None:
        if not await self.core.incidents.is_team_member(ref, _actor(user_id)):
            await self._refuse(ref, user_id, channel_id, NotAllowedError(ref))
            return
        lang = await self.locales.language(user_id)
        incident = await self.core.incidents.get(ref)
        step = next((s for s in incident.steps if s.step.id == step_id), None)
        title = step.step.title.get(lang) if step else step_id
        await self.client.views_open(
            trigger_id=body["trigger_id"], view=skip_modal(ref, step_id, title, lang)
        )

    async def on_skip_submitted(self, ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        meta = json.loads(view["private_metadata"])
        user_id = body["user"]["id"]
        reason = str(state_values(view).get("reason") or "").strip()
        try:
            await self.core.incidents.set_step(
                meta["ref"], meta["step"], StepStatus.SKIPPED, _actor(user_id), reason
            )
        except (ServiceError, TransitionError) as refused:
            incident = await self.core.incidents.get(meta["ref"])
            await ack(response_action="errors", errors={"reason": refusal(refused, meta["lang"], incident)})
            return
        await ack()
        await self.updater.refresh(meta["ref"])

    # --- facts -----------------------------------------------------------------------------------------

    async def on_edit_facts(self, ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        ref = json.loads(action["value"])["r"]
        user_id = body["user"]["id"]
        channel_id = body.get("channel", {}).get("id")
        if not await self.core.incidents.is_team_member(ref, _actor(user_id)):
            await self._refuse(ref, user_id, channel_id, NotAllowedError(ref))
            return
        lang = await self.locales.language(user_id)
        incident = await self.core.incidents.get(ref)
        await self.client.views_open(
            trigger_id=body["trigger_id"], view=facts_modal(ref, incident.facts, lang)
        )

    async def on_facts_submitted(self, ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        self.metrics.requests.labels(PLATFORM, "facts").inc()
        meta = json.loads(view["private_metadata"])
        lang, ref, user_id = meta["lang"], meta["ref"], body["user"]["id"]
        try:
            updates = parse_facts_form(facts_values(state_values(view)), lang)
            outcome = await self.core.incidents.update_facts(ref, updates, _actor(user_id))
        except FormErrors as invalid:
            await ack(response_action="errors", errors=invalid.errors)
            return
        except ServiceError as refused:
            await ack(response_action="errors", errors={"cause": refusal(refused, lang)})
            return
        await ack()
        if outcome.changes:
            await self.updater.say_changes(outcome.incident, outcome.changes, user_id)
            await self.updater.refresh(ref)

    async def on_calendar(self, ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        """Share the legal deadlines as an .ics file in the response channel."""
        await ack()
        ref = json.loads(action["value"])["r"]
        incident = await self.core.incidents.get(ref)
        if not incident.channel_id:
            return
        data = deadlines_calendar(incident, self.core.clock.now(), self.core.org.language)
        await self.client.files_upload_v2(
            channel=incident.channel_id,
            content=data,
            filename=f"{ref}.ics",
            title=t("summary.calendar_title", self.core.org.language, reference=ref),
        )

    async def on_refresh(self, ack, action: dict[str, Any]) -> None:
        await ack()
        await self.updater.refresh(json.loads(action["value"])["r"])

    # --- reminder cards -------------------------------------------------------------------------------

    async def on_reminder_ack(self, ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        value = json.loads(action["value"])
        user_id = body["user"]["id"]
        try:
            await self.core.incidents.acknowledge(value["r"], value["k"], _actor(user_id))
        except ServiceError as refused:
            await self._refuse(value["r"], user_id, None, refused)
            return
        await self._mark_card(body, action, t("reminder.acked", self.core.org.language, who=user(user_id)))

    async def on_reminder_file(self, ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        value = json.loads(action["value"])
        user_id = body["user"]["id"]
        try:
            outcome = await self.core.incidents.mark_filed(value["r"], value["k"], _actor(user_id))
        except (ServiceError, TransitionError) as refused:
            lang = await self.locales.language(user_id)
            incident = await self.core.incidents.get(value["r"])
            channel = body.get("channel", {}).get("id")
            if channel:
                await self.client.chat_postEphemeral(
                    channel=channel, user=user_id, text=refusal(refused, lang, incident)
                )
            return
        await self._mark_card(body, action, t("reminder.filed", self.core.org.language, who=user(user_id)))
        await self.updater.refresh(value["r"])
        await self.updater.say_changes(outcome.incident, outcome.changes, user_id)

    async def _mark_card(self, body: dict[str, Any], action: dict[str, Any], note: str) -> None:
        """Replace the clicked card's buttons with who did what, so nobody clicks twice."""
        message = body.get("message") or {}
        channel = body.get("channel", {}).get("id")
        if not message or not channel:
            return
        blocks = [
            {"type": "context", "elements": [{"type": "mrkdwn", "text": note}]}
            if b.get("block_id") == action.get("block_id")
            else b
            for b in message.get("blocks", [])
        ]
        try:
            await self.client.chat_update(
                channel=channel, ts=message["ts"], text=message.get("text", ""), blocks=blocks
            )
        except SlackApiError as exc:
            log.warning("could not update a reminder card: %s", exc.response.get("error"))

    # --- App Home --------------------------------------------------------------------------------------

    async def on_home_opened(self, event: dict[str, Any]) -> None:
        self.metrics.requests.labels(PLATFORM, "home").inc()
        if event.get("tab") not in (None, "home"):
            return
        user_id = event["user"]
        lang = await self.locales.language(user_id)
        incidents = await self.core.incidents.list(member=_actor(user_id))
        try:
            await self.client.views_publish(
                user_id=user_id, view=home_view(incidents, self.core.clock.now(), lang)
            )
        except SlackApiError as exc:
            log.warning("could not publish App Home: %s", exc.response.get("error"))
