"""Every card the Teams adapter produces in a journey, rendered by Microsoft's own Adaptive Cards renderer (the
``adaptivecards`` JS SDK, with only the Markdown Teams renders): the report form (blank and with errors), the
received card, the thread's first card, the summary, the phases and a step's skip form, the drafts, the facts,
correction and documents forms (with errors), the reminders, the drill picker and a drill's thread, the closed
summary; whether sent, updated in place or answered to a click.

Each must parse and validate without a single warning, render some words, and show nothing Teams would show
literally (a backslash, ``**``, code marks, a mention tag without its entity); a person's words (a summary
holding a link, bold, a list, a mention) stay words. Skipped, saying why, without node and npm or the npm
packages (see tests/card_renderer.py). The fake connector still checks each card against the JSON schema."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from adapters.fakes.teams_harness import TeamsHarness, execute_data
from adapters.teams.sdk import CARD
from bot.services.ports import OPERATOR
from tests.card_renderer import ARTEFACTS, render, renderer_or_skip, with_nested

pytestmark = pytest.mark.slow  # CI runs it (LEAKBOT_SLOW_TESTS=1); see tests/conftest.py

REF = "LEAK-2026-0001"
HOSTILE = (
    "顧客リストを誤送信 [ここをクリック](http://evil.example) **至急** _確認_ <at>全員</at>\n- 一覧\n1. 番号"
)


class Collector:
    """The cards a person would see: sent, updated in place, and answered to a click."""

    def __init__(self, teams: TeamsHarness) -> None:
        self.teams = teams
        self.answered: list[tuple[str, dict]] = []

    async def click(self, user: str, verb: str, data: dict, **fields) -> dict:
        status, body = await self.teams.execute(user, verb, data, **fields)
        assert status == 200, body
        if body.get("type") == CARD:
            self.answered.append((f"{verb} by {user}", body["value"]))
        return body

    def cards(self) -> list[tuple[str, dict]]:
        connector = self.teams.connector
        found = [
            (f"sent in {cid}", a["content"])
            for cid, activities in connector.sent.items()
            for activity in activities
            for a in activity.get("attachments") or []
            if a.get("contentType") == CARD
        ]
        found += [
            (f"update of {u['id']} in {u['conversation']}", a["content"])
            for u in connector.updates
            for a in u.get("attachments") or []
            if a.get("contentType") == CARD
        ]
        return found + self.answered


async def journey(teams: TeamsHarness, clock) -> Collector:
    seen = Collector(teams)
    await teams.say("29:reporter", "leak")
    form = teams.connector.cards_in("a:personal-29:reporter")[-1]
    await seen.click("29:reporter", "leak.report", execute_data(form, "leak.report", summary="", persons="x"))
    await seen.click(
        "29:reporter", "leak.report", execute_data(form, "leak.report", summary=HOSTILE, persons="1500")
    )
    await teams.settle()
    thread = teams.connector.thread()
    assert thread is not None
    summary = teams.connector.summary_in(thread)
    ref = {"r": REF}

    await seen.click("29:legal", "leak.facts", execute_data(summary, "leak.facts"), conversation=thread)
    await seen.click("29:legal", "leak.facts.save", {**ref, "persons": "many"}, conversation=thread)
    await seen.click(
        "29:legal",
        "leak.facts.save",
        {
            **ref,
            "cause": "unauthorized_access",
            "persons": "2000",
            "flags": "malicious",
            "data_items": "card",
        },
        conversation=thread,
    )
    await seen.click("29:legal", "leak.correct", ref, conversation=thread)
    await seen.click("29:legal", "leak.correct.save", {**ref, "summary": "訂正"}, conversation=thread)
    await seen.click("29:legal", "leak.docs", ref, conversation=thread)
    await seen.click(
        "29:support", "leak.docs.save", {**ref, "document": "announcement", "status": "reviewed"}
    )
    phase = next(c for c in teams.connector.cards_in(thread) if "初動" in json.dumps(c, ensure_ascii=False))
    for target in ("in_progress", "done"):
        step = execute_data(phase, "leak.step", where={"s": "report_to_superior"}) | {"t": target}
        await seen.click("29:commander", "leak.step", step, conversation=thread)
    await seen.click("29:commander", "leak.refresh", ref, conversation=thread)
    await teams.say("29:commander", "leak status", conversation=thread)
    await teams.settle()

    clock.advance(timedelta(days=3))
    await teams.core.reminder_service({"teams": teams.bot.notifier}, "test").sweep()
    await teams.core.incidents.close(REF, OPERATOR)
    await teams.settle()

    await teams.say("29:commander", "leak drill")
    await seen.click("29:commander", "leak.drill", {"scenario": "ransomware"})
    await teams.settle()
    return seen


async def test_every_card_renders_in_microsofts_renderer_as_teams_shows_it(teams, clock) -> None:
    renderer_or_skip()  # before the journey: without the renderer there is nothing to check it with
    seen = await journey(teams, clock)
    cards = seen.cards()
    kinds = json.dumps([c for _, c in cards], ensure_ascii=False)
    for expected in (
        "個人データ漏えいの報告",
        "受け付けました",
        "次にやること",
        "初動",
        "文書の下書き",
        "期限",
    ):
        assert expected in kinds, f"the journey shows a card with {expected}"
    for expected in ("leak.facts.save", "leak.correct.save", "leak.docs.save", "leak.drill", "leak.ack"):
        assert expected in kinds, f"the journey shows the card for {expected}"

    where = [w for w, card in cards for _ in with_nested([card])]
    flat = with_nested([card for _, card in cards])
    failures = []
    for place, card, shown in zip(where, flat, render(flat), strict=True):
        title = shown.text.strip().splitlines()[0][:60] if shown.text.strip() else "(nothing)"
        failures += [f"{place} [{title}]: {p}" for p in shown.problems]
        if not shown.text.strip():
            failures.append(f"{place}: an empty card ({json.dumps(card, ensure_ascii=False)[:300]})")
        failures += [
            f"{place} [{title}]: shows {m.group(0)!r} literally in …{shown.text[max(0, m.start() - 40) : m.end() + 40]}…"
            for m in ARTEFACTS.finditer(shown.text)
        ]
        failures += [f"{place} [{title}]: a forged link to {href}" for href in shown.links if "evil" in href]
    assert not failures, "\n".join(dict.fromkeys(failures))


async def test_a_persons_words_stay_words_in_the_rendered_summary(teams, clock) -> None:
    renderer_or_skip()
    seen = await journey(teams, clock)
    summaries = [c for _, c in seen.cards() if "次にやること" in json.dumps(c, ensure_ascii=False)]
    [shown] = render(summaries[:1])
    assert "ここをクリック" in shown.text and "至急" in shown.text, "the words are there"
    assert not shown.links, "no link made of what the reporter typed"
