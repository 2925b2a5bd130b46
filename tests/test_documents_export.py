"""`leakbot incidents export REF -o DIR [--lang en]` over a stored incident: every draft as .md and .docx plus
deadlines.ics, every .docx opens; without an org config the company is a 【要記入】 placeholder."""

from __future__ import annotations

import asyncio

import docx
import pytest

from bot.bootstrap import build_core
from bot.config.settings import CoreSettings
from bot.documents import FILE_NAMES
from bot.documents.regime_drafts import REGIME_FILE_NAMES
from bot.domain.facts import Facts
from bot.services.incidents import ReportRequest
from tests.test_cli_store import run
from tests.test_inert_text import EVIL, assert_inert


@pytest.fixture
def no_org_config(monkeypatch):
    for name in ("LEAKBOT_CONFIG", "LEAKBOT_CONFIG_YAML", "LEAKBOT_PLAYBOOKS_DIR"):
        monkeypatch.delenv(name, raising=False)


def seeded(database: str, org, clock, summary: str = "顧客リストを誤送信") -> str:
    async def seed() -> str:
        core = build_core(CoreSettings(DATABASE_URL=database), clock=clock, org=org)
        try:
            outcome = await core.incidents.report(
                ReportRequest(
                    platform="slack",
                    reporter_id="UREPORTER",
                    reporter_lang="ja",
                    aware_at=clock.now(),
                    facts=Facts(summary=summary, persons=1500, cause="misdelivery"),
                )
            )
            return outcome.incident.reference
        finally:
            await core.close()

    return asyncio.run(seed())


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_export_writes_the_bundle(
    clean_database, org, clock, monkeypatch, no_org_config, capsys, tmp_path, lang
):
    reference = seeded(clean_database, org, clock)
    monkeypatch.setenv("DATABASE_URL", clean_database)
    out_dir = tmp_path / "bundle"
    argv = ["incidents", "export", reference, "-o", str(out_dir)] + (["--lang", "en"] if lang == "en" else [])
    code, out, err = run(argv, capsys)
    assert code == 0, err
    # the data is our own: no notice to a controller; its people are in Japan: no other law's drafts
    own = [n for n in FILE_NAMES if n not in ("controller-notice", *REGIME_FILE_NAMES)]
    expected = {f"{n}.{ext}" for n in own for ext in ("md", "docx")} | {"deadlines.ics"}
    assert {p.name for p in out_dir.iterdir()} == expected
    assert str(len(expected)) in out
    for path in out_dir.glob("*.docx"):
        opened = docx.Document(str(path))
        assert opened.paragraphs, path.name
    report = (out_dir / "ppc-report.md").read_text(encoding="utf-8")
    assert "顧客リストを誤送信" in report and "1,500" in report
    assert ("【要記入：事業者名】" if lang == "ja" else "[TO FILL IN: company name]") in report.replace(
        "\\", ""
    )
    assert b"BEGIN:VCALENDAR" in (out_dir / "deadlines.ics").read_bytes()


def test_export_of_an_unknown_incident_is_one_line(
    clean_database, monkeypatch, no_org_config, capsys, tmp_path
):
    monkeypatch.setenv("DATABASE_URL", clean_database)
    code, _, err = run(["incidents", "export", "LEAK-2026-9999", "-o", str(tmp_path / "x")], capsys)
    assert code == 1 and "no incident LEAK-2026-9999" in err
    assert not (tmp_path / "x").exists()


def test_a_drill_export_holds_its_after_action_report(
    clean_database, org, clock, monkeypatch, no_org_config, capsys, tmp_path
):
    from datetime import timedelta

    from bot.services.ports import OPERATOR

    async def seed() -> str:
        core = build_core(CoreSettings(DATABASE_URL=clean_database), clock=clock, org=org)
        try:
            outcome = await core.incidents.start_drill("misdelivery", OPERATOR, "ja")
            clock.advance(timedelta(minutes=5))  # 60 drill hours at 720×
            await core.incidents.close(outcome.incident.reference, OPERATOR)
            return outcome.incident.reference
        finally:
            await core.close()

    reference = asyncio.run(seed())
    monkeypatch.setenv("DATABASE_URL", clean_database)
    out_dir = tmp_path / "drill"
    code, _, err = run(["incidents", "export", reference, "-o", str(out_dir)], capsys)
    assert code == 0, err
    report = (out_dir / "after-action.md").read_text(encoding="utf-8")
    assert "事後レビュー" in report and reference in report and "訓練" in report
    assert docx.Document(str(out_dir / "after-action.docx")).paragraphs


@pytest.mark.parametrize(
    ("output", "says"),
    [
        ("", "-o names no directory"),
        ("/dev/null", "/dev/null is not a directory"),
        ("{tmp}/a-file", "a-file is not a directory"),
        ("{tmp}/a-file/sub", "a-file is not a directory"),
    ],
)
def test_export_refuses_an_output_that_is_not_a_directory_and_writes_nothing(
    clean_database, org, clock, monkeypatch, no_org_config, capsys, tmp_path, output, says
):
    reference = seeded(clean_database, org, clock)
    monkeypatch.setenv("DATABASE_URL", clean_database)
    work = tmp_path / "cwd"
    work.mkdir()
    (tmp_path / "a-file").write_text("keep me")
    monkeypatch.chdir(work)
    code, out, err = run(["incidents", "export", reference, "-o", output.format(tmp=tmp_path)], capsys)
    assert code != 0 and not out
    assert len(err.strip().splitlines()) == 1 and says in err, err
    assert list(work.iterdir()) == [], "nothing written into the current directory"
    assert (tmp_path / "a-file").read_text() == "keep me"


def test_an_address_or_a_bidi_control_in_a_fact_neither_links_nor_hides_in_the_md_or_the_docx(
    clean_database, org, clock, monkeypatch, no_org_config, capsys, tmp_path
):
    reference = seeded(clean_database, org, clock, summary=EVIL)
    monkeypatch.setenv("DATABASE_URL", clean_database)
    code, _, err = run(["incidents", "export", reference, "-o", str(tmp_path)], capsys)
    assert code == 0, err
    assert_inert((tmp_path / "ppc-report.md").read_text(encoding="utf-8"))
    opened = docx.Document(str(tmp_path / "ppc-report.docx"))
    assert_inert("\n".join(p.text for p in opened.paragraphs))
