"""What people read about the law: 「速やかに」 duties are never shown as legal deadlines, an unknown
headcount is "undetermined" (never "not reportable") and keeps being asked for, and the .ics carries its
time zone. Rendered from real incidents stored through the core."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from icalendar import Calendar

from adapters.slack.render import home_blocks, mrkdwn, summary_blocks
from bot.appi.deadlines import JST
from bot.bootstrap import build_core
from bot.config.org import parse_org_config
from bot.config.settings import CoreSettings
from bot.domain.facts import Facts
from bot.i18n.rich import text_of
from bot.presentation import (
    assessment_text,
    next_deadline_text,
    reminder_line,
    step_meta,
)
from bot.reminders.delivery import ReminderItem
from bot.reminders.ics import deadlines_calendar
from bot.services.incidents import ReportRequest
from bot.services.ports import Actor
from bot.views.changes import change_lines
from bot.views.incident import summary_view
from bot.views.notices import home_view
from tests.conftest import ORG_YAML

LEGAL = Actor("slack", "ULEGAL")


class Directory:
    name = "slack"

    async def resolve(self, member: str) -> str | None:
        return member if member.startswith("U") else None


async def report(core, clock, **facts):
    request = ReportRequest(
        "slack", "UREPORTER", "ja", clock.now(), Facts(summary="顧客リスト誤送信", **facts)
    )
    view = (await core.incidents.report(request)).incident
    await core.incidents.resolve_team(view.reference, Directory())
    return view


def summary_text(view, clock, lang: str = "ja") -> str:
    return json.dumps(summary_blocks(summary_view(view, clock.now(), lang)), ensure_ascii=False)


def deadline(view, key: str):
    return next(d for d in view.deadlines if d.key == key)


# --- 1. an unknown headcount is undetermined, and asked for until it is given -------------------------


async def test_an_unknown_headcount_is_undetermined_and_asked_for_until_given(core, clock) -> None:
    view = await report(core, clock)  # nobody knows how many people yet
    text = text_of(assessment_text(view.assessment, "ja"))
    assert "報告要否は判定中" in text and "推計か上限" in text
    assert "報告義務のある事由はありません" not in text, "an unknown count is not 'not reportable'"
    assert "being determined" in text_of(assessment_text(view.assessment, "en")).lower()
    assert "人数不明" in next_deadline_text(view, "ja"), "the digest line says it too"

    outcome = await core.incidents.update_facts(view.reference, {"persons_upper_bound": 300}, LEGAL)
    text = text_of(assessment_text(outcome.incident.assessment, "ja"))
    assert "報告義務のある事由はありません" in text and "推計か上限" not in text
    assert "人数不明" not in next_deadline_text(outcome.incident, "ja")


async def test_a_reportable_incident_with_an_unknown_count_still_asks_for_it(core, clock) -> None:
    view = await report(core, clock, sensitive=True)
    assert view.assessment.reportable
    assert "推計か上限" in text_of(assessment_text(view.assessment, "ja")), "本人の数 is still needed"
    item = ReminderItem(view, deadline(view, "final"), "before", clock.now(), "legal")
    assert "本人の数が未確定" in reminder_line(item, clock.now(), "ja"), "reminders keep asking"


# --- 2 and 3. 速報 and 本人通知 are due 「速やかに」, not on a legal date --------------------------------


async def test_prompt_duties_are_shown_as_promptly_with_a_target(core, clock) -> None:
    view = await report(core, clock, persons=1500)
    ja, en = summary_text(view, clock), summary_text(view, clock, "en")
    assert "速報: 速やかに（目安: 2026年12月5日(土)まで）" in ja
    assert "Preliminary report: promptly (target: Sat 05 Dec 2026)" in en
    assert "2026年12月3日" not in ja, "no window that starts on day 3"
    assert "確報: 2027年1月4日(月) 23:59" in ja, "the 確報 keeps its legal date"
    assert "本人通知: 速やかに（法律上の期日の定めなし）" in ja
    assert "individuals" not in [d.kind for d in view.deadlines], "no date without an internal target"

    steps = {s.step.id: s for s in view.steps}
    assert "法定期限" not in " ".join(step_meta(steps["preliminary_report"], view, clock.now(), "ja"))
    assert "速やかに" in " ".join(step_meta(steps["notify_individuals"], view, clock.now(), "ja"))
    assert "法定期限: 確報" in " ".join(step_meta(steps["final_report"], view, clock.now(), "ja"))

    item = ReminderItem(view, deadline(view, "preliminary"), "before", clock.now(), "legal")
    line = reminder_line(item, clock.now(), "ja")
    assert "速やかに（目安: 2026年12月5日(土)まで）" in line and "目安の日が近づいています" in line
    assert next_deadline_text(view, "ja") == "速報 速やかに（目安: 2026年12月5日(土)まで）"
    home = json.dumps(home_blocks(home_view([view], clock.now(), "ja")), ensure_ascii=False)
    assert "速やかに（目安: 2026年12月5日(土)まで）" in home


async def test_an_internal_target_for_the_notice_is_tracked_and_shown_as_a_target(
    clean_database, clock
) -> None:
    org = parse_org_config(ORG_YAML + "reminders: {individuals_target_days: 7}\n", "org.yaml")
    core = build_core(CoreSettings(DATABASE_URL=clean_database), clock=clock, org=org)
    try:
        view = await report(core, clock, persons=1500)
        notice = deadline(view, "individuals")
        assert notice.due_at == datetime(2026, 12, 7, 23, 59, 59, tzinfo=JST), "day 7, end of day JST"
        assert notice.due_at != deadline(view, "final").due_at, "never the 確報 date"
        assert "本人通知: 速やかに（社内目標: 2026年12月7日(月)まで）" in summary_text(view, clock)
        item = ReminderItem(view, notice, "overdue", clock.now() + timedelta(days=7), "support")
        assert "目安の日を過ぎています" in reminder_line(item, clock.now() + timedelta(days=7), "ja")
    finally:
        await core.close()


async def test_becoming_reportable_says_the_prompt_duties_as_promptly(core, clock) -> None:
    view = await report(core, clock, persons=800)
    outcome = await core.incidents.update_facts(view.reference, {"persons": 1200}, LEGAL)
    playbook = core.playbooks.get(outcome.incident.playbook_id)
    said = "\n".join(mrkdwn(line) for line in change_lines(outcome.changes, outcome.incident, playbook, "ja"))
    assert "速報: *速やかに（目安: 2026年12月5日(土)まで）*" in said
    assert "確報の期限: *2027年1月4日(月) 23:59*" in said
    assert "速報の期限" not in said and "本人通知の期限" not in said, "only the 確報 has a legal date"


# --- 4. the .ics carries the VTIMEZONE its TZIDs refer to --------------------------------------------


async def test_the_calendar_has_the_tokyo_vtimezone_and_tzid_on_every_time(core, clock) -> None:
    view = await report(core, clock, persons=1500)
    data = deadlines_calendar(view, clock.now(), "ja")
    calendar = Calendar.from_ical(data)
    zones = list(calendar.walk("VTIMEZONE"))
    assert [str(z["TZID"]) for z in zones] == ["Asia/Tokyo"]
    events = list(calendar.walk("VEVENT"))
    assert events
    for event in events:
        for name in ("DTSTART", "DTEND"):
            assert event[name].params["TZID"] == "Asia/Tokyo", (event["SUMMARY"], name)
            assert event.decoded(name).utcoffset() == timedelta(hours=9)
    in_event, times = False, []
    for line in data.decode().replace("\r\n ", "").splitlines():  # the raw text, unfolded
        in_event = {"BEGIN:VEVENT": True, "END:VEVENT": False}.get(line, in_event)
        if in_event and line.startswith(("DTSTART", "DTEND")):
            times.append(line)
    assert len(times) == 2 * len(events)
    assert all(line.split(":")[0].endswith(";TZID=Asia/Tokyo") for line in times), times
    prelim = next(e for e in events if "速報" in str(e["SUMMARY"]))
    assert "目安" in str(prelim["SUMMARY"]) and "法定の期限ではありません" in str(prelim["DESCRIPTION"])
