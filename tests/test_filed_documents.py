"""Filed stays as filed (issue 18): a document marked filed / sent / published is frozen as it was, exported
as it was (byte for byte), stamped with who and when; the 確報 counts its changes from the 速報 as filed; a
person's section edit survives a facts change and is flagged when the facts under it changed; a document's
status cannot go back through a replayed or stale submission, and only its owner (or the commander) takes a
final status back, with a reason. Over the core and `leakbot incidents export`."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import timedelta

import pytest

from bot.bootstrap import build_core
from bot.config.settings import CoreSettings
from bot.domain.facts import Facts
from bot.services.errors import ServiceError
from bot.services.incidents import ReportRequest
from bot.services.ports import OPERATOR, Actor
from tests.test_cli_store import run
from tests.test_incident_service import Directory

LEGAL, SUPPORT, PR = Actor("slack", "ULEGAL"), Actor("slack", "USUPPORT"), Actor("slack", "UPR")
COMMANDER, IT = Actor("slack", "UCOMMANDER"), Actor("slack", "UIT")
RULE = "\n---\n\n"


async def opened(core, clock, **facts) -> str:
    request = ReportRequest(
        "slack",
        "UREPORTER",
        "ja",
        clock.now(),
        Facts(summary="顧客リストを誤送信", cause="misdelivery", **facts),
    )
    outcome = await core.incidents.report(request)
    await core.incidents.resolve_team(outcome.incident.reference, Directory())
    return outcome.incident.reference


def export(reference: str, directory, capsys) -> str:
    code, _, err = run(["incidents", "export", reference, "-o", str(directory)], capsys)
    assert code == 0, err
    return (directory / "ppc-report.md").read_text(encoding="utf-8")


def test_the_filed_preliminary_stays_as_filed_and_the_final_lists_old_to_new(
    clean_database, org, clock, monkeypatch, capsys, tmp_path
):
    async def file_it() -> str:
        core = build_core(CoreSettings(DATABASE_URL=clean_database), clock=clock, org=org)
        try:
            ref = await opened(core, clock, persons=1500)
            await core.incidents.set_document_status(ref, "ppc-preliminary", "filed", LEGAL)
            return ref
        finally:
            await core.close()

    async def more_people(ref: str) -> list:
        core = build_core(CoreSettings(DATABASE_URL=clean_database), clock=clock, org=org)
        try:
            clock.advance(timedelta(days=2))
            await core.incidents.update_facts(ref, {"persons": 2300}, LEGAL)
            _, trail = await core.incidents.trail(ref, OPERATOR)
            return trail
        finally:
            await core.close()

    for name in ("LEAKBOT_CONFIG", "LEAKBOT_CONFIG_YAML", "LEAKBOT_PLAYBOOKS_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", clean_database)
    ref = asyncio.run(file_it())
    first = export(ref, tmp_path / "a", capsys)
    preliminary = first.split(RULE)[0]
    assert "提出済み" in preliminary and "ULEGAL" in preliminary, "stamped: filed, by whom"
    assert "1,500" in preliminary

    trail = asyncio.run(more_people(ref))
    second = export(ref, tmp_path / "b", capsys)
    assert second.split(RULE)[0] == preliminary, "the filed 速報 is exported byte for byte as it was"
    final = second.split(RULE)[1]
    assert "1,500 → 2,300" in final, "old → new since the 速報 as filed"
    frozen = next(e for e in trail if e.action == "document_frozen")
    assert frozen.details["document"] == "ppc-preliminary"
    body = preliminary.split("\n\n", 1)[1]
    assert hashlib.sha256(body.encode("utf-8")).hexdigest() == frozen.details["sha256"]


async def test_a_section_edit_survives_a_facts_change_and_is_flagged_when_its_facts_changed(core, clock):
    ref = await opened(core, clock, persons=1500)
    incidents = core.incidents
    mine = "このたびは、お客様の個人情報を含むリストを誤って送付いたしました。心よりお詫び申し上げます。"
    await incidents.edit_section(ref, "announcement", "doc.ann.secondary", mine, PR, by_name="広報 花子")
    await incidents.edit_section(ref, "notice_letter", "doc.notice.items", "氏名と住所", SUPPORT, "サポート")
    clock.advance(timedelta(hours=3))
    await incidents.update_facts(ref, {"secondary_damage": "二次被害の報告はありません"}, LEGAL)
    papers = await incidents.papers(ref, OPERATOR)
    from bot.documents.current import current
    from bot.documents.markdown import render_markdown

    drafts = current(papers.incident, core.org, "ja", edits=papers.edits, filed=papers.filed)
    announcement = render_markdown(drafts["announcement"])
    assert mine in announcement, "the person's words are not replaced by the facts change"
    assert "二次被害の報告はありません" not in announcement
    assert "広報 花子 が 2026年12月01日 10:00 に書き換えた後で" in announcement, "flagged, by whom and when"
    letter = render_markdown(drafts["notice"][0])
    assert "氏名と住所" in letter and "書き換えた後で" not in letter, "no flag where the facts did not change"
    _, trail = await incidents.trail(ref, OPERATOR)
    edited = [e for e in trail if e.action == "document_edited"]
    assert [(e.actor, e.details["document"]) for e in edited] == [
        ("slack:UPR", "announcement"),
        ("slack:USUPPORT", "notice_letter"),
    ]


async def test_only_the_team_edits_and_a_too_long_text_is_refused(core, clock):
    ref = await opened(core, clock, persons=1500)
    with pytest.raises(ServiceError) as outsider:
        await core.incidents.edit_section(
            ref, "announcement", "doc.ann.secondary", "x", Actor("slack", "UOUT")
        )
    assert outsider.value.code == "not_a_member"
    with pytest.raises(ServiceError) as long:
        await core.incidents.edit_section(ref, "announcement", "doc.ann.secondary", "あ" * 3001, PR)
    assert long.value.code == "too_long"
    _, trail = await core.incidents.trail(ref, OPERATOR)
    assert [e.details["code"] for e in trail if e.action == "refused"] == ["not_a_member", "too_long"]
    assert not any(e.action == "document_edited" for e in trail)


async def test_a_replayed_or_stale_status_submission_changes_nothing(core, clock):
    ref = await opened(core, clock, persons=1500)
    incidents = core.incidents
    t1 = clock.now()
    t2 = t1 + timedelta(minutes=5)
    await incidents.set_document_status(ref, "notice", "sent", SUPPORT, acted_at=t1)
    await incidents.set_document_status(ref, "notice", "reviewed", SUPPORT, reason="宛先の誤り", acted_at=t2)
    for replayed_at in (t1, t2 - timedelta(seconds=1)):
        with pytest.raises(ServiceError) as stale:
            await incidents.set_document_status(ref, "notice", "sent", SUPPORT, acted_at=replayed_at)
        assert stale.value.code == "stale_action"
    await incidents.set_document_status(ref, "notice", "reviewed", SUPPORT, reason="宛先の誤り", acted_at=t2)
    view = await incidents.get(ref, OPERATOR)
    assert view.document_states["notice"]["status"] == "reviewed"
    _, trail = await incidents.trail(ref, OPERATOR)
    assert [e.details["to"] for e in trail if e.action == "document_status"] == ["sent", "reviewed"]


async def test_taking_back_a_final_status_is_the_owners_with_a_reason_and_unfreezes(core, clock):
    ref = await opened(core, clock, persons=1500)
    incidents = core.incidents
    await incidents.set_document_status(ref, "announcement", "published", PR)
    with pytest.raises(ServiceError) as not_owner:
        await incidents.set_document_status(ref, "announcement", "draft", IT, reason="誤り")
    assert not_owner.value.code == "document_owner_only"
    with pytest.raises(ServiceError) as no_reason:
        await incidents.set_document_status(ref, "announcement", "draft", PR)
    assert no_reason.value.code == "takeback_reason_required"
    with pytest.raises(ServiceError) as edit_filed:
        await incidents.edit_section(ref, "announcement", "doc.ann.secondary", "x", PR)
    assert edit_filed.value.code == "document_final", "a published text is not rewritten"
    papers = await incidents.papers(ref, OPERATOR)
    assert set(papers.filed) == {"announcement"}
    await incidents.set_document_status(ref, "announcement", "draft", COMMANDER, reason="公表文を差し替える")
    papers = await incidents.papers(ref, OPERATOR)
    assert papers.filed == {}, "taken back: the live draft again"
    _, trail = await incidents.trail(ref, OPERATOR)
    unfrozen = next(e for e in trail if e.action == "document_unfrozen")
    assert unfrozen.details["reason"] == "公表文を差し替える"
    assert sum(e.action == "refused" for e in trail) == 3


async def test_taking_back_the_filed_preliminary_reopens_its_deadline(core, clock):
    ref = await opened(core, clock, persons=1500)
    incidents = core.incidents
    await incidents.set_document_status(ref, "ppc-preliminary", "filed", LEGAL)
    assert "ppc-preliminary" in (await incidents.papers(ref, OPERATOR)).filed
    with pytest.raises(ServiceError) as no_reason:
        await incidents.set_document_status(ref, "ppc-preliminary", "reviewed", LEGAL)
    assert no_reason.value.code == "takeback_reason_required"
    await incidents.set_document_status(ref, "ppc-preliminary", "reviewed", LEGAL, reason="添付漏れ")
    view = await incidents.get(ref, OPERATOR)
    assert {d.key: d.status for d in view.deadlines}["preliminary"] == "pending"
    assert (await incidents.papers(ref, OPERATOR)).filed == {}


async def test_the_filing_step_cannot_be_reopened_around_the_reason(core, clock):
    """Reopening the 速報's step from the phase message would take the filing back without a reason."""
    from bot.playbook.engine import StepStatus

    ref = await opened(core, clock, persons=1500)
    await core.incidents.set_document_status(ref, "ppc-preliminary", "filed", LEGAL)
    with pytest.raises(ServiceError) as bare:
        await core.incidents.set_step(ref, "preliminary_report", StepStatus.IN_PROGRESS, LEGAL)
    assert bare.value.code == "filed_step_reopen"
    with pytest.raises(ServiceError) as not_owner:
        await core.incidents.set_step(ref, "preliminary_report", StepStatus.IN_PROGRESS, IT, reason="誤り")
    assert not_owner.value.code == "owner_only"
    assert "ppc-preliminary" in (await core.incidents.papers(ref, OPERATOR)).filed, "still filed"
