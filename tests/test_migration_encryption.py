"""Migration 0013 on a database written before encryption, on both engines: the audit trail's free text is
sealed and the chain, hashed again, still verifies (closed by an ``audit_resealed`` event naming the head it
had and that it was intact); `leakbot db upgrade` with a key then encrypts what was stored in the clear, and
everything reads back as it was."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

from sqlalchemy import text

from bot.services.audit_log import GENESIS, event_hash
from bot.storage import migrate
from bot.storage.crypto import PREFIX, Keyring
from bot.storage.db import create_engine
from tests.test_cli_store import run

AT = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
SUMMARY = "委託先の田中次郎が顧客名簿を紛失した"
SKIP = "上長は出張中（田中次郎の件）"


def _sql(url: str, statement: str, **params) -> list:
    async def go() -> list:
        engine = create_engine(url, Keyring())  # the stored text itself
        try:
            async with engine.begin() as conn:
                result = await conn.execute(text(statement), params)
                return result.all() if result.returns_rows else []
        finally:
            await engine.dispose()

    return asyncio.run(go())


def legacy_incident(url: str) -> None:
    """An incident as leakbot 0012 stored it: plaintext facts, a skip reason in the step and in the trail."""
    events = [
        ("reported", {"playbook": "personal-data-leak"}),
        ("step_changed", {"step": "report_to_superior", "from": "todo", "to": "skipped", "reason": SKIP}),
    ]
    hashes, prev = [], GENESIS
    for seq, (action, details) in enumerate(events, start=1):
        prev = event_hash("LEAK-2026-0001", seq, AT, "slack:UIT", action, details, prev)
        hashes.append(prev)
    naive = AT.replace(tzinfo=None)
    _sql(
        url,
        "INSERT INTO incidents (id, reference, status, platform, reporter_id, reporter_lang, aware_at, cause, facts,"
        " assessment, playbook_id, created_at, updated_at, audit_head, document_states)"
        " VALUES (1, 'LEAK-2026-0001', 'open', 'slack', 'U1', 'ja', :at, 'loss', :facts, '{}',"
        " 'personal-data-leak', :at, :at, :head, '{}')",
        at=naive,
        facts=json.dumps({"summary": SUMMARY, "cause": "loss", "persons": 10}, ensure_ascii=False),
        head=hashes[-1],
    )
    _sql(
        url,
        "INSERT INTO step_states (incident_id, step_id, state, reason, updated_by, updated_at)"
        " VALUES (1, 'report_to_superior', 'skipped', :reason, 'slack:UIT', :at)",
        reason=SKIP,
        at=naive,
    )
    prev = GENESIS
    for seq, ((action, details), digest) in enumerate(zip(events, hashes, strict=True), start=1):
        _sql(
            url,
            "INSERT INTO audit_events (incident_id, seq, at, actor, action, details, prev_hash, hash)"
            " VALUES (1, :seq, :at, 'slack:UIT', :action, :details, :prev, :hash)",
            seq=seq,
            at=naive,
            action=action,
            details=json.dumps(details, ensure_ascii=False),
            prev=prev,
            hash=digest,
        )
        prev = digest


def test_a_database_from_before_encryption_is_sealed_then_encrypted_and_reads_the_same(
    empty_database_url, monkeypatch, capsys
) -> None:
    url = empty_database_url
    migrate.upgrade(url, "0012")
    legacy_incident(url)
    migrate.upgrade(url)

    rows = _sql(url, "SELECT seq, action, details FROM audit_events ORDER BY seq")
    details = {action: d if isinstance(d, dict) else json.loads(d) for _, action, d in rows}
    assert set(details["step_changed"]["reason"]) == {"sealed"}, "the reason left the hashed details"
    assert details["audit_resealed"]["was_intact"] is True and details["audit_resealed"]["revision"] == "0013"

    monkeypatch.setenv("DATABASE_URL", url)
    for name in ("LEAKBOT_CONFIG", "LEAKBOT_CONFIG_YAML", "LEAKBOT_PLAYBOOKS_DIR"):
        monkeypatch.delenv(name, raising=False)
    code, out, err = run(["incidents", "list"], capsys)
    assert code == 0 and "LEAK-2026-0001" in out
    assert "some data is stored unencrypted" in err and "leakbot keys rotate" in err, "said until encrypted"
    code, out, err = run(["db", "upgrade"], capsys)
    assert code == 0 and "already up to date" in out and "encrypted 3 values stored unencrypted" in out, err

    ((facts,),) = _sql(url, "SELECT facts FROM incidents")
    ((reason,),) = _sql(url, "SELECT reason FROM step_states")
    sealed = [s for (s,) in _sql(url, "SELECT sealed FROM audit_events WHERE sealed IS NOT NULL")]
    assert [v[: len(PREFIX)] for v in (facts, reason, *sealed)] == [PREFIX] * 3
    code, out, err = run(["keys", "status"], capsys)
    assert code == 0 and "unencrypted" not in out and "(current): 3 values" in out, out

    code, out, err = run(["audit", "verify", "LEAK-2026-0001"], capsys)
    assert code == 0 and "intact (3 events)" in out and err == "", (out, err)
    code, out, err = run(["incidents", "show", "LEAK-2026-0001", "--json"], capsys)
    assert code == 0 and json.loads(out)["facts"]["summary"] == SUMMARY, err
