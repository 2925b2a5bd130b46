"""The command-line contract of `leakbot deadlines` and `leakbot assess` (later tools rely on it)."""

from __future__ import annotations

import io
import json

import pytest

from adapters.cli.main import main


def run(argv: list[str], capsys: pytest.CaptureFixture[str], stdin: str = "", monkeypatch=None):
    if monkeypatch is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


@pytest.mark.parametrize(
    ("argv", "final_due", "days"),
    [
        (["--aware", "2026-12-01"], "2027-01-04", 30),
        (["--aware", "2026-12-05", "--malicious"], "2027-02-02", 60),
        (["--aware", "2026-10-25"], "2026-11-24", 30),
        (["--aware", "2026-11-07"], "2026-12-07", 30),
    ],
)
def test_deadlines_worked_cases(argv, final_due, days, capsys) -> None:
    code, out, _ = run(["deadlines", *argv], capsys)
    payload = json.loads(out)
    assert code == 0
    assert payload["final_due"] == final_due and payload["final_days"] == days
    assert set(payload["preliminary_target"]) == {"from", "to"}


def test_assess_reportable(capsys, monkeypatch) -> None:
    stdin = json.dumps(
        {"aware_on": "2026-12-05", "persons": None, "persons_upper_bound": 3000, "malicious": True}
    )
    code, out, _ = run(["assess"], capsys, stdin, monkeypatch)
    payload = json.loads(out)
    assert code == 0
    assert payload["reportable"] is True and payload["notify_individuals"] is True
    assert payload["grounds"] == ["malicious", "headcount"]
    assert (payload["final_due"], payload["final_days"]) == ("2027-02-02", 60)


def test_assess_not_reportable_has_no_deadline(capsys, monkeypatch) -> None:
    code, out, _ = run(["assess"], capsys, '{"aware_on": "2026-12-01", "persons": 12}', monkeypatch)
    payload = json.loads(out)
    assert code == 0 and payload["reportable"] is False and "final_due" not in payload


@pytest.mark.parametrize(
    ("stdin", "field"),
    [
        ('{"aware_on": "2026-12-01", "colour": "red"}', "colour"),
        ('{"aware_on": "2026-12-01", "persons": "12"}', "persons"),
        ('{"aware_on": "2026-12-01", "sensitive": "yes"}', "sensitive"),
        ('{"aware_on": "2026-02-30"}', "aware_on"),
        ('{"aware_on": "2026-12-01", "persons": -1}', "persons"),
        ('{"aware_on": "2026-12-01", "entity": "city"}', "entity"),
        ('{"aware_on": "2026-12-01", "persons": 1.5}', "persons"),
        ("{not json", "stdin"),
        ("[1, 2]", "input"),
        ("", "stdin"),
    ],
)
def test_assess_bad_input_is_one_line_and_exit_2(stdin, field, capsys, monkeypatch) -> None:
    code, out, err = run(["assess"], capsys, stdin, monkeypatch)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and field in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (["deadlines", "--aware", "2026-13-01"], "--aware"),
        (["deadlines", "--aware", "yesterday"], "--aware"),
        (["deadlines"], "--aware"),
        (["deadlines", "--aware", "2026-12-01", "--colour"], "--colour"),
    ],
)
def test_deadlines_bad_input(argv, field, capsys) -> None:
    code, out, err = run(argv, capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and field in err


@pytest.mark.parametrize(
    ("stdin", "reportable", "undetermined"),
    [
        ('{"aware_on": "2026-12-01"}', False, ["headcount"]),
        ('{"aware_on": "2026-12-01", "persons": null, "persons_upper_bound": null}', False, ["headcount"]),
        ('{"aware_on": "2026-12-01", "persons_upper_bound": 800}', False, []),
        ('{"aware_on": "2026-12-01", "sensitive": true}', True, ["headcount"]),
    ],
)
def test_assess_says_when_the_headcount_ground_is_undetermined(
    stdin, reportable, undetermined, capsys, monkeypatch
) -> None:
    code, out, _ = run(["assess"], capsys, stdin, monkeypatch)
    payload = json.loads(out)
    assert code == 0
    assert payload["reportable"] is reportable and payload["undetermined"] == undetermined


def test_assess_says_the_preliminary_report_and_the_notice_are_due_promptly(capsys, monkeypatch) -> None:
    code, out, _ = run(["assess"], capsys, '{"aware_on": "2026-12-01", "persons": 1500}', monkeypatch)
    payload = json.loads(out)
    assert code == 0
    assert payload["preliminary_due"] == "promptly" and payload["notify_individuals_due"] == "promptly"
    assert payload["preliminary_target"]["to"] == "2026-12-05", "the guideline's target, day 5"


def test_assess_help_lists_every_input_field_with_its_meaning(capsys) -> None:
    from bot.appi.assessment import AssessmentInput
    from bot.regimes import RegimeFacts

    code, out, _ = run(["assess", "--help"], capsys)
    assert code == 0
    flat = " ".join(out.split())  # help text is wrapped
    assert set(AssessmentInput.model_fields) <= set(RegimeFacts.model_fields)
    for name, field in RegimeFacts.model_fields.items():
        assert field.description, f"{name} has no description"
        assert f"{name}: {' '.join(field.description.split()[:4])}" in flat, name
    assert "undetermined:" in flat, "the output fields are explained too"
