"""`leakbot assess` with jurisdictions: the contract other tools rely on (issue 20)."""

from __future__ import annotations

import io
import json

import pytest

from adapters.cli.main import main

CONTRACT = {
    "jurisdiction",
    "reportable",
    "authority",
    "authority_due",
    "assessment_due",
    "individuals_due",
    "basis",
}


def assess(stdin: object, capsys, monkeypatch) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin if isinstance(stdin, str) else json.dumps(stdin)))
    with pytest.raises(SystemExit) as exit_info:
        main(["assess"])
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def test_without_jurisdictions_there_is_japan_alone_and_the_top_level_is_unchanged(
    capsys, monkeypatch
) -> None:
    code, out, _ = assess({"aware_on": "2026-12-01", "persons_upper_bound": 3000}, capsys, monkeypatch)
    payload = json.loads(out)
    assert code == 0
    assert (payload["final_due"], payload["grounds"], payload["reportable"]) == (
        "2027-01-04",
        ["headcount"],
        True,
    )
    (jp,) = payload["regimes"]
    assert CONTRACT <= set(jp)
    assert (jp["jurisdiction"], jp["reportable"], jp["authority_due"]) == (
        "JP",
        True,
        "2027-01-04T23:59:59+09:00",
    )
    assert (jp["assessment_due"], jp["individuals_due"]) == (None, "promptly")


def test_every_regime_answers_with_the_contract_fields(capsys, monkeypatch) -> None:
    stdin = {
        "aware_at": "2026-10-23T10:00:00+02:00",
        "jurisdictions": ["JP", "EU", "UK", "KR", "SG", "AU", "TH"],
        "persons": 10,
        "unauthorized_access": True,
        "risk": True,
        "significant_harm": True,
        "serious_harm": True,
        "assessed_at": "2026-10-24T12:00:00+08:00",
    }
    code, out, _ = assess(stdin, capsys, monkeypatch)
    assert code == 0
    by_code = {r["jurisdiction"]: r for r in json.loads(out)["regimes"]}
    assert list(by_code) == stdin["jurisdictions"]
    assert all(CONTRACT <= set(r) and r["basis"] for r in by_code.values())
    assert by_code["EU"]["authority_due"] == "2026-10-26T17:00:00+09:00"
    assert by_code["EU"]["authority_due_local"] == "2026-10-26T09:00:00+01:00", "72 h across the DST change"
    assert by_code["KR"]["individuals_due"] == "2026-10-26T17:00:00+09:00"
    assert by_code["SG"]["assessment_due"] == "2026-11-22"
    assert by_code["SG"]["authority_due_local"] == "2026-10-27T23:59:59+08:00"
    assert by_code["AU"]["authority_due"] is None and by_code["AU"]["individuals_due"] == "promptly"
    assert by_code["AU"]["assessment_due"] == "2026-11-22"
    assert {r["assessment_due"] for c, r in by_code.items() if c not in ("SG", "AU")} == {None}
    assert by_code["JP"]["grounds"] == ["malicious"], "unauthorized access is a wrongful purpose (60 days)"


def test_an_undetermined_regime_says_null_and_what_to_find_out(capsys, monkeypatch) -> None:
    stdin = {"aware_at": "2026-12-01T10:00:00+09:00", "jurisdictions": ["EU", "KR"]}
    code, out, _ = assess(stdin, capsys, monkeypatch)
    eu, kr = json.loads(out)["regimes"]
    assert code == 0
    assert (eu["reportable"], eu["provisional"], eu["undetermined"]) == (None, True, ["risk", "high_risk"])
    assert (kr["reportable"], kr["undetermined"]) == (None, ["persons"])


@pytest.mark.parametrize(
    ("stdin", "words"),
    [
        (
            {"aware_at": "2026-12-01T10:00:00+09:00", "jurisdictions": ["EU", "FR"]},
            "jurisdictions: unknown code 'FR'; known codes: AU, EU, JP, KR, SG, TH, UK",
        ),
        (
            {"aware_at": "2026-12-01T10:00:00+09:00", "jurisdictions": []},
            "jurisdictions: give at least one code",
        ),
        ({"aware_at": "2026-12-01T10:00:00+09:00", "jurisdictions": "EU"}, "jurisdictions"),
        ({"aware_on": "2026-12-01", "jurisdictions": ["JP", "EU", "SG"]}, "aware_at is required for EU, SG"),
        (
            {"aware_at": "2026-12-01T10:00:00", "jurisdictions": ["EU"]},
            "aware_at: Input should have timezone info",
        ),
        (
            {"aware_at": "2026-12-01T10:00:00+09:00", "aware_on": "2026-12-02"},
            "aware_at: falls on 2026-12-01 in Japan",
        ),
        ({"jurisdictions": ["JP"]}, "aware_on or aware_at is required"),
        ({"aware_at": "2026-12-01T10:00:00+09:00", "jurisdictions": ["EU"], "risk": "yes"}, "risk"),
        (
            {"aware_at": "2026-12-01T10:00:00+09:00", "authorities": {"FR": "CNIL"}},
            "authorities: unknown code 'FR'",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(stdin, words: str, capsys, monkeypatch) -> None:
    code, out, err = assess(stdin, capsys, monkeypatch)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and words in err, err
