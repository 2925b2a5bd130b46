"""Wiring the core from settings: the org config, the playbooks, the database and the service."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import Clock, SystemClock
from bot.config.org import ConfigError, Organization, OrgConfig, load_org_config, parse_org_config
from bot.config.settings import CoreSettings
from bot.journey.journey import Journey
from bot.journey.notifier import PlatformNotifier
from bot.playbook.loader import DEFAULT_PLAYBOOKS_DIR, PlaybookRegistry
from bot.reminders.delivery import Notifier
from bot.reminders.service import ReminderService
from bot.services.bus import MessageBus
from bot.services.conversations import ConversationService
from bot.services.incidents import IncidentService
from bot.services.posts import PostService
from bot.services.provisioning import ProvisioningService
from bot.services.scheduled_pings import ScheduledPingStore
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
    bus: MessageBus
    journey: Journey
    worker: str

    async def settle(self) -> None:
        """Wait for what follows the last changes (handlers, provisioning, coalesced updates)."""
        await self.bus.settle()
        await self.journey.settle()

    async def close(self) -> None:
        await self.settle()
        await self.engine.dispose()

    def notifiers(self) -> dict[str, Notifier]:
        """Reminders through each platform the journey serves."""
        return {
            name: PlatformNotifier(platform, self.clock, self.org.language)
            for name, platform in self.journey.platforms.items()
        }

    def reminder_service(self, notifiers: dict[str, Notifier], worker: str) -> ReminderService:
        return ReminderService(
            session_factory(self.engine), self.clock, self.org, self.playbooks, notifiers, worker
        )


def load_playbooks(settings: CoreSettings) -> PlaybookRegistry:
    return PlaybookRegistry.load(DEFAULT_PLAYBOOKS_DIR, settings.playbooks_dir)


def load_org(settings: CoreSettings) -> OrgConfig:
    """The org config from LEAKBOT_CONFIG (a file) or LEAKBOT_CONFIG_YAML (the YAML itself); errors name
    which one, the field and what is wrong."""
    if settings.config_yaml is not None:
        if settings.config_path is not None:
            raise ConfigError("LEAKBOT_CONFIG and LEAKBOT_CONFIG_YAML are both set: keep one of them")
        if not settings.config_yaml.strip():
            raise ConfigError("LEAKBOT_CONFIG_YAML: is empty: put the organization config (YAML) in it")
        return parse_org_config(settings.config_yaml, "LEAKBOT_CONFIG_YAML")
    if settings.config_path is None:
        raise ConfigError(
            "LEAKBOT_CONFIG is not set: point it at your organization config (see examples/leakbot.yaml), "
            "or put the YAML itself in LEAKBOT_CONFIG_YAML"
        )
    return load_org_config(settings.config_path)


def configured_org(settings: CoreSettings) -> bool:
    return settings.config_path is not None or settings.config_yaml is not None


# Reading what is stored (incidents list/show/calendar, audit verify) needs no org config. Without one, the
# read model recomputes the assessment with the defaults of OrgConfig: a business (threshold: more than
# 1,000 people) in the general sector (report to the PPC). Deadlines, steps, members and the audit trail
# are read as stored and do not depend on it. When an org config is set it is used (and must be valid),
# so the command line shows what the bot shows.
READ_DEFAULTS = OrgConfig.model_construct(organization=Organization(name="(no org config)"))


def load_org_for_reads(settings: CoreSettings) -> OrgConfig:
    return load_org(settings) if configured_org(settings) else READ_DEFAULTS


def build_core(settings: CoreSettings, clock: Clock | None = None, org: OrgConfig | None = None) -> Core:
    clock = clock or SystemClock()
    org = org or load_org(settings)
    playbooks = load_playbooks(settings)
    engine = create_engine(settings.database_url, settings.keyring())
    sessions = session_factory(engine)
    bus = MessageBus()
    service = IncidentService(sessions, clock, org, playbooks, bus)
    posts = PostService(sessions, clock)
    worker = worker_id()
    provisioning = ProvisioningService(sessions, clock, timedelta(seconds=settings.provision_lease_seconds))
    return Core(
        engine=engine,
        incidents=service,
        posts=posts,
        conversations=ConversationService(sessions, clock),
        org=org,
        playbooks=playbooks,
        clock=clock,
        bus=bus,
        journey=Journey(
            service,
            posts,
            provisioning,
            bus,
            worker,
            settings.updates_per_second,
            ScheduledPingStore(sessions, clock, worker),
        ),
        worker=worker,
    )


def worker_id() -> str:
    """Names this process in claims (reminders, provisioning), so a stuck claim can be traced to its replica."""
    return f"{socket.gethostname()}-{os.getpid()}"[:64]
