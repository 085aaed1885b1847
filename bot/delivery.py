"""The delivery outbox, the database side: what is due, enqueueing it once, claiming it,
rendering it ahead, recording the outcome.

`bot.drain` runs these from the scheduler tick and does the sending. Rows are inserted
under UNIQUE(athlete, local date, kind) a few minutes before they are due (so morning
messages can be rendered ahead), claimed with a lease, and their outcome recorded. Time is
always passed in as an aware UTC `now`; nothing here reads the clock.

Delivery is at-least-once. A message Telegram accepted is recorded as sent right after
(in a short batch); if the process dies in between, that message is sent again once the
row is taken over: when a standby acquires the sender lock (`bot.sender`), or when the
lease runs out. So a kill sends again at most the messages in flight at that instant
(`DrainOptions.in_flight`), and loses none.
"""

from __future__ import annotations

import json
import logging
import re
import warnings
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, bindparam, func, or_, update
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, col, select
from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter
from telegram.warnings import PTBDeprecationWarning

from bot import metrics
from bot.store.db import insert_ignoring_conflicts, table_of
from bot.store.models import Athlete, Delivery, Event
from bot.store.repo import WEEKDAYS

log = logging.getLogger(__name__)

MAX_LATENESS = timedelta(hours=12)
MAX_ATTEMPTS = 8
BASE_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=1)
# Long enough for a claimed batch to wait its turn in the pacer (a few seconds) and
# short enough that a crashed sender's rows go out soon.
DEFAULT_LEASE = timedelta(seconds=30)
# How far ahead rows are inserted and morning messages rendered.
DEFAULT_AHEAD = timedelta(minutes=10)
# A runner whose schedule cannot be computed is looked at again after this.
RETRY_BROKEN_SCHEDULE = timedelta(hours=1)
WEEKLY_REVIEW_AFTER_CHECKIN = timedelta(hours=2)
LATEST_WEEKLY_REVIEW = time(23, 30)
SUNDAY = 6  # the last day of the runner's week
PAUSE_END = "pause_end"  # "how are you feeling?" on the last day of a pause (bot.pause_end)
# Kinds rendered ahead. A check-in depends on the conversation of the moment, and a
# weekly review is rare: both are rendered when sent.
RENDERED_AHEAD = ("morning",)
_STAMP_CHUNK = 500
_ENQUEUE_CHUNK = 1_000  # runners loaded at once by enqueue_due


@dataclass(frozen=True)
class Outgoing:
    """One message to send; always HTML."""

    text: str
    reply_markup: InlineKeyboardMarkup | None = None


Render = Callable[[Session, Athlete, Delivery], Outgoing | None]
SessionFactory = sessionmaker[Session]
DueDelivery = tuple[str, date, datetime]


# --- what is due ------------------------------------------------------------------------


