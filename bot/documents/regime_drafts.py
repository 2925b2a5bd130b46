"""The drafts of each law beyond Japan (issue 20), in the regime's language (English): which files a law adds
to the bundle when its people are affected, and the builder of each document."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from bot.config.org import OrgConfig
from bot.documents.au import au_notice, au_statement
from bot.documents.gdpr import (
    breach_register,
    eu_communication,
    eu_notification,
    th_notification,
    uk_communication,
    uk_notification,
)
from bot.documents.kr import kr_notice, kr_notification
from bot.documents.model import Document
from bot.documents.sg import sg_notice, sg_notification
from bot.domain.views import IncidentView

Builder = Callable[[IncidentView, OrgConfig | None, date | None, datetime | None], Document]

# Regime code → (file name, builder) in the bundle's order; each file holds one document, keyed by the file
# name with underscores (eu-notification → eu_notification).
BY_REGIME: dict[str, tuple[tuple[str, Builder], ...]] = {
    "EU": (
        ("eu-notification", eu_notification),
        ("eu-communication", eu_communication),
        ("breach-register", breach_register),  # Art. 33(5): every breach, notifiable or not
    ),
    "UK": (("uk-notification", uk_notification), ("uk-communication", uk_communication)),
    "KR": (("kr-notification", kr_notification), ("kr-notice", kr_notice)),
    "SG": (("sg-notification", sg_notification), ("sg-notice", sg_notice)),
    "AU": (("au-statement", au_statement), ("au-notice", au_notice)),
    "TH": (("th-notification", th_notification),),
}
REGIME_FILE_NAMES = tuple(name for files in BY_REGIME.values() for name, _ in files)
BUILDERS: dict[str, Builder] = {
    name.replace("-", "_"): build for files in BY_REGIME.values() for name, build in files
}


def regime_files(
    view: IncidentView, org: OrgConfig | None, on: date | None, at: datetime | None = None
) -> dict[str, tuple[Document, ...]]:
    """The drafts of the laws beyond Japan whose people are affected (``at``: the moment they are made, which
    tells whether a 72-hour notification is late)."""
    codes = view.facts.jurisdictions
    return {
        name: (build(view, org, on, at),)
        for code, files in BY_REGIME.items()
        if code in codes
        for name, build in files
    }
