"""The drafts of issue 12 (bot.documents): goldens in both languages from fixed facts, a change of facts changes
the drafts, unknowns stay visible (「調査中」, 【要記入】) and are never invented, the .docx opens and holds every
heading and fact, and user text cannot make Markdown formatting.

Regenerate the goldens after an intended change: ``LEAKBOT_REGEN_GOLDENS=1 uv run pytest tests/test_documents.py``.
"""

from __future__ import annotations

import io
import os
from datetime import UTC, date, datetime, timedelta

import docx
import pytest

from bot.bootstrap import build_core
from bot.config.org import parse_org_config
from bot.config.settings import CoreSettings
from bot.documents import FILE_NAMES, TimelineEvent, bundle, consultation, ppc_report, read_events, timeline
from bot.documents.docx import render_docx
from bot.documents.markdown import escape, render_markdown
from bot.documents.regime_drafts import REGIME_FILE_NAMES
from bot.domain.facts import Facts
from bot.domain.vocabulary import Cause
from bot.playbook.engine import StepStatus
from bot.services.incidents import ReportRequest
from bot.services.ports import OPERATOR
from bot.storage.db import session_factory
from tests.conftest import DATA, ORG_YAML

GOLDEN = DATA / "documents"
REGEN = os.environ.get("LEAKBOT_REGEN_GOLDENS") == "1"
ON = date(2026, 12, 3)

ORG_WITH_DOCUMENTS = (
    ORG_YAML
    + """
documents:
  representative: 代表取締役社長 山田太郎
  contact_desk: {name: 個人情報お問い合わせ窓口, phone: 0120-000-000, email: privacy@example.co.jp}
"""
)

FACTS = Facts(
    summary="会員管理サーバーに外部から不正アクセスがあり、会員情報が閲覧されたおそれがある",
    occurred_at=datetime(2026, 11, 28, 14, 30, tzinfo=UTC),
    cause="unauthorized_access",
    data_items=("name", "email", "postal_address", "phone", "card", "credentials"),
    persons=1200,
    persons_upper_bound=1500,
    discovered_how="監視システムのアラートで情報システム部が発見",
    not_affected="銀行口座情報は対象外",
    measures_taken="該当サーバーをネットワークから遮断し、全会員のパスワードをリセット",
)


async def seed(
    database_url: str, clock, facts: Facts = FACTS, org_yaml: str = ORG_WITH_DOCUMENTS, file: bool = True
):
    """A stored incident: reported, first report done, the 速報 filed, then the count rises a day later."""
    org = parse_org_config(org_yaml, "org.yaml")
    core = build_core(CoreSettings(DATABASE_URL=database_url), clock=clock, org=org)
    outcome = await core.incidents.report(
        ReportRequest(
            platform="slack", reporter_id="UREPORTER", reporter_lang="ja", aware_at=clock.now(), facts=facts
        )
    )
    ref = outcome.incident.reference
    await core.incidents.set_step(ref, "report_to_superior", StepStatus.DONE, OPERATOR)
    if file:
        await core.incidents.mark_filed(ref, "preliminary", OPERATOR)
        clock.advance(timedelta(days=1))
        await core.incidents.update_facts(ref, {"persons": 1300}, OPERATOR)
    return core, ref


async def drafts(core, ref: str, lang: str):
    view = await core.incidents.get(ref, OPERATOR)
    async with session_factory(core.engine)() as session:
        events = await read_events(session, ref)
    return view, events, bundle(view, core.org, lang, events=events, on=ON)


@pytest.mark.parametrize("lang", ["ja", "en"])
async def test_goldens(clean_database, clock, lang) -> None:
    core, ref = await seed(clean_database, clock)
    try:
        _, _, files = await drafts(core, ref, lang)
    finally:
        await core.close()
    # no controller-notice (the data is our own), no other law's drafts (its people are in Japan)
    assert tuple(files) == tuple(n for n in FILE_NAMES[1:] if n not in REGIME_FILE_NAMES)
    for name, documents in files.items():
        path = GOLDEN / lang / f"{name}.md"
        text = render_markdown(documents)
        if REGEN:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        assert text == path.read_text(encoding="utf-8"), f"{path} differs (LEAKBOT_REGEN_GOLDENS=1 to update)"


