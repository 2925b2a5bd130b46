"""Drill incidents in the core (issue 14): the drills config section, the DRILL- series, who may start one,
the scenario's facts and assessment, and drills left out of real digests and listings."""

from __future__ import annotations

import logging
from datetime import datetime

import pytest
from sqlalchemy import select

from bot.appi.deadlines import JST
from bot.config.org import ConfigError, parse_org_config
from bot.domain.events import Reported
from bot.domain.facts import Facts
from bot.drills import load_scenarios
from bot.services.errors import ServiceError
from bot.services.incidents import ReportRequest
from bot.services.ports import OPERATOR, Actor
from bot.storage.tables import Incident, Reminder
from bot.storage.uow import UnitOfWork
from tests.conftest import ORG_YAML

COMMANDER = Actor("slack", "UCOMMANDER")
ORGANIZER = Actor("slack", "UTRAINER")
OUTSIDER = Actor("slack", "UOUTSIDER")
IT = Actor("slack", "UIT")


class Directory:
    name = "slack"

    async def resolve(self, member: str) -> str | None:
        if member.startswith("U"):
            return member
        return {"trainer@example.co.jp": "UMAILED", "legal@example.co.jp": "ULEGAL2"}.get(member)


class FakeNotifier:
    def __init__(self) -> None:
        self.digests: list[tuple[str, list[str]]] = []

    async def deliver(self, delivery) -> None:
        pass

    async def alert_failure(self, incident, recipient: str, error: str) -> None:
        pass

    async def digest(self, user_id: str, incidents) -> None:
        self.digests.append((user_id, [i.reference for i in incidents]))


# --- the org config --------------------------------------------------------------------------------------


def test_the_drills_section_is_optional_with_defaults(org) -> None:
    assert org.drills.speed == 720
    assert org.drills.organizers == ()
    assert org.drills.pings == "executives"
    assert org.drill_starters() == ("UCOMMANDER",)


def test_the_drills_section_parses() -> None:
    text = (
        ORG_YAML
        + "drills:\n  speed: 1440.5\n  organizers: [UTRAINER, trainer@example.co.jp]\n  pings: organizer\n"
    )
    org = parse_org_config(text, "org.yaml")
    assert org.drills.speed == 1440.5
    assert org.drills.organizers == ("UTRAINER", "trainer@example.co.jp")
    assert org.drills.pings == "organizer"
    assert org.drill_starters() == ("UCOMMANDER", "UTRAINER", "trainer@example.co.jp")


@pytest.mark.parametrize(
    ("section", "where"),
    [
        ("{speed: 0}", "drills.speed"),
        ("{speed: -5}", "drills.speed"),
        ("{speed: fast}", "drills.speed"),
        ("{pings: everyone}", "drills.pings"),
        ("{organizers: [not a member]}", "drills.organizers.0"),
        ("{organisers: [UTRAINER]}", "drills.organisers"),
        ("[720]", "drills"),
    ],
)
def test_bad_drills_values_are_refused_by_name(section: str, where: str) -> None:
    with pytest.raises(ConfigError) as refused:
        parse_org_config(ORG_YAML + f"drills: {section}\n", "org.yaml")
    assert f"org.yaml: {where}" in str(refused.value)


# --- starting a drill ------------------------------------------------------------------------------------


async def test_a_drill_gets_its_own_series_and_leaves_leak_numbers_alone(core, clock) -> None:
    seen: list[str] = []

    async def provision(event: Reported) -> None:  # the journey creates the channel on this event
        seen.append(event.reference)

    core.incidents.bus.subscribe(Reported, provision)
    drill = await core.incidents.start_drill("web_skimming", COMMANDER, "ja")
    assert drill.created and drill.incident.reference == "DRILL-2026-0001"
    await core.incidents.bus.settle()
    assert seen == ["DRILL-2026-0001"]
    second = await core.incidents.start_drill("misdelivery", COMMANDER, "en")
    assert second.incident.reference == "DRILL-2026-0002"
    real = await core.incidents.report(
        ReportRequest("slack", "UREPORTER", "ja", clock.now(), Facts(summary="USBメモリ紛失"))
    )
    assert real.incident.reference == "LEAK-2026-0001"
    assert real.incident.drill is None and not real.incident.is_drill


