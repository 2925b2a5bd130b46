"""Each draft states its own deadline: the 速報 「速やかに」 with its target date (provisional while the duty is
being determined), the 確報 its legal date and the rule that sets it, the notice 「速やかに」, the notice to the
controller 「速やかに」 with leakbot's target."""

from __future__ import annotations

from bot.documents._common import DraftBase
from bot.law_words import regime
from bot.presentation import due_text


def due_line(d: DraftBase, kind: str) -> str:
    """The deadline of the draft of ``kind`` (preliminary, final, individuals, controller_notice)."""
    row = next((x for x in d.view.deadlines if x.kind == kind and x.status != "cancelled"), None)
    if row is not None and row.status in ("filed", "met"):
        return d.t("doc.due.filed", due=due_text(row, d.lang))
    if kind == "final":
        rule = d.t(f"doc.due.final_rule.{regime(d.assessment)}")
        if row is None:
            return d.t("doc.due.final_none", rule=rule)
        return d.t("doc.due.final", due=due_text(row, d.lang), days=d.assessment.final_days or "-", rule=rule)
    if kind == "preliminary" and row is not None and d.assessment.provisional:
        return d.t("doc.due.provisional", due=due_text(row, d.lang))
    if row is not None:
        return due_text(row, d.lang)
    return d.t(f"doc.due.prompt.{kind}")
