"""Wiring the core from settings: the org config, the playbooks, the database and the service."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import Clock, SystemClock
from bot.config.org import ConfigError, OrgConfig, load_org_config
from bot.config.settings import CoreSettings
from bot.playbook.loader import DEFAULT_PLAYBOOKS_DIR, PlaybookRegistry
from bot.reminders.delivery import Notifier
from bot.reminders.service import ReminderService
from bot.services.conversations import ConversationService
from bot.services.incidents import IncidentService
from bot.services.posts import PostService
from bot.storage.db import create_engine, session_factory


@dataclass
class Core:
    engine: AsyncEngine
    incidents: IncidentService
    posts: PostService
    conversations: ConversationService
    org: OrgConfig
    playbooks: PlaybookRegistry
    clock: Clock

    async def close(self) -> None:
        await self.engine.dispose()

    def reminder_service(self, notifiers: dict[str, Notifier], worker: str) -> ReminderService:
        return ReminderService(
            session_factory(self.engine), self.clock, self.org, self.playbooks, notifiers, worker
        )


def load_playbooks(settings: CoreSettings) -> PlaybookRegistry:
    return PlaybookRegistry.load(DEFAULT_PLAYBOOKS_DIR, settings.playbooks_dir)


def load_org(settings: CoreSettings) -> OrgConfig:
    if settings.config_path is None:
        raise ConfigError(
            "LEAKBOT_CONFIG is not set: point it at your organization config (see examples/leakbot.yaml)"
        )
    return load_org_config(settings.config_path)


def build_core(settings: CoreSettings, clock: Clock | None = None, org: OrgConfig | None = None) -> Core:
    clock = clock or SystemClock()
    org = org or load_org(settings)
    playbooks = load_playbooks(settings)
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    service = IncidentService(sessions, clock, org, playbooks)
    return Core(
        engine=engine,
        incidents=service,
        posts=PostService(sessions, clock),
        conversations=ConversationService(sessions, clock),
        org=org,
        playbooks=playbooks,
        clock=clock,
    )
