"""Where the official platform specs are: LEAKBOT_SPECS_DIR, or ../shared/specs beside the source checkout
(or beside the working directory). They are not part of the repository; when they are missing, the fakes
skip only the spec validation and say so once (a warning the test run and the demo show)."""

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


def candidates() -> list[Path]:
    found = []
    if os.environ.get("LEAKBOT_SPECS_DIR"):
        found.append(Path(os.environ["LEAKBOT_SPECS_DIR"]))
    found.append(Path(__file__).resolve().parents[3] / "shared" / "specs")
    found.append(Path.cwd().parent / "shared" / "specs")
    return found


def spec_path(name: str) -> Path | None:
    return next((d / name for d in candidates() if (d / name).is_file()), None)


@cache
def load(name: str) -> dict[str, Any] | None:
    """The spec as JSON, or None (with one visible warning) when it cannot be found."""
    path = spec_path(name)
    if path is None:
        warnings.warn(
            f"{name} not found (set LEAKBOT_SPECS_DIR or put ../shared/specs beside the checkout): "
            "validation against it is skipped",
            SpecsUnavailableWarning,
            stacklevel=2,
        )
        return None
    return json.loads(path.read_text(encoding="utf-8"))
