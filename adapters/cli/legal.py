"""`leakbot deadlines` and `leakbot assess`: the APPI rules engine from the command line."""

from __future__ import annotations

import json
import sys
import textwrap
from datetime import date, datetime
from typing import Any

import click
from pydantic import ValidationError

from adapters.cli.errors import CliError, field_errors
from bot.appi.assessment import Assessment, AssessmentInput, assess
from bot.appi.deadlines import final_deadline, preliminary_target
from bot.regimes import RegimeFacts, RegimeResult, assess_regimes


def _parse_date(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CliError(f"{name}: not a valid date (YYYY-MM-DD): {value!r}") from None


PROMPTLY = "promptly"  # 「速やかに」: the law sets no date


def deadlines_json(aware_on: date, malicious: bool) -> dict[str, Any]:
    final = final_deadline(aware_on, malicious)
    target = preliminary_target(aware_on)
    return {
        "aware_on": aware_on.isoformat(),
        "final_days": final.days,
        "final_raw": final.raw_day.isoformat(),
        "final_due": final.due_on.isoformat(),
        "final_due_at": final.due_at.isoformat(),
        "skipped_closed_days": [d.isoformat() for d in final.skipped],
        "preliminary_due": PROMPTLY,
        "preliminary_target": {"from": target.start.isoformat(), "to": target.end.isoformat()},
    }


@click.command("deadlines")
@click.option(
    "--aware", "aware", required=True, metavar="YYYY-MM-DD", help="The day the company learned of it."
)
@click.option("--malicious", is_flag=True, help="Wrongful purpose (規則7条3号): 60 days.")
@click.option("--my-number", "my_number", is_flag=True, help="My Number data (wrongful purpose → 60 days).")
def deadlines(aware: str, malicious: bool, my_number: bool) -> None:
    """Print the 確報 deadline and the 速報 guideline target as JSON.

    The 速報 is due promptly (「速やかに」, preliminary_due); preliminary_target is the PPC guideline's
    概ね3～5日 (day 3 to day 5, the day of awareness being day 1), a target and not a legal date."""
    # For My Number data the 60-day rule also follows the wrongful purpose, so the flag only documents it.
    payload = deadlines_json(_parse_date(aware, "--aware"), malicious)
    payload["my_number"] = my_number
    click.echo(json.dumps(payload, ensure_ascii=False))


def assessment_json(facts: AssessmentInput, result: Assessment) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "reportable": result.reportable,
        "grounds": [str(g) for g in result.grounds],
        "undetermined": [str(g) for g in result.undetermined],
        "notify_individuals": result.notify_individuals,
        "counted_persons": result.counted_persons,
        "threshold": result.threshold,
        "exempt_by_encryption": result.exempt_by_encryption,
        "processor_notice": result.processor_notice,
    }
    if result.reportable:
        payload |= deadlines_json(facts.aware_on, "malicious" in payload["grounds"])
        payload["notify_individuals_due"] = PROMPTLY
    if result.controller_notice_due_at:
        payload["controller_notice_due_at"] = result.controller_notice_due_at.isoformat()
    return payload


