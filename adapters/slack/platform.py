"""Slack as the core's Platform: private channels, one invite call for everyone, Block Kit posts carrying
their key in the message metadata (so a post made just before a crash is found again), pins and bookmarks."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.directory import SlackDirectory
from adapters.slack.mrkdwn import escape
from adapters.slack.render import lookalike_blocks, mrkdwn, phase_blocks, reminder_blocks, summary_blocks
from bot.i18n.rich import Rich
from bot.journey.port import AS_FILES, Drafts, Message, NameTaken, PlatformFailure, Posted, Published, Space
from bot.views.incident import PhaseView, SummaryView
from bot.views.lookalike import LookalikeQuestion
from bot.views.reminders import DigestView, ReminderMessage

log = logging.getLogger(__name__)
PLATFORM = "slack"
EVENT_TYPE = "leakbot_post"
# Worth another try later; anything else (a missing scope, a restricted action) needs a person.
RETRYABLE = {
    "ratelimited",
    "rate_limited",
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
}
HISTORY_PAGE = 200
# Channel canvases are not on every plan, nor granted to every installation: the drafts go up as files then.
NO_CANVAS = {
    "team_tier_cannot_create_channel_canvases",
    "missing_scope",
    "not_allowed_token_type",
    "feature_not_enabled",
    "canvas_disabled_user_team",
    "free_teams_cannot_create_non_dm_canvases",
}


def failure(exc: Exception) -> PlatformFailure:
    if isinstance(exc, SlackApiError):
        code = str(exc.response.get("error", "unknown")) if exc.response else "unknown"
        after = exc.response.headers.get("Retry-After") if exc.response is not None else None
        return PlatformFailure(code, retry=code in RETRYABLE, after=float(after) if after else None)
    return PlatformFailure(type(exc).__name__, retry=True)


@asynccontextmanager
async def failures():
    """Every Slack error as the port's PlatformFailure (its code, whether a retry may help)."""
    try:
        yield
    except (NameTaken, PlatformFailure):
        raise
    except Exception as exc:
        raise failure(exc) from exc


def render(message: Message) -> tuple[str, list[dict]]:
    """(notification text, blocks) for any message the core sends."""
    if isinstance(message, SummaryView):
        return message.fallback, summary_blocks(message)
    if isinstance(message, PhaseView):
        return message.fallback, phase_blocks(message)
    if isinstance(message, ReminderMessage):
        return message.fallback, reminder_blocks(message)
    if isinstance(message, LookalikeQuestion):
        return message.fallback, lookalike_blocks(message)
    if isinstance(message, DigestView):
        return escape(message.header) + "\n" + "\n".join(mrkdwn(line) for line in message.lines), []
    return mrkdwn(message, 39000), []


