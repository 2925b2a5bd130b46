"""`leakbot deadlines` and `leakbot assess`: the APPI rules engine from the command line."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any

import click
from pydantic import ValidationError

from adapters.cli.errors import CliError, field_errors
from bot.appi.assessment import Assessment, AssessmentInput, assess
from bot.appi.deadlines import final_deadline, preliminary_target


def _parse_date(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CliError(f"{name}: not a valid date (YYYY-MM-DD): {value!r}") from None


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
        "preliminary_target": {"from": target.start.isoformat(), "to": target.end.isoformat()},
    }


@click.command("deadlines")
@click.option(
    "--aware", "aware", required=True, metavar="YYYY-MM-DD", help="The day the company learned of it."
)
@click.option("--malicious", is_flag=True, help="Wrongful purpose (規則7条3号): 60 days.")
@click.option("--my-number", "my_number", is_flag=True, help="My Number data (wrongful purpose → 60 days).")
def deadlines(aware: str, malicious: bool, my_number: bool) -> None:
    """Print the 速報 target window and the 確報 deadline as JSON."""
    # For My Number data the 60-day rule also follows the wrongful purpose, so the flag only documents it.
    payload = deadlines_json(_parse_date(aware, "--aware"), malicious)
    payload["my_number"] = my_number
    click.echo(json.dumps(payload, ensure_ascii=False))


def assessment_json(facts: AssessmentInput, result: Assessment) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "reportable": result.reportable,
        "grounds": [str(g) for g in result.grounds],
        "notify_individuals": result.notify_individuals,
        "counted_persons": result.counted_persons,
        "threshold": result.threshold,
        "exempt_by_encryption": result.exempt_by_encryption,
        "processor_notice": result.processor_notice,
    }
    if result.reportable:
        payload |= deadlines_json(facts.aware_on, "malicious" in payload["grounds"])
    if result.controller_notice_due_at:
        payload["controller_notice_due_at"] = result.controller_notice_due_at.isoformat()
    return payload


@click.command("assess")
def assess_command() -> None:
    """Read one JSON object of facts on stdin; print whether and by when the leak must be reported."""
    text = sys.stdin.read()
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise CliError(f"stdin: malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    try:
        facts = AssessmentInput.model_validate_json(text, strict=True)
    except ValidationError as exc:
        raise CliError(field_errors(exc)) from None
    click.echo(json.dumps(assessment_json(facts, assess(facts)), ensure_ascii=False))
