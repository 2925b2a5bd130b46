"""Keeping a Teams response thread's cards in step with the incident, like the Slack channel updater."""

from __future__ import annotations

import logging

from adapters.teams.cards import phase_card, summary_card
from adapters.teams.sdk import Conversation, TeamsGateway, card_activity, text_activity
from bot.bootstrap import Core
from bot.domain.views import Change, IncidentView
from bot.presentation import change_lines, reached_phases
from bot.services.ports import SYSTEM

log = logging.getLogger(__name__)
PLATFORM = "teams"


def incident_key(reference: str) -> str:
    return f"incident:{reference}"


class TeamsThread:
    def __init__(self, core: Core, gateway: TeamsGateway) -> None:
        self.core = core
        self.gateway = gateway

    @property
    def lang(self) -> str:
        return self.core.org.language

    async def conversation(self, reference: str) -> Conversation | None:
        data = await self.core.conversations.get(PLATFORM, incident_key(reference))
        return Conversation.from_json(data) if data else None

    async def refresh(self, reference: str) -> IncidentView:
        incident = await self.core.incidents.get(reference, SYSTEM)
        conversation = await self.conversation(reference)
        if conversation is None:
            return incident
        now = self.core.clock.now()
        playbook = self.core.playbooks.get(incident.playbook_id)
        posts = await self.core.posts.all(reference, PLATFORM)
        if (summary := posts.get("summary")) and summary.message_id:
            await self.gateway.update(
                conversation, summary.message_id, card_activity(summary_card(incident, now, self.lang))
            )
        phase_ids = [p.id for p in playbook.phases if any(s.step.phase == p.id for s in incident.steps)]
        reached = set(reached_phases(incident, phase_ids))
        for phase_id in phase_ids:
            key = f"phase:{phase_id}"
            card = card_activity(phase_card(incident, playbook, phase_id, now, self.lang))
            post = posts.get(key)
            if post and post.message_id:
                await self.gateway.update(conversation, post.message_id, card)
            elif post is None and phase_id in reached:
                if await self.core.posts.claim(reference, PLATFORM, key, conversation.conversation_id):
                    activity_id = await self.gateway.send(conversation, card)
                    await self.core.posts.remember(
                        reference, PLATFORM, key, conversation.conversation_id, activity_id
                    )
        return incident

    async def say_changes(self, incident: IncidentView, changes: tuple[Change, ...]) -> None:
        playbook = self.core.playbooks.get(incident.playbook_id)
        lines = change_lines(changes, incident, playbook, self.lang)
        conversation = await self.conversation(incident.reference)
        if lines and conversation is not None:
            text = f"🔁 {incident.reference}\n\n" + "\n\n".join(f"- {line}" for line in lines)
            await self.gateway.send(conversation, text_activity(text.replace("*", "**")))
