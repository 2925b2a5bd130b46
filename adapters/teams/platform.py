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
import dataclasses
import logging
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import aiohttp

from adapters.teams.graph import MALFORMED, GraphClient, GraphError, User
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
from bot.i18n.rich import Rich, Span, channel, mention, r, rich
from bot.journey.port import Drafts, Message, NameTaken, PlatformFailure, Posted, Published, Space
from bot.services.conversations import ConversationService
from bot.views.incident import PhaseView, SummaryView
from bot.views.lookalike import LookalikeQuestion
from bot.views.reminders import DigestView, ReminderMessage

log = logging.getLogger(__name__)
PLATFORM = "teams"
THREAD, CHANNEL = "thread", "channel"
TEAMS_ID = re.compile(
    r"^(?:29:[A-Za-z0-9_\-]+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
)
ENTRA_ID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
SUMMARY_FIRST_WAIT = 120.0  # seconds a new space's other posts wait for its summary, at most
CHANNEL_ROLES = tuple(role for role in Role if role is not Role.EXECUTIVES)


def space_key(space_id: str) -> str:
    return f"space:{space_id}"


def info_key(space_id: str) -> str:
    return f"space-info:{space_id}"


def user_key(user_id: str) -> str:
    return f"user:{user_id}"


class SendLimiter:
    """Teams' bot limits per conversation: about 7 messages a second and 60 in 30 seconds. A send waits
    until it fits both windows."""

    def __init__(
        self,
        windows: tuple[tuple[int, float], ...] = ((7, 1.0), (60, 30.0)),
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.windows = windows
        self.clock = clock
        self.sleep = sleep
        self._sent: dict[str, deque[float]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def wait(self, conversation_id: str) -> None:
        key = conversation_id.split(";")[0]  # a thread shares its channel's limit
        longest = max(n for n, _ in self.windows)
        sent = self._sent.setdefault(key, deque(maxlen=longest))
        async with self._locks.setdefault(key, asyncio.Lock()):
            while True:
                now = self.clock()
                wait = max((sent[-n] + span - now for n, span in self.windows if len(sent) >= n), default=0.0)
                if wait <= 0:
                    break
                await self.sleep(wait)
            sent.append(self.clock())


class TeamsPlatform:
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

    # --- people by name ----------------------------------------------------------------------------------

    async def _names_for(self, message: Any, where: Conversation | None) -> None:
        """Look up the names a message needs and we do not know yet: Graph for Entra ids, else the roster."""
        wanted = {s.target for s in _spans(message) if s.kind == "mention" and not s.text} - set(self.names)
        if not wanted:
            return
        if self.graph is not None:
            for user_id in [u for u in wanted if ENTRA_ID.match(u)]:
                await self._found_user(user_id)
        rosters = [where] if where is not None else []
        if self.settings.response_channel and self.tenant_id:
            rosters.append(Conversation(self.service_url, self.settings.response_channel, self.tenant_id))
        for roster in rosters:
            if set(self.names) >= wanted:
                return
            if roster.conversation_id.split(";")[0] in self._rosters:
                continue
            self._rosters.add(roster.conversation_id.split(";")[0])
            try:
                for user_id, name, aad in await self.gateway.members(roster):
                    self.learn(user_id, name, aad)
            except Exception as exc:
                log.info("could not read a Teams roster: %s", type(exc).__name__)

    async def with_names(self, message: Any) -> Any:
        """The message with every person shown by name, looked up first where we do not know it yet (a
        card answered to a click on a replica that never posted this incident's messages)."""
        await self._names_for(message, None)
        return self.named(message)

    def named(self, message: Any) -> Any:
        """The message with every person shown by name (the catalog's 担当者 when nobody told us theirs)."""
        fallback = t("summary.member", self.lang)
        return _rename(message, lambda target: self.names.get(target) or fallback)

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

    # --- one person -------------------------------------------------------------------------------------

    async def _chat_with(self, user_id: str) -> Conversation:
        stored = await self._conversation(user_key(user_id))
        if stored is not None:
            return stored
        try:
            conversation = await self._open_chat(user_id)
        except aiohttp.ClientResponseError as exc:
            if exc.status != 403:
                raise PlatformFailure(f"http_{exc.status}") from exc
            conversation = await self._installed_then_chat(user_id)
        except PlatformFailure:
            raise
        except Exception as exc:
            raise PlatformFailure(type(exc).__name__, retry=True) from exc
        await self.conversations.remember(PLATFORM, user_key(user_id), conversation.as_json())
        return conversation

    async def _installed_then_chat(self, user_id: str) -> Conversation:
        """Teams refused the chat: the person never had the app. It cannot be installed without Graph
        (``app_not_installed``) or while leakbot is not in the org's catalog (``app_not_in_catalog``): nothing
        changes until an admin acts. ``app_install_failed``: Graph failed, later may work."""
        if self.graph is None or not ENTRA_ID.match(user_id):
            raise PlatformFailure("app_not_installed")
        installed = await self._install_for(user_id)
        if installed is None:
            raise PlatformFailure("app_not_in_catalog")
        if not installed:
            raise PlatformFailure("app_install_failed", retry=True)
        try:
            return await self._open_chat(user_id)
        except aiohttp.ClientResponseError as again:
            code = "app_not_installed" if again.status == 403 else f"http_{again.status}"
            raise PlatformFailure(code, retry=True) from again
        except Exception as again:
            raise PlatformFailure(type(again).__name__, retry=True) from again

    async def _open_chat(self, user_id: str) -> Conversation:
        conversation, _ = await self.gateway.create_conversation(
            self.service_url, self._tenant(), members=[user_id]
        )
        return conversation

    async def _install_for(self, user_id: str) -> bool | None:
        """The app installed for this person through Graph: True (or an answer we cannot read: the chat
        tells), False when Graph failed, None when leakbot is not in the catalog."""
        assert self.graph is not None
        try:
            catalog_id = await self._catalog_id()
        except GraphError as exc:
            log.warning("could not find the app in the organization's catalog (%s)", exc)
            return False
        if catalog_id is None:
            return None
        try:
            await self.graph.install_app(user_id, catalog_id)
        except GraphError as exc:
            log.warning("could not install the app for a person (%s)", exc)
            return exc.code == MALFORMED and exc.status < 300  # done or not: the chat will say
        log.info("installed the app for a person who never opened it, to reach them in a 1:1 chat")
        return True

    async def _catalog_id(self) -> str | None:
        """The app's id in the org's catalog: configured, or found through Graph by the manifest id (kept
        once found; not found or a failed look-up is asked again next time)."""
        if self.settings.catalog_app_id:
            return self.settings.catalog_app_id
        async with self._catalog_lock:  # one look-up however many ask at once
            if self._catalog is None and self.graph is not None and self.settings.manifest_id:
                self._catalog = await self.graph.catalog_app(self.settings.manifest_id)
                if self._catalog is None:
                    log.warning("leakbot is not in the organization's app catalog: it cannot be installed")
        return self._catalog

    async def direct(self, user_id: str, message: Message, key: str | None = None) -> Posted:
        if key == "receipt" and isinstance(message, tuple):
            message = await self._receipt(message)
        conversation = await self._chat_with(user_id)
        return Posted(conversation.conversation_id, await self._send(conversation, message))

    async def _receipt(self, message: Rich) -> Rich:
        """The reporter hears where the response happens in Teams' words: a private channel, or a thread."""
        where = next((s for s in message if s.kind == "channel"), None)
        if where is None:
            return message
        info = await self._space_info(where.target)
        reference = info.get("reference") or next((s.text for s in message if s.bold), "")
        key = "teams.received_channel" if info.get("mode") == CHANNEL else "teams.received_thread"
        return rich(key, self.lang, reference=reference, channel=channel(where.target, where.text))

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

    async def resolve(self, written: str) -> str | None:
        """An id as it is; an e-mail address through Graph (one look-up however many ask at once). Only an
        answer is kept: a failed look-up (an error, a broken answer, a timeout) is None for everyone waiting
        on it and asked again next time."""
        if TEAMS_ID.match(written):
            return written
        if self.graph is None or "@" not in written:
            return None
        future = self._found.get(written)
        if future is not None:
            return await asyncio.shield(future)
        future = asyncio.get_running_loop().create_future()
        self._found[written] = future
        user: User | None = None
        answered = False
        try:
            user = await self.graph.user(written)
            answered = True
        except Exception as exc:  # whatever broke, the look-up ends here and its waiters with it
            log.warning("Graph could not look a person up (%s)", _why(exc))
        finally:
            if not answered:
                del self._found[written]  # try again next time
            if user is not None:
                self.learn(user.id, user.name)
            future.set_result(user.id if user else None)
        return user.id if user else None

    async def _found_user(self, user_id: str) -> None:
        """A person's name from Graph, asked once (again only if the look-up failed)."""
        if user_id in self._looked_up or self.graph is None:
            return
        self._looked_up.add(user_id)
        try:
            user = await self.graph.user(user_id)
        except Exception as exc:
            self._looked_up.discard(user_id)
            log.info("Graph could not name a person (%s)", _why(exc))
            return
        if user is not None:
            self.learn(user.id, user.name)


class TeamsDirectory:
    """Teams members are written as 29:… ids or Entra object ids, or as e-mail addresses (through Graph)."""

    name = PLATFORM

    def __init__(self, platform: TeamsPlatform | None = None) -> None:
        self.platform = platform

    async def resolve(self, member: str) -> str | None:
        if self.platform is not None:
            return await self.platform.resolve(member)
        return member if TEAMS_ID.match(member) else None


def _why(exc: BaseException) -> str:
    """What failed, for the log: Graph's status and code, or the kind of error; never its text."""
    return str(exc) if isinstance(exc, GraphError) else type(exc).__name__


def _spans(node: Any) -> list[Span]:
    if isinstance(node, Span):
        return [node]
    if isinstance(node, tuple | list):
        return [s for item in node for s in _spans(item)]
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return [s for f in dataclasses.fields(node) for s in _spans(getattr(node, f.name))]
    return []


def _rename(node: Any, name_of: Callable[[str], str]) -> Any:
    """``node`` with every unnamed mention given a name; the rest shared, not copied."""
    if isinstance(node, Span):
        return (
            dataclasses.replace(node, text=name_of(node.target))
            if node.kind == "mention" and not node.text
            else node
        )
    if isinstance(node, tuple):
        return tuple(_rename(item, name_of) for item in node)
    if isinstance(node, list):
        return [_rename(item, name_of) for item in node]
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        changes = {
            f.name: _rename(getattr(node, f.name), name_of) for f in dataclasses.fields(node) if f.init
        }
        return dataclasses.replace(node, **changes)
    return node
