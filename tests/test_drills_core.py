"""Drills, the platform-neutral core (issue 14): scenarios as data, the drill clock, the mark. The
after-action report: tests/test_drill_report.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.appi.deadlines import JST
from bot.clock import FakeClock
from bot.domain.facts import DataItem, Facts
from bot.domain.vocabulary import Cause
from bot.drills import (
    DEFAULT_SCENARIOS_DIR,
    DrillClock,
    ScenarioError,
    injects_due,
    load_scenarios,
    marked,
)
from bot.drills.scenarios import format_offset, parse_offset
from bot.i18n import catalog, t
from bot.playbook.loader import DEFAULT_PLAYBOOKS_DIR, PlaybookRegistry

CASES = ("misdelivery", "lost_device", "web_skimming", "ransomware")
T0 = datetime(2025, 4, 1, 9, 0, tzinfo=JST)


# --- scenarios ---------------------------------------------------------------------------------------------


def test_the_shipped_scenarios_are_the_cases_and_blank(scenarios) -> None:
    assert set(scenarios) == {*CASES, "overseas_customers", "blank"}
    for scenario in scenarios.values():
        for text in (scenario.title, scenario.briefing):
            assert text.ja and text.en


@pytest.mark.parametrize("case", CASES)
def test_each_case_has_two_injects_whose_facts_make_facts(scenarios, case) -> None:
    scenario = scenarios[case]
    assert len(scenario.injects) >= 2
    assert sum(1 for i in scenario.injects if i.fields) >= 2  # at least two reveal facts
    assert [i.at for i in scenario.injects] == sorted(i.at for i in scenario.injects)
    for lang in ("ja", "en"):
        start = scenario.initial_facts(lang)
        assert isinstance(start, Facts) and start.summary
        assert start.cause is not Cause.UNKNOWN or case == "web_skimming"
        final = scenario.expected_facts(timedelta(days=365), lang)
        assert final != start
        for inject in scenario.injects:
            assert inject.say.get(lang)


def test_the_cases_change_the_assessment_as_the_seeds_describe(scenarios) -> None:
    misdelivery = scenarios["misdelivery"]
    assert misdelivery.initial_facts().persons == 350
    assert misdelivery.expected_facts(timedelta(hours=2)).persons == 1240  # past 1,000
    skimming = scenarios["web_skimming"]
    assert skimming.initial_facts().is_financial  # card data: reportable from the first minute
    assert not skimming.initial_facts().is_malicious
    assert skimming.expected_facts(timedelta(hours=4)).is_malicious  # the cause turns malicious
    assert DataItem.SENSITIVE in scenarios["ransomware"].expected_facts(timedelta(days=1)).data_items
    assert any(i.kind == "call" for c in CASES for i in scenarios[c].injects)  # a journalist calls


def test_blank_has_only_a_summary_placeholder(scenarios) -> None:
    blank = scenarios["blank"]
    assert blank.injects == ()
    assert blank.facts.model_fields_set == {"summary"}
    assert blank.initial_facts("ja").summary != blank.initial_facts("en").summary
    assert blank.initial_facts("en").model_dump(exclude={"summary"}) == Facts().model_dump(
        exclude={"summary"}
    )


def test_the_playbook_loader_does_not_read_the_drills_directory() -> None:
    assert DEFAULT_SCENARIOS_DIR.parent == DEFAULT_PLAYBOOKS_DIR
    assert set(PlaybookRegistry.load(DEFAULT_PLAYBOOKS_DIR).playbooks) == {"personal-data-leak"}


BROKEN = """
id: broken
title: {ja: 壊れた, en: Broken}
briefing: {ja: 説明, en: Briefing}
facts: {persons: -5, colour: red}
injects:
  - at: 2x
    say: {ja: あ, en: a}
  - at: 3h
    kind: rumour
    say: {ja: い}
    facts: {cause: aliens, summary: {ja: "%s", en: short}}
