"""The real leakbot app with its Teams endpoint, reached by Bot Framework activities over HTTP; the Agents
SDK answers through a fake connector at the activities' serviceUrl."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import aiohttp
from aiohttp import web

from adapters.fakes.teams.connector import FakeConnector
from adapters.fakes.teams.graph import FakeGraph
from adapters.logging_setup import quiet_payload_loggers
from adapters.metrics import Metrics
from adapters.teams.bot import TeamsBot
from adapters.teams.settings import TeamsSettings
from adapters.web import build_web_app
from bot.bootstrap import Core, build_core
from bot.clock import Clock
from bot.config.org import OrgConfig
from bot.config.settings import CoreSettings

BOT = "28:leakbot"
TENANT = "tenant-0001"
RESPONSE_CHANNEL = "19:response@thread.tacv2"
RESPONSE_TEAM = "00000000-0000-0000-0000-00000000a11a"
APP_ID = "00000000-0000-0000-0000-000000000001"
CATALOG_APP = "11111111-2222-3333-4444-555555555555"
_ids = itertools.count(1)


class TeamsHarness:
    def __init__(
        self,
        database_url: str,
        org: OrgConfig,
        clock: Clock | None = None,
        core: Core | None = None,
        dev_mode: bool = True,
        graph: bool = False,
        names: dict[str, str] | None = None,
        env: dict[str, Any] | None = None,
    ) -> None:
        self.database_url = database_url
        self.org = org
        self.clock = clock
        self.connector = FakeConnector()
        self.metrics = Metrics()
        self._own_core = core is None
        self.core = core
        self.dev_mode = dev_mode
        self.graph: FakeGraph | None = FakeGraph(TENANT, APP_ID, "secret", self.connector) if graph else None
        self.connector.names.update(names or {})
        self.env = env or {}  # settings of the environment, over the harness's own (None: unset)
        self.url = ""
        self._runner: web.AppRunner | None = None
        self.session: aiohttp.ClientSession

    async def __aenter__(self) -> TeamsHarness:
        await self.connector.start()
        if self.graph is not None:
            await self.graph.start()
            self.graph.add_team(RESPONSE_TEAM)
        if self.core is None:
            self.core = build_core(
                CoreSettings(DATABASE_URL=self.database_url), clock=self.clock, org=self.org
            )
        env = {
            "LEAKBOT_TEAMS_RESPONSE_CHANNEL": RESPONSE_CHANNEL,
            "LEAKBOT_TEAMS_SERVICE_URL": self.connector.url,
        }
        if self.graph is not None:  # private-channel mode: Graph needs the app's credentials
            env |= {
                "LEAKBOT_TEAMS_RESPONSE_TEAM": RESPONSE_TEAM,
                "LEAKBOT_GRAPH_URL": self.graph.url,
                "LEAKBOT_GRAPH_AUTHORITY": self.graph.authority,
                "LEAKBOT_TEAMS_CATALOG_APP_ID": CATALOG_APP,
                "MICROSOFT_APP_ID": APP_ID,
                "MICROSOFT_APP_PASSWORD": "secret",
            }
        env |= self.env
        if self.dev_mode:
            settings = TeamsSettings(LEAKBOT_TEAMS_DEV_MODE=True, MICROSOFT_APP_TENANT_ID=TENANT, **env)
        else:
            settings = TeamsSettings(
                MICROSOFT_APP_ID=APP_ID,
                MICROSOFT_APP_PASSWORD="secret",
                MICROSOFT_APP_TENANT_ID=TENANT,
                **env,
            )
        if self.graph is not None:
            self.graph.client_id = settings.app_id or APP_ID
            self.graph.publish_app(settings.manifest_id or "", CATALOG_APP)  # uploaded by the admin
        self.bot = TeamsBot(self.core, settings, self.metrics)
        quiet_payload_loggers()
        app = build_web_app(
            self.core,
            self.metrics,
            {"/api/messages": self.bot.route()},
            {"agent_configuration": self.bot.gateway.auth_config},
        )
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
        self.session = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.bot.settle()
        await self.session.close()
        await self.bot.close()
        if self._runner is not None:
            await self._runner.cleanup()
        if self._own_core:
            await self.core.close()
        await self.connector.stop()
        if self.graph is not None:
            await self.graph.stop()

    def activity(self, user: str, conversation: str, **fields: Any) -> dict[str, Any]:
        """An activity from ``user`` (a 29: id); their Entra object id rides along when ``aad`` is given."""
        aad = fields.pop("aad", None)
        sender = {"id": user, "name": self.connector.names.get(user) or self.connector.names.get(aad) or user}
        if aad:
            sender["aadObjectId"] = aad
        return {
            "id": f"act-in-{next(_ids)}",
            "channelId": "msteams",
            "serviceUrl": self.connector.url,
            "from": sender,
            "recipient": {"id": BOT, "name": "leakbot"},
            "conversation": {"id": conversation, "conversationType": "personal", "tenantId": TENANT},
            "channelData": {"tenant": {"id": TENANT}},
            "locale": fields.pop("locale", "ja-JP"),
            **fields,
        }

    async def post(self, activity: dict[str, Any], headers: dict[str, str] | None = None) -> tuple[int, Any]:
        async with self.session.post(
            f"{self.url}/api/messages", json=activity, headers=headers or {}
        ) as response:
            body = (
                await response.json()
                if response.content_type == "application/json"
                else await response.text()
            )
            return response.status, body

    async def say(
        self, user: str, text: str, conversation: str | None = None, **fields: Any
    ) -> tuple[int, Any]:
        convo = conversation or f"a:personal-{user}"
        return await self.post(self.activity(user, convo, type="message", text=text, **fields))

    async def execute(
        self,
        user: str,
        verb: str,
        data: dict[str, Any],
        conversation: str | None = None,
        activity_id: str | None = None,
        **fields: Any,
    ) -> tuple[int, Any]:
        convo = conversation or f"a:personal-{user}"
        activity = self.activity(
            user,
            convo,
            type="invoke",
            name="adaptiveCard/action",
            value={"action": {"type": "Action.Execute", "verb": verb, "data": data}},
            **fields,
        )
        if activity_id:
            activity["id"] = activity_id
        return await self.post(activity)

    async def settle(self) -> None:
        await asyncio.sleep(0.05)
        await self.bot.settle()


def card_of(body: dict[str, Any]) -> dict[str, Any]:
    """The card of an adaptiveCard/action invoke response."""
    assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.card.adaptive", body
    return body["value"]


def execute_data(
    card: dict[str, Any], verb: str, where: dict[str, Any] | None = None, **inputs: Any
) -> dict[str, Any]:
    """The data Teams sends for the Action.Execute ``verb`` (whose data matches ``where``): data plus inputs."""
    found = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            data = node.get("data") or {}
            if (
                node.get("type") == "Action.Execute"
                and node.get("verb") == verb
                and all(data.get(k) == v for k, v in (where or {}).items())
            ):
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    assert found, f"no Action.Execute {verb} in the card"
    return {**found[0].get("data", {}), **inputs}