async def test_the_drill_starts_from_the_scenario(core, clock) -> None:
    scenario = load_scenarios()["web_skimming"]
    outcome = await core.incidents.start_drill("web_skimming", COMMANDER, "ja")
    view = outcome.incident
    assert view.facts == scenario.initial_facts("ja")
    assert view.reporter_id == "UCOMMANDER" and view.reporter_lang == "ja" and view.platform == "slack"
    assert view.aware_at == clock.now()
    assert view.drill == {
        "scenario": "web_skimming",
        "speed": 720.0,
        "started_at": clock.now().isoformat(),
        "injects_done": [],
        "pings": "executives",
    }
    # card data (the 2024 rule) is reportable whatever the count: the deadlines run like a real incident's
    assert view.assessment.reportable and view.assessment.grounds == ("financial",)
    assert {d.key for d in view.deadlines} >= {"preliminary", "final"}
    assert view.steps and view.members_with_role("reporter") == ("UCOMMANDER",)
    await core.incidents.resolve_team(view.reference, Directory())
    again = await core.incidents.get(view.reference, COMMANDER)
    assert again.drill == view.drill and again.facts == view.facts
    assert {m.role for m in again.members} >= {"reporter", "commander", "it", "executives"}


async def test_english_texts_for_an_english_organizer(core) -> None:
    view = (await core.incidents.start_drill("misdelivery", COMMANDER, "en")).incident
    assert view.facts == load_scenarios()["misdelivery"].initial_facts("en")
    assert view.reporter_lang == "en"


async def test_the_drill_is_audited_and_found_by_its_channel(core) -> None:
    ref = (await core.incidents.start_drill("ransomware", COMMANDER, "ja")).incident.reference
    await core.incidents.attach_channel(ref, "CDRILL", "leak-drill")
    found = await core.incidents.by_channel("CDRILL", COMMANDER)
    assert found is not None and found.reference == ref and found.is_drill
    report = await core.incidents.verify_audit(ref)
    assert report.ok


async def test_an_organizer_may_start_a_drill(clean_database, clock) -> None:
    from bot.bootstrap import build_core
    from bot.config.settings import CoreSettings

    text = ORG_YAML + "drills: {speed: 60, organizers: [UTRAINER, trainer@example.co.jp]}\n"
    built = build_core(
        CoreSettings(DATABASE_URL=clean_database), clock=clock, org=parse_org_config(text, "org.yaml")
    )
    try:
        view = (await built.incidents.start_drill("blank", ORGANIZER, "ja")).incident
        assert view.reference == "DRILL-2026-0001" and view.drill["speed"] == 60.0
        assert ORGANIZER.user_id in view.members_with_role("commander"), "the organizer runs their drill"
        await built.incidents.close(view.reference, ORGANIZER)  # and may end it
        with pytest.raises(ServiceError) as refused:
            await built.incidents.start_drill("blank", Actor("slack", "UMAILED"), "ja")
        assert refused.value.code == "drill_not_allowed", "an e-mail matches only through the directory"
        mailed = await built.incidents.start_drill("blank", Actor("slack", "UMAILED"), "ja", Directory())
        assert mailed.incident.reference == "DRILL-2026-0002"
    finally:
        await built.close()


@pytest.mark.parametrize("who", [OUTSIDER, IT, Actor("teams", "29:someone")])
async def test_anyone_else_is_refused_and_nothing_is_created(core, who, caplog) -> None:
    caplog.set_level(logging.INFO)
    with pytest.raises(ServiceError) as refused:
        await core.incidents.start_drill("misdelivery", who, "ja", Directory())
    assert refused.value.code == "drill_not_allowed"
    assert await core.incidents.list(OPERATOR, drills=True) == []
    assert "drill_not_allowed" in caplog.text and who.user_id not in caplog.text
    real = await core.incidents.report(
        ReportRequest("slack", "UREPORTER", "ja", core.clock.now(), Facts(summary="誤送信"))
    )
    assert real.incident.reference == "LEAK-2026-0001"


async def test_an_unknown_scenario_is_refused(core) -> None:
    with pytest.raises(ServiceError) as refused:
        await core.incidents.start_drill("no_such_scenario", COMMANDER, "ja")
    assert refused.value.code == "unknown_scenario"
    assert refused.value.params == {"scenario": "no_such_scenario"}


