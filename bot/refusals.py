"""Turning refusals from the core into a person's language (both platforms use it)."""

from __future__ import annotations

from bot.domain.views import IncidentView
from bot.i18n import t
from bot.playbook.engine import TransitionError
from bot.services.errors import ServiceError


def refusal(error: Exception, lang: str, incident: IncidentView | None = None) -> str:
    if isinstance(error, TransitionError):
        titles = {s.step.id: s.step.title.get(lang) for s in incident.steps} if incident else {}
        title = titles.get(error.step_id, error.step_id)
        blockers = "、".join(f"「{titles.get(b, b)}」" for b in error.blockers)
        return t(f"error.{error.code}", lang, title=title, blockers=blockers)
    if isinstance(error, ServiceError):
        params = {k: (", ".join(v) if isinstance(v, list) else v) for k, v in error.params.items()}
        if "role" in params:
            params["role"] = t(f"role.{params['role']}", lang)
        return t(f"error.{error.code}", lang, **params)
    return t("error.internal", lang, reference=incident.reference if incident else "-")
