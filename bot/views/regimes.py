"""The summary's part for the laws beyond Japan (issue 20): each law's answer and the questions still open.
Their clocks are deadline rows, listed with Japan's under 期限 (bot.presentation.legal_deadline_lines)."""

from __future__ import annotations

from bot.domain.views import IncidentView
from bot.i18n import t
from bot.i18n.rich import Rich, plain
from bot.regime_words import individuals_line, question_lines, verdict_line
from bot.views.elements import Part


def regimes_part(incident: IncidentView, lang: str) -> tuple[Part, ...]:
    """Nothing for an incident whose people are all in Japan."""
    if not incident.regimes:
        return ()
    lines: list[Rich] = []
    for result in incident.regimes:
        lines.append(plain(f"• {verdict_line(result, lang)}"))
        individuals = individuals_line(result, lang)
        if individuals:
            lines.append(plain(f"   {individuals}"))
        lines += [plain("   " + t("regime.ask", lang, question=q)) for q in question_lines(result, lang)]
    return (Part(t("regime.summary", lang), tuple(lines)),)
