"""The whole bundle of drafts, by file name: what `leakbot incidents export` writes (and a canvas can show)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from bot.config.org import OrgConfig
from bot.documents.announcement import announcement
from bot.documents.consultation import consultation
from bot.documents.controller_notice import controller_notice
from bot.documents.enquiry_script import enquiry_script
from bot.documents.model import Document
from bot.documents.notice import notice
from bot.documents.ppc_report import ppc_report
from bot.documents.regime_drafts import REGIME_FILE_NAMES, regime_files
from bot.documents.timeline import TimelineEvent, timeline
from bot.domain.facts import Facts
from bot.domain.views import IncidentView

# Every file a bundle may hold, in order; controller-notice only for data held as a processor (委託先).
FILE_NAMES = (
    "controller-notice",
    "ppc-report",
    "notice",
    "announcement",
    "enquiry-script",
    "consultation",
    *REGIME_FILE_NAMES,  # the laws beyond Japan (bot.documents.regime_drafts), when their people are affected
    "timeline",
)


def bundle(
    view: IncidentView,
    org: OrgConfig | None,
    lang: str = "ja",
    *,
    events: Sequence[TimelineEvent] = (),
    since: Facts | None = None,
    on: date | None = None,
    names: Mapping[str, str] | None = None,
    at: datetime | None = None,
) -> dict[str, tuple[Document, ...]]:
    """File name → the documents in that file: ppc-report holds the 速報 then the 確報, notice the letter then
    the e-mail; every other file holds one document. A processor's bundle starts with its notice to the
    controller; its report, notice and announcement are offered for the controller's use."""
    events = tuple(events)
    first = {}
    if view.assessment.processor_notice or view.facts.acting_for_controller:
        first["controller-notice"] = (controller_notice(view, org, lang, events=events, on=on),)
    japan = _japan(view, org, lang, events=events, since=since, on=on)
    last = {"timeline": (timeline(view, org, lang, events=events, names=names),)}
    return first | japan | regime_files(view, org, on, at) | last


def _japan(
    view: IncidentView,
    org: OrgConfig | None,
    lang: str,
    *,
    events: tuple,
    since: Facts | None,
    on: date | None,
) -> dict[str, tuple[Document, ...]]:
    return {
        "ppc-report": (
            ppc_report(view, org, lang, kind="preliminary", events=events, on=on),
            ppc_report(view, org, lang, kind="final", since=since, events=events, on=on),
        ),
        "notice": (
            notice(view, org, lang, form="letter", on=on),
            notice(view, org, lang, form="email", on=on),
        ),
        "announcement": (announcement(view, org, lang, on=on),),
        "enquiry-script": (enquiry_script(view, org, lang),),
        "consultation": (consultation(view, org, lang),),
    }
