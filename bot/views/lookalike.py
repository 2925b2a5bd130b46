"""The question to the commander about look-alike reports (issue 22): 「LEAK-… と同じ事案ですか？」 with 統合する
/ 別事案として対応, one living message per burst showing how many reports wait; once answered (or timed out),
what came of them, without buttons. Block Kit and Adaptive Cards only map it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.appi.deadlines import JST
from bot.domain.lookalike import MERGED, SEPARATE, TIMEOUT, LookalikeRound
from bot.domain.views import IncidentView
from bot.i18n import t
from bot.i18n.rich import Rich, plain, rich
from bot.presentation import jst
from bot.views.elements import Action, Part, person

EXCERPT = 200  # characters of the newest report shown to the commander

MERGE, SEPARATE_VERB = "merge", "separate"


@dataclass(frozen=True)
class LookalikeQuestion:
    reference: str  # the open incident asked about
    question: str  # the question's key (its post)
    title: str
    lines: tuple[Rich, ...]
    actions: tuple[Action, ...]  # 統合する, 別事案として対応 while reports wait; none once settled
    fallback: str  # the notification's plain text


def lookalike_question(round_: LookalikeRound, lang: str) -> LookalikeQuestion:
    ref, waiting = round_.reference, round_.waiting
    title = t("lookalike.question", lang, reference=ref)
    reports = round_.reports
    lines: list[Rich] = []
    if waiting:
        first, last = waiting[0], waiting[-1]
        lines.append(
            rich(
                "lookalike.waiting",
                lang,
                count=len(waiting),
                first=first.reference,
                last=last.reference,
                since=jst(first.at, lang),
                until=_until(first.at, last.at, lang),
            )
        )
        if round_.latest_summary:
            excerpt = round_.latest_summary[:EXCERPT] + ("…" if len(round_.latest_summary) > EXCERPT else "")
            lines.append(rich("lookalike.latest", lang, reference=last.reference, text=excerpt))
        if round_.due_at is not None:
            lines.append(rich("lookalike.timeout", lang, at=jst(round_.due_at, lang)))
        value = {"r": ref, "q": round_.question, "u": last.reference}
        actions = (
            Action(t("lookalike.merge", lang), MERGE, value, "primary"),
            Action(t("lookalike.separate", lang), SEPARATE_VERB, value),
        )
    else:
        actions = ()
    who = person(round_.answered_by, t("summary.member", lang))
    for answer, key in ((MERGED, "lookalike.merged"), (SEPARATE, "lookalike.separated")):
        if count := round_.count(answer):
            lines.append(rich(key, lang, count=count, who=who))
    if count := round_.count(TIMEOUT):
        lines.append(rich("lookalike.timed_out", lang, count=count))
    if not reports:
        lines.append(plain("-"))
    return LookalikeQuestion(ref, round_.question, title, tuple(lines), actions, title)


def _until(first: datetime, last: datetime, lang: str) -> str:
    """The last report's time, without the date when it is the first one's day (Japan time)."""
    if jst(first, lang, with_time=False) == jst(last, lang, with_time=False):
        return f"{last.astimezone(JST):%H:%M}"
    return jst(last, lang)


def held_receipt(reference: str, lang: str) -> Rich:
    """What the reporter of a held report hears: received, under their own reference; never the other one."""
    return rich("report.received_held", lang, reference=reference)


SHOWN_MERGED = 5  # the newest merged reports the summary lists; the rest are counted


def merged_part(incident: IncidentView, lang: str) -> tuple[Part, ...]:
    """The summary's part listing the reports merged into the incident (reference, when, what was written).
    Reporters are not mentioned: a mention could tell them of a space they are not part of."""
    merged = incident.merged
    if not merged:
        return ()
    lines = [
        rich(
            "summary.merged_line",
            lang,
            reference=m.reference,
            at=jst(m.at, lang),
            text=m.summary[:EXCERPT] + ("…" if len(m.summary) > EXCERPT else ""),
        )
        for m in merged[-SHOWN_MERGED:]
    ]
    if len(merged) > SHOWN_MERGED:
        lines.append(rich("summary.merged_more", lang, count=len(merged) - SHOWN_MERGED))
    return (Part(t("summary.merged_title", lang, count=len(merged)), tuple(lines)),)
