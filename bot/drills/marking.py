"""Every message a drill posts is plainly marked 【訓練】 / [DRILL]."""

from __future__ import annotations

from bot.i18n import t


def marked(text: str, lang: str = "ja") -> str:
    """``text`` with the drill mark in front (once: a text already marked is returned as it is)."""
    mark = t("drill.mark", lang)
    if text.startswith(mark):
        return text
    return f"{mark} {text}"
