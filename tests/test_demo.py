"""`leakbot demo` (the README's first command) runs the whole journey and prints a readable transcript; it
leaves nothing behind in the temporary directory (also when interrupted), unless --keep DIR keeps its database
there and says how to read it."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

import adapters.cli.demo
from adapters.cli.main import main
from adapters.fakes.specs import ADAPTIVE_CARD, SLACK_WEB, spec_path

pytestmark = pytest.mark.slow  # CI runs it (LEAKBOT_SLOW_TESTS=1); see tests/conftest.py


@pytest.fixture(autouse=True)
def temporary_directory(tmp_path: Path, monkeypatch):
    """The demo's temporary directory is this test's own, and is left empty."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    yield temporary
    assert list(temporary.iterdir()) == [], "the demo left files in the temporary directory"


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


def test_teams_demo_prints_the_journey(capsys, tmp_path, monkeypatch) -> None:
    """With --keep DIR, the database stays and the demo says how to export its drafts; doing so works."""
    kept = tmp_path / "kept"
    with pytest.raises(SystemExit) as done:
        main(["demo", "--teams", "--keep", str(kept)])
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

    database = (kept / "demo.db").resolve()
    assert database.is_file() and f"kept in {database}" in out
    url = f"sqlite:///{database}"
    assert f"export DATABASE_URL={url}\n" in out
    assert "leakbot incidents export LEAK-2026-0001 -o LEAK-2026-0001-drafts" in out
    monkeypatch.setenv("DATABASE_URL", url)
    for name in ("LEAKBOT_CONFIG", "LEAKBOT_CONFIG_YAML"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(SystemExit) as done:
        main(["incidents", "export", "LEAK-2026-0001", "-o", str(tmp_path / "drafts")])
    assert done.value.code == 0 and (tmp_path / "drafts" / "ppc-report.docx").is_file()

    with pytest.raises(SystemExit) as done:  # a second run does not mix into the kept database
        main(["demo", "--teams", "--keep", str(kept)])
    err = capsys.readouterr().err
    assert done.value.code == 2 and err.count("\n") == 1 and "demo.db exists" in err


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


def test_teams_drill_demo_prints_the_rehearsal(capsys) -> None:
    with pytest.raises(SystemExit) as done:
        main(["demo", "--teams", "--drill"])
    out = capsys.readouterr().out
    assert done.value.code == 0
    for expected in (
        "`leak drill`",
        "private channel drill-",  # its own private channel
        "【訓練】 訓練シナリオ",  # the briefing, marked
        "【訓練】 状況 1",
        "事実が更新されました",  # the facts card
        "1:1 → 渡辺（役員）",  # the executive ping, in drill time
        "【訓練】 事後レビュー",  # the after-action report
        "LEAK- incidents: 0",
    ):
        assert expected in out, expected
    assert "【訓練】" in out.split("1:1 → 渡辺（役員）", 1)[1].splitlines()[1], "the ping says it is a drill"


@pytest.mark.parametrize(("raised", "code"), [(KeyboardInterrupt, 130), (RuntimeError, None)])
def test_an_interrupted_demo_leaves_nothing_behind(raised, code, monkeypatch, capsys) -> None:
    """Ctrl-C (or a failure) in the middle of the journey: the temporary database goes all the same (the
    autouse fixture checks); Ctrl-C is one line, not a traceback."""

    async def interrupted(self) -> None:
        raise raised

    monkeypatch.setattr(adapters.cli.demo.Transcript, "settle", interrupted)
    if code is None:
        with pytest.raises(raised):
            main(["demo"])
        return
    with pytest.raises(SystemExit) as done:
        main(["demo"])
    assert done.value.code == code and capsys.readouterr().err == "leakbot: error: interrupted\n"
