"""Platform-neutral text for people: dates in Japan time, days left, progress bars, labels.

Plain words are ``str``; where bold or a mention matters the text is ``Rich`` (bot.i18n.rich), which each
platform renders in its own format. Slack and Teams both use these, so a date or a label reads the same.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.appi.deadlines import JST
from bot.appi.recipients import recipient
from bot.domain.views import AssessmentView, DeadlineView, IncidentView
from bot.domain.vocabulary import DeadlineKind
from bot.drills.clock import drill_clock
from bot.drills.marking import marked
from bot.i18n import catalog, t
from bot.i18n.rich import Rich, Span, join, r, rich
from bot.law_words import (
    grounds_text,
    notice_basis,
    processor_basis,
    report_basis,
    undetermined_ground,
)
from bot.playbook.engine import FINISHED, StepStatus
from bot.regime_words import HOUR_CLOCK, hours_left_text, is_regime_key, regime_due_text, regime_label

WEEKDAYS_JA = "月火水木金土日"
# Duties the law says are due 「速やかに」 with no date: their row's due time is a target (the PPC guideline's
# 3–5 days for the 速報, leakbot's day 2 for the 委託元 notice, the org's own for 本人通知), never a 法定期限.
# Only the 確報 has a legal date.
PROMPT_KINDS = frozenset(
    str(k) for k in (DeadlineKind.PRELIMINARY, DeadlineKind.CONTROLLER_NOTICE, DeadlineKind.INDIVIDUALS)
)


def jst(moment: datetime, lang: str, *, with_time: bool = True) -> str:
    local = moment.astimezone(JST)
    if lang == "en":
        text = local.strftime("%a %d %b %Y")
        return f"{text} {local:%H:%M} JST" if with_time else text
    text = f"{local.year}年{local.month}月{local.day}日({WEEKDAYS_JA[local.weekday()]})"
    return f"{text} {local:%H:%M}" if with_time else text


def incident_now(incident: IncidentView, now: datetime) -> datetime:
    """The moment ``now`` (real) in the time the incident's deadlines are written in: the drill's own time
    for a drill (issue 14), so "3 days left" and "overdue by 2 days" tell the drill-time truth."""
    clock = drill_clock(incident.drill)
    return clock.drill_now(now) if clock else now


def drill_marked(text: str, incident: IncidentView, lang: str) -> str:
    """A title or plain text, marked 【訓練】 / [DRILL] when the incident is a drill."""
    return marked(text, lang) if incident.is_drill else text


def drill_marked_rich(text: Rich, incident: IncidentView | None, lang: str) -> Rich:
    """A rich message, marked 【訓練】 / [DRILL] in front when the incident is a drill."""
    if incident is None or not incident.is_drill:
        return text
    mark = t("drill.mark", lang)
    if text and text[0].text.startswith(mark):
        return text
    return r(f"{mark} ", text)


def days_left(due_at: datetime, now: datetime) -> int:
    """Calendar days from today to the due day, both in Japan time; negative when overdue."""
    return (due_at.astimezone(JST).date() - now.astimezone(JST).date()).days


def days_left_text(due_at: datetime, now: datetime, lang: str, *, target: bool = False) -> str:
    """How long is left, or by how much it is late: hours under a day, else calendar days (Japan time).
    ``target``: a 「速やかに」 duty's target day (目安), not a legal deadline (期限)."""
    prefix = "time.target." if target else "time."
    if due_at < now:
        late = now - due_at
        if late < timedelta(days=1):
            return t(prefix + "overdue_hours", lang, hours=max(1, int(late.total_seconds() // 3600)))
        return t(prefix + "overdue", lang, days=max(1, -days_left(due_at, now)))
    days = days_left(due_at, now)
    if days == 0:
        return t(prefix + "today", lang)
    return t(prefix + "days_left", lang, days=days)


def progress_bar(finished: int, total: int, width: int = 10) -> str:
    ratio = finished / total if total else 1.0
    full = round(ratio * width)
    return f"{'▰' * full}{'▱' * (width - full)} {round(ratio * 100)}% ({finished}/{total})"


def deadline_label(deadline: DeadlineView, incident: IncidentView, lang: str) -> str:
    if deadline.kind == "step" and deadline.step_id:
        step = next((s.step for s in incident.steps if s.step.id == deadline.step_id), None)
        return t("deadline.step", lang, title=step.title.get(lang) if step else deadline.step_id)
    if is_regime_key(deadline.key):
        return regime_label(deadline.key, lang)
    return t(f"deadline.{deadline.kind}", lang)


def is_prompt(deadline: DeadlineView) -> bool:
    """Due 「速やかに」: the date shown is a target, not a legal deadline."""
    return deadline.kind in PROMPT_KINDS


def due_text(deadline: DeadlineView, lang: str) -> str:
    """When it is due: the 確報's legal date and time, or 「速やかに（目安: …まで）」 for a prompt duty."""
    if is_regime_key(deadline.key):  # in JST and in the authority's own time
        return regime_due_text(deadline.key, deadline.due_at, jst(deadline.due_at, lang), lang)
    if not is_prompt(deadline):
        return jst(deadline.due_at, lang)
    key = "deadline.prompt_internal" if deadline.kind == DeadlineKind.INDIVIDUALS else "deadline.prompt"
    return t(key, lang, target=jst(deadline.due_at, lang, with_time=False))


def deadline_line(deadline: DeadlineView, incident: IncidentView, now: datetime, lang: str) -> str:
    label = deadline_label(deadline, incident, lang)
    if deadline.status != "pending":
        return f"{label}: {due_text(deadline, lang)} — {t('deadline_status.' + deadline.status, lang)}"
    return f"{label}: {due_text(deadline, lang)} ({left_text(deadline, now, lang)})"


def left_text(deadline: DeadlineView, now: datetime, lang: str) -> str:
    """How long is left: an hour clock (GDPR's 72 h) in hours under a day, else calendar days."""
    if deadline.kind == HOUR_CLOCK:
        return hours_left_text(deadline.due_at, now, lang)
    return days_left_text(deadline.due_at, now, lang, target=is_prompt(deadline))


def individuals_prompt_line(incident: IncidentView, lang: str) -> str | None:
    """本人通知 without an internal target has no row: 「速やかに」, done when its playbook step is done."""
    if not incident.assessment.notify_individuals:
        return None
    if any(d.kind == DeadlineKind.INDIVIDUALS and d.status != "cancelled" for d in incident.deadlines):
        return None
    line = f"{t('deadline.individuals', lang)}: {t('deadline.prompt_only', lang)}"
    step = next((s for s in incident.steps if s.step.deadline == DeadlineKind.INDIVIDUALS), None)
    if step is not None and step.status == StepStatus.DONE:
        line += f" — {t('deadline_status.met', lang)}"
    return line


def legal_deadline_lines(incident: IncidentView, now: datetime, lang: str) -> list[str]:
    """Every duty the law sets, for the summary: the 確報's date, the prompt duties with their targets, and
    本人通知 as 「速やかに」 even when no target makes it a row."""
    lines = [
        deadline_line(d, incident, now, lang)
        for d in incident.deadlines
        if d.kind != "step" and d.status != "cancelled"
    ]
    individuals = individuals_prompt_line(incident, lang)
    return lines + ([individuals] if individuals else [])


def headcount_undetermined(assessment: AssessmentView) -> bool:
    """Neither a count nor an upper bound is known, so the headcount ground (規則7条4号) cannot be decided.
    The same rule as bot.appi.assessment.undetermined_for: strong encryption exempts it."""
    return assessment.counted_persons is None and not assessment.exempt_by_encryption


def assessment_text(assessment: AssessmentView, lang: str) -> Rich:
    """The verdict for the summary. While the headcount is undetermined it says so and keeps asking for an
    estimate or an upper bound: the line stays in the living summary until one is given."""
    ask = [r(t("assessment.ask_headcount", lang))] if headcount_undetermined(assessment) else []
    if assessment.reportable:
        recipient_name = recipient(assessment.recipient).name(lang)
        recipient_how = recipient(assessment.recipient).how(lang)
        lines = [rich("assessment.reportable", lang, recipient=recipient_name), r(recipient_how)]
        lines.append(r(report_basis(assessment, lang)))
        lines += [r(f"• {g}") for g in grounds_text(assessment, lang)]
        lines.append(r(t("assessment.notify_individuals", lang, basis=notice_basis(assessment, lang))))
        return join(lines + ask + _my_number_check(assessment, lang))
    if assessment.processor_notice:
        text = t("assessment.processor_notice", lang, basis=processor_basis(assessment, lang))
        return join([r(text), *ask, *_my_number_check(assessment, lang)])
    if assessment.exempt_by_encryption:
        return r(t("assessment.exempt_encrypted", lang))
    if ask:
        ground = undetermined_ground(assessment, lang)
        lines = [rich("assessment.undetermined_headcount", lang, ground=ground), *ask]
        return join(lines + _my_number_check(assessment, lang))
    verdict = r(t("assessment.not_reportable", lang, threshold=f"{assessment.threshold:,}"))
    return join([verdict, *_my_number_check(assessment, lang)])


def _my_number_check(assessment: AssessmentView, lang: str) -> list[Rich]:
    """The My Number rule's 1号 and 3号 turn on facts leakbot does not ask: legal checks them."""
    return [r(t("assessment.my_number_check", lang))] if assessment.my_number_data else []


def persons_text(incident: IncidentView, lang: str) -> str:
    facts = incident.facts
    if facts.persons is None and facts.persons_upper_bound is None:
        return t("facts.persons_unknown", lang)
    if facts.persons is None:
        return t("facts.persons_upto", lang, upper=f"{facts.persons_upper_bound:,}")
    if facts.persons_upper_bound and facts.persons_upper_bound > facts.persons:
        return t(
            "facts.persons_range", lang, persons=f"{facts.persons:,}", upper=f"{facts.persons_upper_bound:,}"
        )
    return t("facts.persons", lang, persons=f"{facts.persons:,}")


def step_meta(step, incident: IncidentView, now: datetime, lang: str) -> list[str]:
    """The facts about a step both platforms show under its title: owner, due time, legal deadline."""
    meta = [t("step.owner", lang, role=t("role." + step.step.owner, lang))]
    if step.due_at and not step.finished:
        meta.append(t("step.due", lang, due=jst(step.due_at, lang)))
    if step.step.deadline:
        legal = next((d for d in incident.deadlines if d.key == step.step.deadline), None)
        if legal is not None:
            key = "step.prompt" if is_prompt(legal) else "step.legal"
            meta.append(t(key, lang, deadline=deadline_line(legal, incident, now, lang)))
        elif step.step.deadline == DeadlineKind.INDIVIDUALS and incident.assessment.notify_individuals:
            line = f"{t('deadline.individuals', lang)}: {t('deadline.prompt_only', lang)}"
            meta.append(t("step.prompt", lang, deadline=line))
    return meta


def _reminder_kind(item, now: datetime, lang: str) -> str:
    """Why it is said now; a prompt duty's target is "the target day", not "the deadline". A reminder that
    arrives after its deadline passed (delivered late) says it is overdue, never "today is the day"."""
    kind = item.kind
    if item.deadline.due_at < now and kind not in ("overdue", "late"):
        kind = "overdue"
    target_key = f"reminder.target_kind.{kind}"
    if is_prompt(item.deadline) and target_key in catalog():
        return t(target_key, lang)
    return t(f"reminder.kind.{kind}", lang)


def reminder_line(item, now: datetime, lang: str) -> str:
    """One reminder as a sentence: what is due, when (JST, or 「速やかに（目安: …）」), how long is left, why it
    is said now, and, while the number of people is unknown, the request for an estimate or upper bound."""
    line = t(
        "reminder.line",
        lang,
        deadline=deadline_label(item.deadline, item.incident, lang),
        due=due_text(item.deadline, lang),
        left=left_text(item.deadline, now, lang),
        kind=_reminder_kind(item, now, lang),
    )
    if headcount_undetermined(item.incident.assessment):
        line += " " + t("reminder.headcount_unknown", lang)
    return line


def reached_phases(incident: IncidentView, phase_ids: list[str]) -> list[str]:
    """Phases to show: up to the one being worked on, and any phase holding an open legal-deadline step
    (the 速報 cannot wait for the investigation phase to finish)."""
    current = incident.progress.current_phase
    reached = phase_ids[: phase_ids.index(current) + 1] if current in phase_ids else list(phase_ids)
    urgent = {s.step.phase for s in incident.steps if s.step.deadline and s.status not in FINISHED}
    return [p for p in phase_ids if p in reached or p in urgent]


def _undetermined_note(incident: IncidentView, lang: str) -> str:
    return (
        " · " + t("home.headcount_undetermined", lang) if headcount_undetermined(incident.assessment) else ""
    )


def next_deadline_text(incident: IncidentView, lang: str) -> str:
    """The incident's next deadline as "確報 2027年1月4日(月) 23:59" or "速報 速やかに（目安: …まで）", for
    digests and lists, with a note while the headcount ground is undetermined."""
    nxt = incident.next_legal_deadline()
    if nxt is None:
        return t("home.no_next", lang) + _undetermined_note(incident, lang)
    return f"{deadline_label(nxt, incident, lang)} {due_text(nxt, lang)}" + _undetermined_note(incident, lang)


def next_deadline_line(incident: IncidentView, now: datetime, lang: str) -> str:
    """The same with the days left, for App Home."""
    nxt = incident.next_legal_deadline()
    text = deadline_line(nxt, incident, now, lang) if nxt else t("home.no_next", lang)
    return text + _undetermined_note(incident, lang)


def refusals_line(incident: IncidentView, who: Span, lang: str) -> Rich | None:
    """For the commander: how many attempts were refused, and the latest (``who``: a mention or a name)."""
    last = incident.last_refusal
    if not incident.refusals or last is None:
        return None
    return rich(
        "summary.refusals",
        lang,
        count=incident.refusals,
        who=who,
        attempt=t(f"attempt.{last.attempt.split(':')[0]}", lang),
        at=jst(last.at, lang),
    )
