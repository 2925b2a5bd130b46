"""finer data items (issue 18): the one box 「住所・電話番号・メールアドレス」 (contact) becomes three items, so a
draft never claims more than leaked; an older incident that ticked it keeps exactly that meaning

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SPLIT = ("postal_address", "phone", "email")

incidents = sa.table("incidents", sa.column("id", sa.Integer), sa.column("facts", sa.JSON))


def _rewrite(change) -> None:
    bind = op.get_bind()
    for row in bind.execute(sa.select(incidents.c.id, incidents.c.facts)).all():
        facts = row.facts if isinstance(row.facts, dict) else json.loads(row.facts)
        items = list(facts.get("data_items") or [])
        new = change(items)
        if new != items:
            bind.execute(
                incidents.update().where(incidents.c.id == row.id).values(facts={**facts, "data_items": new})
            )


def upgrade() -> None:
    def split(items: list[str]) -> list[str]:
        out: list[str] = []
        for item in items:
            out += list(SPLIT) if item == "contact" else [item]
        return list(dict.fromkeys(out))

    _rewrite(split)


def downgrade() -> None:
    def join(items: list[str]) -> list[str]:
        out = ["contact" if item in SPLIT else item for item in items]
        return list(dict.fromkeys(out))

    _rewrite(join)
