"""Retention and legal hold (issue 21), over the core on both engines: a closed incident past ``retention.days``
loses its free text and drafts — erased, not hidden — and keeps its skeleton (reference, dates, grounds,
deadlines met, who filed what and when, each filed document's hash) with an audit chain that still verifies;
the commander's legal hold blocks the purge; the daily job runs once across replicas."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from bot.bootstrap import build_core
from bot.config.settings import CoreSettings
from bot.playbook.engine import StepStatus
from bot.services.errors import ServiceError
from bot.services.ports import OPERATOR, SYSTEM
from bot.storage.tables import DocumentEdit, DocumentSnapshot, Incident
from tests.test_filed_documents import COMMANDER, IT, LEGAL, PR, opened

SECRET = "顧客の山田花子様あての封筒に別人の明細を同封"
KEEP = 3 * 365


async def walked_and_closed(core, clock) -> str:
    """An incident with words everywhere: the facts, a skip reason, a section edit, a filed 速報; then closed."""
    ref = await opened(core, clock, persons=1500)
    await core.incidents.update_facts(
        ref, {"summary": SECRET, "cause_detail": "封入作業の確認漏れ", "discovered_by": "総務部"}, LEGAL
    )
    await core.incidents.set_step(
        ref, "request_recipient_deletion", StepStatus.SKIPPED, IT, "受信者が既に削除済み"
    )
    await core.incidents.edit_section(
        ref, "announcement", "doc.ann.secondary", "二次被害は確認されていません", PR
    )
    await core.incidents.set_document_status(ref, "ppc-preliminary", "filed", LEGAL)
    await core.incidents.close(ref, COMMANDER)
    return ref


async def test_a_purge_erases_the_words_keeps_the_skeleton_and_the_chain_verifies(
    core, clock, caplog
) -> None:
    ref = await walked_and_closed(core, clock)
    before = await core.incidents.get(ref, OPERATOR)
    filed = await core.incidents.papers(ref, OPERATOR)
    sha = filed.filed["ppc-preliminary"].sha256

    clock.advance(timedelta(days=KEEP - 1))
    assert await core.incidents.purge(dry_run=True) == [], "not due before retention.days have passed"
    clock.advance(timedelta(days=2))
    [planned] = await core.incidents.purge(dry_run=True)
    assert planned.reference == ref and not planned.held
    assert planned.erased.facts == 3 and planned.erased.step_reasons == 1 and planned.erased.edits == 1
    assert planned.erased.filed_texts == 1 and planned.erased.audit_texts >= 1
    assert (await core.incidents.get(ref, OPERATOR)).facts.summary == SECRET, "a dry run changes nothing"

    [done] = await core.incidents.purge(OPERATOR)
    assert done.erased == planned.erased
    assert "could not be compacted" not in caplog.text, "the WAL truncated (SQLite), the tables vacuumed (PG)"
    after = await core.incidents.get(ref, OPERATOR)
    assert after.purged_at == clock.now() and after.closed_at == before.closed_at
    assert (after.facts.summary, after.facts.cause_detail, after.facts.discovered_by) == ("", "", "")
    assert after.facts.persons == 1500 and after.facts.cause == before.facts.cause
    assert after.assessment.grounds == before.assessment.grounds
    assert [(d.key, d.status, d.due_at) for d in after.deadlines] == [
        (d.key, d.status, d.due_at) for d in before.deadlines
    ]
    assert after.step("request_recipient_deletion").status == StepStatus.SKIPPED
    assert after.step("request_recipient_deletion").reason is None
    assert (await core.incidents.verify_audit(ref)).ok
    _, trail = await core.incidents.trail(ref, OPERATOR)
    assert trail[-1].action == "purged" and trail[-1].actor == str(OPERATOR)
    skipped = next(e for e in trail if e.action == "step_changed" and e.details.get("to") == "skipped")
    assert skipped.details["reason"] is None, "the audit trail's reason is erased, its digest kept"
    frozen = next(e for e in trail if e.action == "document_frozen")
    assert frozen.details["sha256"] == sha, "the hash of the filed document stays"
    async with core.incidents._uow() as uow:
        assert list(await uow.session.scalars(select(DocumentEdit))) == []
        [copy] = list(await uow.session.scalars(select(DocumentSnapshot)))
        assert (copy.markdown, copy.documents, copy.facts, copy.sha256, copy.by) == (
            "",
            [],
            {},
            sha,
            str(LEGAL),
        )
    assert await core.incidents.purge() == [], "purged once"
    with pytest.raises(ServiceError) as refused:
        await core.incidents.reopen(ref, COMMANDER)
    assert refused.value.code == "incident_purged"


async def test_a_legal_hold_blocks_the_purge_until_the_commander_lifts_it(core, clock) -> None:
    ref = await walked_and_closed(core, clock)
    with pytest.raises(ServiceError) as refused:
        await core.incidents.set_legal_hold(ref, IT, True, "訴訟の可能性")
    assert refused.value.code == "commander_only"
    view = await core.incidents.get(ref, OPERATOR)
    assert view.last_refusal.attempt == "legal_hold" and view.last_refusal.actor == str(IT)

    held = await core.incidents.set_legal_hold(ref, COMMANDER, True, "損害賠償請求の通知あり")
    assert held.incident.legal_hold and [c.what for c in held.changes] == ["legal_hold_set"]
    clock.advance(timedelta(days=KEEP + 30))
    [item] = await core.incidents.purge(SYSTEM)
    assert item.held and item.erased.facts == 3
    view = await core.incidents.get(ref, OPERATOR)
    assert view.purged_at is None and view.facts.summary == SECRET, "held: nothing erased"

    await core.incidents.set_legal_hold(ref, COMMANDER, False)
    [item] = await core.incidents.purge(SYSTEM)
    assert not item.held and (await core.incidents.get(ref, OPERATOR)).facts.summary == ""
    _, trail = await core.incidents.trail(ref, OPERATOR)
    actions = [e.action for e in trail]
    assert actions.index("legal_hold_set") < actions.index("legal_hold_released") < actions.index("purged")
    assert (await core.incidents.verify_audit(ref)).ok, "the hold's reason was sealed, then purged"


async def test_the_daily_purge_runs_once_a_day_across_replicas(core, clean_database, clock, org) -> None:
    ref = await walked_and_closed(core, clock)
    clock.advance(timedelta(days=KEEP + 1))
    other = build_core(CoreSettings(DATABASE_URL=clean_database), clock=clock, org=org)
    try:
        assert await core.incidents.run_purge("replica-a") == 1
        assert await other.incidents.run_purge("replica-b") == 0, "the day's run was claimed"
    finally:
        await other.close()
    assert (await core.incidents.get(ref, OPERATOR)).purged_at is not None


async def test_the_erased_text_is_not_left_in_the_sqlite_file(core, clean_database, clock) -> None:
    """Erased, not hidden: SQLite's free pages and write-ahead log no longer hold the old ciphertext."""
    if not clean_database.startswith("sqlite"):
        pytest.skip("a file check: PostgreSQL's dead rows are vacuumed after the purge instead")
    ref = await walked_and_closed(core, clock)
    async with core.incidents._uow() as uow:
        [stored] = (
            await uow.session.execute(text("SELECT facts FROM incidents WHERE reference = :r"), {"r": ref})
        ).one()
    clock.advance(timedelta(days=KEEP + 1))
    await core.incidents.purge()
    path = Path(clean_database.split("///", 1)[1])
    blob = b"".join(p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists())
    assert stored.encode() not in blob
    async with core.incidents._uow() as uow:
        assert (await uow.session.scalar(select(Incident.legal_hold))) is False


def test_the_retention_section_of_the_org_config_is_checked() -> None:
    from bot.config.org import ConfigError, parse_org_config
    from tests.conftest import ORG_YAML

    assert parse_org_config(ORG_YAML, "org.yaml").retention.days == KEEP, "3 years unless said otherwise"
    with pytest.raises(ConfigError) as refused:
        parse_org_config(ORG_YAML + "retention: {days: 0}\n", "org.yaml")
    assert "retention.days" in str(refused.value)
