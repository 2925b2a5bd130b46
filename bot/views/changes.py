"""What a use case changed, as sentences for the channel: the facts updated, reassessed, a deadline moved,
added, filed or cancelled, steps added or removed, a correction with its reason. Step-level noise is left out."""

from __future__ import annotations

from datetime import datetime

from bot.domain.views import DeadlineView, IncidentView
from bot.domain.vocabulary import DeadlineKind
from bot.i18n import t
from bot.i18n.rich import Rich, r, rich
from bot.presentation import PROMPT_KINDS, deadline_label, due_text, jst
from bot.regime_words import is_regime_key, regime_label


def _deadline_name(key: str, incident: IncidentView, lang: str) -> str:
    deadline = next((d for d in incident.deadlines if d.key == key), None)
    if deadline is not None:
        return deadline_label(deadline, incident, lang)
    if is_regime_key(key):
        return regime_label(key, lang)
    return t(f"deadline.{key}", lang) if not key.startswith("step:") else key


def _step_titles(step_ids: list[str], incident: IncidentView, lang: str, playbook_steps: dict) -> str:
    return "、".join(playbook_steps[s].title.get(lang) if s in playbook_steps else s for s in step_ids)


def change_lines(changes: tuple, incident: IncidentView, playbook, lang: str) -> list[Rich]:
    """What a use case changed, as sentences for the channel. Step-level noise is left out."""
    steps = {s.id: s for s in playbook.steps}
    lines: list[Rich] = []
    for change in changes:
        d = change.detail
        if change.what == "facts":
            lines.append(
                rich("change.facts", lang, fields=", ".join(t(f"field.{f}", lang) for f in d["fields"]))
            )
        elif change.what == "reassessed":
            before, after = d["from"], d["to"]
            if before.get("reportable") != after.get("reportable"):
                lines.append(
                    rich(
                        "change.now_reportable" if after["reportable"] else "change.no_longer_reportable",
                        lang,
                    )
                )
            if before.get("final_days") != after.get("final_days") and after.get("final_days"):
                lines.append(rich("change.final_days", lang, days=after["final_days"]))
        elif change.what == "deadline_moved" and not d["key"].startswith("step:"):
            prompt = d["key"] in PROMPT_KINDS
            lines.append(
                rich(
                    "change.target_moved" if prompt else "change.deadline_moved",
                    lang,
                    deadline=_deadline_name(d["key"], incident, lang),
                    before=jst(datetime.fromisoformat(d["from"]), lang, with_time=not prompt),
                    after=jst(datetime.fromisoformat(d["to"]), lang, with_time=not prompt),
                )
            )
        elif change.what == "deadline_added" and not d["key"].startswith("step:"):
            due = datetime.fromisoformat(d["due_at"])
            added = DeadlineView(d["key"], d["key"], None, due, None, "pending")
            lines.append(
                rich(
                    "change.prompt_added" if d["key"] in PROMPT_KINDS else "change.deadline_added",
                    lang,
                    deadline=_deadline_name(d["key"], incident, lang),
                    due=due_text(added, lang),
                )
            )
        elif change.what == "document":
            lines.append(
                rich(
                    "change.document",
                    lang,
                    document=t(f"document.{d['document']}", lang),
                    status=t(f"document.status.{d['to']}", lang),
                )
            )
        elif change.what in ("document_edited", "document_edit_cleared"):
            document = t(f"doc.name.{d['document']}", lang)
            lines.append(rich(f"change.{change.what}", lang, document=document, section=d["heading"]))
        elif change.what == "deadline_filed":
            lines.append(
                rich("change.deadline_filed", lang, deadline=_deadline_name(d["key"], incident, lang))
            )
        elif change.what == "deadline_pending" and not d["key"].startswith("step:"):
            lines.append(
                rich("change.deadline_reopened", lang, deadline=_deadline_name(d["key"], incident, lang))
            )
        elif change.what == "closed":
            lines.append(rich("change.closed", lang))
        elif change.what == "reopened":
            lines.append(rich("change.reopened", lang))
        elif change.what == "corrected":
            lines.append(correction_line(d, lang))
        elif (
            change.what == "deadline_cancelled"
            and d["key"] == DeadlineKind.INDIVIDUALS
            and incident.assessment.notify_individuals
        ):
            # Its internal target went away (or an older incident had the 確報 date): still due 「速やかに」.
            lines.append(rich("change.individuals_prompt_only", lang))
        elif change.what == "deadline_cancelled" and not d["key"].startswith("step:"):
            lines.append(
                rich("change.deadline_cancelled", lang, deadline=_deadline_name(d["key"], incident, lang))
            )
        elif change.what == "steps_added":
            lines.append(
                rich("change.steps_added", lang, steps=_step_titles(d["steps"], incident, lang, steps))
            )
        elif change.what == "steps_removed":
            lines.append(
                rich("change.steps_removed", lang, steps=_step_titles(d["steps"], incident, lang, steps))
            )
    return lines


def correction_line(detail: dict, lang: str) -> Rich:
    """A correction of the report, as said in the channel: what was corrected, from what to what, and why."""
    fields = ", ".join(t(f"field.{f}", lang) for f in detail.get("fields", []))
    line = rich("change.corrected", lang, fields=fields, reason=detail.get("reason", ""))
    if "aware_to" in detail:
        line += r(" ") + rich(
            "change.aware_moved",
            lang,
            before=jst(datetime.fromisoformat(detail["aware_from"]), lang),
            after=jst(datetime.fromisoformat(detail["aware_to"]), lang),
        )
    return line
