"""The delivery outbox: what is due, enqueueing it once, claiming it, sending it.

A scheduler tick calls `run_tick`: rows are inserted under UNIQUE(athlete, local date,
kind), claimed with a lease (a crashed worker's rows are picked up again once the lease
runs out) and sent. Time is always passed in as an aware UTC `now`; nothing here reads
the clock. Delivery is at-least-once: a crash after Telegram accepted a message but
before the row was marked sent re-sends it when the lease expires.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, or_, update
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, col, select
from telegram import InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter
from telegram.warnings import PTBDeprecationWarning

from bot.store.db import insert_ignoring_conflicts, table_of
from bot.store.models import Athlete, Delivery
from bot.store.repo import WEEKDAYS

log = logging.getLogger(__name__)

MAX_LATENESS = timedelta(hours=12)
MAX_ATTEMPTS = 8
BASE_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=1)
DEFAULT_LEASE = timedelta(minutes=2)
WEEKLY_REVIEW_AFTER_CHECKIN = timedelta(hours=2)
LATEST_WEEKLY_REVIEW = time(23, 30)
SUNDAY = 6  # the last day of the runner's week


@dataclass(frozen=True)
class Outgoing:
    """One message to send; always HTML."""

    text: str
    reply_markup: InlineKeyboardMarkup | None = None


Render = Callable[[Session, Athlete, Delivery], Outgoing | None]
SessionFactory = sessionmaker[Session]
DueDelivery = tuple[str, date, datetime]


class SentMessage(Protocol):
    @property
    def message_id(self) -> int: ...


class MessageSender(Protocol):
    """The part of `telegram.Bot` the outbox uses (tests pass a fake)."""

    async def send_message(
        self,
        *,
        chat_id: int,
        text: str,
        parse_mode: str,
        reply_markup: InlineKeyboardMarkup | None,
    ) -> SentMessage: ...


# --- what is due ------------------------------------------------------------------------


def due_deliveries(athlete: Athlete, now_utc: datetime) -> list[DueDelivery]:
    """(kind, local date, due instant in UTC) of every delivery due by `now_utc`.

    Pure. Looks at the runner's local yesterday and today:
    - "morning" every day at `morning_time`;
    - "checkin" on the profile's run days at `checkin_time`;
    - "weekly_review" on Sunday at `checkin_time` + 2 h, capped at 23:30.

    A local time skipped by a daylight-saving jump is due at the first instant after
    the gap; a repeated local time is due at its first occurrence (one row per local
    date anyway). Nothing due before onboarding is returned. Nothing more than
    `MAX_LATENESS` (12 h) late is returned either: if the bot was down, a morning
    message arriving at night helps nobody, so that day's message is skipped rather
    than sent late.
    """
    _require_aware(now_utc)
    onboarded_at = athlete.onboarded_at
    if onboarded_at is None or athlete.profile is None:
        return []
    zone = ZoneInfo(athlete.time_zone)
    today = now_utc.astimezone(zone).date()
    due: list[DueDelivery] = []
    for local_date in (today - timedelta(days=1), today):
        for kind, wall_time in scheduled_times(athlete, local_date):
            due_at = local_instant(local_date, wall_time, zone)
            if onboarded_at <= due_at <= now_utc and now_utc - due_at <= MAX_LATENESS:
                due.append((kind, local_date, due_at))
    return due


def scheduled_times(athlete: Athlete, local_date: date) -> list[tuple[str, time]]:
    """The kinds of message scheduled on a local date, with their local wall-clock time."""
    run_days = (athlete.profile or {}).get("run_days") or []
    times = [("morning", athlete.morning_time)]
    if WEEKDAYS[local_date.weekday()] in run_days:
        times.append(("checkin", athlete.checkin_time))
    if local_date.weekday() == SUNDAY:
        times.append(("weekly_review", weekly_review_time(athlete.checkin_time)))
    return times


def weekly_review_time(checkin_time: time) -> time:
    later = datetime.combine(date.min, checkin_time) + WEEKLY_REVIEW_AFTER_CHECKIN
    if later.date() != date.min or later.time() > LATEST_WEEKLY_REVIEW:
        return LATEST_WEEKLY_REVIEW
    return later.time()


def local_instant(local_date: date, wall_time: time, zone: tzinfo) -> datetime:
    """The UTC instant the local clock first shows `wall_time` (or later) on `local_date`."""
    naive = datetime.combine(local_date, wall_time)
    first = naive.replace(tzinfo=zone).astimezone(UTC)  # fold=0: earlier of a repeated time
    if _wall_clock(first, zone) == naive:
        return first
    return _end_of_gap(naive, zone)


def _wall_clock(instant: datetime, zone: tzinfo) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


def _end_of_gap(naive: datetime, zone: tzinfo) -> datetime:
    # In a gap, fold=1 reads the time with the offset after the jump (an instant before
    # it) and fold=0 with the offset before (an instant after it); bisect between them
    # for the first instant whose wall clock has reached `naive`.
    before = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
    after = naive.replace(tzinfo=zone, fold=0).astimezone(UTC)
    while after - before > timedelta(seconds=1):
        middle = before + timedelta(seconds=(after - before) // timedelta(seconds=2))
        if _wall_clock(middle, zone) >= naive:
            after = middle
        else:
            before = middle
    return after


# --- enqueue and claim ------------------------------------------------------------------


def enqueue_due(session: Session, now_utc: datetime) -> int:
    """Insert the missing outbox rows for active, onboarded runners; returns rows added.

    Idempotent (INSERT ... ON CONFLICT DO NOTHING on the unique key), so every tick,
    and every replica, may call it. Commits.
    """
    _require_aware(now_utc)
    statement = select(Athlete).where(
        col(Athlete.active).is_(True),
        col(Athlete.onboarded_at).is_not(None),
        col(Athlete.profile).is_not(None),
    )
    rows = _due_rows(session.exec(statement).all(), now_utc)
    unique_key = ["athlete_id", "local_date", "kind"]
    inserted = insert_ignoring_conflicts(session, table_of(Delivery), rows, unique_key)
    session.commit()
    return inserted


def _due_rows(athletes: Sequence[Athlete], now_utc: datetime) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for athlete in athletes:
        try:
            due = due_deliveries(athlete, now_utc)
        except Exception:
            # One bad row (say, a time zone the tz database no longer knows) must not
            # hold back everybody else's messages.
            log.exception("athlete %s: cannot compute due deliveries", athlete.id)
            continue
        rows.extend(_pending_row(athlete, kind, day, due_at) for kind, day, due_at in due)
    return rows


def _pending_row(athlete: Athlete, kind: str, local_date: date, due_at: datetime) -> dict[str, Any]:
    return {
        "athlete_id": athlete.id,
        "local_date": local_date,
        "kind": kind,
        "status": "pending",
        "due_at": due_at,
        "attempts": 0,
        "next_attempt_at": due_at,
    }


def _claimable(now_utc: datetime, lease: timedelta) -> ColumnElement[bool]:
    return or_(
        and_(col(Delivery.status) == "pending", col(Delivery.next_attempt_at) <= now_utc),
        # A worker that claimed a row and died mid-send: its lease has run out.
        and_(col(Delivery.status) == "sending", col(Delivery.claimed_at) <= now_utc - lease),
    )


def claim_batch(
    session: Session,
    now_utc: datetime,
    worker_id: str,
    limit: int = 20,
    lease: timedelta = DEFAULT_LEASE,
) -> list[Delivery]:
    """Claim up to `limit` rows for `worker_id` (status "sending"); commits.

    Two workers never claim the same row: PostgreSQL locks the rows it picks and skips
    rows another transaction holds (FOR UPDATE SKIP LOCKED); SQLite, which serialises
    writers, re-checks the condition in a per-row UPDATE and keeps only the rows it won.
    """
    _require_aware(now_utc)
    if session.get_bind().dialect.name == "postgresql":
        claimed_ids = _claim_with_skip_locked(session, now_utc, worker_id, limit, lease)
    else:
        claimed_ids = _claim_with_conditional_updates(session, now_utc, worker_id, limit, lease)
    session.commit()
    if not claimed_ids:
        return []
    statement = (
        select(Delivery)
        .where(col(Delivery.id).in_(claimed_ids))
        .order_by(col(Delivery.next_attempt_at), col(Delivery.id))
        .execution_options(populate_existing=True)
    )
    return list(session.exec(statement).all())


def _claim_order() -> tuple[Any, ...]:
    return (col(Delivery.next_attempt_at), col(Delivery.id))


def _claim_with_skip_locked(
    session: Session, now_utc: datetime, worker_id: str, limit: int, lease: timedelta
) -> list[int]:
    statement = (
        select(Delivery)
        .where(_claimable(now_utc, lease))
        .order_by(*_claim_order())
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = session.exec(statement).all()
    for row in rows:
        row.status = "sending"
        row.claimed_by = worker_id
        row.claimed_at = now_utc
        session.add(row)
    session.flush()
    return [row.id for row in rows if row.id is not None]


def _claim_with_conditional_updates(
    session: Session, now_utc: datetime, worker_id: str, limit: int, lease: timedelta
) -> list[int]:
    candidates = select(Delivery.id).where(_claimable(now_utc, lease)).order_by(*_claim_order())
    claimed: list[int] = []
    for delivery_id in session.exec(candidates.limit(limit)).all():
        assert delivery_id is not None
        statement = (
            update(Delivery)
            .where(col(Delivery.id) == delivery_id, _claimable(now_utc, lease))
            .values(status="sending", claimed_by=worker_id, claimed_at=now_utc)
            .execution_options(synchronize_session=False)
        )
        if session.exec(statement).rowcount == 1:
            claimed.append(delivery_id)
    return claimed


# --- send -------------------------------------------------------------------------------


async def send_claimed(
    bot: MessageSender,
    session_factory: SessionFactory,
    deliveries: Sequence[Delivery],
    render: Render,
    now_utc: datetime,
) -> None:
    """Render and send each claimed delivery, recording the outcome on its row.

    `render` runs in its own short transaction (committed before the network call, so
    no transaction stays open while Telegram answers); returning None means there is
    nothing to say and the row is marked sent without a message.
    """
    _require_aware(now_utc)
    for delivery in deliveries:
        try:
            await _send_one(bot, session_factory, delivery, render, now_utc)
        except Exception:
            # The row stays "sending" and is retried when its lease runs out.
            log.exception("delivery %s: unexpected error", delivery.id)


async def _send_one(
    bot: MessageSender,
    session_factory: SessionFactory,
    delivery: Delivery,
    render: Render,
    now_utc: datetime,
) -> None:
    prepared = _prepare(session_factory, delivery, render, now_utc)
    if prepared is None:
        return
    chat_id, outgoing = prepared
    try:
        message = await bot.send_message(
            chat_id=chat_id,
            text=outgoing.text,
            parse_mode=ParseMode.HTML,
            reply_markup=outgoing.reply_markup,
        )
    except Exception as error:
        _record_failure(session_factory, delivery, error, now_utc)
    else:
        _record_sent(session_factory, delivery, message.message_id, now_utc)


def _prepare(
    session_factory: SessionFactory, delivery: Delivery, render: Render, now_utc: datetime
) -> tuple[int, Outgoing] | None:
    """(chat id, message) to send, or None when the row was settled without sending."""
    with session_factory() as session, session.begin():
        row = _load_if_still_claimed(session, delivery)
        if row is None:
            return None
        athlete = session.get(Athlete, row.athlete_id)
        if athlete is None or not athlete.active:
            row.status = "cancelled"
            return None
        if now_utc - row.due_at > MAX_LATENESS:
            row.status = "expired"
            return None
        try:
            outgoing = render(session, athlete, row)
        except Exception as error:
            log.exception("delivery %s: render failed", row.id)
            _back_off(row, now_utc, error)
            return None
        if outgoing is None:
            _mark_sent(row, None, now_utc)
            return None
        return athlete.chat_id, outgoing


def _load_if_still_claimed(session: Session, delivery: Delivery) -> Delivery | None:
    row = session.get(Delivery, delivery.id, populate_existing=True)
    still_ours = (
        row is not None
        and row.status == "sending"
        and row.claimed_by == delivery.claimed_by
        and row.claimed_at == delivery.claimed_at
    )
    if not still_ours:
        log.warning("delivery %s: claim lost to another worker; skipped", delivery.id)
        return None
    return row


def _record_sent(
    session_factory: SessionFactory, delivery: Delivery, message_id: int, now_utc: datetime
) -> None:
    with session_factory() as session, session.begin():
        row = session.get(Delivery, delivery.id, populate_existing=True)
        # Recorded even if the claim was lost meanwhile: the message did go out.
        if row is not None and row.status != "sent":
            _mark_sent(row, message_id, now_utc)


def _mark_sent(row: Delivery, message_id: int | None, now_utc: datetime) -> None:
    row.status = "sent"
    row.sent_at = now_utc
    row.telegram_message_id = message_id
    row.last_error = None


def _record_failure(
    session_factory: SessionFactory, delivery: Delivery, error: Exception, now_utc: datetime
) -> None:
    with session_factory() as session, session.begin():
        row = _load_if_still_claimed(session, delivery)
        if row is None:
            return
        row.last_error = describe_error(error)
        if isinstance(error, RetryAfter):
            # Flood control is Telegram pacing us, not a failure of this message.
            row.status = "pending"
            row.next_attempt_at = now_utc + retry_after(error)
        elif isinstance(error, Forbidden):
            row.status = "failed"
            _deactivate(session, row.athlete_id, now_utc)
        elif isinstance(error, ChatMigrated):
            _move_chat(session, row.athlete_id, error.new_chat_id)
            row.status = "pending"
            row.next_attempt_at = now_utc
        elif isinstance(error, BadRequest):
            # The request itself is wrong; sending it again cannot help.
            row.status = "failed"
        else:
            _back_off(row, now_utc, error)
        log.warning("delivery %s (%s) not sent: %s", row.id, row.kind, row.last_error)


def _back_off(row: Delivery, now_utc: datetime, error: Exception) -> None:
    """Network errors, timeouts, 5xx and anything unexpected: retry later, then give up."""
    row.attempts += 1
    row.last_error = describe_error(error)
    if row.attempts >= MAX_ATTEMPTS:
        row.status = "failed"
        return
    row.status = "pending"
    row.next_attempt_at = now_utc + backoff_delay(row.attempts)


def backoff_delay(failed_attempts: int) -> timedelta:
    """30 s after the first failure, doubling each time, at most 1 h."""
    doublings: int = 2 ** min(max(failed_attempts - 1, 0), 16)
    return min(BASE_BACKOFF * doublings, MAX_BACKOFF)


def _deactivate(session: Session, athlete_id: int, now_utc: datetime) -> None:
    """The runner blocked the bot: stop enqueueing for them and drop what is pending."""
    athlete = session.get(Athlete, athlete_id)
    if athlete is not None:
        athlete.active = False
        athlete.updated_at = now_utc
    session.exec(
        update(Delivery)
        .where(col(Delivery.athlete_id) == athlete_id, col(Delivery.status) == "pending")
        .values(status="cancelled")
        .execution_options(synchronize_session=False)
    )


def _move_chat(session: Session, athlete_id: int, new_chat_id: int) -> None:
    athlete = session.get(Athlete, athlete_id)
    if athlete is not None:
        athlete.chat_id = new_chat_id


def retry_after(error: RetryAfter) -> timedelta:
    with warnings.catch_warnings():
        # PTB 22 returns int seconds unless PTB_TIMEDELTA is set, with a warning.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: int | timedelta = error.retry_after
    return value if isinstance(value, timedelta) else timedelta(seconds=value)


_BOT_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")


def describe_error(error: BaseException) -> str:
    """A short, log-safe description: type and message, any bot token masked."""
    text = _BOT_TOKEN.sub("<token>", f"{type(error).__name__}: {error}")
    return text[:500]


# --- the tick ---------------------------------------------------------------------------


async def run_tick(
    bot: MessageSender,
    session_factory: SessionFactory,
    render: Render,
    now_utc: datetime,
    worker_id: str,
) -> None:
    """Enqueue, claim and send. Never raises, so the scheduler keeps ticking."""
    try:
        with session_factory() as session:
            enqueued = enqueue_due(session, now_utc)
        if enqueued:
            log.info("enqueued %d deliveries", enqueued)
    except Exception:
        log.exception("enqueueing deliveries failed")
    try:
        with session_factory() as session:
            claimed = claim_batch(session, now_utc, worker_id)
        await send_claimed(bot, session_factory, claimed, render, now_utc)
    except Exception:
        log.exception("sending deliveries failed")


def _require_aware(now_utc: datetime) -> None:
    if now_utc.tzinfo is None or now_utc.utcoffset() is None:
        raise ValueError("now_utc must be timezone-aware")
