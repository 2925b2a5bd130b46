"""Drafts a lawyer would sign (issue 18): for each kind of reporter and each kind of leak, the whole bundle in both
languages against a golden file, and the law's own words asserted where they decide: the right article and rule,
the right threshold, 判定中 never 該当なし, nothing the facts do not say, no person named in a public text.

Regenerate after an intended change: ``LEAKBOT_REGEN_GOLDENS=1 uv run pytest tests/test_documents_law.py``."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest

from bot.bootstrap import build_core
from bot.config.org import parse_org_config
from bot.config.settings import CoreSettings
from bot.documents import bundle, read_events
from bot.documents.markdown import render_markdown
from bot.domain.facts import Facts
from bot.services.incidents import ReportRequest
from bot.services.ports import OPERATOR
from bot.storage.db import session_factory
from tests.conftest import DATA

GOLDEN = DATA / "documents" / "cases"
REGEN = os.environ.get("LEAKBOT_REGEN_GOLDENS") == "1"
ON = date(2026, 12, 3)
PUBLIC = ("notice", "announcement", "enquiry-script")

ORG = """
organization: {{name: {name}, entity: {entity}, sector: {sector}, corporate_number: "1234567890123", address: 東京都千代田区霞が関1-1-1}}
roles:
  commander: [UCOMMANDER]
  legal: [ULEGAL]
  support: [USUPPORT]
  pr: [UPR]
  it: [UIT]
  executives: [UEXEC]
documents:
  representative: 代表者 山田太郎
  service: 会員サービス
  contact_desk: {{name: 個人情報お問い合わせ窓口, phone: 0120-000-000, email: privacy@example.co.jp, hours: 平日9時〜17時}}
  responsible: {{name: 法務部 個人情報保護担当, phone: 03-0000-0000, email: legal@example.co.jp}}
