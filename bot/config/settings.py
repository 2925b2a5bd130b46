"""Process settings from the environment (pydantic-settings). Secrets live only here, never in files."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from bot.storage.db import DEFAULT_DATABASE_URL, database_url
from bot.storage.keys import KeySettings


class CoreSettings(KeySettings):
    """With the data keys (``KeySettings``: LEAKBOT_DATA_KEY, LEAKBOT_DATA_KEY_FILE, …)."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    database_url: str = Field(default=DEFAULT_DATABASE_URL, alias="DATABASE_URL")
    config_path: Path | None = Field(default=None, alias="LEAKBOT_CONFIG")
    # The org config itself (YAML text), for containers and platforms without a volume. Not a secret, but it
    # names people, so it stays out of reprs and logs.
    config_yaml: str | None = Field(default=None, alias="LEAKBOT_CONFIG_YAML", repr=False)
    playbooks_dir: Path | None = Field(default=None, alias="LEAKBOT_PLAYBOOKS_DIR")
    log_level: str = Field(default="INFO", alias="LEAKBOT_LOG_LEVEL")
    sweep_seconds: float = Field(default=15.0, gt=0, alias="LEAKBOT_SWEEP_SECONDS")
    # How long a worker holds an incident's provisioning before another may take it over (a crashed worker).
    provision_lease_seconds: float = Field(default=60.0, gt=0, alias="LEAKBOT_PROVISION_LEASE_SECONDS")
    # How fast a living message may be updated after its burst of 2 (the platforms' rate limits: about 1/s).
    updates_per_second: float = Field(default=1.0, gt=0, le=100, alias="LEAKBOT_UPDATES_PER_SECOND")

    @field_validator("database_url")
    @classmethod
    def _shipped_driver(cls, value: str) -> str:
        """`postgresql://…` and `sqlite:///…` get the shipped driver; any other URL is refused in one line."""
        return database_url(value)
