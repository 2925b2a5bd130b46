"""The fake Slack's channels: the Channel record and the conversations.*, pins, bookmarks and permalink methods,
each refusing what Slack refuses (a taken or malformed name, an archived channel, a channel the bot is not in).
Mixed into FakeSlack."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from adapters.fakes.slack.errors import SlackApiFailure
from adapters.fakes.slack.workspace import BOT_USER

CHANNEL_NAME = re.compile(r"^[a-z0-9_-]+$")


@dataclass
class Channel:
    id: str
    name: str
    is_private: bool
    creator: str
    members: set[str] = field(default_factory=set)
    topic: str = ""
    is_im: bool = False
    is_archived: bool = False

    def as_json(self) -> dict[str, Any]:
        now = int(time.time())
        return {
            "id": self.id,
            "name": self.name,
            "name_normalized": self.name,
            "created": now,
            "creator": self.creator,
            "is_archived": self.is_archived,
            "is_channel": not self.is_private and not self.is_im,
            "is_general": False,
            "is_mpim": False,
            "is_group": self.is_private,
            "is_org_shared": False,
            "is_im": self.is_im,
            "is_shared": False,
            "is_private": self.is_private,
            "topic": {"value": self.topic, "creator": self.creator, "last_set": now},
            "purpose": {"value": "", "creator": self.creator, "last_set": now},
        }


class Conversations:
    """Mixed into FakeSlack (its channels, users, messages, pins, bookmarks, canvases, _id, _user, _channel and
    _invite_failures)."""

    def _conversations_create(self, args: dict) -> dict:
        name = str(args.get("name") or "")
        if not name:
            raise SlackApiFailure("invalid_name_required")
        if len(name) > 80:
            raise SlackApiFailure("invalid_name_maxlength")
        if not CHANNEL_NAME.match(name):
            raise SlackApiFailure("invalid_name_specials")
        if any(c.name == name for c in self.channels.values()):
            raise SlackApiFailure("name_taken")
        private = str(args.get("is_private", "")).lower() in ("true", "1")
        channel = Channel(self._id("C"), name, private, BOT_USER, {BOT_USER})
        self.channels[channel.id] = channel
        return {"channel": channel.as_json()}

    def _conversations_invite(self, args: dict) -> dict:
        """Up to 1,000 users in one call. Without ``force`` the first failure fails the call (those before it
        are in); with it the valid ones are invited and the others listed in ``errors``."""
        channel = self._channel(args["channel"])
        users = [u for u in str(args["users"]).split(",") if u]
        if len(users) > 1000:
            raise SlackApiFailure("too_many_users")
        force = str(args.get("force", "")).lower() in ("true", "1")
        errors = []
        for user_id in users:
            if user_id in self._invite_failures:
                error = self._invite_failures[user_id]
            elif user_id == BOT_USER:
                error = "cant_invite_self"
            elif user_id not in self.users:
                error = "user_not_found"
            elif user_id in channel.members:
                error = "already_in_channel"
            else:
                channel.members.add(user_id)
                continue
            if not force:
                raise SlackApiFailure(error)
            errors.append({"user": user_id, "ok": False, "error": error})
        if errors and len(errors) == len(users):
            raise SlackApiFailure(errors[0]["error"], errors=errors)
        return {"channel": channel.as_json()} | ({"errors": errors} if errors else {})

    def _conversations_list(self, args: dict) -> dict:
        types = set(str(args.get("types") or "public_channel").split(","))
        found = [
            c.as_json()
            for c in self.channels.values()
            if not c.is_im
            and ("private_channel" if c.is_private else "public_channel") in types
            and BOT_USER in c.members | ({BOT_USER} if not c.is_private else set())
        ]
        return {"channels": found, "response_metadata": {"next_cursor": ""}}

    def _conversations_history(self, args: dict) -> dict:
        """Newest first; metadata only with include_all_metadata, as Slack does."""
        channel = self._channel(args["channel"])
        if BOT_USER not in channel.members:
            raise SlackApiFailure("not_in_channel")
        with_metadata = str(args.get("include_all_metadata", "")).lower() in ("true", "1")
        limit = int(args.get("limit") or 100)
        messages = []
        for message in reversed(self.messages[channel.id][-limit:]):
            shown = {k: v for k, v in message.items() if k != "metadata" or with_metadata}
            messages.append(shown)
        return {
            "messages": messages,
            "has_more": False,
            "pin_count": len(self.pins[channel.id]),
            "channel_actions_ts": None,
            "channel_actions_count": 0,
        }

    def _chat_getPermalink(self, args: dict) -> dict:
        channel = self._channel(args["channel"])
        return {
            "channel": channel.id,
            "permalink": f"https://leakbot-test.slack.com/archives/{channel.id}/p{args['message_ts'].replace('.', '')}",
        }

    def _pins_add(self, args: dict) -> dict:
        channel = self._channel(args["channel"])
        if not any(m["ts"] == args.get("timestamp") for m in self.messages[channel.id]):
            raise SlackApiFailure("message_not_found")
        if args["timestamp"] in self.pins[channel.id]:
            raise SlackApiFailure("already_pinned")
        self.pins[channel.id].append(args["timestamp"])
        return {}

    def _bookmarks_add(self, args: dict) -> dict:
        channel = self._channel(args["channel_id"])
        if args.get("type") == "link" and not args.get("link"):
            raise SlackApiFailure("invalid_link")
        bookmark = {
            "id": self._id("Bk"),
            "channel_id": channel.id,
            "title": args["title"],
            "link": args.get("link", ""),
            "type": args["type"],
        }
        self.bookmarks[channel.id].append(bookmark)
        return {"bookmark": bookmark}

    def _conversations_setTopic(self, args: dict) -> dict:
        channel = self._channel(args["channel"])
        channel.topic = args["topic"]
        return {"channel": channel.as_json()}

    def _conversations_archive(self, args: dict) -> dict:
        channel = self._channel(args["channel"])
        if channel.is_archived:
            raise SlackApiFailure("already_archived")
        if BOT_USER not in channel.members:
            raise SlackApiFailure("not_in_channel")
        channel.is_archived = True
        return {}

    def _conversations_unarchive(self, args: dict) -> dict:
        channel = self._channel(args["channel"])
        if not channel.is_archived:
            raise SlackApiFailure("not_archived")
        channel.is_archived = False
        return {}

    def _writable(self, channel_id: str) -> None:
        """Nothing is posted or changed in an archived channel."""
        if self._channel(channel_id).is_archived:
            raise SlackApiFailure("is_archived")

    def _conversations_info(self, args: dict) -> dict:
        channel = self._channel(args["channel"]).as_json()
        canvas = next((k for k, c in self.canvases.items() if c["channel_id"] == channel["id"]), None)
        if canvas is not None:
            channel["properties"] = {"canvas": {"file_id": canvas, "is_empty": False}}
        return {"channel": channel}

    def _conversations_members(self, args: dict) -> dict:
        return {
            "members": sorted(self._channel(args["channel"]).members),
            "response_metadata": {"next_cursor": ""},
        }

    def _conversations_open(self, args: dict) -> dict:
        user_id = str(args.get("users") or "")
        self._user(user_id)
        existing = next((c for c in self.channels.values() if c.is_im and user_id in c.members), None)
        if existing is None:
            existing = Channel(self._id("D"), user_id, True, BOT_USER, {BOT_USER, user_id}, is_im=True)
            self.channels[existing.id] = existing
        return {"channel": {"id": existing.id}}
