"""Migration 0010: an older incident that ticked 「住所・電話番号・メールアドレス」 keeps exactly that meaning as
the three finer items, on both engines; and the model reads such a value the same way wherever it comes from."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime

from sqlalchemy import text

from bot.domain.facts import DataItem, Facts
from bot.storage import migrate
from bot.storage.db import create_engine

OLD_FACTS = {"summary": "顧客リストを誤送信", "data_items": ["name", "contact", "card"], "persons": 10}


def _run(url: str, statement: str, **params) -> list:
    async def go() -> list:
        engine = create_engine(url)
        async with engine.begin() as conn:
            result = await conn.execute(text(statement), params)
            rows = result.all() if result.returns_rows else []
        await engine.dispose()
        return rows

    return asyncio.run(go())


def test_an_older_incident_keeps_its_contact_box_as_three_items(empty_database_url: str) -> None:
    url = empty_database_url
    migrate.upgrade(url, "0009")
    _run(
        url,
        "INSERT INTO incidents (reference, status, platform, reporter_id, reporter_lang, aware_at, cause, facts,"
        " assessment, playbook_id, created_at, updated_at, audit_head, document_states)"
        " VALUES ('LEAK-2026-0001', 'open', 'slack', 'U1', 'ja', :at, 'misdelivery', :facts, '{}',"
        " 'personal-data-leak', :at, :at, '', '{}')",
        at=datetime(2026, 12, 1, 1, 0),
        facts=json.dumps(OLD_FACTS),
    )
    migrate.upgrade(url, "0010")
    (raw,) = _run(url, "SELECT facts FROM incidents")[0]
    facts = raw if isinstance(raw, dict) else json.loads(raw)
    assert facts["data_items"] == ["name", "postal_address", "phone", "email", "card"]
    assert facts["summary"] == OLD_FACTS["summary"] and facts["persons"] == 10

    migrate.upgrade(url)  # and on to the head: nothing else touches them
    migrate.command.downgrade(migrate.alembic_config(url), "0009")
    (raw,) = _run(url, "SELECT facts FROM incidents")[0]
    facts = raw if isinstance(raw, dict) else json.loads(raw)
    assert facts["data_items"] == ["name", "contact", "card"]


def test_the_model_reads_the_old_box_with_its_meaning() -> None:
    facts = Facts.model_validate(OLD_FACTS)
    assert facts.data_items == (
        DataItem.NAME,
        DataItem.POSTAL_ADDRESS,
        DataItem.PHONE,
        DataItem.EMAIL,
        DataItem.CARD,
    )
