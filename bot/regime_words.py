"""The regimes beyond Japan in words (issue 20): each clock's label, its due moment in JST and in the
authority's own time, the time left (hours under a day), and each law's verdict for the summary.

A regime's deadline row has the key ``regime:<CODE>:<duty>`` (bot.services.assessing.regime_key) and the kind
``regime_hours`` (a clock counted in elapsed hours, GDPR's 72 h) or ``regime_days`` (a calendar day in the
regime's zone, SG and AU)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.i18n import t
from bot.regimes import RegimeResult, regimes
from bot.regimes.schema import DaysAfterAssessment

HOUR_CLOCK = "regime_hours"
DAY_CLOCK = "regime_days"
REGIME_KINDS = frozenset({HOUR_CLOCK, DAY_CLOCK})
WEEKDAYS_JA = "月火水木金土日"


def is_regime_key(key: str) -> bool:
    return key.startswith("regime:")


def split_key(key: str) -> tuple[str, str]:
    """``regime:EU:authority`` → ("EU", "authority")."""
    _, code, duty = key.split(":", 2)
    return code, duty


def regime_label(key: str, lang: str) -> str:
    """「EU 監督機関への通知（GDPR 33条）」: the law's code, the duty and its basis."""
    code, duty = split_key(key)
    return t(f"deadline.regime.{duty}", lang, code=code)


def local_text(moment: datetime, code: str, lang: str) -> str:
    """The moment in the regime's own zone: 「12月4日(金) 02:00 Europe/Brussels」."""
    zone = regimes()[code].zone
    local = moment.astimezone(regimes()[code].tz)
    if lang == "en":
        return f"{local:%a %d %b %H:%M} {zone}"
    return f"{local.month}月{local.day}日({WEEKDAYS_JA[local.weekday()]}) {local:%H:%M} {zone}"


def regime_due_text(key: str, due_at: datetime, jst_text: str, lang: str) -> str:
    """The due moment in JST and in the authority's time, side by side."""
    code, _ = split_key(key)
    if regimes()[code].zone == "Asia/Tokyo":
        return jst_text
    return t("deadline.regime.local", lang, jst=jst_text, local=local_text(due_at, code, lang))


def hours_left_text(due_at: datetime, now: datetime, lang: str) -> str:
    """An hour clock's time left: hours under a day (「あと18時間」), else days and hours; past it, by how
    much (hours under a day)."""
    left = due_at - now
    if left < timedelta(0):
        late = -left
        if late < timedelta(days=1):
            return t("time.overdue_hours", lang, hours=max(1, int(late.total_seconds() // 3600)))
        return t("time.overdue", lang, days=int(late.total_seconds() // 86400))
    hours = int(left.total_seconds() // 3600)
    if hours < 24:
        return t("time.hours_left", lang, hours=max(1, hours))
    return t("time.days_hours_left", lang, days=hours // 24, hours=hours)


def verdict_line(result: RegimeResult, lang: str) -> str:
    """One law's answer for the summary: reportable to whom, not, or what is still to be answered."""
    name = result.regime.name.get(lang)
    if result.processor_notice:
        return t("regime.verdict.processor", lang, regime=name)
    if result.reportable is True:
        return t("regime.verdict.reportable", lang, regime=name, authority=result.authority(lang))
    if result.reportable is False:
        return t("regime.verdict.not_reportable", lang, regime=name)
    return t("regime.verdict.undetermined", lang, regime=name, authority=result.authority(lang))


def question_lines(result: RegimeResult, lang: str) -> list[str]:
    """The questions still open for this law (the facts form asks them); a clock counted from the assessment
    (SG) asks when it was made until it is given, unless the law does not apply."""
    questions = result.regime.questions
    lines = [questions[f].get(lang) for f in result.undetermined if f in questions]
    if awaits_assessment(result) and "assessed_at" in questions:
        lines.append(questions["assessed_at"].get(lang))
    return lines


def awaits_assessment(result: RegimeResult) -> bool:
    """The authority's clock runs from the day of the assessment, which is not recorded yet."""
    clock = result.regime.authority.clock
    counted_from_it = isinstance(clock, DaysAfterAssessment)
    open_duty = result.reportable is not False and not result.processor_notice
    return counted_from_it and open_duty and result.authority_due is None


def individuals_line(result: RegimeResult, lang: str) -> str | None:
    if result.notify_individuals is True and result.individuals_promptly:
        return t("regime.individuals_promptly", lang)
    return None
