"""Resolving org-config members on Slack: user ids as they are, emails through users.lookupByEmail."""

from __future__ import annotations

import logging
import re

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)
SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


class SlackDirectory:
    platform = "slack"

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    async def resolve(self, member: str) -> str | None:
        if SLACK_USER_ID.match(member):
            return member
        if "@" not in member:
            return None  # another platform's id
        try:
            response = await self._client.users_lookupByEmail(email=member)
        except SlackApiError as exc:
            log.warning("could not resolve a configured member by email: %s", exc.response.get("error"))
            return None
        return response["user"]["id"]


class LocaleCache:
    """People's Slack locales (users.info include_locale), remembered for the process's life."""

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client
        self._known: dict[str, str] = {}

    async def language(self, user_id: str) -> str:
        from bot.i18n import language_for

        if user_id not in self._known:
            try:
                response = await self._client.users_info(user=user_id, include_locale=True)
                self._known[user_id] = response["user"].get("locale") or ""
            except SlackApiError:
                return language_for(None)
        return language_for(self._known[user_id])
