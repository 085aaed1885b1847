"""Delivery at scale: athletes.next_due_at (indexed) and messages rendered ahead.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03

Written by hand to match bot/store/models.py; tests/bot/store compares the two.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("athletes") as batch:
        batch.add_column(sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_athletes_next_due_at", ["next_due_at"])
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("rendered_text", sa.Text(), nullable=True))
        batch.add_column(sa.Column("rendered_markup", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("rendered_stamp", sa.String(128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("rendered_stamp")
        batch.drop_column("rendered_markup")
        batch.drop_column("rendered_text")
    with op.batch_alter_table("athletes") as batch:
        batch.drop_index("ix_athletes_next_due_at")
        batch.drop_column("next_due_at")
