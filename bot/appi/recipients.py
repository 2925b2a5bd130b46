"""Who receives the report, from the organization's sector; the mapping is data (recipients.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Recipient:
    key: str
    name_ja: str
    name_en: str
    how_ja: str
    how_en: str

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_ja

    def how(self, lang: str) -> str:
        return self.how_en if lang == "en" else self.how_ja


@cache
def _table() -> dict:
    return yaml.safe_load(resources.files("bot.appi").joinpath("recipients.yaml").read_text("utf-8"))


def known_recipients() -> tuple[str, ...]:
    return tuple(_table()["recipients"])


def known_sectors() -> tuple[str, ...]:
    return tuple(_table()["sectors"])


def recipient(key: str) -> Recipient:
    entry = _table()["recipients"][key]
    return Recipient(key, entry["ja"], entry["en"], entry["how"]["ja"], entry["how"]["en"])


def sector_regulator_for(sector: str) -> str | None:
    """The authority the sector's own law (業法) asks leaks to be reported to, or None (recipients.yaml)."""
    return (_table().get("sector_regulators") or {}).get(sector)


def recipient_for(sector: str) -> Recipient:
    table = _table()
    return recipient(table["sectors"].get(sector, table["default"]))