def _instant(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def regime_json(result: RegimeResult) -> dict[str, Any]:
    """One jurisdiction's entry of ``regimes``: the contract's fields first, then the details."""
    individuals_due = _instant(result.individuals_due) or (PROMPTLY if result.individuals_promptly else None)
    payload: dict[str, Any] = {
        "jurisdiction": result.code,
        "reportable": result.reportable,
        "authority": result.authority("en"),
        "authority_due": _instant(result.authority_due),
        "assessment_due": result.assessment_due.isoformat() if result.assessment_due else None,
        "individuals_due": individuals_due,
        "basis": result.regime.basis,
        "zone": result.regime.zone,
        "authority_due_local": _instant(result.authority_due and result.local(result.authority_due)),
        "individuals_due_local": _instant(result.individuals_due and result.local(result.individuals_due)),
        "provisional": result.provisional,
        "notify_individuals": result.notify_individuals,
        "assessment_late": result.assessment_late,
        "processor_notice": result.processor_notice,
        "grounds": list(result.grounds),
        "undetermined": list(result.undetermined),
    }
    appi = result.appi
    if appi is not None and appi.preliminary is not None:
        payload["preliminary_due"] = PROMPTLY
        payload["preliminary_target_at"] = appi.preliminary.due_at.isoformat()
    return payload


OUTPUT_FIELDS = {
    "reportable": "true when a ground is established. false is 'not reportable' only while undetermined "
    "is empty",
    "grounds": "the established grounds: sensitive, financial, malicious, headcount (規則7条1-4号)",
    "undetermined": 'grounds the facts cannot decide yet: ["headcount"] while neither persons nor '
    "persons_upper_bound is known. Give an estimate or an upper bound",
    "notify_individuals": "the individuals must be notified (法26条2項), due promptly "
    '(notify_individuals_due: "promptly"; the law sets no date)',
    "counted_persons": "the number the threshold was checked against (the largest given)",
    "threshold": "more than this many people is the headcount ground",
    "exempt_by_encryption": "strong encryption exempted the grounds; check the key handling",
    "processor_notice": "as a processor, notify the controller promptly instead of reporting",
    "final_due / final_due_at": "the 確報's legal deadline (when reportable; 30 days, 60 when malicious, "
    "moved past closed days)",
    "preliminary_due / preliminary_target": "the 速報 is due promptly; the PPC guideline's target is day 3 "
    "to day 5",
    "regimes": "one object per jurisdiction: jurisdiction, reportable (true, false, null while "
    "undetermined), authority, authority_due (an instant in JST, or null where the law sets none or it is "
    "not yet known; also given while reportable is null when the clock already runs from awareness: "
    'provisional), assessment_due (SG, AU: the date by which to assess), individuals_due ("promptly", an '
    "instant, or null), basis (the citation); then zone, authority_due_local and individuals_due_local "
    "(the same instants in the authority's zone), notify_individuals, assessment_late, processor_notice, "
    "grounds and undetermined (the facts to find out). See docs/regimes.md",
}


def _wrapped(name: str, meaning: str) -> str:
    return textwrap.fill(
        f"{name}: {meaning}",
        width=96,
        initial_indent="  ",
        subsequent_indent="      ",
        break_on_hyphens=False,
    )


def _assess_help() -> str:
    """The input fields with their meaning, from the model itself so the help never drifts from it."""
    lines = [
        "\b",
        "Input fields (one JSON object; aware_on or aware_at is required, aware_at for any",
        "jurisdiction but JP):",
    ]
    for name, field in RegimeFacts.model_fields.items():
        lines.append(_wrapped(name, field.description or ""))
    lines += ["", "\b", "Output fields:"]
    lines += [_wrapped(name, meaning) for name, meaning in OUTPUT_FIELDS.items()]
    lines += ["", "Bad input exits with code 2 and one line naming the field."]
    return "\n".join(lines)


@click.command("assess", epilog=_assess_help())
def assess_command() -> None:
    """Read one JSON object of facts on stdin; print whether and by when the leak must be reported.

    \b
    Example:
      echo '{"aware_on": "2026-12-01", "persons_upper_bound": 3000}' | leakbot assess
      echo '{"aware_at": "2026-10-23T10:00:00+02:00", "jurisdictions": ["JP", "EU"]}' | leakbot assess"""
    text = sys.stdin.read()
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise CliError(f"stdin: malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    try:
        facts = RegimeFacts.model_validate_json(text, strict=True)
    except ValidationError as exc:
        raise CliError(field_errors(exc)) from None
    appi_facts = facts.appi_input()
    payload = assessment_json(appi_facts, assess(appi_facts))  # the JP fields at the top, as before
    payload["regimes"] = [regime_json(r) for r in assess_regimes(facts)]
    click.echo(json.dumps(payload, ensure_ascii=False))