"""


@dataclass(frozen=True)
class Case:
    facts: dict
    entity: str = "business"
    sector: str = "general"
    name: str = "テスト株式会社"
    present: dict[str, tuple[str, ...]] = field(default_factory=dict)  # file → texts that must be there (ja)
    absent: dict[str, tuple[str, ...]] = field(default_factory=dict)  # file ("*": every file) → never there


MISDELIVERY = {
    "summary": "顧客リストを添付したメールを社外の誤った宛先に送信した",
    "cause": "misdelivery",
    "confirmed": True,
    "data_items": ["name", "email"],
    "occurred_at": "2026-11-30T05:00:00+00:00",
}

CASES: dict[str, Case] = {
    "public_body": Case(
        entity="public_body",
        name="サンプル市",
        facts=MISDELIVERY | {"persons": 150},
        present={
            "ppc-report": (
                "報告義務あり（個人情報保護法68条1項、同法施行規則43条・44条）",
                "保有個人情報に係る本人の数が100人を超える（規則43条4号）",
                "2. 漏えい等が発生し、又は発生したおそれがある保有個人情報の項目",
                "規則44条2項",
            ),
            "notice": (
                "本件の対象となった皆様へ",
                "サンプル市が保有する皆様の個人情報",
                "サンプル市を装った",
            ),
        },
        absent={"*": ("規則7条",), "notice": ("お客様", "当社"), "announcement": ("お客様", "当社")},
    ),
    "my_number": Case(
        facts={
            "summary": "従業員の源泉徴収票の控えを誤って別の取引先へ郵送した",
            "cause": "misdelivery",
            "confirmed": True,
            "data_items": ["name", "postal_address", "my_number", "employee"],
            "persons": 150,
        },
        present={
            "ppc-report": (
                "番号法29条の4第1項、特定個人情報の漏えい等に関する報告等に関する規則2条・3条",
                "特定個人情報に係る本人の数が100人を超える（特定個人情報漏えい等報告規則2条4号）",
                "2. 特定個人情報の項目",
                "3. 特定個人情報に係る本人の数",
                "特定個人情報漏えい等報告規則3条2項",
            ),
            "notice": ("市区町村長に個人番号の変更を請求できます（番号法7条2項）",),
        },
        absent={"*": ("規則7条4号", "100人超（規則7条")},
    ),
    "processor": Case(
        facts={
            "summary": "受託している健康診断データを保管するサーバーの設定を誤り、外部から閲覧できる状態だった",
            "cause": "misconfiguration",
            "data_items": ["name", "sensitive"],
            "sensitive_kinds": ["health_check"],
            "persons": 40,
            "acting_for_controller": True,
        },
        present={
            "controller-notice": (
                "委託元への通知",
                "個人情報保護法26条1項ただし書、同法施行規則9条",
                "【要記入：委託元の名称】",
                "要配慮個人情報（健康診断等の検査結果）",
            ),
            "ppc-report": ("（参考・委託元の報告用）",),
            "notice": ("（参考・委託元の報告用）",),
        },
    ),
    "not_reportable": Case(
        facts=MISDELIVERY | {"persons": 12},
        present={
            "ppc-report": (
                "【報告義務なし（任意の報告）】",
                "該当なし（報告義務のある事由は現時点でありません）",
            )
        },
    ),
    "undetermined_headcount": Case(
        facts={k: v for k, v in MISDELIVERY.items() if k != "confirmed"},
        present={
            "ppc-report": ("判定中", "暫定：報告要否を判定中"),
            "notice": ("本人通知の要否は判定中です",),
        },
        absent={"*": ("該当なし",)},
    ),
    "wrongful_purpose": Case(
        facts={
            "summary": "ECサイトの決済画面が改ざんされ、入力されたカード情報が外部へ送信されていたおそれがある",
            "cause": "unauthorized_access",
            "data_items": ["name", "card"],
            "malicious": True,
            "persons": 300,
        },
        present={
            "ppc-report": (
                "2. 漏えい等が発生し、又は発生したおそれがある個人データ（規則7条3号に定める事態については、"
                "同号に規定する個人情報を含む。）の項目",
                "不正の目的をもって行われたおそれがある行為による漏えい等（規則7条3号）",
                "60日目",
            ),
        },
    ),
    "finer_items": Case(
        facts=MISDELIVERY | {"persons": 1200, "data_items": ["email"]},
        present={"notice": ("メールアドレス",)},
        absent={"*": ("住所", "電話番号　", "氏名\n")},
    ),
    "suspected_cause": Case(
        facts=MISDELIVERY
        | {"confirmed": False, "persons": 1500, "cause_detail": "宛先の自動補完で別の取引先が選ばれた"},
        present={
            "ppc-report": ("誤送信・誤送付の疑い（調査中）：宛先の自動補完で別の取引先が選ばれた",),
            "notice": ("誤送信・誤送付の疑い（調査中）",),
        },
        absent={"*": ("不正アクセス",)},
    ),
    "loss": Case(
        facts={
            "summary": "顧客台帳を保存したUSBメモリを電車内で紛失した",
            "cause": "loss",
            "confirmed": True,
            "data_items": ["name", "phone"],
            "persons": 2000,
        },
        present={"consultation": ("遺失届", "遺失した場所")},
        absent={"*": ("盗難", "不正アクセス", "被害届", "ログ")},
    ),
    "names_in_free_text": Case(
        facts=MISDELIVERY
        | {
            "persons": 1100,
            "summary": "営業部の山田さんが顧客リストを誤って社外に送信した",
            "discovered_how": "送信先の佐藤様からの電話（03-1234-5678）で判明",
            "measures_taken": "送信先に削除を依頼し、削除の報告を受けた",
        },
        present={
            "notice": ("公表用の事案の概要（個人名を含めない）", "転記していません"),
            "announcement": ("公表用の発覚の経緯（個人名を含めない）",),
            "ppc-report": ("営業部の山田さん",),  # filed with the regulator, not published
        },
        absent={
            "notice": ("山田", "佐藤", "03-1234"),
            "announcement": ("山田", "佐藤", "03-1234"),
            "enquiry-script": ("山田", "佐藤"),
        },
    ),
    "banking": Case(
        sector="banking",
        facts=MISDELIVERY | {"persons": 1500},
        present={"ppc-report": ("金融庁（財務局）",)},
        absent={"*": ("業種別の監督官庁",)},
    ),
    "all_unknown": Case(
        facts={},
        present={
            "ppc-report": ("判定中",),
            "notice": ("を装った不審なメール", "下記の窓口までご連絡ください", "項目は調査中です"),
            "announcement": ("を装った不審なメール",),
        },
        absent={"*": ("該当なし（報告義務",), "announcement": ("未実施",), "notice": ("未実施",)},
    ),
}


async def _bundle(database_url: str, clock, case: Case, lang: str) -> dict:
    org = parse_org_config(ORG.format(name=case.name, entity=case.entity, sector=case.sector), "org.yaml")
    core = build_core(CoreSettings(DATABASE_URL=database_url), clock=clock, org=org)
    try:
        outcome = await core.incidents.report(
            ReportRequest(
                platform="slack",
                reporter_id="UREPORTER",
                reporter_lang="ja",
                aware_at=datetime(2026, 12, 1, 1, 0, tzinfo=UTC),
                facts=Facts.model_validate(case.facts),
            )
        )
        view = await core.incidents.get(outcome.incident.reference, OPERATOR)
        async with session_factory(core.engine)() as session:
            events = await read_events(session, view.reference)
        return bundle(view, core.org, lang, events=events, on=ON)
    finally:
        await core.close()


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("name", list(CASES))
async def test_golden(clean_database, clock, name: str, lang: str) -> None:
    case = CASES[name]
    files = await _bundle(clean_database, clock, case, lang)
    text = "\n\n".join(f"<!-- {f} -->\n{render_markdown(docs)}" for f, docs in files.items())
    path = GOLDEN / f"{name}.{lang}.md"
    if REGEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{path} differs (LEAKBOT_REGEN_GOLDENS=1 to update)"
    if lang != "ja":
        return
    plain = {f: "\n".join(d.text + "\n" + "\n".join(d.notes()) for d in docs) for f, docs in files.items()}
    for file, texts in case.present.items():
        for wanted in texts:
            assert wanted in plain[file], f"{name}: {file} lacks {wanted!r}"
    for file, texts in case.absent.items():
        for unwanted in texts:
            for where in plain if file == "*" else [file]:
                assert unwanted not in plain[where], f"{name}: {where} says {unwanted!r}"


async def test_every_public_text_says_what_a_person_can_do_even_when_nothing_is_known(clean_database, clock):
    for lang, lines in (
        ("ja", ("を装った不審な", "窓口までご連絡")),
        ("en", ("claiming to be from", "contact the desk")),
    ):
        files = await _bundle(clean_database, clock, CASES["all_unknown"], lang)
        for file in ("notice", "announcement", "enquiry-script"):
            text = "\n".join(d.text for d in files[file])
            assert all(line in text for line in lines), (lang, file)


async def test_no_public_text_names_a_person_in_any_language(clean_database, clock) -> None:
    for lang in ("ja", "en"):
        files = await _bundle(clean_database, clock, CASES["names_in_free_text"], lang)
        for file in PUBLIC:
            text = "\n".join(d.text for d in files[file])
            assert "山田" not in text and "佐藤" not in text and "1234-5678" not in text, (lang, file)
