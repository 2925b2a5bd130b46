"""The one module that talks to the Microsoft 365 Agents SDK: adapter set-up, send, update, proactive
messages and new conversations. SDK changes stay here."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from typing import Any

from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    Attachment,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
)
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core.authorization import (
    AgentAuthConfiguration,
    AnonymousTokenProvider,
    Connections,
)

from adapters.teams.settings import TeamsSettings
from bot.i18n import language_for, t

log = logging.getLogger(__name__)
CARD = "application/vnd.microsoft.card.adaptive"
CHANNEL = "msteams"
AUDIENCE = "https://api.botframework.com"


@dataclass(frozen=True)
class Conversation:
    """What we store to post into a conversation later."""

    service_url: str
    conversation_id: str
    tenant_id: str | None = None
    bot_id: str = ""

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Conversation:
        return cls(**data)

    @classmethod
    def of(cls, activity: Activity) -> Conversation:
        tenant = tenant_of(activity)
        return cls(
            activity.service_url,
            activity.conversation.id,
            tenant,
            activity.recipient.id if activity.recipient else "",
        )


def tenant_of(activity: Activity) -> str | None:
    """The tenant an activity comes from: ``conversation.tenantId``, else ``channelData.tenant.id``."""
    tenant = activity.conversation.tenant_id if activity.conversation else None
    if tenant:
        return tenant
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    found = (data.get("tenant") or {}).get("id") if isinstance(data.get("tenant"), dict) else None
    return found if isinstance(found, str) and found else None


class _DevTokenProvider(AnonymousTokenProvider):
    """Development mode: a placeholder token, so the SDK's proactive paths (which insist on a non-empty
    token) work against the Bot Framework Emulator or a local fake; never used outside dev mode."""

    async def get_access_token(
        self, resource_url: str, scopes: list[str], force_refresh: bool = False
    ) -> str:
        return "leakbot-dev-mode"


class _AnonymousConnections(Connections):
    """Development mode connections (never used unless LEAKBOT_TEAMS_DEV_MODE=1)."""

    _provider = _DevTokenProvider()

    def get_connection(self, connection_name: str):
        return self._provider

    def get_default_connection(self):
        return self._provider

    def get_token_provider(self, claims_identity, service_url):
        return self._provider

    def get_token_provider_from_activity(self, claims_identity, activity):
        return self._provider

    def get_default_connection_configuration(self):
        return AgentAuthConfiguration(anonymous_allowed=True)


def auth_configuration(settings: TeamsSettings) -> AgentAuthConfiguration:
    if settings.dev_mode:
        return AgentAuthConfiguration(anonymous_allowed=True)
    secret = settings.app_password.get_secret_value() if settings.app_password else None
    return AgentAuthConfiguration(
        client_id=settings.app_id, tenant_id=settings.tenant_id, client_secret=secret, anonymous_allowed=False
    )


def card_attachment(card: dict[str, Any]) -> Attachment:
    return Attachment(content_type=CARD, content=card)


def card_activity(card: dict[str, Any], text: str = "") -> Activity:
    return Activity(type=ActivityTypes.message, text=text or None, attachments=[card_attachment(card)])


def text_activity(text: str, mentions: list[tuple[str, str]] | None = None) -> Activity:
    """A message; ``mentions`` are (user id, name) pairs written in ``text`` as <at>name</at>."""
    entities = [
        {"type": "mention", "text": f"<at>{name}</at>", "mentioned": {"id": user_id, "name": name}}
        for user_id, name in mentions or []
    ]
    return Activity(type=ActivityTypes.message, text=text, text_format="xml", entities=entities or None)


class TeamsGateway:
    def __init__(self, settings: TeamsSettings) -> None:
        self.settings = settings
        self.app_id = "" if settings.dev_mode else (settings.app_id or "")
        config = auth_configuration(settings)
        connections: Connections = (
            _AnonymousConnections()
            if settings.dev_mode
            else MsalConnectionManager(connections_configurations={"SERVICE_CONNECTION": config})
        )
        self.auth_config = config
        self.connections = connections
        self.adapter = CloudAdapter(connection_manager=connections)
        self.adapter.on_turn_error = self._on_turn_error

    @staticmethod
    async def _on_turn_error(context: TurnContext, error: Exception) -> None:
        """No exception text ever reaches a user: a fixed apology, and the details in our log only."""
        log.error("a Teams turn failed: %s", type(error).__name__, exc_info=error)
        lang = language_for(getattr(context.activity, "locale", None))
        await context.send_activity(t("error.unavailable", lang))

    def _continuation(self, conversation: Conversation) -> Activity:
        return Activity(
            type=ActivityTypes.event,
            name="ContinueConversation",
            channel_id=CHANNEL,
            service_url=conversation.service_url,
            conversation=ConversationAccount(
                id=conversation.conversation_id, tenant_id=conversation.tenant_id
            ),
            recipient=ChannelAccount(id=conversation.bot_id or "leakbot"),
            from_property=ChannelAccount(id="system"),
        )

    async def send(self, conversation: Conversation, activity: Activity) -> str:
        """Post into a stored conversation (a proactive message); returns the new activity's id."""
        sent: dict[str, str] = {}

        async def callback(context: TurnContext) -> None:
            response = await context.send_activity(activity)
            sent["id"] = response.id if response else ""

        await self.adapter.continue_conversation(self.app_id, self._continuation(conversation), callback)
        return sent.get("id", "")

    async def members(self, conversation: Conversation) -> list[tuple[str, str, str]]:
        """The conversation's roster: (id, name, Entra object id) of each member."""
        found: list[tuple[str, str, str]] = []

        async def callback(context: TurnContext) -> None:
            client = context.turn_state.get("ConnectorClient")
            accounts = await client.conversations.get_conversation_members(
                conversation.conversation_id.split(";")[0]
            )
            for account in accounts:
                found.append((account.id, account.name or "", account.aad_object_id or ""))

        await self.adapter.continue_conversation(self.app_id, self._continuation(conversation), callback)
        return found

    async def update(self, conversation: Conversation, activity_id: str, activity: Activity) -> None:
        async def callback(context: TurnContext) -> None:
            activity.id = activity_id
            activity.conversation = ConversationAccount(id=conversation.conversation_id)
            await context.update_activity(activity)

        await self.adapter.continue_conversation(self.app_id, self._continuation(conversation), callback)

    async def create_conversation(
        self,
        service_url: str,
        tenant_id: str | None,
        *,
        members: list[str] | None = None,
        channel: str | None = None,
        first: Activity | None = None,
    ) -> tuple[Conversation, str]:
        """A 1:1 chat with ``members`` or a new thread in ``channel``; returns it and the first post's id.
        Never without the tenant: Teams answers that with BadArgument."""
        if not tenant_id:
            raise ValueError("a Teams conversation is created in a tenant: tenant_id is required")
        channel_data: dict[str, Any] = {"tenant": {"id": tenant_id}}
        if channel:
            channel_data["channel"] = {"id": channel}
        fields: dict[str, Any] = {
            "is_group": bool(channel),
            "members": [ChannelAccount(id=m) for m in members or []],
            "tenant_id": tenant_id,
            "channel_data": channel_data,
        }
        if first is not None:
            fields["activity"] = first
        parameters = ConversationParameters(**fields)
        created: dict[str, Any] = {}

        async def callback(context: TurnContext) -> None:
            created["conversation"] = context.activity.conversation.id
            created["activity"] = getattr(context.activity, "id", None) or ""

        await self.adapter.create_conversation(
            self.app_id, CHANNEL, service_url, AUDIENCE, parameters, callback
        )
        conversation = Conversation(service_url, created["conversation"], tenant_id, self.app_id)
        return conversation, str(created.get("activity") or "")
