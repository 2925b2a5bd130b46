"""Every Adaptive Card the Teams adapter renders validates against the official 1.5 schema."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from adapters.fakes.card_schema import card_errors
from adapters.teams.cards import facts_card, facts_form_values, report_form
from adapters.teams.render import phase_card, reminder_card, summary_card
from adapters.teams.text import neutral, strong
from bot.bootstrap import build_core
from bot.config.org import parse_org_config
from bot.config.settings import CoreSettings
from bot.domain.facts import DataItem, Facts
from bot.domain.vocabulary import Cause
from bot.reminders.delivery import Delivery, ReminderItem
from bot.services.incidents import ReportRequest
from bot.views.incident import phase_view, summary_view
from bot.views.reminders import reminder_message
from tests.conftest import DATA, ORG_YAML


@pytest.fixture
async def incident(clean_database, clock):
    org = parse_org_config(ORG_YAML + "playbook: mini\n", "org.yaml")
    settings = CoreSettings(DATABASE_URL=clean_database, LEAKBOT_PLAYBOOKS_DIR=str(DATA / "playbooks"))
    core = build_core(settings, clock=clock, org=org)
    facts = Facts(
        summary="[click](http://evil.example) **now** <at>all</at>",
        persons=1500,
        cause=Cause.UNAUTHORIZED_ACCESS,
        data_items=(DataItem.CARD,),
    )
    outcome = await core.incidents.report(ReportRequest("teams", "29:reporter", "ja", clock.now(), facts))
    yield core, outcome.incident
    await core.close()


@pytest.mark.parametrize("lang", ["ja", "en"])
async def test_cards_validate_against_the_schema(incident, clock, lang) -> None:
    core, view = incident
    playbook = core.playbooks.get(view.playbook_id)
    cards = [
        report_form(lang, clock.now(), "form-1"),
        report_form(lang, clock.now(), "form-1", {"summary": "x"}, {"summary": "必須", "persons": "数字"}),
        summary_card(summary_view(view, clock.now(), lang)),
        facts_card(view.reference, facts_form_values(view.facts), lang, {"persons": "bad"}),
        *[
            phase_card(phase_view(view, playbook, p, clock.now(), lang), lang)
            for p in ("initial", "reporting")
        ],
    ]
    deadline = next(d for d in view.deadlines if d.key == "final")
    item = ReminderItem(view, deadline, "before", clock.now() + timedelta(days=1), "legal")
    delivery = Delivery("teams", None, "29:exec", (item,), missed=True)
    cards.append(reminder_card(reminder_message(delivery, clock.now(), lang)))
    for card in cards:
        assert card_errors(card) == []
        ids = input_ids(card)
        assert len(ids) == len(set(ids)), f"every Input id is unique in a card: {ids}"


def input_ids(node) -> list[str]:
    if isinstance(node, dict):
        own = [node["id"]] if str(node.get("type", "")).startswith("Input.") else []
        return own + [i for value in node.values() for i in input_ids(value)]
    if isinstance(node, list):
        return [i for value in node for i in input_ids(value)]
    return []


def test_user_text_cannot_forge_links_or_emphasis_and_shows_no_backslash() -> None:
    """Teams shows a backslash as it is: a person's words are neutralized with look-alikes instead."""
    assert neutral("[click](http://evil)") == "［click］(hxxp://evil)"
    assert neutral("**bold** _it_ `code` <at>x</at>") == "＊＊bold＊＊ ＿it＿ “code” ＜at＞x＜/at＞"
    assert neutral("- one\n2. two\n# three") == "－ one\n2． two\n＃ three"
    ordinary = "2026年12月7日(月) LEAK-2026-0001 taro_yamada@example.co.jp 3+4 C:\\data"
    assert neutral(ordinary) == ordinary, "ordinary words read as typed"


def test_bold_renders_next_to_japanese_punctuation() -> None:
    assert strong("【訓練】") == "【**訓練**】"
    assert strong("LEAK-2026-0001 の期限") == "**LEAK-2026-0001 の期限**"
    assert strong("一行目\n二行目") == "**一行目**\n**二行目**", "bold never spans a line break"


async def test_the_summary_neutralizes_the_report(incident, clock) -> None:
    _, view = incident
    body = summary_card(summary_view(view, clock.now(), "ja"))["body"]
    description = next(b["text"] for b in body if "click" in b.get("text", ""))
    assert description.startswith("［click］(hxxp://evil［.］example) ＊＊now＊＊ ＜at＞all＜/at＞")
    shown = strings(summary_card(summary_view(view, clock.now(), "ja")))
    assert not [s for s in shown if "\\" in s], "no backslash anywhere: Teams would show it"
    assert any("2026年12月1日(火)" in s for s in shown), "the date reads as it is"


def strings(node) -> list[str]:
    if isinstance(node, dict):
        return [s for value in node.values() for s in strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in strings(value)]
    return [node] if isinstance(node, str) else []


async def test_cards_show_names_never_ids(incident, clock) -> None:
    """The summary names people (from the roster or Graph), and says 担当者 for someone unnamed, never 29:…"""
    from adapters.teams.people import _rename

    _, view = incident
    names = {"29:reporter": "佐藤 花子"}
    named = _rename(summary_view(view, clock.now(), "ja"), lambda u: names.get(u) or "担当者")
    shown = json.dumps(summary_card(named), ensure_ascii=False)
    assert "佐藤 花子" in shown and "29:" not in shown


def test_the_drafts_card_fits_one_teams_message_and_lists_every_draft() -> None:
    """Teams refuses a bot message over about 100 KB (UTF-16): however many drafts (Japan's and every other
    law's), the card stays within it, each draft listed with as much of its text as fits."""
    import json

    from adapters.teams.render import DRAFTS_CARD_BUDGET, drafts_card
    from bot.documents.model import Document, Section, paragraph
    from bot.journey.port import Drafts

    long = "漏えいの概要。" * 700  # about 4,900 characters a section
    documents = tuple(
        Document(
            f"doc_{n}",
            f"下書き {n}",
            "ja",
            tuple(Section(f"{i}. 見出し", (paragraph(long),)) for i in range(3)),
        )
        for n in range(20)
    )
    card = drafts_card(Drafts("下書き", "", lambda: (), documents), "LEAK-2026-0001", "ja")
    size = len(json.dumps(card, ensure_ascii=False).encode("utf-16-le"))
    assert size <= DRAFTS_CARD_BUDGET + 2_000, size
    titles = json.dumps(card, ensure_ascii=False)
    assert all(f"下書き {n}" in titles for n in range(20)), "every draft listed"
    assert "漏えいの概要" in titles, "with some of its text"
