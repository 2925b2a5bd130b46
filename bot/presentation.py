"""Platform-neutral text for people: dates in Japan time, days left, progress bars, labels.

Slack and Teams renderers both use these, so a date or a label reads the same everywhere.
"""

from __future__ import annotations

from datetime import datetime

from bot.appi.deadlines import JST
from bot.appi.recipients import recipient
from bot.domain.views import AssessmentView, DeadlineView, IncidentView
from bot.i18n import t
from bot.playbook.engine import FINISHED

WEEKDAYS_JA = "月火水木金土日"


def jst(moment: datetime, lang: str, *, with_time: bool = True) -> str:
    local = moment.astimezone(JST)
    if lang == "en":
        text = local.strftime("%a %d %b %Y")
        return f"{text} {local:%H:%M} JST" if with_time else text
    text = f"{local.year}年{local.month}月{local.day}日({WEEKDAYS_JA[local.weekday()]})"
    return f"{text} {local:%H:%M}" if with_time else text


def days_left(due_at: datetime, now: datetime) -> int:
    """Calendar days from today to the due day, both in Japan time; negative when overdue."""
    return (due_at.astimezone(JST).date() - now.astimezone(JST).date()).days


def days_left_text(due_at: datetime, now: datetime, lang: str) -> str:
    days = days_left(due_at, now)
    if due_at < now:
        return t("time.overdue", lang, days=max(1, -days))
    if days == 0:
        return t("time.today", lang)
    return t("time.days_left", lang, days=days)


def progress_bar(finished: int, total: int, width: int = 10) -> str:
    ratio = finished / total if total else 1.0
    full = round(ratio * width)
    return f"{'▰' * full}{'▱' * (width - full)} {round(ratio * 100)}% ({finished}/{total})"


def deadline_label(deadline: DeadlineView, incident: IncidentView, lang: str) -> str:
    if deadline.kind == "step" and deadline.step_id:
        step = next((s.step for s in incident.steps if s.step.id == deadline.step_id), None)
        return t("deadline.step", lang, title=step.title.get(lang) if step else deadline.step_id)
    return t(f"deadline.{deadline.kind}", lang)


def deadline_line(deadline: DeadlineView, incident: IncidentView, now: datetime, lang: str) -> str:
    label = deadline_label(deadline, incident, lang)
    if deadline.status != "pending":
        return f"{label}: {jst(deadline.due_at, lang)} — {t('deadline_status.' + deadline.status, lang)}"
    window = ""
    if deadline.window_start is not None:
        window = t("time.window", lang, start=jst(deadline.window_start, lang, with_time=False))
    return f"{label}: {window}{jst(deadline.due_at, lang)} ({days_left_text(deadline.due_at, now, lang)})"


def grounds_text(assessment: AssessmentView, lang: str) -> list[str]:
    return [t(f"ground.{g}", lang, threshold=assessment.threshold) for g in assessment.grounds]


def assessment_text(assessment: AssessmentView, lang: str) -> str:
    if assessment.reportable:
        recipient_name = recipient(assessment.recipient).name(lang)
        recipient_how = recipient(assessment.recipient).how(lang)
        lines = [t("assessment.reportable", lang, recipient=recipient_name), recipient_how]
        lines += [f"• {g}" for g in grounds_text(assessment, lang)]
        lines.append(t("assessment.notify_individuals", lang))
        return "\n".join(lines)
    if assessment.processor_notice:
        return t("assessment.processor_notice", lang)
    if assessment.exempt_by_encryption:
        return t("assessment.exempt_encrypted", lang)
    if assessment.counted_persons is None:
        return t("assessment.not_yet_unknown_count", lang, threshold=assessment.threshold)
    return t("assessment.not_reportable", lang, threshold=assessment.threshold)


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


def _deadline_name(key: str, incident: IncidentView, lang: str) -> str:
    deadline = next((d for d in incident.deadlines if d.key == key), None)
    if deadline is not None:
        return deadline_label(deadline, incident, lang)
    return t(f"deadline.{key}", lang) if not key.startswith("step:") else key


def _step_titles(step_ids: list[str], incident: IncidentView, lang: str, playbook_steps: dict) -> str:
    return "、".join(playbook_steps[s].title.get(lang) if s in playbook_steps else s for s in step_ids)


