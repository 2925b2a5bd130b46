"""Teams settings, from the environment only."""

from __future__ import annotations

import uuid

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class TeamsSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")

    app_id: str | None = Field(default=None, alias="MICROSOFT_APP_ID")
    app_password: SecretStr | None = Field(default=None, alias="MICROSOFT_APP_PASSWORD")
    tenant_id: str | None = Field(default=None, alias="MICROSOFT_APP_TENANT_ID")
    dev_mode: bool = Field(default=False, alias="LEAKBOT_TEAMS_DEV_MODE")
    # The channel (19:…@thread.tacv2) in which response conversations start, when Graph cannot create a
    # private channel; and the service URL used to start conversations there.
    response_channel: str | None = Field(default=None, alias="LEAKBOT_TEAMS_RESPONSE_CHANNEL")
    service_url: str = Field(default="https://smba.trafficmanager.net/jp/", alias="LEAKBOT_TEAMS_SERVICE_URL")
    # Private-channel mode (Microsoft Graph): the team (its group id) in which each incident gets a private
    # channel; on when it and the app's credentials are set. Without it, a thread in the response channel.
    response_team: str | None = Field(default=None, alias="LEAKBOT_TEAMS_RESPONSE_TEAM")
    graph_url: str = Field(default="https://graph.microsoft.com/v1.0", alias="LEAKBOT_GRAPH_URL")
    graph_authority: str = Field(default="https://login.microsoftonline.com", alias="LEAKBOT_GRAPH_AUTHORITY")
    # The app's id in the organization's app catalog (Teams admin center), to install it for an executive
    # who never opened it; without it such a person cannot get a 1:1 message and the commander is told.
    catalog_app_id: str | None = Field(default=None, alias="LEAKBOT_TEAMS_CATALOG_APP_ID")
    # Without it, the catalog id is asked of Graph by the app package's manifest id: the one `leakbot teams
    # package` derives from the app id, or the --teams-app-id it was given (then set it here).
    manifest_id_setting: str | None = Field(default=None, alias="LEAKBOT_TEAMS_MANIFEST_ID")
    # The legal deadlines as events in the commanders' and executives' Outlook calendars (Graph,
    # Calendars.ReadWrite): off unless set, and only in private-channel mode (it needs Graph's credentials).
    calendar: bool = Field(default=False, alias="LEAKBOT_TEAMS_CALENDAR")
    # Seconds one try of one Graph call may take (its answer included) before it counts as failed.
    graph_timeout: float = Field(default=20.0, gt=0, alias="LEAKBOT_GRAPH_TIMEOUT")

    @property
    def configured(self) -> bool:
        return bool(self.app_id) or self.dev_mode

    @property
    def manifest_id(self) -> str | None:
        """The id in the app package's manifest.json (the catalog's ``externalId``)."""
        return self.manifest_id_setting or (manifest_id(self.app_id) if self.app_id else None)

    @property
    def graph_enabled(self) -> bool:
        """Private-channel mode: a response team and the app's credentials (Graph needs a real token)."""
        return bool(self.response_team and self.app_id and self.app_password and self.tenant_id)

    def problems(self) -> list[str]:
        """What stops Teams from starting safely (anonymous only in development mode)."""
        if self.dev_mode:
            return []
        missing = []
        if not self.app_id:
            missing.append("MICROSOFT_APP_ID is not set")
        if self.app_password is None:
            missing.append(
                "MICROSOFT_APP_PASSWORD is not set (anonymous mode needs LEAKBOT_TEAMS_DEV_MODE=1)"
            )
        if not self.tenant_id:
            missing.append("MICROSOFT_APP_TENANT_ID is not set")
        return missing


def manifest_id(app_id: str) -> str:
    """The Teams app (manifest) id `leakbot teams package` gives the package when not told another."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"leakbot:{app_id}"))
