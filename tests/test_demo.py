"""`leakbot demo` (the README's first command) runs the whole journey and prints a readable transcript."""

from __future__ import annotations

import pytest

from adapters.cli.main import main
from adapters.fakes.specs import ADAPTIVE_CARD, SLACK_WEB, spec_path


def test_demo_prints_the_journey(capsys) -> None:
    with pytest.raises(SystemExit) as done:
        main(["demo"])
    out = capsys.readouterr().out
    assert done.value.code == 0
    for expected in (
        "/leak",  # the report
        "▌🚨 LEAK-2026-0001 個人データ漏えい対応",  # the summary in the new channel
        "▌📋 初動（フェーズ 1/6）",  # the playbook
        "対応チームのメンバーだけ",  # an outsider refused
        "先に次の手順を終えてください",  # requires
        "報告対象になりました",  # reassessment
        "確報の期限は60日になりました",
        "DM → 渡辺（役員）",  # an executive ping
        "[確認しました] [提出済みにする]",
        "preliminary  ",
        "intact: True",
    ):
        assert expected in out, expected
    spec_found = spec_path(SLACK_WEB) is not None
    assert ("all within Slack's spec: True" if spec_found else "Block Kit checks passed: True") in out
    assert "filed" in out.split("preliminary", 1)[1].splitlines()[0]


def test_teams_demo_prints_the_journey(capsys) -> None:
    with pytest.raises(SystemExit) as done:
        main(["demo", "--teams"])
    out = capsys.readouterr().out
    assert done.value.code == 0
    for expected in (
        "個人データ漏えいの報告",
        "受け付けました: LEAK-2026-0001",
        "response thread",
        "対応チームのメンバーだけ",
        "✅ 上長・責任者への一次報告",
        "1:1 → 渡辺（役員）",
    ):
        assert expected in out, expected
    schema_found = spec_path(ADAPTIVE_CARD) is not None
    assert (
        "every card matched the Adaptive Card 1.5 schema: True" if schema_found else "cards refused: 0"
    ) in out


def test_drill_demo_prints_the_rehearsal(capsys) -> None:
    with pytest.raises(SystemExit) as done:
        main(["demo", "--drill"])
    out = capsys.readouterr().out
    assert done.value.code == 0
    for expected in (
        "/leak drill",
        "#drill-",  # its own channel
        "【訓練】 訓練シナリオ",  # the briefing, marked
        "【訓練】 状況 1",  # two injects, marked
        "【訓練】 状況 2",
        "DM → 渡辺（役員）",  # an executive ping, accelerated and marked as a drill
        "【訓練】 事後レビュー",  # the after-action report
        "LEAK- incidents: 0",
    ):
        assert expected in out, expected
    ping = out.split("DM → 渡辺（役員）", 1)[1].splitlines()[1]
    assert "【訓練】" in ping, "the executive ping says it is a drill"
