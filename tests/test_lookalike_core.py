"""Which reports are held as look-alikes, in the core (issue 22): a second report of the same leak is, one on
another platform is not, and a drill and a real incident are never compared."""

from __future__ import annotations

from sqlalchemy import select

from bot.domain.facts import Facts
from bot.services.incidents import ReportRequest
from bot.services.ports import Actor
from bot.storage.db import session_factory
from bot.storage.tables import Incident, Provisioning
from bot.storage.uow import UnitOfWork

MAIL = "営業部から顧客リストが添付されたメールが全社員に誤送信されました"
COMMANDER = Actor("slack", "UCOMMANDER")


async def report(core, summary: str = MAIL, platform: str = "slack", user: str = "UREPORTER") -> str:
    request = ReportRequest(platform, user, "ja", core.clock.now(), Facts(summary=summary))
    return (await core.incidents.report(request)).incident.reference


async def stages(core) -> dict[str, tuple[str, str | None]]:
    """Each incident's provisioning stage, and the reference it is held for."""
    async with UnitOfWork(session_factory(core.engine)) as uow:
        rows = (
            await uow.session.execute(
                select(Incident.reference, Provisioning.stage, Provisioning.held_for).join(
                    Provisioning, Provisioning.incident_id == Incident.id
                )
            )
        ).all()
        names = dict((await uow.session.execute(select(Incident.id, Incident.reference))).all())
    return {ref: (stage, names.get(held_for)) for ref, stage, held_for in rows}


async def test_a_second_report_of_the_same_leak_is_held_for_the_first(core) -> None:
    first = await report(core)
    second = await report(core, MAIL + "。至急確認してください", user="UOTHER")
    other = await report(core, "ノートPCを電車に置き忘れました", user="UTHIRD")
    teams = await report(core, MAIL, platform="teams", user="29:someone")
    await core.settle()
    found = await stages(core)
    assert found[second] == ("held", first)
    assert found[other][0] != "held" and found[teams][0] != "held", "another leak; another platform"


async def test_drills_and_real_incidents_are_never_compared(core) -> None:
    drill = (await core.incidents.start_drill("misdelivery", COMMANDER, "ja")).incident
    real = await report(core, drill.facts.summary)
    again = await report(core, drill.facts.summary, user="UOTHER")
    later_drill = (await core.incidents.start_drill("misdelivery", COMMANDER, "ja")).incident
    await core.settle()
    found = await stages(core)
    assert found[real][0] != "held", "a real report is never held for a drill"
    assert found[again] == ("held", real)
    assert found[later_drill.reference][0] != "held", "nor a drill for a real incident (or a drill)"
