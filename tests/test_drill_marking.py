"""Every message a drill posts is plainly marked 【訓練】 / [DRILL] (issue 14): the summary, each phase, change
notices, problems, the receipt, App Home; a real incident's are not. A drill's views speak in drill time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.facts import Facts
from bot.i18n.rich import plain
from bot.services.incidents import ReportRequest
from bot.services.ports import Actor
from bot.views.incident import phase_ids, phase_view, summary_view
from bot.views.notices import changes_notice, home_view, problems_notice, receipt

COMMANDER = Actor("slack", "UCOMMANDER")
MARKS = {"ja": "【訓練】", "en": "[DRILL]"}


class Directory:
    name = "slack"

    async def resolve(self, member: str) -> str | None:
        return member if member.startswith("U") else None


def text(rich) -> str:
    return "".join(span.text for span in rich)


@pytest.fixture
async def drill(core):
    ref = (await core.incidents.start_drill("web_skimming", COMMANDER, "ja")).incident.reference
    outcome, _ = await core.incidents.resolve_team(ref, Directory())
    return outcome.incident


@pytest.fixture
async def real(core, clock):
    request = ReportRequest("slack", "UREPORTER", "ja", clock.now(), Facts(summary="USBメモリ紛失"))
    return (await core.incidents.report(request)).incident


@pytest.mark.parametrize("lang", ["ja", "en"])
async def test_the_summary_and_every_phase_of_a_drill_are_marked(core, clock, drill, real, lang) -> None:
    mark = MARKS[lang]
    summary = summary_view(drill, clock.now(), lang)
    assert summary.title.startswith(mark) and summary.fallback.startswith(mark)
    assert summary.title.count(mark) == 1
    playbook = core.playbooks.get(drill.playbook_id)
    phases = phase_ids(drill, playbook)
    assert phases
    for phase_id in phases:
        view = phase_view(drill, playbook, phase_id, clock.now(), lang)
        assert view.title.startswith(mark) and view.title.count(mark) == 1
    assert not summary_view(real, clock.now(), lang).title.startswith(mark)
    real_playbook = core.playbooks.get(real.playbook_id)
    for phase_id in phase_ids(real, real_playbook):
        assert mark not in phase_view(real, real_playbook, phase_id, clock.now(), lang).title


async def test_a_drills_summary_counts_days_in_drill_time(core, clock, drill, real) -> None:
    clock.advance(timedelta(minutes=10))  # 720×: five drill days
    said = " ".join(
        text(line) for part in summary_view(drill, clock.now(), "en").parts for line in part.lines
    )
    assert "overdue" in said or "past the target" in said
    real_said = " ".join(
        text(line) for part in summary_view(real, clock.now(), "en").parts for line in part.lines
    )
    assert "overdue" not in real_said and "past the target" not in real_said


@pytest.mark.parametrize("lang", ["ja", "en"])
async def test_notices_receipt_and_home_of_a_drill_are_marked(core, clock, drill, real, lang) -> None:
    mark = MARKS[lang]
    outcome = await core.incidents.update_facts(drill.reference, {"persons": 5000}, COMMANDER)
    notice = changes_notice(
        outcome.incident, outcome.changes, core.playbooks.get(drill.playbook_id), "UCOMMANDER", lang
    )
    assert notice is not None and text(notice).startswith(mark)
    assert text(problems_notice([plain("x")], lang, drill)).startswith(mark)
    assert not text(problems_notice([plain("x")], lang, real)).startswith(mark)
    assert not text(problems_notice([plain("x")], lang)).startswith(mark)
    assert text(receipt(drill, "CDRILL", "leak-drill", lang)).startswith(mark)
    assert text(receipt(drill, None, "", lang)).startswith(mark)
    assert not text(receipt(real, "CREAL", "leak-real", lang)).startswith(mark)
    home = home_view([drill, real], clock.now(), lang)
    status = {e.reference: e.status for e in home.entries}
    assert status[drill.reference].startswith(mark) and not status[real.reference].startswith(mark)
