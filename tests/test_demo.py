"""`leakbot demo` (the README's first command) runs the whole journey and prints a readable transcript."""

from __future__ import annotations

import pytest

from adapters.cli.main import main


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
        "all within Slack's spec: True",
    ):
        assert expected in out, expected
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
        "every card matched the Adaptive Card 1.5 schema: True",
    ):
        assert expected in out, expected
