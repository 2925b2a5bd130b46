"""Issue 21, encryption at rest: after a whole Slack journey (the report, the facts in the team's words, a
rewritten section, the 速報 filed, a correction with a reason) neither the SQLite file (with its WAL) nor a
PostgreSQL dump holds any of what people wrote; leakbot itself still reads it all back."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from adapters.fakes.slack_harness import modal_state
from bot.services.ports import OPERATOR
from tests.test_slack_drafts_e2e import canvas_of, edit_facts
from tests.test_slack_e2e import opened
from tests.test_slack_filed_e2e import open_modal, status_form, submit_status

REF = "LEAK-2026-0001"
SUMMARY = "経理部の山田花子が顧客名簿を取引先あてのメールに添付して送った"
DETAIL = "宛先の自動補完で取引先の担当者が選ばれた"
SECTION = "二次被害の報告は現時点で寄せられておりません（山田花子）。"
REASON = "発見は十一月十日の朝、山田花子からの連絡だった"


async def journey(app) -> None:
    channel = await opened(app, text=SUMMARY, persons="1500")
    canvas = await canvas_of(app, channel.id)
    await edit_facts(app, channel.id, persons="1500", cause_detail=DETAIL)
    picker = await open_modal(app, "UPR", channel.id, "edit", "leak_edit_pick")
    _, body = await app.driver.submit_view(
        "UPR", picker, modal_state({"section": "announcement|doc.ann.secondary"})
    )
    text_area = json.loads(body)["view"]
    code, _ = await app.driver.submit_view("UPR", {**text_area, "id": "V1"}, modal_state({"text": SECTION}))
    assert code == 200
    await app.eventually(lambda: SECTION in canvas["markdown"] and DETAIL in canvas["markdown"])
    answer = await submit_status(
        app, "ULEGAL", await status_form(app, "ULEGAL", channel.id), "ppc-preliminary", "filed"
    )
    assert "errors" not in answer
    await app.eventually(lambda: "以下は提出済みにした時点の文面のまま固定" in canvas["markdown"])
    summary = app.slack.latest(channel.id, "個人データ漏えい対応")
    await app.driver.click("ULEGAL", summary, channel.id, "summary:correct")
    form = await app.eventually(
        lambda: app.slack.opened_views[-1]["callback_id"] != "leak_documents" and app.slack.opened_views[-1]
    )
    values = {
        "discovered_on": "2026-11-10",
        "discovered_time": "09:30",
        "confirmed": "yes",
        "summary": SUMMARY,
    }
    code, body = await app.driver.submit_view("ULEGAL", form, modal_state(values | {"reason": REASON}))
    assert code == 200 and body == ""
    await app.core.settle()


def needles() -> list[bytes]:
    """Each text as UTF-8, and as JSON writes it with ASCII escapes."""
    texts = [SUMMARY, DETAIL, SECTION, REASON, "山田花子"]
    return [t.encode() for t in texts] + [json.dumps(t).strip('"').encode() for t in texts]


async def read_back(app) -> None:
    """leakbot reads it all back: the facts, the filed copy, the edit, the reason (in the timeline)."""
    view = await app.core.incidents.get(REF, OPERATOR)
    assert view.facts.summary == SUMMARY and view.facts.cause_detail == DETAIL
    report = await app.core.incidents.verify_audit(REF)
    assert report.ok, report.problem
    _, trail = await app.core.incidents.trail(REF, OPERATOR)
    assert REASON in [e.details.get("reason") for e in trail if e.action == "report_corrected"]


def dump(database_url: str) -> bytes:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        folder = Path(url.database).parent
        files = sorted(folder.glob(Path(url.database).name + "*"))  # the file, its -wal and -shm
        assert files
        return b"".join(f.read_bytes() for f in files)
    assert shutil.which("pg_dump"), "pg_dump is needed for the PostgreSQL half of this test"
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return subprocess.run(["pg_dump", plain], capture_output=True, check=True, timeout=120).stdout


async def test_a_journey_leaves_none_of_what_people_wrote_in_the_database(app, clean_database) -> None:
    await journey(app)
    await read_back(app)
    stored = dump(clean_database)
    assert b"LEAK-2026-0001" in stored, "the dump is of the journey's database"
    found = [n.decode() for n in needles() if n in stored]
    assert found == [], f"plaintext in the database: {found}"
