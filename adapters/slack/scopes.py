"""The bot token scopes leakbot needs: what the manifest asks for, checked at start against what the token
was granted (auth.test answers them in the ``x-oauth-scopes`` header).

``METHOD_SCOPES`` is the audit of the code: every Web API method it calls with the bot token and the bot
scope Slack's method documentation names for our use of it (tests/test_slack_scopes.py keeps it, the
code and the manifest in step).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

import yaml

MANIFEST = Path(__file__).with_name("manifest.yml")

METHOD_SCOPES: dict[str, str | tuple[str, ...] | None] = {
    "auth.test": None,  # the start-up check itself
    "chat.postMessage": "chat:write",  # summary, playbook, reminders, DMs
    "chat.postEphemeral": "chat:write",  # refusals and hints only the clicker sees
    "chat.update": "chat:write",  # the playbook message and reminder cards, in place
    "conversations.create": "groups:write",  # the private response channel (is_private=true)
    "conversations.invite": "groups:write",  # the response team into the private channel
    "conversations.setTopic": "groups:write",  # the reference and deadlines in the channel topic
    "conversations.archive": "groups:write",  # a closed incident's channel kept read-only as the record
    "conversations.unarchive": "groups:write",  # and usable again when it is reopened
    "conversations.list": "groups:read",  # after a crash: find the private channel created just before it
    # after a crash: find a post made just before it by its metadata, in the channel or the reporter's DM
    "conversations.history": ("groups:history", "im:history"),
    "pins.add": "pins:write",  # the summary pinned in the response channel
    "bookmarks.add": "bookmarks:write",  # and bookmarked at its top
    "chat.getPermalink": None,  # the bookmark's link to the summary
    "conversations.open": "im:write",  # a DM with the reporter, an executive or a role owner
    "users.info": "users:read",  # the person's locale (Japanese or English)
    "users.lookupByEmail": "users:read.email",  # org-config members given by e-mail address
    "views.open": None,  # the report, facts and skip modals
    "views.update": None,  # a modal replaced after a slow save
    "views.publish": None,  # App Home
    "files.getUploadURLExternal": "files:write",  # files_upload_v2: the deadlines calendar (.ics)
    "files.completeUploadExternal": "files:write",
    "conversations.canvases.create": "canvases:write",  # the channel canvas holding the document drafts
    "canvases.edit": "canvases:write",  # kept in step with the facts
    "conversations.info": "groups:read",  # after a crash: the channel canvas made just before it
    "chat.scheduleMessage": "chat:write",  # each legal deadline's ping, posted by Slack even if leakbot is down
    "chat.deleteScheduledMessage": "chat:write",  # replaced when the deadline moves, gone when it is met
    "chat.scheduledMessages.list": None,  # after a crash: a ping scheduled just before it (no scope needed)
}
# Methods called with the Socket Mode app-level token (xapp-…), whose scope is not a bot scope.
APP_TOKEN_SCOPES: dict[str, str] = {"apps.connections.open": "connections:write"}
# Scopes a feature needs without any Web API call.
FEATURE_SCOPES: dict[str, str] = {"commands": "the /leak slash command"}


@cache
def requested_scopes(manifest: Path = MANIFEST) -> tuple[str, ...]:
    """The bot scopes the manifest asks for, in its order."""
    document = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    return tuple(document["oauth_config"]["scopes"]["bot"])


def needed_scopes(methods: Iterable[str] = METHOD_SCOPES) -> set[str]:
    """The scopes the given methods (default: every method the code calls) and the features need."""
    scopes: set[str] = set()
    for method in methods:
        scope = METHOD_SCOPES[method]
        scopes |= set(scope) if isinstance(scope, tuple) else {scope} if scope else set()
    return scopes | set(FEATURE_SCOPES)


def granted_scopes(headers: Mapping[str, object]) -> set[str] | None:
    """The scopes in a Web API response's ``x-oauth-scopes`` header, or None when Slack sent none."""
    value = next((v for k, v in headers.items() if k.lower() == "x-oauth-scopes"), None)
    if isinstance(value, list | tuple):
        value = ",".join(str(v) for v in value)
    if value is None:
        return None
    return {s.strip() for s in str(value).split(",") if s.strip()}


def missing_scopes(granted: set[str], requested: Iterable[str] | None = None) -> list[str]:
    """The requested scopes (default: the manifest's) the token was not granted, in the manifest's order."""
    return [s for s in (requested if requested is not None else requested_scopes()) if s not in granted]
