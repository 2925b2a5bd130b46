"""People on Teams: found by e-mail through Graph (cached, never a failed answer), shown by name on cards and
messages (never by id), and reached in a 1:1 chat, the app installed for them through Graph when Teams refuses
the chat. Mixed into TeamsPlatform."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable
from typing import Any

import aiohttp

from adapters.teams.graph import MALFORMED, GraphError, User
from adapters.teams.ids import CHANNEL, ENTRA_ID, PLATFORM, TEAMS_ID, user_key
from adapters.teams.sdk import Conversation
from bot.i18n import t
from bot.i18n.rich import Rich, Span, channel, rich
from bot.journey.port import Message, PlatformFailure, Posted

log = logging.getLogger(__name__)


class People:
    """Mixed into TeamsPlatform (its settings, graph, gateway, conversations, names, tenant and limiter)."""

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
