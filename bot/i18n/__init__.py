"""The one message catalog: every text a person reads, Japanese first, English available."""

from __future__ import annotations

import string
from functools import cache
from importlib import resources

import yaml

LANGUAGES = ("ja", "en")
DEFAULT_LANGUAGE = "ja"


CATALOG_FILES = ("messages.yaml", "documents.yaml")  # one catalog, kept in files by topic


@cache
def catalog() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for name in CATALOG_FILES:
        part = yaml.safe_load(resources.files("bot.i18n").joinpath(name).read_text(encoding="utf-8"))
        twice = merged.keys() & part.keys()
        if twice:
            raise ValueError(f"{name}: keys already in the catalog: {', '.join(sorted(twice))}")
        merged |= part
    return merged


def language_for(locale: str | None) -> str:
    """Slack and Teams locales (en-US, ja-JP …) to a catalog language; Japanese unless English."""
    return "en" if locale and locale.lower().startswith("en") else DEFAULT_LANGUAGE


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """The words of a catalog entry, without its markup (labels, plain messages, notification fallbacks).
    Where bold or mentions matter, use ``bot.i18n.rich.rich`` and let the platform render it."""
    entry = catalog()[key]
    template = (entry.get(lang) or entry[DEFAULT_LANGUAGE]).replace("**", "")
    return template.format(**params) if params else template


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