async def test_the_ppc_report_has_the_nine_items_in_order_and_the_header(clean_database, clock) -> None:
    core, ref = await seed(clean_database, clock)
    try:
        _, _, files = await drafts(core, ref, "ja")
    finally:
        await core.close()
    preliminary, final = files["ppc-report"]
    items = [  # the rule's own words (規則8条1項); 3号 applies, so 2 and 3 include the information being acquired
        "1. 概要",
        "2. 漏えい等が発生し、又は発生したおそれがある個人データ（規則7条3号に定める事態については、同号に規定する"
        "個人情報を含む。）の項目",
        "3. 漏えい等が発生し、又は発生したおそれがある個人データ（規則7条3号に規定する個人情報を含む。）に係る本人の数",
        "4. 原因",
        "5. 二次被害又はそのおそれの有無及びその内容",
        "6. 本人への対応の実施状況",
        "7. 公表の実施状況",
        "8. 再発防止のための措置",
        "9. その他参考となる事項",
    ]
    assert [h for h in preliminary.headings if h[0].isdigit()] == items
    assert [h for h in final.headings if h[0].isdigit()] == items
    header = preliminary.sections[0].text
    assert "テスト株式会社" in header and "個人情報保護委員会" in header and "速報" in header
    assert "報告義務あり（個人情報保護法26条1項、同法施行規則7条・8条）" in header
    assert "含まれていない" in header  # My Number
    overview = preliminary.section(items[0]).text  # 規則7条各号該当性 is part of the 概要 (GL 3-5-3-3)
    assert "規則7条2号" in overview and "規則7条3号" in overview and "規則7条4号" in overview
    # unknowns: visible and listed, never invented
    assert preliminary.section(items[4]).text == "調査中"
    assert preliminary.section(items[7]).text.endswith("今後実施予定の措置:\n調査中")
    assert set(preliminary.missing) == {"発見者", "二次被害の有無", "再発防止策"}
    # the 確報 says what changed after the 速報 was filed (from the audit trail)
    changes = final.section("速報からの変更点").text
    assert "本人の数" in changes
    assert "速報からの変更点" not in preliminary.headings


async def test_a_change_of_facts_changes_the_drafts(clean_database, clock) -> None:
    core, ref = await seed(clean_database, clock)
    try:
        _, _, before = await drafts(core, ref, "ja")
        await core.incidents.update_facts(ref, {"persons": 5000, "persons_upper_bound": None}, OPERATOR)
        _, _, higher = await drafts(core, ref, "ja")
        await core.incidents.update_facts(ref, {"cause": "misdelivery"}, OPERATOR)
        _, _, misdelivered = await drafts(core, ref, "ja")
    finally:
        await core.close()
    assert "1,300人（最大1,500人の可能性）" in before["ppc-report"][0].text
    assert "5,000人" in higher["ppc-report"][0].text and "1,300人" not in higher["ppc-report"][0].text
    assert "5,000人" in higher["announcement"][0].text
    assert "誤送信" in misdelivered["ppc-report"][0].section("4. 原因").text
    assert "誤送信" in misdelivered["notice"][0].text
    assert "警察" in before["consultation"][0].text and "IPA" in before["consultation"][0].text
    assert "警察への相談" not in misdelivered["consultation"][0].text
    assert render_markdown(before["ppc-report"]) != render_markdown(higher["ppc-report"])


async def test_nothing_known_is_all_under_investigation_and_nothing_invented(clean_database, clock) -> None:
    core, ref = await seed(clean_database, clock, facts=Facts(), org_yaml=ORG_YAML, file=False)
    try:
        _, _, files = await drafts(core, ref, "ja")
    finally:
        await core.close()
    report = files["ppc-report"][0]
    for item in (
        "事案の概要",
        "発生日時",
        "発覚の経緯",
        "漏えい等した情報の項目",
        "原因",
        "二次被害の有無",
    ):
        assert item in report.missing
    assert report.section("4. 原因").text == "調査中"
    # the org config has no documents: section: placeholders, never an invented phone number
    notice = files["notice"][0]
    assert (
        "【要記入：窓口の電話番号】" in notice.text and "代表者" not in notice.text
    )  # no person in a public text
    assert "【要記入：代表者名】" in report.text
    assert "窓口の電話番号" in notice.to_fill
    assert "調査中" in notice.section("5. お客様へのお願い").text  # no advice without the data items
    cons = files["consultation"][0]
    assert "原因の判明後" in cons.text and "原因" in cons.missing


async def test_the_final_report_compares_with_the_facts_as_filed(clean_database, clock) -> None:
    core, ref = await seed(clean_database, clock)
    try:
        view = await core.incidents.get(ref, OPERATOR)
    finally:
        await core.close()
    filed = FACTS.model_copy(update={"persons": 1000, "cause": Cause.UNKNOWN})
    final = ppc_report(view, core.org, "ja", kind="final", since=filed)
    changes = final.section("速報からの変更点").text
    assert "1,000 → 1,300" in changes and "調査中 → 不正アクセス（マルウェアによるものを含む）" in changes
    unchanged = ppc_report(view, core.org, "en", kind="final", since=view.facts)
    assert unchanged.section("Changes since the preliminary report").text == "No changes"


