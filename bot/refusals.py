"""Turning refusals from the core into a person's language (both platforms use it).

The text never reveals anything of the incident beyond what the person sent: step titles come from the
playbook, not from the incident, so a refused outsider learns nothing."""

from __future__ import annotations

from bot.i18n import catalog, t
from bot.playbook.engine import TransitionError
from bot.playbook.schema import Playbook
from bot.services.errors import ServiceError


def command(platform: str, lang: str = "ja") -> str:
    """leakbot's command on ``platform`` (``/leak`` on Slack, ``leak`` on Teams), for a text that names one."""
    key = f"command.{platform}"
    return t(key, lang) if key in catalog() else t("command.slack", lang)


def refusal(
    error: Exception, lang: str, playbook: Playbook | None = None, reference: str = "-", *, platform: str
) -> str:
    """The refusal in ``lang``, naming ``platform``'s own commands where it names one."""
    if isinstance(error, TransitionError):
        titles = {s.id: s.title.get(lang) for s in playbook.steps} if playbook else {}
        title = titles.get(error.step_id, error.step_id)
        blockers = "、".join(f"「{titles.get(b, b)}」" for b in error.blockers)
        return t(f"error.{error.code}", lang, title=title, blockers=blockers)
    if isinstance(error, ServiceError):
        params = {k: (", ".join(v) if isinstance(v, list) else v) for k, v in error.params.items()}
        if "role" in params:
            params["role"] = t(f"role.{params['role']}", lang)
        return t(f"error.{error.code}", lang, **({"leak": command(platform, lang)} | params))
    return t("error.internal", lang, reference=reference)