def test_every_new_error_code_has_a_message() -> None:
    from bot.i18n import t

    for code in ("drill_not_allowed", "unknown_scenario"):
        for lang in ("ja", "en"):
            assert t(f"error.{code}", lang, scenario="x") != f"error.{code}"


# --- left out of real digests and listings ----------------------------------------------------------------


async def test_the_digest_and_the_listing_leave_drills_out(core, clock) -> None:
    drill = (await core.incidents.start_drill("web_skimming", COMMANDER, "ja")).incident.reference
    await core.incidents.resolve_team(drill, Directory())
    real = (
        await core.incidents.report(
            ReportRequest("slack", "UREPORTER", "ja", clock.now(), Facts(summary="誤送信", persons=2000))
        )
    ).incident.reference
    await core.incidents.resolve_team(real, Directory())
    clock.set(datetime(2026, 12, 2, 9, 0, 5, tzinfo=JST))
    notifier = FakeNotifier()
    assert await core.reminder_service({"slack": notifier}, "a").run_digest() == 1
    assert notifier.digests == [("UEXEC", [real])]
    assert [v.reference for v in await core.incidents.list(OPERATOR)] == [real]
    assert [v.reference for v in await core.incidents.list(Actor("slack", "UEXEC"))] == [real]
    everything = await core.incidents.list(OPERATOR, drills=True)
    assert [v.reference for v in everything] == [drill, real]
    assert (await core.incidents.get(drill, COMMANDER)).is_drill


async def test_a_real_incident_stores_sql_null(core, clock) -> None:
    await core.incidents.report(ReportRequest("slack", "UREPORTER", "ja", clock.now(), Facts(summary="紛失")))
    await core.incidents.start_drill("blank", COMMANDER, "ja")
    async with UnitOfWork(core.incidents._sessions) as uow:
        plain = list(await uow.session.scalars(select(Incident.reference).where(Incident.drill.is_(None))))
        drills = list(
            await uow.session.scalars(select(Incident.reference).where(Incident.drill.is_not(None)))
        )
    assert plain == ["LEAK-2026-0001"] and drills == ["DRILL-2026-0001"]


# --- who gets the executive pings ---------------------------------------------------------------------------


async def _ping_targets(core, reference: str) -> set[str]:
    async with UnitOfWork(core.incidents._sessions) as uow:
        incident = await uow.incident(reference)
        rows = await uow.session.scalars(
            select(Reminder.target).where(Reminder.incident_id == incident.id, Reminder.state == "pending")
        )
        return {t for t in rows if t != "channel"}


async def test_executives_get_the_drill_pings_by_default(core) -> None:
    ref = (await core.incidents.start_drill("web_skimming", COMMANDER, "ja")).incident.reference
    await core.incidents.resolve_team(ref, Directory())
    assert await _ping_targets(core, ref) == {"user:slack:UEXEC", "user:slack:UCOMMANDER"}


async def test_only_the_organizer_gets_the_pings_when_configured(clean_database, clock) -> None:
    from bot.bootstrap import build_core
    from bot.config.settings import CoreSettings

    text = ORG_YAML + "drills: {organizers: [UTRAINER], pings: organizer}\n"
    built = build_core(
        CoreSettings(DATABASE_URL=clean_database), clock=clock, org=parse_org_config(text, "org.yaml")
    )
    try:
        view = (await built.incidents.start_drill("web_skimming", ORGANIZER, "ja")).incident
        assert view.drill["pings"] == "organizer"
        await built.incidents.resolve_team(view.reference, Directory())
        assert await _ping_targets(built, view.reference) == {"user:slack:UTRAINER"}
        real = await built.incidents.report(
            ReportRequest("slack", "UREPORTER", "ja", clock.now(), Facts(summary="誤送信", persons=2000))
        )
        await built.incidents.resolve_team(real.incident.reference, Directory())
        targets = await _ping_targets(built, real.incident.reference)
        assert targets == {"user:slack:UEXEC", "user:slack:UCOMMANDER"}, "real incidents are unaffected"
    finally:
        await built.close()
