"""What the team has done, in words, from the playbook's steps and the audit trail: a step's state with its date,
the course of events (事実経過), who did what (names or roles, never platform ids). A step that does not apply
to the incident is left out; a step id is never shown as text."""

from __future__ import annotations

from datetime import datetime

from bot.documents._common import DraftBase, format_date, format_datetime
from bot.domain.views import StepView
from bot.i18n import catalog
from bot.playbook.engine import StepStatus
from bot.playbook.known_steps import CONTAINMENT, INVESTIGATION, REPORT_TO_SUPERIOR
from bot.services.policy import REPORTER_ROLE

# The steps whose completion belongs in the 事実経過 of a report (the rest are in the timeline document).
COURSE_STEPS = (
    REPORT_TO_SUPERIOR,
    "confirm_leak",
    *CONTAINMENT,
    *INVESTIGATION,
    "report_to_police",
    "preliminary_report",
    "notify_individuals",
    "publish_announcement",
    "final_report",
)


class RecordWords(DraftBase):
    def step(self, step_id: str) -> StepView | None:
        return next((s for s in self.view.steps if s.step.id == step_id), None)

    def step_title(self, step_id: str) -> str:
        step = self.step(step_id)
        return step.step.title.get(self.lang) if step else ""

    def step_state(self, step_id: str) -> str:
        """「実施済み（日付）」, 「実施中」, 「未実施」, 「実施せず（理由）」."""
        step = self.step(step_id)
        if step is None or step.status is StepStatus.TODO:
            return self.t("doc.state.todo")
        if step.status is StepStatus.DONE:
            when = format_date(step.updated_at, self.lang) if step.updated_at else ""
            return self.t("doc.state.done", date=when) if when else self.t("doc.state.done_undated")
        if step.status is StepStatus.SKIPPED:
            return self.t("doc.state.skipped", reason=step.reason or "-")
        if step.status is StepStatus.NOT_APPLICABLE:
            return self.t("doc.state.not_applicable")
        return self.t("doc.state.in_progress")

    def step_done(self, step_id: str) -> bool:
        step = self.step(step_id)
        return step is not None and step.status is StepStatus.DONE

    def done_on(self, step_id: str) -> str | None:
        """The date a step was done, or None while it is not."""
        step = self.step(step_id)
        if step is None or step.status is not StepStatus.DONE or step.updated_at is None:
            return None
        return format_date(step.updated_at, self.lang)

    def step_fields(self, *step_ids: str) -> list[tuple[str, str]]:
        """(title, state) of each step that applies to this incident."""
        return [(self.step_title(s), self.step_state(s)) for s in step_ids if self.step(s) is not None]

    def done_steps_in(self, *phases: str) -> list[str]:
        return [
            self.t("doc.done_step", title=s.step.title.get(self.lang), state=self.step_state(s.step.id))
            for s in self.view.steps
            if s.step.phase in phases and s.status is StepStatus.DONE
        ]

    def document_done(self, key: str) -> str | None:
        """The date a draft was marked sent / published (bot.documents.status), or None."""
        entry = (self.view.document_states or {}).get(key) or {}
        if entry.get("status") in ("sent", "published", "filed") and entry.get("at"):
            return format_date(datetime.fromisoformat(entry["at"]), self.lang)
        return None

    # --- the course of events --------------------------------------------------------------------------------
    def course(self) -> list[str]:
        """事実経過: occurrence, discovery, the report, and the key steps done, each with its date."""
        entries: list[tuple[datetime, str]] = []
        if self.facts.occurred_at is not None:
            entries.append((self.facts.occurred_at, self.t("doc.course.occurred")))
        entries.append((self.view.aware_at, self.t("doc.course.aware")))
        entries.append((self.view.created_at, self.t("doc.course.reported")))
        for step_id in COURSE_STEPS:
            step = self.step(step_id)
            if step is not None and step.status is StepStatus.DONE and step.updated_at is not None:
                entries.append((step.updated_at, step.step.title.get(self.lang)))
        entries.sort(key=lambda entry: entry[0])
        return [
            self.t("doc.course.entry", at=format_datetime(at, self.lang), what=what) for at, what in entries
        ]

    # --- who -------------------------------------------------------------------------------------------------
    def who(self, actor: str) -> str:
        """A person by name where known, else by the role they hold in this incident; never a platform id."""
        if actor.startswith("system:"):
            return self.t("doc.tl.system")
        if actor.startswith("cli:"):
            return self.t("doc.tl.operator")
        if actor in self.names:
            return self.names[actor]
        platform, _, user = actor.partition(":")
        roles = [m.role for m in self.view.members if (m.platform, m.user_id) == (platform, user)]
        if not roles and self.org is not None:  # written as the id in the org config (not yet a member)
            roles = [str(role) for role, written in self.org.roles.items() if user in written]
        labels = [self.t(f"role.{r}") for r in roles if r != REPORTER_ROLE and f"role.{r}" in catalog()]
        if labels:
            return self.t("doc.tl.member", roles="・".join(dict.fromkeys(labels)))
        if REPORTER_ROLE in roles:
            return self.t(f"role.{REPORTER_ROLE}")
        return self.t("doc.tl.someone")  # never the platform id
