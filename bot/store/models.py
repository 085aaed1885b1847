"""SQLModel tables: the facts Ramp keeps about each runner, and the delivery outbox.

Instants are stored as timezone-aware UTC (`UTCDateTime`); dates and wall-clock times
are the runner's local ones, interpreted with `Athlete.time_zone`. The schema itself
is created only by the Alembic migrations in `bot/store/migrations/`; a test checks
that those migrations and these models agree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

# Deterministic constraint names, so later migrations (SQLite batch mode included)
# can refer to them. Set before any table is declared.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

UNITS = ("km", "mi")
DELIVERY_KINDS = ("morning", "checkin", "weekly_review", "pause_end")
DELIVERY_STATUSES = ("pending", "sending", "sent", "failed", "cancelled", "expired")


def utcnow() -> datetime:
    """Bookkeeping timestamps only; decisions take their clock as an argument."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python.

    SQLite has no time zone type and silently drops tzinfo, so values are stored there
    as naive UTC (which also keeps its string comparisons in chronological order) and
    tagged as UTC on the way out. PostgreSQL stores `timestamptz`. Naive datetimes are
    refused: guessing their zone is how off-by-hours bugs start.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime refused (store aware UTC instants): {value!r}")
        as_utc = value.astimezone(UTC)
        return as_utc.replace(tzinfo=None) if dialect.name == "sqlite" else as_utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _check_in(column: str, allowed: tuple[str, ...]) -> str:
    values = ", ".join(f"'{value}'" for value in allowed)
    return f"{column} IN ({values})"


class Athlete(SQLModel, table=True):
    __tablename__ = "athletes"
    __table_args__ = (
        sa.UniqueConstraint("telegram_user_id"),
        sa.CheckConstraint(_check_in("units", UNITS), name="units"),
        # What the scheduler's "who is due" query scans.
        sa.Index("ix_athletes_next_due_at", "next_due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    telegram_user_id: int = Field(sa_type=sa.BigInteger, nullable=False)
    chat_id: int = Field(sa_type=sa.BigInteger, nullable=False)
    first_name: str = Field(default="", sa_type=sa.String(255), nullable=False)
    time_zone: str = Field(default="UTC", sa_type=sa.String(64), nullable=False)
    morning_time: time = Field(default=time(7, 0), sa_type=sa.Time, nullable=False)
    checkin_time: time = Field(default=time(19, 0), sa_type=sa.Time, nullable=False)
    units: str = Field(default="km", sa_type=sa.String(2), nullable=False)
    # The coach profile dict; None until onboarding completes. Assign a new dict to
    # change it: in-place mutation of a JSON column is not tracked.
    profile: dict[str, Any] | None = Field(
        default=None, sa_type=sa.JSON(none_as_null=True), nullable=True
    )
    # False once the runner blocked the bot; no deliveries are enqueued for them.
    active: bool = Field(default=True, nullable=False)
    onboarded_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    # No scheduled message of this runner can become due before this instant, so the
    # scheduler does not look at them until then. NULL means "work it out on the next
    # tick"; every change of settings or profile resets it (`repo._touch`).
    next_due_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)


class ConversationState(SQLModel, table=True):
    """The half-finished conversation of one runner, so it survives a restart."""

    __tablename__ = "conversation_states"

    athlete_id: int = Field(primary_key=True, foreign_key="athletes.id", ondelete="CASCADE")
    flow: str = Field(sa_type=sa.String(32), nullable=False)
    step: str = Field(sa_type=sa.String(64), nullable=False)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON, nullable=False)
    # The bot message being edited in place, if any.
    message_id: int | None = Field(default=None, sa_type=sa.BigInteger, nullable=True)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class Event(SQLModel, table=True):
    """One fact of a runner's history: `payload` is the coach event dict verbatim.

    Append-only; a correction is a newer event, except check-in answers, which
    `repo.replace_event` overwrites in place under the same dedupe key.
    """

    __tablename__ = "events"
    __table_args__ = (
        # NULL dedupe keys never collide (both dialects treat NULLs as distinct).
        sa.UniqueConstraint("athlete_id", "dedupe_key"),
        sa.Index("ix_events_athlete_id_local_date", "athlete_id", "local_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    athlete_id: int = Field(foreign_key="athletes.id", ondelete="CASCADE", nullable=False)
    local_date: date = Field(sa_type=sa.Date, nullable=False)
    type: str = Field(sa_type=sa.String(32), nullable=False)
    payload: dict[str, Any] = Field(sa_type=sa.JSON, nullable=False)
    dedupe_key: str | None = Field(default=None, sa_type=sa.String(200), nullable=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class Delivery(SQLModel, table=True):
    """The outbox: one row per (athlete, local date, kind), claimed and sent by a worker."""

    __tablename__ = "deliveries"
    __table_args__ = (
        sa.UniqueConstraint("athlete_id", "local_date", "kind"),
        sa.CheckConstraint(_check_in("kind", DELIVERY_KINDS), name="kind"),
        sa.CheckConstraint(_check_in("status", DELIVERY_STATUSES), name="status"),
        # What claim_batch scans.
        sa.Index("ix_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    athlete_id: int = Field(foreign_key="athletes.id", ondelete="CASCADE", nullable=False)
    local_date: date = Field(sa_type=sa.Date, nullable=False)
    kind: str = Field(sa_type=sa.String(32), nullable=False)
    status: str = Field(default="pending", sa_type=sa.String(16), nullable=False)
    due_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    attempts: int = Field(default=0, nullable=False)
    next_attempt_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    claimed_by: str | None = Field(default=None, sa_type=sa.String(128), nullable=True)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    # The check-in message is later edited in place.
    telegram_message_id: int | None = Field(default=None, sa_type=sa.BigInteger, nullable=True)
    last_error: str | None = Field(default=None, sa_type=sa.Text, nullable=True)
    # Rendered ahead of time (morning messages), so sending is just sending; reused only
    # while `rendered_stamp` still matches the runner's history (`delivery.history_stamps`).
    rendered_text: str | None = Field(default=None, sa_type=sa.Text, nullable=True)
    rendered_markup: dict[str, Any] | None = Field(
        default=None, sa_type=sa.JSON(none_as_null=True), nullable=True
    )
    rendered_stamp: str | None = Field(default=None, sa_type=sa.String(128), nullable=True)


class ProcessedUpdate(SQLModel, table=True):
    """Telegram update ids already handled: a redelivered update changes nothing twice."""

    __tablename__ = "processed_updates"

    update_id: int = Field(
        sa_type=sa.BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    processed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
