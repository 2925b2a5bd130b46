"""A Teams response thread reads right: the reporter is told the thread by its title (not a name pieced
together, 「対応スレッド Teams LEAK-… スレッド を開始し」), and the summary opens the thread before the phases,
as on Slack, however long the look-up of people's names for it takes."""

from __future__ import annotations

import asyncio

from adapters.teams.platform import TeamsPlatform
from adapters.teams.sdk import Conversation
from adapters.teams.settings import TeamsSettings
from bot.i18n.rich import mention
from bot.views.elements import Field, Part
from bot.views.incident import PhaseView, SummaryView
from tests.test_teams_e2e import report

REF = "LEAK-2026-0001"


async def test_the_reporter_is_told_the_thread_by_its_title(teams) -> None:
    await report(teams)
    dm = " ".join(teams.connector.texts_in("a:personal-29:reporter"))
    assert f"対応スレッド「{REF} 個人データ漏えい 対応スレッド」を開始し" in dm, dm
    assert "Teams LEAK" not in dm and "スレッド を" not in dm


class Gateway:
    """Teams as far as the platform's posting needs it; the roster answers only when ``roster`` is set."""

    app_id = "app"

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.roster = asyncio.Event()

    async def create_conversation(self, service_url, tenant_id, *, members=None, channel=None, first=None):
        return Conversation(service_url, f"{channel};messageid=1", tenant_id, "app"), "root"

    async def members(self, conversation):
        await self.roster.wait()
        return [("29:kato", "加藤 一郎", "")]

    async def send(self, conversation, activity) -> str:
        self.sent.append(activity.attachments[0].content["body"][0]["text"])
        return f"activity-{len(self.sent)}"


class Conversations:
    def __init__(self) -> None:
        self.stored: dict[str, dict] = {}

    async def get(self, platform: str, key: str):
        return self.stored.get(key)

    async def remember(self, platform: str, key: str, value: dict) -> None:
        self.stored[key] = value


async def test_the_summary_opens_a_new_thread_before_the_phases() -> None:
    gateway = Gateway()
    settings = TeamsSettings(
        LEAKBOT_TEAMS_DEV_MODE=True,
        MICROSOFT_APP_TENANT_ID="tenant",
        LEAKBOT_TEAMS_RESPONSE_CHANNEL="19:response@thread.tacv2",
    )
    platform = TeamsPlatform(gateway, settings, Conversations(), "ja")
    space = await platform.create_space("leak-20261201-0001", REF)
    summary = SummaryView(
        REF,
        "🚨 summary",
        Part("次にやること", ()),
        "-",
        (Field("報告者", (mention("29:kato"),)),),
        (),
        (),
        (),
    )
    phases = [PhaseView(REF, f"p{n}", f"📋 phase {n}", "0%", ()) for n in (1, 2, 3)]

    # the journey posts them at once; the phases are asked for first, the summary waits for the roster
    posting = [asyncio.create_task(platform.post(space, p, p.phase_id)) for p in phases]
    posting.append(asyncio.create_task(platform.post(space, summary, "summary")))
    for _ in range(20):
        await asyncio.sleep(0)
    assert gateway.sent == [], "no phase goes before the summary"
    gateway.roster.set()
    await asyncio.gather(*posting)
    assert gateway.sent[0] == "🚨 summary" and len(gateway.sent) == 4

    later = PhaseView(REF, "p4", "📋 phase 4", "0%", ())
    await platform.post(space, later, "p4")
    assert gateway.sent[-1] == "📋 phase 4", "once the summary is there, posts go straight out"
