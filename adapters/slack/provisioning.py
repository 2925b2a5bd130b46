"""After a report is saved: the private response channel, its topic, the team, the first posts.

Each step may fail on its own; the incident stays usable and the channel (or the reporter) hears what failed.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.channel import ChannelUpdater
from adapters.slack.directory import SlackDirectory
from adapters.slack.mrkdwn import safe, user
from bot.bootstrap import Core
from bot.domain.views import IncidentView
from bot.i18n import t
from bot.services.incidents import REPORTER_ROLE, TEAM_ROLES
from bot.services.naming import channel_name

log = logging.getLogger(__name__)
NAME_ATTEMPTS = 5


def _error(exc: SlackApiError) -> str:
    return str(exc.response.get("error", "unknown")) if exc.response else "unknown"


class Provisioner:
    def __init__(self, core: Core, client: AsyncWebClient, updater: ChannelUpdater) -> None:
        self.core = core
        self.client = client
        self.updater = updater

    async def provision(self, incident: IncidentView, reporter_lang: str) -> None:
        ref = incident.reference
        channel = await self._create_channel(incident)
        if channel is None:
            await self._tell_reporter(incident, reporter_lang, None)
            return
        channel_id, name = channel
        incident = (await self.core.incidents.attach_channel(ref, channel_id, name)).incident
        log.info("response channel created for %s", ref)
        problems: list[str] = []
        try:
            await self.client.conversations_setTopic(
                channel=channel_id, topic=t("channel.topic", self.core.org.language, reference=ref)
            )
        except SlackApiError as exc:
            problems.append(t("channel.topic_failed", self.core.org.language, error=_error(exc)))
        outcome, unresolved = await self.core.incidents.resolve_team(ref, SlackDirectory(self.client))
        incident = outcome.incident
        problems += [t("channel.unresolved", self.core.org.language, member=safe(m)) for m in unresolved]
        problems += await self._invite(incident, channel_id)
        await self.updater.post_summary(incident)
        await self.updater.refresh(ref)
        if problems:
            await self.core.incidents.note(ref, "provisioning_problems", {"count": len(problems)})
            header = t("channel.problems", self.core.org.language)
            await self.updater.say(channel_id, header + "\n" + "\n".join(f"• {p}" for p in problems))
        await self._tell_reporter(incident, reporter_lang, channel_id)

    async def _create_channel(self, incident: IncidentView) -> tuple[str, str] | None:
        prefix = self.core.org.channels.prefix
        for attempt in range(1, NAME_ATTEMPTS + 1):
            name = channel_name(prefix, incident.created_at, incident.reference, attempt)
            try:
                response = await self.client.conversations_create(name=name, is_private=True)
                return response["channel"]["id"], response["channel"]["name"]
            except SlackApiError as exc:
                if _error(exc) == "name_taken":
                    continue
                log.error("could not create the channel for %s: %s", incident.reference, _error(exc))
                await self.core.incidents.note(incident.reference, "channel_failed", {"error": _error(exc)})
                return None
        await self.core.incidents.note(incident.reference, "channel_failed", {"error": "name_taken"})
        return None

    async def _invite(self, incident: IncidentView, channel_id: str) -> list[str]:
        wanted = [m.user_id for m in incident.members if m.platform == "slack" and m.role in TEAM_ROLES]
        if self.core.org.channels.invite_reporter:
            wanted += [m.user_id for m in incident.members if m.role == REPORTER_ROLE]
        problems = []
        for user_id in dict.fromkeys(wanted):
            try:
                await self.client.conversations_invite(channel=channel_id, users=user_id)
            except SlackApiError as exc:
                if _error(exc) in ("already_in_channel", "cant_invite_self"):
                    continue
                log.warning("an invite to the channel of %s failed: %s", incident.reference, _error(exc))
                problems.append(
                    t("channel.invite_failed", self.core.org.language, user=user(user_id), error=_error(exc))
                )
        return problems

    async def _tell_reporter(self, incident: IncidentView, lang: str, channel_id: str | None) -> None:
        if channel_id:
            text = t("report.received", lang, reference=incident.reference, channel=f"<#{channel_id}>")
        else:
            text = t("report.received_no_channel", lang, reference=incident.reference)
        try:
            await self.client.chat_postMessage(channel=incident.reporter_id, text=text)
        except SlackApiError as exc:
            log.warning("could not tell the reporter of %s: %s", incident.reference, _error(exc))
