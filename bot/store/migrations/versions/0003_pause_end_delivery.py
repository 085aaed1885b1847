"""A delivery kind for the day a pause ends: "pause_end" (bot/pause_end.py).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04

Written by hand to match bot/store/models.py; tests/bot/store compares the two.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS_BEFORE = ("morning", "checkin", "weekly_review")
KINDS_AFTER = (*KINDS_BEFORE, "pause_end")


def _in(column: str, allowed: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in allowed)})"


def _allow(kinds: tuple[str, ...]) -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_constraint(op.f("ck_deliveries_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_deliveries_kind"), _in("kind", kinds))


def upgrade() -> None:
    _allow(KINDS_AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM deliveries WHERE kind = 'pause_end'")
    _allow(KINDS_BEFORE)
