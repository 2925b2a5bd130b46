"""Response channel names: <prefix>-<YYYYMMDD>-<NNNN>, ASCII, lowercase, at most 80 characters."""

from __future__ import annotations

import re
from datetime import datetime

from bot.appi.deadlines import JST

MAX_LENGTH = 80


def channel_name(prefix: str, created_at: datetime, reference: str, attempt: int = 1) -> str:
    """``attempt`` > 1 adds a suffix, for when the name is taken (an archived channel, say)."""
    number = reference.rsplit("-", 1)[-1]
    base = f"{prefix}-{created_at.astimezone(JST):%Y%m%d}-{number}"
    base = re.sub(r"[^a-z0-9_-]", "-", base.lower())
    suffix = f"-{attempt}" if attempt > 1 else ""
    return base[: MAX_LENGTH - len(suffix)] + suffix
