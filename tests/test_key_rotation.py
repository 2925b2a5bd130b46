"""Issue 21: `leakbot keys rotate` moves every value to the new key while the old one stays readable; killed
halfway (kill -9) and run again it finishes; the audit trail verifies across the rotation and after a purge
of the free text, and still catches a reason swapped for another under the right key. On both engines."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import threading
from contextlib import asynccontextmanager

import pytest
from sqlalchemy import text

from bot.bootstrap import build_core
from bot.config.org import parse_org_config
from bot.config.settings import CoreSettings
from bot.domain.facts import Facts
from bot.playbook.engine import StepStatus
from bot.services.incidents import Correction, ReportRequest
from bot.services.ports import OPERATOR
from bot.storage.crypto import Keyring, generate_key, key_id, parse_key
from bot.storage.db import create_engine
from bot.storage.keycheck import KeyRefused, check_keys
from bot.storage.rotation import remaining
from tests.conftest import DATA, ORG_YAML, TEST_DATA_KEY
from tests.test_incident_service import IT, LEGAL, Directory
from tests.test_serve import ROOT, leakbot_argv

pytestmark = pytest.mark.slow  # CI runs it (LEAKBOT_SLOW_TESTS=1); see tests/conftest.py

OLD = parse_key(TEST_DATA_KEY, "test")
NEW_TEXT = generate_key()
NEW = parse_key(NEW_TEXT, "test")
SKIP = "上長は出張中で連絡がつかない（佐藤一郎）"
CORRECTION = "発見は前日の夜、佐藤一郎からの電話だった"


async def incidents_with_free_text(service, clock, how_many: int) -> list[str]:
    references = []
    for n in range(how_many):
        request = ReportRequest(
            "slack", "UREPORTER", "ja", clock.now(), Facts(summary=f"名簿の誤送信 その{n}")
        )
        ref = (await service.report(request)).incident.reference
        await service.resolve_team(ref, Directory())
        await service.set_step(ref, "tell_boss", StepStatus.SKIPPED, IT, SKIP)
        await service.correct_report(
            ref, Correction(reason=CORRECTION, summary=f"顧客名簿の誤送信 その{n}"), LEGAL
        )
        references.append(ref)
    return references


async def counts(url: str) -> dict[str, int]:
    engine = create_engine(url, Keyring())
    try:
        return await remaining(engine)
    finally:
        await engine.dispose()


async def started_with(url: str, *keys: bytes) -> None:
    engine = create_engine(url, Keyring.of(keys))
    try:
        await check_keys(engine, Keyring.of(keys), dev_insecure=False, writes=True)
    finally:
        await engine.dispose()


def rotate_env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEAKBOT_")}
    return env | {
        "DATABASE_URL": url,
        "LEAKBOT_DATA_KEY": NEW_TEXT,
        "LEAKBOT_DATA_KEY_PREVIOUS": TEST_DATA_KEY,
    }


def rotate_killed_after(url: str, batches: int) -> list[str]:
    """`leakbot keys rotate` one value a batch, killed (SIGKILL) once it has committed ``batches`` of them."""
    argv = leakbot_argv(["keys", "rotate", "--batch-size", "1", "--pause", "1"])
    process = subprocess.Popen(argv, env=rotate_env(url), cwd=ROOT, stdout=subprocess.PIPE, text=True)
    timer = threading.Timer(120, process.kill)  # a hung rotation fails the test instead of the suite
    timer.start()
    lines: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if sum("re-encrypted" in seen for seen in lines) == batches:
                os.kill(process.pid, signal.SIGKILL)
                break
        process.wait(timeout=30)
    finally:
        timer.cancel()
        if process.stdout is not None:
            process.stdout.close()
    assert process.returncode == -signal.SIGKILL, f"the rotation ended by itself: {lines}"
    return lines


@asynccontextmanager
async def service_with(database_url: str, clock, *keys: str):
    """The incident service of a process given ``keys`` (current first)."""
    settings = CoreSettings(
        DATABASE_URL=database_url,
        LEAKBOT_PLAYBOOKS_DIR=str(DATA / "playbooks"),
        LEAKBOT_DATA_KEY=keys[0],
        LEAKBOT_DATA_KEY_PREVIOUS=",".join(keys[1:]) or None,
    )
    core = build_core(settings, clock=clock, org=parse_org_config(ORG_YAML + "playbook: mini\n", "org.yaml"))
    try:
        yield core.incidents
    finally:
        await core.close()


async def read_everything(database_url: str, clock, references: list[str], *keys: str) -> None:
    """Every incident reads back whole, and its audit trail verifies, with only ``keys``."""
    async with service_with(database_url, clock, *keys) as service:
        for ref in references:
            view = await service.get(ref, OPERATOR)
            assert view.facts.summary.startswith("顧客名簿の誤送信")
            assert view.step("tell_boss").status == StepStatus.SKIPPED
            report = await service.verify_audit(ref)
            assert report.ok, report.problem
            _, trail = await service.trail(ref, OPERATOR)
            reasons = {e.action: e.details.get("reason") for e in trail if e.details.get("reason")}
            assert reasons == {"step_changed": SKIP, "report_corrected": CORRECTION}


async def test_a_rotation_killed_halfway_is_finished_by_running_it_again(
    service, clock, clean_database
) -> None:
    references = await incidents_with_free_text(service, clock, 3)
    await started_with(clean_database, OLD)  # the server, at its start, recorded the key it writes under
    before = await counts(clean_database)
    assert set(before) == {key_id(OLD)} and before[key_id(OLD)] >= 12

    await asyncio.to_thread(rotate_killed_after, clean_database, 3)
    halfway = await counts(clean_database)
    assert halfway[key_id(NEW)] >= 3 and halfway[key_id(OLD)] >= 1, f"killed halfway: {halfway}"
    # meanwhile the app runs with the new key and the old one: everything reads, whichever key it is under
    await read_everything(clean_database, clock, references, NEW_TEXT, TEST_DATA_KEY)

    done = await asyncio.to_thread(
        subprocess.run,
        leakbot_argv(["keys", "rotate"]),
        env=rotate_env(clean_database),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert f"everything is under key {key_id(NEW)}" in done.stdout and key_id(OLD) in done.stdout, "retired"
    assert await counts(clean_database) == {key_id(NEW): before[key_id(OLD)]}
    await read_everything(clean_database, clock, references, NEW_TEXT)  # the new key alone opens it all

    only_old = create_engine(clean_database, Keyring.of([OLD]))
    try:
        with pytest.raises(KeyRefused, match=key_id(NEW)):
            await check_keys(only_old, Keyring.of([OLD]), dev_insecure=False, writes=False)
    finally:
        await only_old.dispose()


async def _sql(url: str, keyring: Keyring, statement: str, **params) -> list:
    engine = create_engine(url, keyring)
    try:
        async with engine.begin() as conn:
            result = await conn.execute(text(statement), params)
            return result.all() if result.returns_rows else []
    finally:
        await engine.dispose()


async def test_the_audit_trail_verifies_after_a_purge_and_catches_a_reason_swapped_under_the_right_key(
    service, clock, clean_database
) -> None:
    (ref,) = await incidents_with_free_text(service, clock, 1)
    keyring = Keyring.of([OLD])
    rows = await _sql(
        clean_database,
        keyring,
        "SELECT id, seq, sealed FROM audit_events WHERE sealed IS NOT NULL ORDER BY seq",
    )
    assert len(rows) == 2, "the skip reason and the correction's reason are sealed"
    event_id, seq, stored = rows[0]
    sealed = json.loads(keyring.decrypt(stored, "audit_events.sealed"))
    sealed["reason"]["text"] = "理由は特になし"  # someone holding the key rewrites what was said
    forged = keyring.encrypt(json.dumps(sealed, ensure_ascii=False), "audit_events.sealed")
    await _sql(
        clean_database, keyring, "UPDATE audit_events SET sealed = :s WHERE id = :i", s=forged, i=event_id
    )
    report = await service.verify_audit(ref)
    assert not report.ok and report.problem == f"event {seq} was modified"

    # a purge erases the free text (the sealed texts, the step's reason): the chain still verifies
    await _sql(clean_database, keyring, "UPDATE audit_events SET sealed = NULL")
    await _sql(clean_database, keyring, "UPDATE step_states SET reason = NULL")
    report = await service.verify_audit(ref)
    assert report.ok, report.problem
    _, trail = await service.trail(ref, OPERATOR)
    assert [e.details["reason"] for e in trail if "reason" in e.details] == [None, None], "gone, not garbage"
