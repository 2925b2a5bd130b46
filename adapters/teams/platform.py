"""Teams as the core's Platform, through the Agents SDK (adapters/teams/sdk.py).

Without Microsoft Graph a response space is a thread in the configured response channel: the thread's first
message names the incident, the team is called in with @mentions (a thread has no membership to invite
into), and there are no pins. Direct messages go to the person's 1:1 chat, created when needed; every new
conversation carries the tenant.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from adapters.teams.render import card, markdown, phase_card, reminder_card, reminder_text, summary_card, text
from adapters.teams.sdk import Conversation, TeamsGateway, card_activity, text_activity
from adapters.teams.settings import TeamsSettings
from adapters.teams.text import escape
from bot.i18n import t
from bot.i18n.rich import Rich, mention, r
from bot.journey.port import Message, PlatformFailure, Posted, Space
from bot.services.conversations import ConversationService
from bot.views.incident import PhaseView, SummaryView
from bot.views.reminders import DigestView, ReminderMessage

log = logging.getLogger(__name__)
PLATFORM = "teams"


def space_key(space_id: str) -> str:
    return f"space:{space_id}"


def user_key(user_id: str) -> str:
    return f"user:{user_id}"


class TeamsPlatform:
    name = PLATFORM

    def __init__(
        self, gateway: TeamsGateway, settings: TeamsSettings, conversations: ConversationService, lang: str
    ):
        self.gateway = gateway
        self.settings = settings
        self.conversations = conversations
        self.lang = lang
        self.service_url = settings.service_url
        self.tenant_id = settings.tenant_id
        self.directory: TeamsDirectory = TeamsDirectory()

    def seen(self, service_url: str | None, tenant_id: str | None) -> None:
        """An inbound activity tells where this tenant's Teams answers (its region's service URL)."""
        if service_url:
            self.service_url = service_url
        if tenant_id and not self.tenant_id:
            self.tenant_id = tenant_id

    def _tenant(self) -> str:
        if not self.tenant_id:
            raise PlatformFailure("tenant_missing")  # Teams refuses a conversation without its tenant
        return self.tenant_id

    async def _conversation(self, key: str) -> Conversation | None:
        data = await self.conversations.get(PLATFORM, key)
        return Conversation.from_json(data) if data else None

    def _activity(self, message: Message):
        if isinstance(message, SummaryView):
            return card_activity(summary_card(message))
        if isinstance(message, PhaseView):
            return card_activity(phase_card(message, self.lang))
        if isinstance(message, ReminderMessage):
            if message.direct:
                return card_activity(reminder_card(message))
            body, mentions = reminder_text(message)
            return text_activity(body, mentions)
        if isinstance(message, DigestView):
            return text_activity(
                f"**{escape(message.header)}**\n\n"
                + "\n\n".join(f"- {markdown(line)}" for line in message.lines)
            )
        mentions: list[tuple[str, str]] = []
        body = markdown(message, mentions)
        return text_activity(body, mentions)

    async def _send(self, conversation: Conversation, activity) -> str:
        try:
            return await self.gateway.send(conversation, activity)
        except Exception as exc:
            raise PlatformFailure(type(exc).__name__, retry=True) from exc

    async def create_space(self, name: str, reference: str) -> Space:
        if not self.settings.response_channel:
            raise PlatformFailure("no_response_channel")
        root = card_activity(
            card([text(f"🚨 **{escape(t('teams.thread_title', self.lang, reference=reference))}**")])
        )
        try:
            thread, _ = await self.gateway.create_conversation(
                self.service_url, self._tenant(), channel=self.settings.response_channel, first=root
            )
        except PlatformFailure:
            raise
        except Exception as exc:
            raise PlatformFailure(type(exc).__name__, retry=True) from exc
        await self.conversations.remember(PLATFORM, space_key(thread.conversation_id), thread.as_json())
        return Space(thread.conversation_id, t("teams.thread_name", self.lang, reference=reference))

    async def find_space(self, name: str) -> Space | None:
        return None  # a thread cannot be looked up by name; a crash before recording it starts a new one

    async def invite(self, space: Space, user_ids: Sequence[str]) -> list[tuple[str, str]]:
        """A thread has no members to add: the team is called in with @mentions."""
        if user_ids:
            spans = r(*(r(mention(u, t("summary.member", self.lang)), " ") for u in user_ids))
            await self.post(space, r(t("teams.team_call", self.lang, mentions=""), spans), "team_call")
        return []

    async def set_topic(self, space: Space, topic: str) -> None:
        return None  # the thread's first message names the incident

    async def post(self, space: Space, message: Message, key: str) -> Posted:
        conversation = await self._conversation(space_key(space.id))
        if conversation is None:
            raise PlatformFailure("unknown_space")
        return Posted(space.id, await self._send(conversation, self._activity(message)))

    async def find_post(self, space: Space, key: str) -> Posted | None:
        return None  # the connector cannot list a thread's messages

    async def update(self, posted: Posted, message: Message) -> None:
        conversation = await self._conversation(space_key(posted.space_id))
        if conversation is None:
            raise PlatformFailure("unknown_space")
        try:
            await self.gateway.update(conversation, posted.message_id, self._activity(message))
        except Exception as exc:
            raise PlatformFailure(type(exc).__name__, retry=True) from exc

    async def pin(self, space: Space, posted: Posted, title: str) -> None:
        return None  # bots cannot pin in Teams

    async def post_private(self, space_id: str | None, user_id: str, text_: Rich) -> None:
        await self.direct(user_id, text_)

    async def _chat_with(self, user_id: str) -> Conversation:
        stored = await self._conversation(user_key(user_id))
        if stored is not None:
            return stored
        try:
            conversation, _ = await self.gateway.create_conversation(
                self.service_url, self._tenant(), members=[user_id]
            )
        except PlatformFailure:
            raise
        except Exception as exc:
            raise PlatformFailure(type(exc).__name__, retry=True) from exc
        await self.conversations.remember(PLATFORM, user_key(user_id), conversation.as_json())
        return conversation

    async def direct(self, user_id: str, message: Message, key: str | None = None) -> Posted:
        conversation = await self._chat_with(user_id)
        return Posted(conversation.conversation_id, await self._send(conversation, self._activity(message)))

    async def upload(self, space: Space, filename: str, content: bytes, title: str) -> None:
        raise PlatformFailure("files_need_graph")  # bots post files in channels only through Graph

    async def resolve(self, written: str) -> str | None:
        return await self.directory.resolve(written)


TEAMS_ID = re.compile(
    r"^(?:29:[A-Za-z0-9_\-]+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
)


class TeamsDirectory:
    """Teams members are written as 29:… ids or Entra object ids; e-mail addresses need Graph."""

    name = PLATFORM

    async def resolve(self, member: str) -> str | None:
        return member if TEAMS_ID.match(member) else None
