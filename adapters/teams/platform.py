"""Teams as the core's Platform, through the Agents SDK (adapters/teams/sdk.py) and, when configured,
Microsoft Graph (adapters/teams/graph.py).

With Graph (``LEAKBOT_TEAMS_RESPONSE_TEAM`` and the app's credentials) each incident gets a private channel in
the response team: the commanders as owners and the role members as members, people written as e-mail
addresses found through Graph; the bot posts into the channel. If Graph fails (after its retries) the
incident falls back to a thread in the configured response channel, whose first message says so.

Without Graph a response space is a thread in the configured response channel: the thread's first message
names the incident, the team is called in with @mentions (a thread has no membership to invite into), and
there are no pins. Direct messages go to the person's 1:1 chat, created when needed (the app installed for
them through Graph when Teams refuses the chat); every new conversation carries the tenant. Sends keep to
Teams' per-conversation limits; people are shown by name, never by id.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import Any

from adapters.teams.graph import GraphClient, GraphError
from adapters.teams.ids import CHANNEL, ENTRA_ID, PLATFORM, TEAMS_ID, THREAD, info_key, space_key
from adapters.teams.limits import SendLimiter
from adapters.teams.people import People
from adapters.teams.render import (
    card,
    drafts_card,
    lookalike_card,
    markdown,
    phase_card,
    reminder_card,
    reminder_text,
    summary_card,
    text,
)
from adapters.teams.sdk import Conversation, TeamsGateway, card_activity, text_activity
from adapters.teams.settings import TeamsSettings
from adapters.teams.text import neutral, strong
from bot.config.org import OrgConfig
from bot.domain.vocabulary import Role
from bot.i18n import t
from bot.i18n.rich import Rich, mention, r, rich
from bot.journey.port import Drafts, Message, NameTaken, PlatformFailure, Posted, Published, Space
from bot.services.conversations import ConversationService
from bot.views.incident import PhaseView, SummaryView
from bot.views.lookalike import LookalikeQuestion
from bot.views.reminders import DigestView, ReminderMessage

log = logging.getLogger(__name__)
SUMMARY_FIRST_WAIT = 120.0  # seconds a new space's other posts wait for its summary, at most
CHANNEL_ROLES = tuple(role for role in Role if role is not Role.EXECUTIVES)


class TeamsPlatform(People):
    name = PLATFORM

    def __init__(
        self,
        gateway: TeamsGateway,
        settings: TeamsSettings,
        conversations: ConversationService,
        lang: str,
        org: OrgConfig | None = None,
        graph: GraphClient | None = None,
    ):
        self.gateway = gateway
        self.settings = settings
        self.conversations = conversations
        self.lang = lang
        self.org = org
        self.graph = graph
        self.service_url = settings.service_url
        self.tenant_id = settings.tenant_id
        self.calendar: Any = None  # people's Outlook calendars (adapters/teams/calendar.py), when enabled
        self.directory: TeamsDirectory = TeamsDirectory(self)
        self.names: dict[str, str] = {}  # user id → display name (activities, Graph, rosters)
        self.limiter = SendLimiter()
        self._found: dict[str, asyncio.Future[str | None]] = {}  # written → user id (Graph look-ups)
        self._rosters: set[str] = set()  # conversations whose roster we read
        self._looked_up: set[str] = set()  # Entra ids we asked Graph for a name
        self._spaces: dict[str, dict[str, Any]] = {}  # space id → {"mode", "reference"}
        self._in_channel: dict[str, set[str]] = {}  # private channel → its members, as we added them
        self._catalog: str | None = None  # the app's catalog id, once Graph found it
        self._catalog_lock = asyncio.Lock()
        # A space just made: the journey posts its summary and phases at once; the summary goes first (as on
        # Slack), however long its look-ups of people's names take (a Graph that is down retries for seconds).
        self._summary_first: dict[str, asyncio.Event] = {}

    @property
    def team(self) -> str | None:
        return self.settings.response_team if self.graph is not None else None

    def seen(self, service_url: str | None, tenant_id: str | None) -> None:
        """An inbound activity tells where this tenant's Teams answers (its region's service URL)."""
        if service_url:
            self.service_url = service_url
        if tenant_id and not self.tenant_id:
            self.tenant_id = tenant_id

    def learn(self, user_id: str | None, name: str | None, *also: str | None) -> None:
        """A person's display name, as an activity or a roster shows it (never their id as a name)."""
        if not name or not user_id or name == user_id or TEAMS_ID.match(name):
            return
        for known in (user_id, *also):
            if known:
                self.names[known] = name

    def _tenant(self) -> str:
        if not self.tenant_id:
            raise PlatformFailure("tenant_missing")  # Teams refuses a conversation without its tenant
        return self.tenant_id

    async def _conversation(self, key: str) -> Conversation | None:
        data = await self.conversations.get(PLATFORM, key)
        return Conversation.from_json(data) if data else None

    async def _space_info(self, space_id: str) -> dict[str, Any]:
        if space_id not in self._spaces:
            self._spaces[space_id] = await self.conversations.get(PLATFORM, info_key(space_id)) or {}
        return self._spaces[space_id]

    async def _remember_space(self, conversation: Conversation, mode: str, reference: str) -> None:
        info = {"mode": mode, "reference": reference}
        await self.conversations.remember(
            PLATFORM, space_key(conversation.conversation_id), conversation.as_json()
        )
        await self.conversations.remember(PLATFORM, info_key(conversation.conversation_id), info)
        self._spaces[conversation.conversation_id] = info

    # --- rendering and sending ---------------------------------------------------------------------------

    def _activity(self, message: Message):
        message = self.named(message)
        if isinstance(message, SummaryView):
            return card_activity(summary_card(message))
        if isinstance(message, PhaseView):
            return card_activity(phase_card(message, self.lang))
        if isinstance(message, LookalikeQuestion):
            return card_activity(lookalike_card(message))
        if isinstance(message, ReminderMessage):
            if message.direct:
                return card_activity(reminder_card(message))
            body, mentions = reminder_text(message)
            return text_activity(body, mentions)
        if isinstance(message, DigestView):
            return text_activity(
                f"{strong(neutral(message.header))}\n\n"
                + "\n\n".join(f"- {markdown(line)}" for line in message.lines)
            )
        mentions: list[tuple[str, str]] = []
        body = markdown(message, mentions)
        return text_activity(body, mentions)

    async def _send(self, conversation: Conversation, message: Message) -> str:
        await self._names_for(message, conversation)
        activity = self._activity(message)
        await self.limiter.wait(conversation.conversation_id)
        try:
            return await self.gateway.send(conversation, activity)
        except Exception as exc:
            raise PlatformFailure(type(exc).__name__, retry=True) from exc

    # --- the response space ------------------------------------------------------------------------------

    async def create_space(self, name: str, reference: str) -> Space:
        if self.team is not None:
            try:
                return await self._create_channel(name, reference)
            except GraphError as exc:
                if (exc.status == 400 and exc.code == "NameAlreadyExists") or exc.status == 409:
                    raise NameTaken(name) from exc
                log.warning("Graph could not create the private channel (%s): a thread instead", exc)
                return await self._create_thread(reference, fallback=f"{exc.status} {exc.code}")
        return await self._create_thread(reference)

    async def _create_channel(self, name: str, reference: str) -> Space:
        assert self.graph is not None and self.team is not None
        owners = await self._people((Role.COMMANDER,))
        if not owners:
            raise GraphError(0, "no_commander_in_entra")  # an app cannot create a private channel without one
        members = await self._people(CHANNEL_ROLES)
        created = await self.graph.create_private_channel(
            self.team, name, t("teams.channel_description", self.lang, reference=reference), owners, members
        )
        conversation = Conversation(self.service_url, created["id"], self._tenant(), self.gateway.app_id)
        await self._remember_space(conversation, CHANNEL, reference)
        self._in_channel[created["id"]] = {*owners, *members}
        self._summary_first[created["id"]] = asyncio.Event()
        return Space(created["id"], created.get("displayName") or name)

    async def _people(self, roles: Sequence[Role]) -> list[str]:
        """The org config's people in these roles, as Entra ids (Graph binds only those)."""
        if self.org is None:
            return []
        written = list(dict.fromkeys(w for role in roles for w in self.org.members_of(role)))
        found = await asyncio.gather(*(self.resolve(w) for w in written))
        return list(dict.fromkeys(u for u in found if u and ENTRA_ID.match(u)))

    async def _create_thread(self, reference: str, fallback: str | None = None) -> Space:
        if not self.settings.response_channel:
            raise PlatformFailure("no_response_channel")
        title = t("teams.thread_title", self.lang, reference=reference)
        lines = [text(f"🚨 {strong(neutral(title))}")]
        if fallback is not None:
            lines.append(
                text(markdown(rich("teams.graph_fallback", self.lang, error=fallback)), isSubtle=True)
            )
        root = card_activity(card(lines))
        try:
            thread, _ = await self.gateway.create_conversation(
                self.service_url, self._tenant(), channel=self.settings.response_channel, first=root
            )
        except PlatformFailure:
            raise
        except Exception as exc:
            raise PlatformFailure(type(exc).__name__, retry=True) from exc
        await self._remember_space(thread, THREAD, reference)
        self._summary_first[thread.conversation_id] = asyncio.Event()
        return Space(thread.conversation_id, title)  # the thread is found by its first message's title

    async def find_space(self, name: str) -> Space | None:
        """A private channel of that name (created just before a crash); a thread cannot be looked up."""
        if self.team is None or self.graph is None:
            return None
        try:
            found = await self.graph.find_channel(self.team, name)
        except GraphError:
            return None
        if found is None:
            return None
        conversation = Conversation(self.service_url, found["id"], self._tenant(), self.gateway.app_id)
        reference = (found.get("description") or "").split(" ")[0]
        await self._remember_space(conversation, CHANNEL, reference)
        return Space(found["id"], found.get("displayName") or name)

    async def invite(self, space: Space, user_ids: Sequence[str]) -> list[tuple[str, str]]:
        """A private channel: everyone not in it yet, in one Graph call. A thread has no members to add:
        the team is called in with @mentions."""
        if (await self._space_info(space.id)).get("mode") == CHANNEL and self.graph and self.team:
            known = self._in_channel.setdefault(space.id, set())
            wanted = [u for u in dict.fromkeys(user_ids) if u not in known]
            refused = [(u, "not_an_entra_user") for u in wanted if not ENTRA_ID.match(u)]
            adding = [u for u in wanted if ENTRA_ID.match(u)]
            if adding:
                try:
                    failed = await self.graph.add_members(self.team, space.id, adding)
                except GraphError as exc:
                    raise PlatformFailure(exc.code, retry=exc.retry) from exc
                refused += failed
                known.update(u for u in adding if u not in {f for f, _ in failed})
            return refused
        if user_ids:
            spans = r(*(r(mention(u), " ") for u in user_ids))
            await self.post(space, r(t("teams.team_call", self.lang, mentions=""), spans), "team_call")
        return []

    async def set_topic(self, space: Space, topic: str) -> None:
        return None  # the channel's description (or the thread's first message) names the incident

    async def post(self, space: Space, message: Message, key: str) -> Posted:
        conversation = await self._conversation(space_key(space.id))
        if conversation is None:
            raise PlatformFailure("unknown_space")
        first = self._summary_first.get(space.id)
        if isinstance(message, SummaryView):
            try:
                return Posted(space.id, await self._send(conversation, message))
            finally:
                self._summary_first.pop(space.id, None)
                if first is not None:
                    first.set()
        if first is not None:
            with contextlib.suppress(TimeoutError):  # never held for good should the summary not come
                await asyncio.wait_for(first.wait(), SUMMARY_FIRST_WAIT)
        return Posted(space.id, await self._send(conversation, message))

    async def find_post(self, space: Space, key: str) -> Posted | None:
        return None  # the connector cannot list a thread's messages

    async def update(self, posted: Posted, message: Message) -> None:
        conversation = await self._conversation(space_key(posted.space_id))
        if conversation is None:
            raise PlatformFailure("unknown_space")
        await self._names_for(message, conversation)
        activity = self._activity(message)
        await self.limiter.wait(conversation.conversation_id)
        try:
            await self.gateway.update(conversation, posted.message_id, activity)
        except Exception as exc:
            raise PlatformFailure(type(exc).__name__, retry=True) from exc

    async def pin(self, space: Space, posted: Posted, title: str) -> None:
        return None  # bots cannot pin in Teams

    async def post_private(self, space_id: str | None, user_id: str, text_: Rich) -> None:
        await self.direct(user_id, text_)

    async def upload(self, space: Space, filename: str, content: bytes, title: str) -> None:
        raise PlatformFailure("files_need_graph")  # bots post files in channels only through Graph

    async def publish_drafts(self, space: Space, drafts: Drafts, existing: str | None) -> Published:
        """A card with a collapsed section per draft, updated in place. Files in a channel need Graph (the
        channel's SharePoint folder), which leakbot does not use: the .docx come from the export."""
        conversation = await self._conversation(space_key(space.id))
        if conversation is None:
            raise PlatformFailure("unknown_space")
        reference = (await self._space_info(space.id)).get("reference") or ""
        activity = card_activity(drafts_card(drafts, reference, self.lang))
        await self.limiter.wait(conversation.conversation_id)
        try:
            if existing:
                await self.gateway.update(conversation, existing, activity)
                return Published(existing)
            return Published(await self.gateway.send(conversation, activity))
        except Exception as exc:
            raise PlatformFailure(type(exc).__name__, retry=True) from exc

    async def archive_space(self, space: Space) -> bool:
        """A private channel is archived through Graph (read-only, kept); a thread in the shared response
        channel cannot be made read-only on its own: False, the journey says so in it."""
        if (await self._space_info(space.id)).get("mode") != CHANNEL or not (self.graph and self.team):
            return False
        try:
            await self.graph.archive_channel(self.team, space.id)
        except GraphError as exc:
            raise PlatformFailure(exc.code, retry=exc.retry) from exc
        return True

    async def unarchive_space(self, space: Space) -> None:
        if (await self._space_info(space.id)).get("mode") != CHANNEL or not (self.graph and self.team):
            return
        try:
            await self.graph.archive_channel(self.team, space.id, archived=False)
        except GraphError as exc:
            raise PlatformFailure(exc.code, retry=exc.retry) from exc


class TeamsDirectory:
    """Teams members are written as 29:… ids or Entra object ids, or as e-mail addresses (through Graph)."""

    name = PLATFORM

    def __init__(self, platform: TeamsPlatform | None = None) -> None:
        self.platform = platform

    async def resolve(self, member: str) -> str | None:
        if self.platform is not None:
            return await self.platform.resolve(member)
        return member if TEAMS_ID.match(member) else None
