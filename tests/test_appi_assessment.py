"""Reportability: the four grounds, thresholds, suspected leaks, encryption, processors."""

from __future__ import annotations

from datetime import date

import pytest

from bot.appi.assessment import AssessmentInput, assess
from bot.appi.recipients import recipient_for

AWARE = date(2026, 12, 1)


def facts(**kw) -> AssessmentInput:
    return AssessmentInput(aware_on=AWARE, **kw)


@pytest.mark.parametrize(
    ("kw", "grounds"),
    [
        ({"persons": 1000}, []),  # 超える: 1,000 is not more than 1,000
        ({"persons": 1001}, ["headcount"]),
        ({"persons": None, "persons_upper_bound": 5000}, ["headcount"]),  # unknown: the upper bound counts
        ({"persons": 20, "persons_upper_bound": 1500}, ["headcount"]),  # unsure: the largest possible count
        ({"persons": 3, "sensitive": True}, ["sensitive"]),
        ({"persons": 1, "financial": True}, ["financial"]),
        ({"persons": 1, "malicious": True}, ["malicious"]),  # incl. data being acquired (web skimming)
        ({"persons": 101, "entity": "public_body"}, ["headcount"]),
        ({"persons": 100, "entity": "public_body"}, []),
        # My Number data: the My Number rule's own grounds (2条2号, 4号: more than 100), never 規則7条4号 at 100
        ({"persons": 101, "my_number": True}, ["my_number_headcount"]),
        ({"persons": 100, "my_number": True}, []),
        ({"persons": 2000, "my_number": True}, ["headcount", "my_number_headcount"]),
        ({"persons": 5, "my_number": True, "malicious": True}, ["malicious", "my_number_malicious"]),
        ({"persons": 2000, "sensitive": True, "malicious": True}, ["sensitive", "malicious", "headcount"]),
    ],
)
def test_grounds(kw: dict, grounds: list[str]) -> None:
    result = assess(facts(**kw))
    assert [str(g) for g in result.grounds] == grounds
    assert result.reportable is bool(grounds)
    assert result.notify_individuals is bool(grounds)


def test_malicious_gives_sixty_days_even_with_other_grounds() -> None:
    result = assess(facts(persons=5000, malicious=True))
    assert result.final_days == 60
    assert result.final is not None and result.final.due_on == date(2027, 1, 29)


def test_strong_encryption_exempts() -> None:
    result = assess(facts(persons=5000, sensitive=True, encrypted=True))
    assert not result.reportable and result.grounds == ()
    assert result.exempt_by_encryption


def test_not_reportable_has_no_deadlines() -> None:
    result = assess(facts(persons=10))
    assert result.final is None and result.preliminary is None and result.final_days is None


def test_a_processor_owes_the_controller_a_prompt_notice_instead() -> None:
    result = assess(facts(persons=10, sensitive=True, acting_as="processor"))
    assert not result.reportable and not result.notify_individuals
    assert result.processor_notice
    assert result.controller_notice_due_at is not None
    assert result.controller_notice_due_at.date() == date(2026, 12, 2)


@pytest.mark.parametrize(
    ("sector", "recipient"),
    [("general", "ppc"), ("banking", "fsa"), ("telecom", "mic"), ("credit_information", "meti")],
)
def test_recipient_follows_the_sector(sector: str, recipient: str) -> None:
    assert recipient_for(sector).key == recipient
    assert recipient_for(sector).name("ja")


@pytest.mark.parametrize(
    ("kw", "reportable", "undetermined"),
    [
        ({}, False, ["headcount"]),  # nobody knows how many: not "not reportable"
        ({"persons": None, "persons_upper_bound": None}, False, ["headcount"]),
        ({"sensitive": True}, True, ["headcount"]),  # reportable anyway; the count is still open
        ({"persons": None, "persons_upper_bound": 500}, False, []),  # an upper bound decides it
        ({"persons": 40}, False, []),  # an estimate decides it
        ({"persons": None, "persons_upper_bound": 5000}, True, []),
        ({"encrypted": True}, False, []),  # strong encryption exempts whatever the count
        ({"acting_as": "processor"}, False, ["headcount"]),
    ],
)
def test_an_unknown_count_leaves_the_headcount_ground_undetermined(
    kw: dict, reportable: bool, undetermined: list[str]
) -> None:
    result = assess(facts(**kw))
    assert result.reportable is reportable
    assert [str(g) for g in result.undetermined] == undetermined


def test_an_unknown_count_with_strong_encryption_says_it_is_exempted() -> None:
    assert assess(facts(encrypted=True)).exempt_by_encryption


def test_notice_to_individuals_has_no_date_unless_the_org_sets_a_target() -> None:
    result = assess(facts(persons=1500))
    assert result.notify_individuals and result.individuals_target is None
    targeted = assess(facts(persons=1500), individuals_target_days=7)
    assert targeted.individuals_target is not None
    assert targeted.individuals_target.due_on == date(2026, 12, 7), "day 7, the day of awareness being day 1"
    assert targeted.individuals_target.due_on != targeted.final.due_on
    assert assess(facts(persons=10), individuals_target_days=7).individuals_target is None