class SlackPlatform:
    name = PLATFORM

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        self.directory = SlackDirectory(client)
        self._docs_base: str | None = None  # https://<workspace>.slack.com/docs/<team id>/

    async def canvas_link(self, canvas_id: str) -> str | None:
        """A canvas's URL as Slack shows it, https://<workspace>.slack.com/docs/<team id>/<canvas id>, from
        auth.test's workspace URL and team id (no extra scope); None when Slack does not say."""
        if self._docs_base is None:
            try:
                answer = await self.client.auth_test()
            except SlackApiError as exc:
                log.info("no canvas link: auth.test answered %s", exc.response.get("error"))
                return None
            url, team = str(answer.get("url") or ""), str(answer.get("team_id") or "")
            if not url.startswith("https://") or not team:
                return None
            self._docs_base = f"{url.rstrip('/')}/docs/{team}/"
        return self._docs_base + canvas_id

    async def create_space(self, name: str, reference: str) -> Space:
        try:
            response = await self.client.conversations_create(name=name, is_private=True)
        except SlackApiError as exc:
            if exc.response is not None and exc.response.get("error") == "name_taken":
                raise NameTaken(name) from exc
            raise failure(exc) from exc
        return Space(response["channel"]["id"], response["channel"]["name"])

    async def find_space(self, name: str) -> Space | None:
        cursor = None
        while True:
            args = {"types": "private_channel", "exclude_archived": True, "limit": 200}
            async with failures():
                response = await self.client.conversations_list(
                    **args, **({"cursor": cursor} if cursor else {})
                )
            for channel in response.get("channels", []):
                if channel.get("name") == name:
                    return Space(channel["id"], name)
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None

    async def invite(self, space: Space, user_ids: Sequence[str]) -> list[tuple[str, str]]:
        """Everyone in one call; ``force`` invites the valid ones and lists the others."""
        if not user_ids:
            return []
        try:
            response = await self.client.conversations_invite(
                channel=space.id, users=",".join(user_ids), force=True
            )
        except SlackApiError as exc:
            error = str(exc.response.get("error")) if exc.response else "unknown"
            if error == "already_in_channel":
                return []
            errors = (exc.response.get("errors") if exc.response else None) or []
            if errors:
                return _invite_problems(errors)
            raise failure(exc) from exc
        return _invite_problems(response.get("errors") or [])

    async def set_topic(self, space: Space, topic: str) -> None:
        async with failures():
            await self.client.conversations_setTopic(channel=space.id, topic=topic)

    async def post(self, space: Space, message: Message, key: str) -> Posted:
        text, blocks = render(message)
        async with failures():
            response = await self.client.chat_postMessage(
                channel=space.id,
                text=text,
                blocks=blocks or None,
                metadata={"event_type": EVENT_TYPE, "event_payload": {"key": key}},
            )
        return Posted(response["channel"], response["ts"])

    async def find_post(self, space: Space, key: str) -> Posted | None:
        """Our post of that key among the channel's latest messages (by its metadata); a person's id means
        our direct-message channel with them."""
        if space.id[:1] in ("U", "W"):
            async with failures():
                dm = await self.client.conversations_open(users=space.id)
            space = Space(dm["channel"]["id"], "")
        async with failures():
            response = await self.client.conversations_history(
                channel=space.id, limit=HISTORY_PAGE, include_all_metadata=True
            )
        for message in response.get("messages", []):
            metadata = message.get("metadata") or {}
            if (
                metadata.get("event_type") == EVENT_TYPE
                and (metadata.get("event_payload") or {}).get("key") == key
            ):
                return Posted(space.id, message["ts"])
        return None

    async def update(self, posted: Posted, message: Message) -> None:
        text, blocks = render(message)
        async with failures():
            await self.client.chat_update(
                channel=posted.space_id, ts=posted.message_id, text=text, blocks=blocks
            )

    async def pin(self, space: Space, posted: Posted, title: str) -> None:
        """Pinned, and bookmarked at the top of the channel."""
        try:
            await self.client.pins_add(channel=space.id, timestamp=posted.message_id)
        except SlackApiError as exc:  # pinned before a crash: that is done
            if exc.response is None or exc.response.get("error") != "already_pinned":
                raise failure(exc) from exc
        async with failures():
            link = await self.client.chat_getPermalink(channel=space.id, message_ts=posted.message_id)
        async with failures():
            await self.client.bookmarks_add(
                channel_id=space.id,
                title=title[:100],
                type="link",
                link=link["permalink"],
            )

    async def post_private(self, space_id: str | None, user_id: str, text: Rich) -> None:
        if space_id:
            try:
                await self.client.chat_postEphemeral(channel=space_id, user=user_id, text=mrkdwn(text))
                return
            except SlackApiError as exc:
                log.info("ephemeral not possible (%s); sending a DM", exc.response.get("error"))
        await self.direct(user_id, text)

    async def direct(self, user_id: str, message: Message, key: str | None = None) -> Posted:
        """In the person's direct-message channel with the app (opened first, as Slack asks)."""
        text, blocks = render(message)
        args = {"metadata": {"event_type": EVENT_TYPE, "event_payload": {"key": key}}} if key else {}
        async with failures():
            dm = await self.client.conversations_open(users=user_id)
            response = await self.client.chat_postMessage(
                channel=dm["channel"]["id"], text=text, blocks=blocks or None, **args
            )
        return Posted(response["channel"], response["ts"])

    async def upload(self, space: Space, filename: str, content: bytes, title: str) -> None:
        async with failures():
            await self.client.files_upload_v2(
                channel=space.id, content=content, filename=filename, title=title
            )

    async def resolve(self, written: str) -> str | None:
        return await self.directory.resolve(written)

    async def publish_drafts(self, space: Space, drafts: Drafts, existing: str | None) -> Published:
        """The channel canvas (conversations.canvases.create, then canvases.edit replacing its content); files
        where the workspace has no channel canvases."""
        content = {"type": "markdown", "markdown": drafts.markdown}
        async with failures():
            if existing and existing != AS_FILES:
                await self.client.api_call(
                    "canvases.edit",
                    json={
                        "canvas_id": existing,
                        "changes": [{"operation": "replace", "document_content": content}],
                    },
                )
                return Published(existing, link=await self.canvas_link(existing))
            if existing != AS_FILES:
                try:
                    answer = await self.client.api_call(
                        "conversations.canvases.create",
                        json={"channel_id": space.id, "title": drafts.title, "document_content": content},
                    )
                    canvas_id = str(answer["canvas_id"])
                    return Published(canvas_id, link=await self.canvas_link(canvas_id))
                except SlackApiError as exc:
                    code = str(exc.response.get("error", "")) if exc.response else ""
                    if code == "channel_canvas_already_exists":  # ours, made just before a crash
                        canvas = await self._channel_canvas(space)
                        if canvas:
                            return await self.publish_drafts(space, drafts, canvas)
                    if code not in NO_CANVAS:
                        raise
                    reason = code
            else:
                reason = None
            for filename, data in drafts.files():
                await self.client.files_upload_v2(
                    channel=space.id, content=data, filename=filename, title=f"{drafts.title} ({filename})"
                )
            return Published(AS_FILES, reason)

    # --- scheduled messages: pings Slack posts even when leakbot is down (issue 22) -----------------------

    async def schedule(self, space: Space, message: Message, post_at: datetime) -> str:
        """chat.scheduleMessage (no message metadata: Slack does not post a scheduled message that has it)."""
        text, blocks = render(message)
        async with failures():
            response = await self.client.chat_scheduleMessage(
                channel=space.id, post_at=int(post_at.timestamp()), text=text, blocks=blocks or None
            )
        return str(response["scheduled_message_id"])

    async def unschedule(self, space_id: str, scheduled_id: str) -> None:
        try:
            await self.client.chat_deleteScheduledMessage(channel=space_id, scheduled_message_id=scheduled_id)
        except SlackApiError as exc:  # posted already, or deleted before a crash: nothing left to delete
            if exc.response is None or exc.response.get("error") != "invalid_scheduled_message_id":
                raise failure(exc) from exc

    async def scheduled(self, space: Space) -> list[tuple[str, datetime]]:
        """chat.scheduledMessages.list for the channel, every page."""
        found: list[tuple[str, datetime]] = []
        cursor = None
        while True:
            async with failures():
                response = await self.client.chat_scheduledMessages_list(
                    channel=space.id, limit=100, **({"cursor": cursor} if cursor else {})
                )
            for item in response.get("scheduled_messages", []):
                found.append((str(item["id"]), datetime.fromtimestamp(int(item["post_at"]), UTC)))
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return found

    async def archive_space(self, space: Space) -> bool:
        """``conversations.archive``: the channel stays readable, nobody posts in it (an archived one is)."""
        try:
            await self.client.conversations_archive(channel=space.id)
        except SlackApiError as exc:
            if exc.response is None or exc.response.get("error") != "already_archived":
                raise failure(exc) from exc
        return True

    async def unarchive_space(self, space: Space) -> None:
        try:
            await self.client.conversations_unarchive(channel=space.id)
        except SlackApiError as exc:
            if exc.response is None or exc.response.get("error") != "not_archived":
                raise failure(exc) from exc

    async def _channel_canvas(self, space: Space) -> str | None:
        info = await self.client.conversations_info(channel=space.id)
        return ((info["channel"].get("properties") or {}).get("canvas") or {}).get("file_id")


def _invite_problems(errors: list[dict]) -> list[tuple[str, str]]:
    ignored = {"already_in_channel", "cant_invite_self"}
    return [
        (str(e.get("user", "")), str(e.get("error", ""))) for e in errors if e.get("error") not in ignored
    ]
