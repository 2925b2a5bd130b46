"""Golden cases per regime: each threshold and clock edge, as a team in Tokyo would read them (issue 20)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.regimes import RegimeFacts, RegimeResult, assess_regimes


def one(code: str, **facts: object) -> RegimeResult:
    (result,) = assess_regimes(RegimeFacts(jurisdictions=(code,), **facts))
    return result


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


# --- EU and UK: 72 hours counted in hours, whatever the clocks of Brussels or London do ---


@pytest.mark.parametrize(
    ("code", "aware", "local_due", "jst_due"),
    [
        # Brussels leaves summer time on 2026-10-25 (03:00 CEST → 02:00 CET): 72 h, not 73.
        ("EU", "2026-10-23T10:00:00+02:00", "2026-10-26T09:00:00+01:00", "2026-10-26T17:00:00+09:00"),
        # …and enters it on 2026-03-29 (02:00 CET → 03:00 CEST): 72 h, not 71.
        ("EU", "2026-03-27T12:00:00+01:00", "2026-03-30T13:00:00+02:00", "2026-03-30T20:00:00+09:00"),
        # London leaves summer time on 2026-10-25 too (02:00 BST → 01:00 GMT).
        ("UK", "2026-10-24T12:00:00+01:00", "2026-10-27T11:00:00+00:00", "2026-10-27T20:00:00+09:00"),
        # Aware in Tokyo: the same instant, shown in Brussels.
        ("EU", "2026-10-24T09:00:00+09:00", "2026-10-27T01:00:00+01:00", "2026-10-27T09:00:00+09:00"),
    ],
)
def test_a_72_hour_clock_across_a_daylight_saving_change_is_72_hours(code, aware, local_due, jst_due) -> None:
    result = one(code, aware_at=at(aware), risk=True)
    assert result.reportable is True
    assert result.authority_due is not None
    assert result.authority_due.isoformat() == jst_due
    assert result.local(result.authority_due).isoformat() == local_due
    assert (result.authority_due - at(aware)).total_seconds() == 72 * 3600


@pytest.mark.parametrize("code", ["EU", "UK", "TH"])
def test_unlikely_to_result_in_a_risk_is_not_reportable(code: str) -> None:
    result = one(code, aware_at=at("2026-12-01T10:00:00+09:00"), risk=False, high_risk=False)
    assert (result.reportable, result.authority_due, result.notify_individuals) == (False, None, False)


@pytest.mark.parametrize("code", ["EU", "UK", "TH"])
def test_an_unjudged_risk_is_undetermined_and_its_72_hours_still_run(code: str) -> None:
    result = one(code, aware_at=at("2026-12-01T10:00:00+09:00"))
    assert result.reportable is None, "never 'not reportable' while the risk is not judged"
    assert result.provisional is True
    assert result.authority_due == at("2026-12-04T10:00:00+09:00")
    assert result.undetermined == ("risk", "high_risk")


def test_gdpr_high_risk_tells_the_people_without_undue_delay_unless_the_data_was_unintelligible() -> None:
    told = one("EU", aware_at=at("2026-12-01T10:00:00+09:00"), risk=True, high_risk=True)
    assert (told.notify_individuals, told.individuals_promptly, told.individuals_due) == (True, True, None)
    encrypted = one("EU", aware_at=at("2026-12-01T10:00:00+09:00"), risk=True, high_risk=True, encrypted=True)
    assert encrypted.notify_individuals is False and encrypted.reportable is True, "Art. 34(3)(a) only"


def test_the_eu_authority_is_each_member_states_unless_a_lead_authority_is_named() -> None:
    default = one("EU", aware_at=at("2026-12-01T10:00:00+09:00"), risk=True)
    assert "each Member State" in default.authority("en")
    named = one(
        "EU", aware_at=at("2026-12-01T10:00:00+09:00"), risk=True, authorities={"EU": "CNIL (France)"}
    )
    assert named.authority("en") == named.authority("ja") == "CNIL (France)"


@pytest.mark.parametrize("code", ["EU", "UK", "SG", "TH"])
def test_a_processor_tells_its_controller_instead(code: str) -> None:
    result = one(
        code, aware_at=at("2026-12-01T10:00:00+09:00"), acting_as="processor", risk=True, persons=900
    )
    assert (result.reportable, result.processor_notice, result.authority_due) == (False, True, None)


# --- KR: 72 hours to the PIPC/KISA on the thresholds, 72 hours to the people whatever the count ---


def test_a_korean_leak_of_ten_people_through_unauthorized_access_is_reported_within_72_hours() -> None:
    result = one("KR", aware_at=at("2026-12-01T10:00:00+09:00"), persons=10, unauthorized_access=True)
    assert result.reportable is True and result.grounds == ("unauthorized_access",)
    assert result.authority_due == at("2026-12-04T10:00:00+09:00")
    assert result.individuals_due == at("2026-12-04T10:00:00+09:00")
    assert result.local(result.authority_due).isoformat() == "2026-12-04T10:00:00+09:00"  # Asia/Seoul
    assert "PIPC" in result.authority("en") and "KISA" in result.authority("en")


@pytest.mark.parametrize(
    ("facts", "reportable"),
    [
        ({"persons": 999}, False),
        ({"persons": 1000}, True),  # 1,000 or more
        ({"persons": 10, "persons_upper_bound": 1000}, True),  # the largest count given
        ({"persons": 10, "sensitive": True}, True),
        ({"persons": 10, "unique_identifiers": True}, True),
        ({"persons": 5000, "recovered": True}, False),
        ({}, None),  # no count: the 1,000 threshold is undetermined
        ({"unauthorized_access": True}, True),  # established whatever the count
    ],
)
def test_korean_report_thresholds(facts: dict, reportable: bool | None) -> None:
    result = one("KR", aware_at=at("2026-12-01T10:00:00+09:00"), **facts)
    assert result.reportable is reportable
    assert result.notify_individuals is True, "the people are told whatever the count"
    assert result.individuals_due == at("2026-12-04T10:00:00+09:00")
    if reportable is None:
        assert result.undetermined == ("persons",) and result.authority_due is not None


# --- SG: assess within 30 days, then the PDPC within 3 calendar days of the assessment ---

SG_AWARE = at("2026-03-01T10:00:00+08:00")


def test_an_sg_assessment_that_ends_on_day_30_is_in_time_and_the_pdpc_is_due_3_days_later() -> None:
    result = one("SG", aware_at=SG_AWARE, persons=800, assessed_at=at("2026-03-31T17:00:00+08:00"))
    assert result.assessment_due == date(2026, 3, 31)
    assert result.assessment_late is False
    assert result.reportable is True and result.grounds == ("persons_at_least_500",)
    assert result.authority_due is not None
    assert result.local(result.authority_due).isoformat() == "2026-04-03T23:59:59+08:00"
    assert result.authority_due.isoformat() == "2026-04-04T00:59:59+09:00"


def test_an_sg_assessment_on_day_31_is_late_and_the_3_days_still_count_from_it() -> None:
    result = one("SG", aware_at=SG_AWARE, persons=800, assessed_at=at("2026-04-01T09:00:00+08:00"))
    assert result.assessment_late is True
    assert result.local(result.authority_due).isoformat() == "2026-04-04T23:59:59+08:00"


def test_sg_calendar_days_are_singapores() -> None:
    """23:30 in Singapore is already the next day in Tokyo: the day of the assessment is Singapore's."""
    late_evening_in_tokyo = at("2026-04-01T00:30:00+09:00")  # 2026-03-31 23:30 in Singapore: day 30
    result = one("SG", aware_at=SG_AWARE, persons=800, assessed_at=late_evening_in_tokyo)
    assert result.assessment_late is False
    assert result.local(result.authority_due).isoformat() == "2026-04-03T23:59:59+08:00"
    aware_near_midnight = one("SG", aware_at=at("2026-03-01T23:30:00+08:00"), persons=800)
    assert aware_near_midnight.assessment_due == date(2026, 3, 31), "aware on 1 March in Singapore"