def due_deliveries(
    athlete: Athlete,
    now_utc: datetime,
    ahead: timedelta = timedelta(0),
    pause_ends: Collection[date] = (),
) -> list[DueDelivery]:
    """(kind, local date, due instant in UTC) of every delivery due by `now_utc + ahead`.

    Pure. Looks at the runner's local yesterday and today:
    - "morning" every day at `morning_time`;
    - "checkin" on the profile's run days at `checkin_time`;
    - "weekly_review" on Sunday at `checkin_time` + 2 h, capped at 23:30;
    - "pause_end" at `morning_time` on each of `pause_ends` (last days of pauses).

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
    until = now_utc + ahead
    today = now_utc.astimezone(zone).date()
    dates = sorted({today - timedelta(days=1), today, until.astimezone(zone).date()})
    due: list[DueDelivery] = []
    for local_date in dates:
        for kind, wall_time in scheduled_times(athlete, local_date, pause_ends):
            due_at = local_instant(local_date, wall_time, zone)
            if onboarded_at <= due_at <= until and now_utc - due_at <= MAX_LATENESS:
                due.append((kind, local_date, due_at))
    return due


def next_due_after(athlete: Athlete, instant: datetime) -> datetime:
    """The first scheduled instant strictly after `instant` (the runner's `next_due_at`)."""
    _require_aware(instant)
    zone = ZoneInfo(athlete.time_zone)
    first_day = instant.astimezone(zone).date() - timedelta(days=1)
    for offset in range(9):  # every runner has a morning message each day
        local_date = first_day + timedelta(days=offset)
        later = [
            due_at
            for _, wall_time in scheduled_times(athlete, local_date)
            if (due_at := local_instant(local_date, wall_time, zone)) > instant
        ]
        if later:
            return min(later)
    raise AssertionError("a morning message is scheduled every day")


def scheduled_times(
    athlete: Athlete, local_date: date, pause_ends: Collection[date] = ()
) -> list[tuple[str, time]]:
    """The kinds of message scheduled on a local date, with their local wall-clock time."""
    run_days = (athlete.profile or {}).get("run_days") or []
    times = [("morning", athlete.morning_time)]
    if local_date in pause_ends:
        times.append((PAUSE_END, athlete.morning_time))
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


def enqueue_due(session: Session, now_utc: datetime, ahead: timedelta = timedelta(0)) -> int:
    """Insert the missing outbox rows due by `now_utc + ahead`; returns rows added.

    Only runners whose `next_due_at` has come (or is unknown) are loaded, through its
    index, so a tick with nothing due reads almost nothing. Idempotent (INSERT ... ON
    CONFLICT DO NOTHING on the unique key), so every tick, and every replica, may call
    it. Commits.
    """
    _require_aware(now_utc)
    until = now_utc + ahead
    due_ids = session.exec(
        select(Athlete.id).where(
            col(Athlete.active).is_(True),
            col(Athlete.onboarded_at).is_not(None),
            col(Athlete.profile).is_not(None),
            or_(col(Athlete.next_due_at).is_(None), col(Athlete.next_due_at) <= until),
        )
    ).all()
    inserted = 0
    # A chunk of runners at a time: the first tick after a start-up finds every runner due
    # (next_due_at unknown), and 10,000 at once held ~40 MiB more at its peak.
    for start in range(0, len(due_ids), _ENQUEUE_CHUNK):
        chunk = due_ids[start : start + _ENQUEUE_CHUNK]
        athletes = session.exec(select(Athlete).where(col(Athlete.id).in_(chunk))).all()
        # The session holds clean rows weakly: each chunk's go with its list.
        inserted += _enqueue_for(session, athletes, now_utc, ahead)
    session.commit()
    return inserted


def _enqueue_for(
    session: Session, athletes: Sequence[Athlete], now_utc: datetime, ahead: timedelta
) -> int:
    pause_ends = _pause_end_days(session, [athlete.id for athlete in athletes if athlete.id])
    rows, next_due = _due_rows(athletes, now_utc, ahead, pause_ends)
    unique_key = ["athlete_id", "local_date", "kind"]
    inserted = insert_ignoring_conflicts(session, table_of(Delivery), rows, unique_key)
    _move_to_current_time(session, rows)
    if next_due:
        table = table_of(Athlete)
        session.connection().execute(
            table.update()
            .where(table.c.id == bindparam("athlete"))
            .values(next_due_at=bindparam("next_due")),
            [{"athlete": key, "next_due": value} for key, value in next_due.items()],
        )
    return inserted


def _pause_end_days(session: Session, athlete_ids: Sequence[int]) -> dict[int, set[date]]:
    """The last day of each pause with an end date, per runner (`bot.pause_end` decides,
    when the message goes out, whether that pause still ends that day)."""
    ends: dict[int, set[date]] = {}
    for start in range(0, len(athlete_ids), _STAMP_CHUNK):
        chunk = athlete_ids[start : start + _STAMP_CHUNK]
        pauses = session.exec(
            select(Event.athlete_id, Event.payload).where(
                col(Event.type) == "pause", col(Event.athlete_id).in_(chunk)
            )
        ).all()
        for athlete_id, payload in pauses:
            until = payload.get("until") if isinstance(payload, dict) else None
            if isinstance(until, str):
                try:
                    ends.setdefault(athlete_id, set()).add(date.fromisoformat(until))
                except ValueError:
                    continue
    return ends


def _due_rows(
    athletes: Sequence[Athlete],
    now_utc: datetime,
    ahead: timedelta,
    pause_ends: dict[int, set[date]],
) -> tuple[list[dict[str, Any]], dict[int, datetime]]:
    rows: list[dict[str, Any]] = []
    next_due: dict[int, datetime] = {}
    for athlete in athletes:
        assert athlete.id is not None
        try:
            due = due_deliveries(athlete, now_utc, ahead, pause_ends.get(athlete.id, ()))
            next_due[athlete.id] = next_due_after(athlete, now_utc + ahead)
        except Exception:
            # One bad row (say, a time zone the tz database no longer knows) must not
            # hold back everybody else's messages.
            log.exception("athlete %s: cannot compute due deliveries", athlete.id)
            next_due[athlete.id] = now_utc + RETRY_BROKEN_SCHEDULE
            continue
        rows.extend(_pending_row(athlete, kind, day, due_at) for kind, day, due_at in due)
    return rows, next_due


def _move_to_current_time(session: Session, rows: list[dict[str, Any]]) -> None:
    """A runner who changed their morning (or check-in) time after its row was inserted,
    ahead of time: the row moves to the new instant. Only rows never tried move; one that
    failed keeps its back-off. A time moved later than the look-ahead is caught when the
    row is claimed (`prepare`)."""
    if not rows:
        return
    table = table_of(Delivery)
    session.connection().execute(
        table.update()
        .where(
            table.c.athlete_id == bindparam("athlete"),
            table.c.local_date == bindparam("day"),
            table.c.kind == bindparam("row_kind"),
            table.c.status == "pending",
            table.c.attempts == 0,
            table.c.due_at != bindparam("due"),
        )
        .values(due_at=bindparam("due"), next_attempt_at=bindparam("due")),
        [
            {
                "athlete": r["athlete_id"],
                "day": r["local_date"],
                "row_kind": r["kind"],
                "due": r["due_at"],
            }
            for r in rows
        ],
    )


def scheduled_instant(athlete: Athlete, kind: str, local_date: date) -> datetime | None:
    """When a kind of message is due on a local date with the runner's current settings
    (None: not scheduled that day any more)."""
    for scheduled_kind, wall_time in scheduled_times(athlete, local_date):
        if scheduled_kind == kind:
            return local_instant(local_date, wall_time, ZoneInfo(athlete.time_zone))
    return None


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

    One UPDATE ... WHERE id IN (SELECT ... LIMIT n) RETURNING id. Two workers never
    claim the same row: PostgreSQL locks the rows the subquery picks and skips rows
    another transaction holds (FOR UPDATE SKIP LOCKED); SQLite runs one writer at a
    time, so the statement sees every earlier claim.
    """
    _require_aware(now_utc)
    candidates = (
        select(Delivery.id).where(_claimable(now_utc, lease)).order_by(*_claim_order()).limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    statement = (
        update(Delivery)
        .where(col(Delivery.id).in_(candidates.scalar_subquery()))
        .values(status="sending", claimed_by=worker_id, claimed_at=now_utc)
        .returning(col(Delivery.id))
        .execution_options(synchronize_session=False)
    )
    claimed_ids = list(session.execute(statement).scalars().all())
    session.commit()
    if not claimed_ids:
        return []
    rows = select(Delivery).where(col(Delivery.id).in_(claimed_ids)).order_by(*_claim_order())
    return list(session.exec(rows.execution_options(populate_existing=True)).all())


def _claim_order() -> tuple[Any, ...]:
    return (col(Delivery.next_attempt_at), col(Delivery.id))


# --- render ahead -----------------------------------------------------------------------


def history_stamps(session: Session, athlete_ids: Sequence[int]) -> dict[int, str]:
    """A fingerprint of each runner's history and settings: when it changes, a message
    rendered earlier may be out of date. Events are append-only, and a replaced check-in
    answer gets a new `created_at`; settings and profile changes touch `updated_at`."""
    stamps: dict[int, str] = {}
    ids = sorted(set(athlete_ids))
    for start in range(0, len(ids), _STAMP_CHUNK):
        stamps.update(_history_stamps(session, ids[start : start + _STAMP_CHUNK]))
    return stamps


def _history_stamps(session: Session, ids: list[int]) -> dict[int, str]:
    events = session.exec(
        select(Event.athlete_id, func.count(), func.max(Event.id), func.max(Event.created_at))
        .where(col(Event.athlete_id).in_(ids))
        .group_by(col(Event.athlete_id))
    ).all()
    by_athlete = {row[0]: f"{row[1]}/{row[2]}/{row[3]}" for row in events}
    touched = session.exec(select(Athlete.id, Athlete.updated_at).where(col(Athlete.id).in_(ids)))
    return {
        athlete_id: f"{updated_at.isoformat()}|{by_athlete.get(athlete_id, '0')}"
        for athlete_id, updated_at in touched.all()
        if athlete_id is not None
    }


def rows_to_render(
    session: Session, now_utc: datetime, ahead: timedelta, limit: int = 200
) -> list[int]:
    """Pending morning rows due within `ahead` whose rendered text is missing or stale:
    first those never rendered, then (once none is left) those whose runner's history
    changed since."""
    coming = (
        col(Delivery.status) == "pending",
        col(Delivery.kind).in_(RENDERED_AHEAD),
        col(Delivery.next_attempt_at) <= now_utc + ahead,
    )
    order = (col(Delivery.next_attempt_at), col(Delivery.id))
    never = session.exec(
        select(Delivery.id)
        .where(*coming, col(Delivery.rendered_text).is_(None))
        .order_by(*order)
        .limit(limit)
    ).all()
    if never:
        return [row_id for row_id in never if row_id is not None]
    rendered = session.exec(
        select(Delivery.id, Delivery.athlete_id, Delivery.rendered_stamp)
        .where(*coming)
        .order_by(*order)
    ).all()
    stamps = history_stamps(session, [athlete_id for _, athlete_id, _ in rendered])
    stale = [row_id for row_id, athlete_id, stamp in rendered if stamps.get(athlete_id) != stamp]
    return [row_id for row_id in stale if row_id is not None][:limit]


def render_ahead_one(session_factory: SessionFactory, delivery_id: int, render: Render) -> None:
    """Render one pending row and keep the text on it (with the stamp it was made from)."""
    with session_factory() as session, session.begin():
        row = session.get(Delivery, delivery_id, populate_existing=True)
        if row is None or row.status != "pending":
            return
        athlete = session.get(Athlete, row.athlete_id)
        if athlete is None or athlete.id is None:
            return
        stamp = history_stamps(session, [athlete.id]).get(athlete.id)
        try:
            outgoing = render(session, athlete, row)
        except Exception:
            # Left unrendered: the send renders it again and backs off if it fails.
            log.exception("delivery %s: render ahead failed", row.id)
            return
        _keep_rendered(row, outgoing, stamp)


def _keep_rendered(row: Delivery, outgoing: Outgoing | None, stamp: str | None) -> None:
    # An empty text means "nothing to say" (a paused day): also worth remembering.
    row.rendered_text = "" if outgoing is None else outgoing.text
    markup = None if outgoing is None else outgoing.reply_markup
    row.rendered_markup = None if markup is None else markup.to_dict()
    row.rendered_stamp = stamp


# --- prepare and record -----------------------------------------------------------------


@dataclass(frozen=True)
class Ready:
    """A claimed row, checked and rendered: what to send, to whom.

    The keyboard is kept as the JSON Telegram takes: rebuilding PTB objects from the
    stored dict would cost more than the send itself at 1,000 messages/s.
    """

    delivery: Delivery
    chat_id: int
    text: str
    markup_json: str | None


def prepare(
    session_factory: SessionFactory,
    deliveries: Sequence[Delivery],
    render: Render,
    now_utc: datetime,
) -> list[Ready]:
    """What to send for claimed rows, in one short transaction (committed before any
    network call). Rows with nothing to send are settled here: runner gone or blocked
    (cancelled), more than 12 h late (expired), nothing to say (sent without a message),
    render failed (backed off). A morning message rendered ahead is reused if the
    runner's history has not changed since; otherwise it is rendered now."""
    _require_aware(now_utc)
    ready: list[Ready] = []
    with session_factory() as session, session.begin():
        athlete_ids = [d.athlete_id for d in deliveries]
        stamps = history_stamps(session, athlete_ids)
        # Into the session's identity map at once, so the loop below reads no rows (the
        # map holds weak references: these lists keep the objects alive meanwhile).
        athletes = session.exec(select(Athlete).where(col(Athlete.id).in_(athlete_ids))).all()
        ids = [d.id for d in deliveries]
        reload = select(Delivery).where(col(Delivery.id).in_(ids))
        rows = session.exec(reload.execution_options(populate_existing=True)).all()
        for delivery in deliveries:
            row = _load_if_still_claimed(session, delivery, reload=False)
            if row is None:
                continue
            athlete = session.get(Athlete, row.athlete_id)
            if athlete is None or not athlete.active:
                row.status = "cancelled"
                continue
            if _moved_later(row, athlete, now_utc):
                continue
            if now_utc - row.due_at > MAX_LATENESS:
                row.status = "expired"
                metrics.MESSAGES_SKIPPED_LATE.labels(row.kind).inc()
                continue
            stamp = stamps.get(row.athlete_id)
            if row.rendered_text is not None and row.rendered_stamp == stamp:
                text, markup = row.rendered_text, row.rendered_markup
            else:
                try:
                    outgoing = render(session, athlete, row)
                except Exception as error:
                    log.exception("delivery %s: render failed", row.id)
                    _back_off(row, now_utc, error)
                    continue
                text = "" if outgoing is None else outgoing.text
                keyboard = None if outgoing is None else outgoing.reply_markup
                markup = None if keyboard is None else keyboard.to_dict()
            if not text:  # nothing to say today
                _mark_sent(row, None, now_utc)
                continue
            markup_json = None if markup is None else json.dumps(markup)
            ready.append(Ready(delivery, athlete.chat_id, text, markup_json))
        del athletes, rows
    return ready


def _moved_later(row: Delivery, athlete: Athlete, now_utc: datetime) -> bool:
    """The runner moved this message to a later time since the row was inserted: it goes
    back to waiting for the new instant (True), rather than out at the old time."""
    try:
        current = scheduled_instant(athlete, row.kind, row.local_date)
    except Exception:  # a schedule that can't be computed: send as planned
        return False
    if current is None or current <= now_utc or current == row.due_at:
        return False
    row.status = "pending"
    row.due_at = row.next_attempt_at = current
    row.claimed_by = row.claimed_at = None
    return True


def _load_if_still_claimed(
    session: Session, delivery: Delivery, *, reload: bool = True
) -> Delivery | None:
    row = session.get(Delivery, delivery.id, populate_existing=reload)
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


def record_sent(
    session_factory: SessionFactory, sent: Sequence[tuple[Delivery, int]], now_utc: datetime
) -> None:
    """Mark rows sent with Telegram's message ids, in one statement.

    Recorded even if the claim was lost meanwhile: the message did go out.
    """
    if not sent:
        return
    table = table_of(Delivery)
    statement = (
        table.update()
        .where(table.c.id == bindparam("row_id"), table.c.status != "sent")
        .values(
            status="sent",
            sent_at=now_utc,
            telegram_message_id=bindparam("message_id"),
            last_error=None,
        )
    )
    with session_factory() as session, session.begin():
        session.connection().execute(
            statement,
            [{"row_id": delivery.id, "message_id": message_id} for delivery, message_id in sent],
        )
    for delivery, _ in sent:
        metrics.MESSAGES_SENT.labels(delivery.kind).inc()


def _mark_sent(row: Delivery, message_id: int | None, now_utc: datetime) -> None:
    row.status = "sent"
    row.sent_at = now_utc
    row.telegram_message_id = message_id
    row.last_error = None


def record_failure(
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
        if row.status == "failed":
            metrics.MESSAGES_FAILED.labels(row.kind).inc()
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


def _require_aware(now_utc: datetime) -> None:
    if now_utc.tzinfo is None or now_utc.utcoffset() is None:
        raise ValueError("now_utc must be timezone-aware")
