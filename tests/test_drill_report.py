"""Drills, the platform-neutral core (issue 14): the after-action report, in drill time, in both languages."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from bot.appi.deadlines import JST
from bot.documents.docx import render_docx
from bot.documents.markdown import render_markdown
from bot.documents.timeline import TimelineEvent
from bot.domain.facts import DataItem, Facts
from bot.domain.views import AssessmentView, DeadlineView, IncidentView, StepView
from bot.domain.vocabulary import Cause
from bot.drills import (
    DrillClock,
)
from bot.drills.report import INJECT_ACTION, after_action_report, duration_text
from bot.playbook.engine import Progress, StepStatus
from bot.playbook.loader import DEFAULT_PLAYBOOKS_DIR, PlaybookRegistry

T0 = datetime(2025, 4, 1, 9, 0, tzinfo=JST)


def _view() -> IncidentView:
    playbook = PlaybookRegistry.load(DEFAULT_PLAYBOOKS_DIR).get("personal-data-leak")
    steps = {s.id: s for s in playbook.steps}

    def sv(
        step_id: str, status: StepStatus, at: timedelta | None = None, reason: str | None = None
    ) -> StepView:
        return StepView(
            steps[step_id], status, reason, "slack:U1" if at else None, T0 + at if at else None, (), None
        )

    step_views = (
        sv("report_to_superior", StepStatus.DONE, timedelta(minutes=30)),
        sv("stop_using_system", StepStatus.DONE, timedelta(hours=3)),
        sv("request_recipient_deletion", StepStatus.DONE, timedelta(hours=1, minutes=30)),
        sv("assess_reportability", StepStatus.DONE, timedelta(hours=4)),
        sv("preliminary_report", StepStatus.DONE, timedelta(days=2, hours=12)),
        sv("final_report", StepStatus.TODO),
        sv("notify_individuals", StepStatus.IN_PROGRESS, timedelta(days=2)),
        sv("prepare_faq", StepStatus.SKIPPED, timedelta(days=1), "問い合わせは少数の見込み"),
    )
    deadlines = (
        DeadlineView("preliminary", "preliminary", None, T0 + timedelta(days=3), None, "filed"),
        DeadlineView("final", "final", None, T0 + timedelta(days=30), None, "pending"),
        DeadlineView("individuals", "individuals", None, T0 + timedelta(days=3), None, "pending"),
    )
    facts = Facts(summary="誤送信", cause=Cause.MISDELIVERY, persons=1240, data_items=(DataItem.NAME,))
    assessment = AssessmentView(True, ("ground.headcount",), True, 1240, 1000, False, False, 30, "ppc")
    return IncidentView(
        reference="DRILL-2025-0001",
        status="open",
        platform="slack",
        reporter_id="U1",
        reporter_lang="ja",
        aware_at=T0,
        facts=facts,
        assessment=assessment,
        playbook_id="personal-data-leak",
        channel_id="C1",
        channel_name="drill-2025-0001",
        created_at=T0,
        deadlines=deadlines,
        steps=step_views,
        members=(),
        progress=Progress(()),
    )


def _events() -> list[TimelineEvent]:
    def ev(when: timedelta, action: str, **details: object) -> TimelineEvent:
        return TimelineEvent(T0 + when, "slack:U1", action, details)

    return [
        ev(timedelta(0), "reported"),
        ev(timedelta(minutes=30), "step_changed", step="report_to_superior", to="done"),
        ev(timedelta(hours=1, minutes=30), "step_changed", step="request_recipient_deletion", to="done"),
        ev(timedelta(hours=2), INJECT_ACTION, inject=1, at="2h"),
        ev(timedelta(hours=3), "step_changed", step="stop_using_system", to="done"),
        ev(timedelta(hours=3, minutes=30), "facts_changed", fields=["persons"]),
        ev(timedelta(hours=6), INJECT_ACTION, inject=2, at="6h"),
        ev(timedelta(days=1), INJECT_ACTION, inject=3, at="1d"),
        ev(timedelta(days=1, hours=1), "refused", attempt="step", code="not_a_member"),
        ev(timedelta(days=2), "step_changed", step="notify_individuals", to="in_progress"),
        ev(timedelta(days=2, hours=12), "step_changed", step="preliminary_report", to="done"),
    ]


def _report(lang: str, scenarios):
    return after_action_report(
        _view(),
        _events(),
        DrillClock(T0),
        lang,
        scenario=scenarios["misdelivery"],
        ended_at=T0 + timedelta(days=31),
    )


def test_the_report_in_japanese(scenarios) -> None:
    doc = _report("ja", scenarios)
    assert doc.key == "drill_report"
    assert doc.title == "【訓練】 事後レビュー（DRILL-2025-0001）"
    assert doc.headings == (
        "訓練の概要",
        "主要手順までの時間（目標との比較）",
        "スキップした手順と理由",
        "期限（訓練時間）",
        "拒否された操作",
        "注入した状況",
    )
    overview = doc.section("訓練の概要").text
    assert "顧客リスト添付メールの誤送信" in overview
    assert "訓練時間で31日（実時間 1時間2分、720倍速）" in overview
    steps = doc.section("主要手順までの時間（目標との比較）").text
    assert "上長・責任者への一次報告: 発覚から30分（目標: 1時間以内）— 達成" in steps
    assert "封じ込め（" in steps and "発覚から1時間30分（目標: 2時間以内）— 達成" in steps
    # day-counted targets read as their date and day number, never as 「2日23時間59分」
    assert (
        "への速報: 発覚から2日12時間（目標: 2025年4月4日(金)まで（発覚した日を1日目として4日目））— 達成"
        in steps
    )
    assert (
        "本人への通知（開始）: 発覚から2日（目標: 2025年4月4日(金)まで（発覚した日を1日目として4日目））— 達成"
        in steps
    )
    assert "問い合わせは少数の見込み" in doc.section("スキップした手順と理由").text
    deadlines = doc.section("期限（訓練時間）").text
    assert (
        "速報: 発覚から2日12時間に完了（目安: 2025年4月4日(金)まで（発覚した日を1日目として4日目））— 目安内"
        in deadlines
    )
    assert "確報: 未了（期限: 2025年5月1日(木)まで（発覚した日を1日目として31日目））— 期限切れ" in deadlines
    assert (
        "本人通知: 未了（目安: 2025年4月4日(金)まで（発覚した日を1日目として4日目））— 目安切れ" in deadlines
    )
    assert (
        "発覚から1日1時間　利用者（役割の登録なし）: step（not_a_member）"
        in doc.section("拒否された操作").text
    )
    assert "時間59分" not in doc.text and "slack:" not in doc.text
    injects = doc.section("注入した状況").text
    assert "1. 開始から2時間（新たな事実）: 情報システム部からの報告" in injects
    assert "事実の入力まで1時間30分" in injects
    assert "事実は入力されていません" in injects  # inject 2: the data items were never entered
    assert "3. 開始から1日（外部からの電話）" in injects


def test_the_report_in_english(scenarios) -> None:
    doc = _report("en", scenarios)
    assert doc.title == "[DRILL] After-action report (DRILL-2025-0001)"
    assert doc.headings[0] == "The drill" and doc.headings[-1] == "Injects delivered"
    assert "31d of drill time (1h 2m of real time at 720×)" in doc.section("The drill").text
    steps = doc.section("Time to the key steps (against the targets)").text
    assert "First report to superiors: 30m after discovery (target: within 1h) — on target" in steps
    deadlines = doc.section("Deadlines (in drill time)").text
    assert (
        "Preliminary report: done 2d 12h after discovery (target: by Fri 04 Apr 2025 (day 4, the day of discovery being day 1)) — met"
        in deadlines
    )
    assert (
        "Final report: not done (deadline: by Thu 01 May 2025 (day 31, the day of discovery being day 1)) — missed"
        in deadlines
    )
    assert "facts entered 1h 30m later" in doc.section("Injects delivered").text


def test_late_open_and_empty_sections(scenarios) -> None:
    events = [e for e in _events() if e.action not in ("refused", INJECT_ACTION)]
    events = [
        TimelineEvent(T0 + timedelta(hours=2), e.actor, e.action, e.details)
        if e.details.get("step") == "report_to_superior"
        else e
        for e in events
    ]
    view = _view()
    superior = StepView(view.step("report_to_superior").step, StepStatus.DONE, None, None, None, (), None)
    others = tuple(s for s in view.steps if s.step.id != "report_to_superior")
    view = dataclasses.replace(view, steps=(*others, superior))  # the time comes from the trail only
    doc = after_action_report(view, events, DrillClock(T0), "en", ended_at=T0 + timedelta(days=10))
    assert "First report to superiors: 2h after discovery (target: within 1h) — 1h over target" in doc.text
    assert (
        "Final report: not done (deadline: by Thu 01 May 2025 (day 31, the day of discovery being day 1)) — not yet due when the drill ended"
        in doc.text
    )
    assert doc.section("Refused actions").text == "None"
    assert doc.section("Injects delivered").text == "None"
    assert "(no scenario)" in doc.section("The drill").text


def test_the_report_renders_with_the_existing_renderers(scenarios) -> None:
    doc = _report("ja", scenarios)
    markdown = render_markdown(doc)
    assert "【訓練】" in markdown and "期限切れ" in markdown
    assert render_docx(doc)[:2] == b"PK"


def test_durations() -> None:
    assert duration_text(timedelta(days=1, hours=2, minutes=30), "ja") == "1日2時間30分"
    assert duration_text(timedelta(days=1, hours=2, minutes=30), "en") == "1d 2h 30m"
    assert duration_text(timedelta(seconds=20), "en") == "0m"
    assert duration_text(timedelta(hours=-1), "ja") == "0分"