@pytest.mark.parametrize(
    ("facts", "reportable", "notify"),
    [
        ({"persons": 499, "significant_harm": False}, False, False),
        ({"persons": 500, "significant_harm": False}, True, False),  # not fewer than 500
        ({"persons": 3, "significant_harm": True}, True, True),
        ({"persons": 3, "significant_harm": True, "encrypted": True}, True, False),  # s.26D(5)(b)
        ({"persons": 600, "internal_only": True}, False, False),  # s.26B(4)
        ({"persons": 3}, None, None),  # significant harm not judged
    ],
)
def test_sg_notifiable_thresholds(facts: dict, reportable: bool | None, notify: bool | None) -> None:
    result = one("SG", aware_at=SG_AWARE, **facts)
    assert (result.reportable, result.notify_individuals) == (reportable, notify)
    assert result.authority_due is None, "not determinable before assessed_at"
    assert result.assessment_due == date(2026, 3, 31)
    assert result.individuals_promptly is (notify is True)


# --- AU: assess within 30 days; the OAIC and the people as soon as practicable (no instant) ---


def test_au_serious_harm_is_notified_as_soon_as_practicable_with_no_instant() -> None:
    result = one("AU", aware_at=at("2026-06-30T23:30:00+09:00"), serious_harm=True)
    assert result.reportable is True and result.authority_due is None
    assert result.individuals_promptly is True
    assert result.assessment_due == date(2026, 7, 31), "aware on 1 July in Sydney (00:30 AEST)"


