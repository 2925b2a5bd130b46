"""What the drafts for the laws beyond Japan share (issue 20). They are in English whatever the org's language
(an authority abroad does not read Japanese; each draft says so), take the law's result and deadline rows from
the incident, give an instant in JST and in the authority's own zone, the org's contact point for that law
(``regimes.<code>`` in the org config, [TO FILL IN: …] while unset), and head their sections with the regime
file's ``forms:`` (bot/regimes/rules/<code>.yaml), in its order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.config.org import RegimeContacts
from bot.documents._common import format_datetime
from bot.documents.draft import Draft
from bot.documents.model import Block, Section, field
from bot.domain.views import DeadlineView, IncidentView
from bot.regime_words import local_text
from bot.regimes import RegimeResult
from bot.regimes.schema import Words

LANG = "en"  # the drafts' language, whatever the org's


def result_of(view: IncidentView, code: str) -> RegimeResult | None:
    return next((r for r in view.regimes if r.code == code), None)


def deadline_of(view: IncidentView, code: str, duty: str = "authority") -> DeadlineView | None:
    """The law's deadline row (``regime:KR:authority``), unless cancelled."""
    key = f"regime:{code}:{duty}"
    return next((d for d in view.deadlines if d.key == key and d.status != "cancelled"), None)


def contacts(d: Draft, code: str) -> RegimeContacts:
    return d.org.regime(code) if d.org is not None else RegimeContacts()


def when(d: Draft, moment: datetime, code: str) -> str:
    """「2026-12-04 10:00 JST (Fri 04 Dec 10:00 Asia/Seoul)」: the company's clock and the authority's."""
    return d.t("doc.gdpr.instant", jst=format_datetime(moment, d.lang), local=local_text(moment, code, LANG))


def contact_fields(
    d: Draft, code: str, label: str = "doc.gdpr.label.dpo_name", fill: str = "doc.fill.gdpr_dpo_name"
) -> tuple[Block, ...]:
    """The contact point the law's form names (the DPO, Korea's chief privacy officer, …): ``regimes.<code>.dpo``."""
    dpo, cfg = contacts(d, code).dpo, code.lower()
    return (
        field(d.t(label), dpo.name or d.placeholder(fill, cfg=cfg)),
        field(
            d.t("doc.gdpr.label.dpo_email"), dpo.email or d.placeholder("doc.fill.gdpr_dpo_email", cfg=cfg)
        ),
    )


def judgement(d: Draft, value: bool | None, item: str) -> str:
    """Yes, No, or Under investigation while the team has not answered."""
    if value is None:
        return d.unknown(d.t(item))
    return d.t("doc.gdpr.yes" if value else "doc.gdpr.no")


def headed(headings: Sequence[Words], parts: Sequence[tuple[str, Sequence[Block]]]) -> list[Section]:
    """The sections under the regime file's headings, in its order: one part per heading (a file with fewer
    headings than the builder has parts shows the first ones)."""
    return [
        Section(words.get(LANG), tuple(blocks), key)
        for words, (key, blocks) in zip(headings, parts[: len(headings)], strict=True)
    ]


def forms(result: RegimeResult | None, duty: str) -> tuple[Words, ...]:
    if result is None:
        return ()
    return result.regime.forms.authority if duty == "authority" else result.regime.forms.individuals