def change_lines(changes: tuple, incident: IncidentView, playbook, lang: str) -> list[str]:
    """What a use case changed, as sentences for the channel. Step-level noise is left out."""
    steps = {s.id: s for s in playbook.steps}
    lines: list[str] = []
    for change in changes:
        d = change.detail
        if change.what == "facts":
            lines.append(
                t("change.facts", lang, fields=", ".join(t(f"field.{f}", lang) for f in d["fields"]))
            )
        elif change.what == "reassessed":
            before, after = d["from"], d["to"]
            if before.get("reportable") != after.get("reportable"):
                lines.append(
                    t("change.now_reportable" if after["reportable"] else "change.no_longer_reportable", lang)
                )
            if before.get("final_days") != after.get("final_days") and after.get("final_days"):
                lines.append(t("change.final_days", lang, days=after["final_days"]))
        elif change.what == "deadline_moved" and not d["key"].startswith("step:"):
            lines.append(
                t(
                    "change.deadline_moved",
                    lang,
                    deadline=_deadline_name(d["key"], incident, lang),
                    before=jst(datetime.fromisoformat(d["from"]), lang),
                    after=jst(datetime.fromisoformat(d["to"]), lang),
                )
            )
        elif change.what == "deadline_added" and not d["key"].startswith("step:"):
            lines.append(
                t(
                    "change.deadline_added",
                    lang,
                    deadline=_deadline_name(d["key"], incident, lang),
                    due=jst(datetime.fromisoformat(d["due_at"]), lang),
                )
            )
        elif change.what == "deadline_filed":
            lines.append(t("change.deadline_filed", lang, deadline=_deadline_name(d["key"], incident, lang)))
        elif change.what == "deadline_pending" and not d["key"].startswith("step:"):
            lines.append(
                t("change.deadline_reopened", lang, deadline=_deadline_name(d["key"], incident, lang))
            )
        elif change.what == "closed":
            lines.append(t("change.closed", lang))
        elif change.what == "deadline_cancelled" and not d["key"].startswith("step:"):
            lines.append(
                t("change.deadline_cancelled", lang, deadline=_deadline_name(d["key"], incident, lang))
            )
        elif change.what == "steps_added":
            lines.append(t("change.steps_added", lang, steps=_step_titles(d["steps"], incident, lang, steps)))
        elif change.what == "steps_removed":
            lines.append(
                t("change.steps_removed", lang, steps=_step_titles(d["steps"], incident, lang, steps))
            )
    return lines


def step_meta(step, incident: IncidentView, now: datetime, lang: str) -> list[str]:
    """The facts about a step both platforms show under its title: owner, due time, legal deadline."""
    meta = [t("step.owner", lang, role=t("role." + step.step.owner, lang))]
    if step.due_at and not step.finished:
        meta.append(t("step.due", lang, due=jst(step.due_at, lang)))
    if step.step.deadline:
        legal = next((d for d in incident.deadlines if d.key == step.step.deadline), None)
        if legal is not None:
            meta.append(t("step.legal", lang, deadline=deadline_line(legal, incident, now, lang)))
    return meta


def reminder_line(item, now: datetime, lang: str) -> str:
    """One reminder as a sentence: what is due, when (JST), how long is left, and why it is said now."""
    return t(
        "reminder.line",
        lang,
        deadline=deadline_label(item.deadline, item.incident, lang),
        due=jst(item.deadline.due_at, lang),
        left=days_left_text(item.deadline.due_at, now, lang),
        kind=t(f"reminder.kind.{item.kind}", lang),
    )


def reached_phases(incident: IncidentView, phase_ids: list[str]) -> list[str]:
    """Phases to show: up to the one being worked on, and any phase holding an open legal-deadline step
    (the 速報 cannot wait for the investigation phase to finish)."""
    current = incident.progress.current_phase
    reached = phase_ids[: phase_ids.index(current) + 1] if current in phase_ids else list(phase_ids)
    urgent = {s.step.phase for s in incident.steps if s.step.deadline and s.status not in FINISHED}
    return [p for p in phase_ids if p in reached or p in urgent]


def next_deadline_text(incident: IncidentView, lang: str) -> str:
    """The incident's next legal deadline as "確報 2027年1月4日(月) 23:59", for digests and lists."""
    nxt = incident.next_legal_deadline()
    if nxt is None:
        return t("home.no_next", lang)
    return f"{deadline_label(nxt, incident, lang)} {jst(nxt.due_at, lang)}"