"""


def test_a_broken_file_names_the_file_and_each_field(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN % ("長" * 3001), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenarios(tmp_path)
    errors = caught.value.errors
    assert all(e.startswith(f"{path}: ") for e in errors)
    text = "\n".join(errors)
    assert "facts.persons: Input should be greater than or equal to 0" in text
    assert "facts.colour: unknown key" in text
    assert "injects[0] (at 2x): at: Value error, expected a drill-time offset" in text
    assert "injects[1] (at 3h): kind:" in text
    assert "injects[1] (at 3h): say.en: Field required" in text
    assert "injects[1] (at 3h): facts.cause:" in text


def test_a_text_too_long_once_resolved_is_named(tmp_path: Path) -> None:
    path = tmp_path / "long.yaml"
    path.write_text(
        "id: long\ntitle: {ja: 長い, en: Long}\nbriefing: {ja: 説明, en: Briefing}\n"
        f"injects:\n  - at: 1h\n    say: {{ja: あ, en: a}}\n    facts: {{notes: {{ja: {'長' * 3001}, en: ok}}}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenarios(tmp_path)
    assert caught.value.errors == [
        f"{path}: injects[0] (at 1h): facts.notes: String should have at most 3000 characters"
    ]


def test_an_inject_at_the_start_and_a_duplicate_id_are_refused(tmp_path: Path) -> None:
    body = "id: same\ntitle: {ja: あ, en: a}\nbriefing: {ja: あ, en: a}\n"
    (tmp_path / "a.yaml").write_text(body, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(body + "injects: [{at: 0m, say: {ja: あ, en: a}}]\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text(body, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenarios(tmp_path)
    assert any(e.startswith(f"{tmp_path / 'b.yaml'}: injects[0] (at 0m): at: ") for e in caught.value.errors)
    assert any("c.yaml: id: duplicate scenario id 'same'" in e for e in caught.value.errors)


def test_a_company_scenario_replaces_a_shipped_one(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        "id: blank\ntitle: {ja: 自社, en: Ours}\nbriefing: {ja: あ, en: a}\n", encoding="utf-8"
    )
    merged = load_scenarios(DEFAULT_SCENARIOS_DIR, tmp_path)
    assert merged["blank"].title.en == "Ours"
    assert "ransomware" in merged


def test_offsets() -> None:
    assert parse_offset("2h") == timedelta(hours=2)
    assert parse_offset("1d12h") == timedelta(days=1, hours=12)
    assert parse_offset("90m") == timedelta(minutes=90)
    for bad in ("", "2", "h", "1h2d", "-1h"):
        with pytest.raises(ValueError):
            parse_offset(bad)
    assert format_offset(timedelta(days=1, hours=12)) == "1d12h"
    assert format_offset(timedelta(0)) == "0m"


def test_injects_due_between_two_times_each_once(scenarios) -> None:
    scenario = scenarios["misdelivery"]  # 2h, 6h, 1d
    assert injects_due(scenario, None, timedelta(hours=1)) == ()
    first = injects_due(scenario, None, timedelta(hours=2))
    assert [i.at for i in first] == [timedelta(hours=2)]
    assert injects_due(scenario, timedelta(hours=2), timedelta(hours=5)) == ()
    assert [i.at for i in injects_due(scenario, timedelta(hours=5), timedelta(days=2))] == [
        timedelta(hours=6),
        timedelta(days=1),
    ]
    # polling in small steps delivers every inject exactly once
    seen, last = [], None
    for minutes in range(0, 3 * 24 * 60, 7):
        now = timedelta(minutes=minutes)
        seen += injects_due(scenario, last, now)
        last = now
    assert seen == list(scenario.ordered_injects())
    assert scenario.inject_number(seen[2]) == 3


# --- the drill clock ---------------------------------------------------------------------------------------


def test_at_720x_the_30_day_window_takes_an_hour() -> None:
    start = datetime(2025, 4, 1, 0, 0, tzinfo=UTC)
    clock = DrillClock(start)
    assert clock.speed == 720
    assert clock.real_at(timedelta(days=30)) == start + timedelta(hours=1)
    assert clock.real_at(start + timedelta(days=3)) == start + timedelta(minutes=6)  # 速報 window ~6–10 min
    assert clock.drill_now(start + timedelta(minutes=1)) == start + timedelta(hours=12)
    assert clock.elapsed(start + timedelta(seconds=5)) == timedelta(hours=1)
    assert clock.to_real(timedelta(days=60)) == timedelta(hours=2)


def test_the_drill_calendar_may_start_elsewhere_and_the_maths_round_trips() -> None:
    real = datetime(2025, 4, 1, 9, 0, tzinfo=JST)
    drill = datetime(2030, 1, 6, 9, 0, tzinfo=JST)
    clock = DrillClock(real, speed=100, started_at_drill=drill)
    assert clock.drill_now(real) == drill
    moment = real + timedelta(minutes=37, seconds=12)
    assert clock.real_at(clock.drill_now(moment)) == moment
    assert clock.offset_of(clock.drill_now(moment)) == timedelta(minutes=37, seconds=12) * 100
    assert clock.real_at(timedelta(0)) == real


def test_the_drill_clock_as_a_clock_for_the_services() -> None:
    real = FakeClock(T0)
    drill = DrillClock(T0).as_clock(real)
    assert drill.now() == T0
    real.advance(timedelta(minutes=10))
    assert drill.now() == T0 + timedelta(hours=120)


def test_the_drill_clock_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        DrillClock(datetime(2025, 4, 1))  # naive
    with pytest.raises(ValueError):
        DrillClock(T0, speed=0)


# --- the mark ----------------------------------------------------------------------------------------------


def test_every_drill_message_is_marked_once() -> None:
    assert t("drill.mark", "ja") == "【訓練】"
    assert t("drill.mark", "en") == "[DRILL]"
    assert marked("速報の期限です", "ja") == "【訓練】 速報の期限です"
    assert marked("Preliminary report due", "en") == "[DRILL] Preliminary report due"
    assert marked(marked("x", "en"), "en") == "[DRILL] x"
    assert "drill.report.title" in catalog()
