"""Where the official platform specs are: LEAKBOT_SPECS_DIR, or, in the source checkout, ../shared/specs beside
it (or beside the working directory). They are not part of the repository nor of the wheel; when they are
missing, the fakes skip only the spec validation and say so once (a warning in the test run; the demo says it
in its closing lines instead). An installed leakbot looks only at LEAKBOT_SPECS_DIR and never mentions
../shared, which means nothing outside the checkout."""

from __future__ import annotations

import json
import os
import warnings
from functools import cache
from pathlib import Path
from typing import Any

SLACK_WEB = "slack_web_openapi_v2.json"
SLACK_EVENTS = "slack_events_api_async_v1.json"
ADAPTIVE_CARD = "adaptive-card-1.5.schema.json"


class SpecsUnavailableWarning(UserWarning):
    """An official spec was not found: the validation that needs it is skipped, nothing else."""


CHECKOUT = Path(__file__).resolve().parents[2]  # the repository root, when running from the source tree


def in_checkout() -> bool:
    return (CHECKOUT / "pyproject.toml").is_file() and (CHECKOUT / "tests").is_dir()


def candidates() -> list[Path]:
    found = []
    if os.environ.get("LEAKBOT_SPECS_DIR"):
        found.append(Path(os.environ["LEAKBOT_SPECS_DIR"]))
    if in_checkout():
        found.append(CHECKOUT.parent / "shared" / "specs")
        found.append(Path.cwd().parent / "shared" / "specs")
    return found


def spec_path(name: str) -> Path | None:
    return next((d / name for d in candidates() if (d / name).is_file()), None)


@cache
def load(name: str) -> dict[str, Any] | None:
    """The spec as JSON, or None (with one visible warning) when it cannot be found."""
    path = spec_path(name)
    if path is None:
        where = (
            "set LEAKBOT_SPECS_DIR or put ../shared/specs beside the checkout"
            if in_checkout()
            else "LEAKBOT_SPECS_DIR"
        )
        warnings.warn(
            f"{name} not found ({where}): validation against it is skipped",
            SpecsUnavailableWarning,
            stacklevel=2,
        )
        return None
    return json.loads(path.read_text(encoding="utf-8"))
