"""One-line errors and exit codes for the command line: 2 for bad input, never a traceback."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # `leakbot --help` does not import pydantic
    from pydantic import ValidationError

BAD_INPUT = 2


class CliError(Exception):
    """``details``: lines said before the message, one each (e.g. one per wrong field of a file)."""

    def __init__(self, message: str, code: int = BAD_INPUT, details: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.code = code
        self.details = details


def field_errors(exc: ValidationError) -> str:
    """All of a validation error's problems on one line, each naming its field."""
    parts = []
    for error in exc.errors():
        field = ".".join(str(p) for p in error["loc"]) or "input"
        message = "unknown field" if error["type"] == "extra_forbidden" else error["msg"]
        if error["type"] == "value_error" and "error" in error.get("ctx", {}):
            message = str(error["ctx"]["error"])  # our own sentence, without pydantic's "Value error, "
        parts.append(message if message.startswith(field) else f"{field}: {message}")
    return "; ".join(parts)


def fail(message: str, code: int = BAD_INPUT, details: tuple[str, ...] = ()) -> None:
    for line in (*details, message):
        sys.stderr.write("leakbot: error: " + " ".join(line.split()) + "\n")
    raise SystemExit(code)