async def test_the_timeline_lists_who_did_what_and_when(clean_database, clock) -> None:
    core, ref = await seed(clean_database, clock)
    try:
        view = await core.incidents.get(ref, OPERATOR)
    finally:
        await core.close()
    extra = TimelineEvent(datetime(2026, 12, 5, 0, 0, tzinfo=UTC), "slack:ULEGAL", "closed")
    doc = timeline(view, core.org, "ja", events=[extra])
    lines = doc.sections[0].text.splitlines()
    assert lines[0].startswith("2026年11月28日 23:30") and "事案の発生" in lines[0]
    # by role (or name), never by platform id: ULEGAL is legal in the org config
    assert lines[-1] == "2026年12月5日 09:00　法務・個人情報保護管理者（担当者）　クローズ"
    assert not any("slack:" in line or "UREPORTER" in line for line in lines)


async def test_the_docx_opens_and_holds_every_heading_and_the_facts(clean_database, clock) -> None:
    core, ref = await seed(clean_database, clock)
    try:
        _, _, files = await drafts(core, ref, "ja")
    finally:
        await core.close()
    for name, documents in files.items():
        opened = docx.Document(io.BytesIO(render_docx(documents)))
        text = "\n".join(p.text for p in opened.paragraphs)
        headings = {p.text for p in opened.paragraphs if p.style.name.startswith(("Heading", "Title"))}
        for document in documents:
            assert document.title in headings, name
            assert set(document.headings) <= headings, name
    report = docx.Document(io.BytesIO(render_docx(files["ppc-report"])))
    text = "\n".join(p.text for p in report.paragraphs)
    for fact in (
        FACTS.summary,
        FACTS.discovered_how,
        "1,300人（最大1,500人の可能性）",
        "クレジットカード番号",
    ):
        assert fact in text


HOSTILE = "*x* [a](b) # h <script>alert(1)</script> `code` _u_ ~~s~~ ![i](j)\n- item\n1. one\n# heading"


def test_markdown_escapes_user_text() -> None:
    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark").render(escape(HOSTILE))
    for tag in ("<em>", "<strong>", "<a ", "<h1>", "<code>", "<script>", "<img", "<ul>", "<ol>", "<li>"):
        assert tag not in html, tag
    assert "*x* [a](b) # h" in html and "&lt;script&gt;" in html


async def test_a_hostile_fact_stays_text_in_every_draft(clean_database, clock) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    facts = FACTS.model_copy(update={"summary": HOSTILE, "not_affected": "[click](http://evil.example)"})
    core, ref = await seed(clean_database, clock, facts=facts)
    try:
        _, _, files = await drafts(core, ref, "en")
    finally:
        await core.close()
    for documents in files.values():
        html = markdown_it.MarkdownIt("commonmark").render(render_markdown(documents))
        assert "<a " not in html and "<em>" not in html and "<script>" not in html and "<code>" not in html
    opened = docx.Document(io.BytesIO(render_docx(files["announcement"])))
    assert any("[click](hxxp://evil[.]example)" in p.text for p in opened.paragraphs), "text, link defanged"


async def test_a_delegated_sector_files_with_its_ministry_and_gets_no_second_memo(
    clean_database, clock
) -> None:
    """Banking: the 金融庁 receives the leak report itself, so no 「業種別の監督官庁への報告」 step and no memo."""
    org_yaml = ORG_WITH_DOCUMENTS.replace("sector: general", "sector: banking")
    core, ref = await seed(clean_database, clock, org_yaml=org_yaml)
    try:
        view = await core.incidents.get(ref, OPERATOR)
    finally:
        await core.close()
    doc = consultation(view, core.org, "ja")
    assert not any("金融庁" in h for h in doc.headings)
    assert "金融庁（財務局）" in ppc_report(view, core.org, "ja").title
    assert "report_to_sector_regulator" not in {s.step.id for s in view.steps}
    assert "業種別の監督官庁" not in ppc_report(view, core.org, "ja").text


async def test_a_sector_regulator_of_its_own_gets_its_step_and_memo(clean_database, clock) -> None:
    org_yaml = ORG_WITH_DOCUMENTS.replace("sector: general", "sector: general, sector_regulator: mhlw")
    core, ref = await seed(clean_database, clock, org_yaml=org_yaml)
    try:
        view = await core.incidents.get(ref, OPERATOR)
    finally:
        await core.close()
    assert "厚生労働省への報告メモ" in consultation(view, core.org, "ja").headings
    assert "report_to_sector_regulator" in {s.step.id for s in view.steps}
    assert "業種別の監督官庁への報告" in ppc_report(view, core.org, "ja").text