def test_au_unjudged_serious_harm_is_undetermined() -> None:
    result = one("AU", aware_at=at("2026-06-01T10:00:00+09:00"))
    assert (result.reportable, result.provisional, result.undetermined) == (None, False, ("serious_harm",))
    assert result.assessment_due == date(2026, 7, 1)


# --- TH: 72 hours unless unlikely to result in a risk; the people without delay when high risk ---


def test_th_72_hours_shown_in_bangkok() -> None:
    result = one("TH", aware_at=at("2026-12-01T09:00:00+09:00"), risk=True, high_risk=True)
    assert result.local(result.authority_due).isoformat() == "2026-12-04T07:00:00+07:00"
    assert result.individuals_promptly is True


# --- JP: bot.appi, unchanged ---


def test_jp_is_the_appi_assessment() -> None:
    result = one("JP", aware_at=at("2026-12-01T10:00:00+09:00"), persons_upper_bound=3000)
    assert result.reportable is True and result.appi is not None
    assert result.authority_due == at("2027-01-04T23:59:59+09:00"), "30 days, past 年末年始"
    assert result.individuals_promptly is True


def test_jp_with_no_count_is_undetermined_not_false() -> None:
    result = one("JP", aware_on=date(2026, 12, 1))
    assert (result.reportable, result.provisional, result.undetermined) == (None, True, ("headcount",))


def test_unauthorized_access_is_a_wrongful_purpose_for_the_appi_too() -> None:
    result = one("JP", aware_at=at("2026-12-05T10:00:00+09:00"), persons=10, unauthorized_access=True)
    assert result.grounds == ("malicious",) and result.authority_due == at("2027-02-02T23:59:59+09:00")


def test_the_results_follow_the_order_given_without_repeats() -> None:
    facts = RegimeFacts(aware_at=at("2026-12-01T10:00:00+09:00"), jurisdictions=("KR", "JP", "KR", "EU"))
    assert [r.code for r in assess_regimes(facts)] == ["KR", "JP", "EU"]


def test_the_facts_captured_in_chat_map_onto_the_regimes() -> None:
    """What Facts already holds decides what it can (a hacking cause is KR's unlawful access); the judgements
    it does not hold come as answers, and until then stay undetermined."""
    from bot.domain.facts import Facts
    from bot.domain.vocabulary import Cause

    captured = Facts(cause=Cause.UNAUTHORIZED_ACCESS, persons=10, sensitive_kinds=("medical",))
    facts = RegimeFacts.from_facts(
        captured, aware_at=at("2026-12-01T10:00:00+09:00"), jurisdictions=("KR", "EU", "JP"), high_risk=True
    )
    kr, eu, jp = assess_regimes(facts)
    assert kr.reportable is True and set(kr.grounds) == {"sensitive", "unauthorized_access"}
    assert (eu.reportable, eu.notify_individuals) == (True, True), "a high risk is a risk"
    assert jp.reportable is True and set(jp.grounds) == {"sensitive", "malicious"}
