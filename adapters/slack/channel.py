"""Keeping a response channel's messages in step with the incident: summary, phases, change notes."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks.incident import phase_blocks, phase_text, summary_blocks, summary_text
from adapters.slack.mrkdwn import user
from bot.bootstrap import Core
from bot.domain.views import Change, IncidentView
from bot.i18n import t
from bot.presentation import change_lines, reached_phases
from bot.services.ports import SYSTEM

log = logging.getLogger(__name__)
PLATFORM = "slack"
SUMMARY = "summary"


def phase_key(phase_id: str) -> str:
    return f"phase:{phase_id}"


class ChannelUpdater:
    def __init__(self, core: Core, client: AsyncWebClient) -> None:
        self.core = core
        self.client = client

    @property
    def lang(self) -> str:
        return self.core.org.language

    async def post_summary(self, incident: IncidentView) -> None:
        """Post the summary as a new message (at creation, or when someone asks with /leak status)."""
        assert incident.channel_id
        response = await self.client.chat_postMessage(
            channel=incident.channel_id,
            text=summary_text(incident, self.lang),
            blocks=summary_blocks(incident, self.core.clock.now(), self.lang),
        )
        await self.core.posts.remember(
            incident.reference, PLATFORM, SUMMARY, incident.channel_id, response["ts"]
        )

    async def refresh(self, reference: str) -> IncidentView:
        """Update every living message in place and post the phases the team has reached."""
        incident = await self.core.incidents.get(reference, SYSTEM)
        if not incident.channel_id:
            return incident
        now = self.core.clock.now()
        playbook = self.core.playbooks.get(incident.playbook_id)
        posts = await self.core.posts.all(reference, PLATFORM)
        summary = posts.get(SUMMARY)
        if summary and summary.message_id:
            await self._update(
                summary.channel_id,
                summary.message_id,
                summary_text(incident, self.lang),
                summary_blocks(incident, now, self.lang),
            )
        phases_with_steps = [
            p.id for p in playbook.phases if any(s.step.phase == p.id for s in incident.steps)
        ]
        reached = set(reached_phases(incident, phases_with_steps))
        for phase_id in phases_with_steps:
            post = posts.get(phase_key(phase_id))
            blocks = phase_blocks(incident, playbook, phase_id, now, self.lang)
            text = phase_text(incident, playbook, phase_id, self.lang)
            if post and post.message_id:
                await self._update(post.channel_id, post.message_id, text, blocks)
            elif post is None and phase_id in reached:
                if await self.core.posts.claim(reference, PLATFORM, phase_key(phase_id), incident.channel_id):
                    response = await self.client.chat_postMessage(
                        channel=incident.channel_id, text=text, blocks=blocks
                    )
                    await self.core.posts.remember(
                        reference, PLATFORM, phase_key(phase_id), incident.channel_id, response["ts"]
                    )
        return incident

    async def _update(self, channel: str, ts: str, text: str, blocks: list) -> None:
        try:
            await self.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
        except SlackApiError as exc:
            log.warning("could not update a message: %s", exc.response.get("error"))

    async def say_changes(self, incident: IncidentView, changes: tuple[Change, ...], actor_id: str) -> None:
        playbook = self.core.playbooks.get(incident.playbook_id)
        lines = change_lines(changes, incident, playbook, self.lang)
        if not lines or not incident.channel_id:
            return
        facts_changed = any(c.what == "facts" for c in changes)
        header = "change.header" if facts_changed else "change.step_header"
        head = t(header, self.lang, reference=incident.reference, who=user(actor_id))
        text = head + "\n" + "\n".join(f"• {line}" for line in lines)
        await self.client.chat_postMessage(channel=incident.channel_id, text=text)

    async def say(self, channel_id: str, text: str) -> None:
        await self.client.chat_postMessage(channel=channel_id, text=text)
