"""Slack settings, from the environment only."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_API_URL = "https://slack.com/api/"


class SlackSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")

    bot_token: SecretStr | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    signing_secret: SecretStr | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    app_token: SecretStr | None = Field(default=None, alias="SLACK_APP_TOKEN")
    api_url: str = Field(default=DEFAULT_API_URL, alias="LEAKBOT_SLACK_API_URL")
    retry_backoff: float = Field(
        default=0.5, ge=0, alias="LEAKBOT_SLACK_RETRY_BACKOFF"
    )  # seconds, doubled per try

    @property
    def configured(self) -> bool:
        return self.bot_token is not None

    def problems(self) -> list[str]:
        """What stops Slack from starting safely."""
        missing = []
        if self.bot_token is None:
            missing.append("SLACK_BOT_TOKEN is not set")
        if self.signing_secret is None:
            missing.append("SLACK_SIGNING_SECRET is not set: requests could not be verified")
        return missing
