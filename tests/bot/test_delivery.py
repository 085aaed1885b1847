"""The outbox: what is due (with an injected clock), enqueueing, claiming, sending."""

from __future__ import annotations

import os
import threading
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, col, select
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.delivery import (
    DEFAULT_AHEAD,
    MAX_ATTEMPTS,
    Outgoing,
    backoff_delay,
    claim_batch,
    due_deliveries,
    enqueue_due,
    local_instant,
    weekly_review_time,
)
from bot.drain import DrainOptions, run_tick, send_claimed
from bot.store import repo
from bot.store.models import Athlete, Delivery

# RetryAfter's own constructor warns about PTB's int-to-timedelta migration.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

MakeAthlete = Callable[..., Athlete]
Sessions = sessionmaker[Session]

RUN_DAYS = ["mon", "wed", "fri", "sat"]
ONBOARDED = datetime(2026, 1, 1, tzinfo=UTC)
# Wednesday 2026-11-04 in Berlin (UTC+1): morning 07:00 = 06:00 UTC, check-in 19:00 = 18:00 UTC.
WEDNESDAY_MORNING = datetime(2026, 11, 4, 6, 0, tzinfo=UTC)
TOKEN = "123456789:AAHk3x-secret-token-value-abcdefghij"

DST_DAYS = [
    ("Europe/Berlin", date(2026, 3, 29)),
    ("Europe/Berlin", date(2026, 10, 25)),
    ("America/New_York", date(2026, 3, 8)),
    ("America/New_York", date(2026, 11, 1)),
    ("Australia/Lord_Howe", date(2026, 4, 5)),
    ("Australia/Lord_Howe", date(2026, 10, 4)),
]


def athlete(**overrides: Any) -> Athlete:
    values: dict[str, Any] = {
        "id": 1,
        "telegram_user_id": 1,
        "chat_id": 1,
        "time_zone": "Europe/Berlin",
        "morning_time": time(7, 0),
        "checkin_time": time(19, 0),
        "profile": {"run_days": RUN_DAYS, "start_date": "2026-01-05"},
        "onboarded_at": ONBOARDED,
    }
    values.update(overrides)
    return Athlete(**values)


def ticks(start: datetime, end: datetime, step: timedelta) -> list[datetime]:
    count = int((end - start) / step)
    return [start + step * index for index in range(count + 1)]


def due_over(runner: Athlete, day: date) -> dict[tuple[str, date], set[datetime]]:
    """Every (kind, local date) seen due, with the due instants seen, ticking every 5 min."""
    seen: dict[tuple[str, date], set[datetime]] = defaultdict(set)
    start = datetime.combine(day - timedelta(days=1), time(0), tzinfo=UTC)
    for now in ticks(start, start + timedelta(days=3), timedelta(minutes=5)):
        for kind, local_date, due_at in due_deliveries(runner, now):
            seen[(kind, local_date)].add(due_at)
    return seen


# --- due_deliveries (pure) --------------------------------------------------------------


@pytest.mark.parametrize(("zone", "day"), DST_DAYS)
@pytest.mark.parametrize("morning", [time(7, 0), time(2, 30), time(1, 45)])
def test_dst_days_have_exactly_one_morning_due_instant(zone: str, day: date, morning: time) -> None:
    seen = due_over(athlete(time_zone=zone, morning_time=morning), day)
    for local_date in (day - timedelta(days=1), day, day + timedelta(days=1)):
        assert len(seen[("morning", local_date)]) == 1, local_date


@pytest.mark.parametrize(("zone", "day"), DST_DAYS)
def test_morning_message_comes_at_local_seven(zone: str, day: date) -> None:
    (due_at,) = due_over(athlete(time_zone=zone), day)[("morning", day)]
    assert due_at.astimezone(ZoneInfo(zone)).time() == time(7, 0)


@pytest.mark.parametrize(
    ("zone", "day", "wall", "expected_utc"),
    [
        # 02:00-03:00 does not exist in Berlin that night: due when clocks jump to 03:00.
        ("Europe/Berlin", date(2026, 3, 29), time(2, 30), datetime(2026, 3, 29, 1, 0)),
        ("America/New_York", date(2026, 3, 8), time(2, 30), datetime(2026, 3, 8, 7, 0)),
        # Lord Howe jumps half an hour, 02:00 -> 02:30 (UTC+10:30 -> +11).
        ("Australia/Lord_Howe", date(2026, 10, 4), time(2, 15), datetime(2026, 10, 3, 15, 30)),
    ],
)
def test_time_in_spring_forward_gap_is_due_just_after_the_gap(
    zone: str, day: date, wall: time, expected_utc: datetime
) -> None:
    assert local_instant(day, wall, ZoneInfo(zone)) == expected_utc.replace(tzinfo=UTC)
    seen = due_over(athlete(time_zone=zone, morning_time=wall), day)
    assert seen[("morning", day)] == {expected_utc.replace(tzinfo=UTC)}


@pytest.mark.parametrize(
    ("zone", "day", "wall", "expected_utc"),
    [
        ("Europe/Berlin", date(2026, 10, 25), time(2, 30), datetime(2026, 10, 25, 0, 30)),
        ("America/New_York", date(2026, 11, 1), time(1, 30), datetime(2026, 11, 1, 5, 30)),
        ("Australia/Lord_Howe", date(2026, 4, 5), time(1, 45), datetime(2026, 4, 4, 14, 45)),
    ],
)
def test_repeated_time_in_fall_back_is_due_at_its_first_occurrence(
    zone: str, day: date, wall: time, expected_utc: datetime
) -> None:
    seen = due_over(athlete(time_zone=zone, morning_time=wall), day)
    assert seen[("morning", day)] == {expected_utc.replace(tzinfo=UTC)}


def test_checkin_only_on_run_days_and_review_on_sunday() -> None:
    runner = athlete()
    kinds_by_date: dict[date, set[str]] = defaultdict(set)
    start = datetime(2026, 11, 2, tzinfo=UTC)  # a Monday
    for now in ticks(start, start + timedelta(days=7), timedelta(minutes=30)):
        for kind, local_date, _ in due_deliveries(runner, now):
            kinds_by_date[local_date].add(kind)
    assert kinds_by_date[date(2026, 11, 2)] == {"morning", "checkin"}  # mon
    assert kinds_by_date[date(2026, 11, 3)] == {"morning"}  # tue
    assert kinds_by_date[date(2026, 11, 7)] == {"morning", "checkin"}  # sat
    assert kinds_by_date[date(2026, 11, 8)] == {"morning", "weekly_review"}  # sun


def test_weekly_review_is_two_hours_after_checkin_capped_at_half_past_eleven() -> None:
    assert weekly_review_time(time(19, 0)) == time(21, 0)
    assert weekly_review_time(time(21, 15)) == time(23, 15)
    assert weekly_review_time(time(21, 45)) == time(23, 30)
    assert weekly_review_time(time(23, 0)) == time(23, 30)
    sunday_night = datetime(2026, 11, 8, 22, 29, tzinfo=UTC)  # 23:29 in Berlin
    runner = athlete(checkin_time=time(22, 0))
    assert "weekly_review" not in {kind for kind, _, _ in due_deliveries(runner, sunday_night)}
    due = due_deliveries(runner, sunday_night + timedelta(minutes=1))
    assert ("weekly_review", date(2026, 11, 8), sunday_night + timedelta(minutes=1)) in due


def test_late_evening_delivery_is_still_due_after_local_midnight() -> None:
    runner = athlete(checkin_time=time(23, 50))
    just_after_midnight = datetime(2026, 11, 4, 23, 5, tzinfo=UTC)  # Thu 00:05 in Berlin
    assert ("checkin", date(2026, 11, 4), datetime(2026, 11, 4, 22, 50, tzinfo=UTC)) in (
        due_deliveries(runner, just_after_midnight)
    )


def test_nothing_more_than_twelve_hours_late() -> None:
    runner = athlete()
    at_the_limit = WEDNESDAY_MORNING + timedelta(hours=12)
    assert ("morning", date(2026, 11, 4)) in {
        (kind, day) for kind, day, _ in due_deliveries(runner, at_the_limit)
    }
    too_late = WEDNESDAY_MORNING + timedelta(hours=12, seconds=1)
    assert ("morning", date(2026, 11, 4)) not in {
        (kind, day) for kind, day, _ in due_deliveries(runner, too_late)
    }


def test_nothing_before_onboarding_or_without_a_profile() -> None:
    onboarded = WEDNESDAY_MORNING + timedelta(minutes=1)
    runner = athlete(onboarded_at=onboarded)
    assert [kind for kind, _, _ in due_deliveries(runner, onboarded)] == []
    assert due_deliveries(athlete(onboarded_at=None), WEDNESDAY_MORNING) == []
    assert due_deliveries(athlete(profile=None), WEDNESDAY_MORNING) == []


def test_naive_clock_is_refused() -> None:
    with pytest.raises(ValueError):
        due_deliveries(athlete(), datetime(2026, 11, 4, 6))


def test_backoff_doubles_from_thirty_seconds_up_to_an_hour() -> None:
    delays = [backoff_delay(attempt) for attempt in range(1, 10)]
    assert delays[:4] == [timedelta(seconds=s) for s in (30, 60, 120, 240)]
    assert max(delays) == timedelta(hours=1)


# --- enqueue and claim (both databases) -------------------------------------------------


def deliveries(sessions: Sessions) -> list[Delivery]:
    with sessions() as session:
        statement = select(Delivery).order_by(col(Delivery.local_date), col(Delivery.id))
        return list(session.exec(statement).all())


def enqueue(sessions: Sessions, now: datetime) -> int:
    with sessions() as session:
        return enqueue_due(session, now)


def claim(sessions: Sessions, now: datetime, worker: str, limit: int = 20) -> list[Delivery]:
    with sessions() as session:
        return claim_batch(session, now, worker, limit=limit)


def test_enqueue_twice_inserts_once(sessions: Sessions, make_athlete: MakeAthlete) -> None:
    make_athlete()
    assert enqueue(sessions, WEDNESDAY_MORNING) == 1
    assert enqueue(sessions, WEDNESDAY_MORNING) == 0
    assert enqueue(sessions, WEDNESDAY_MORNING + timedelta(minutes=1)) == 0
    (row,) = deliveries(sessions)
    assert (row.kind, row.local_date, row.status) == ("morning", date(2026, 11, 4), "pending")
    assert row.due_at == row.next_attempt_at == WEDNESDAY_MORNING


def test_enqueue_skips_inactive_and_not_onboarded(
    sessions: Sessions, make_athlete: MakeAthlete
) -> None:
    make_athlete(active=False)
    make_athlete(onboarded_at=None)
    make_athlete(profile=None)
    assert enqueue(sessions, WEDNESDAY_MORNING) == 0


def test_one_bad_time_zone_does_not_block_the_others(
    sessions: Sessions, make_athlete: MakeAthlete
) -> None:
    make_athlete(time_zone="Nowhere/Atlantis")
    make_athlete()
    assert enqueue(sessions, WEDNESDAY_MORNING) == 1


@pytest.mark.parametrize(("zone", "day"), DST_DAYS)
def test_dst_days_enqueue_one_morning_row(
    sessions: Sessions, make_athlete: MakeAthlete, zone: str, day: date
) -> None:
    make_athlete(time_zone=zone, morning_time=time(2, 30))
    start = datetime.combine(day - timedelta(days=1), time(0), tzinfo=UTC)
    for now in ticks(start, start + timedelta(days=3), timedelta(minutes=20)):
        enqueue(sessions, now)
    mornings = Counter(row.local_date for row in deliveries(sessions) if row.kind == "morning")
    assert mornings[day] == 1


def test_a_claimed_row_is_not_claimed_again(sessions: Sessions, make_athlete: MakeAthlete) -> None:
    make_athlete()
    make_athlete()
    enqueue(sessions, WEDNESDAY_MORNING)
    first = claim(sessions, WEDNESDAY_MORNING, "worker-a")
    assert len(first) == 2
    assert {row.status for row in first} == {"sending"}
    assert {row.claimed_by for row in first} == {"worker-a"}
    assert claim(sessions, WEDNESDAY_MORNING + timedelta(seconds=20), "worker-b") == []


def test_claim_respects_next_attempt_at_and_limit(
    sessions: Sessions, make_athlete: MakeAthlete
) -> None:
    for _ in range(3):
        make_athlete()
    enqueue(sessions, WEDNESDAY_MORNING)
    assert claim(sessions, WEDNESDAY_MORNING - timedelta(seconds=1), "w") == []
    assert len(claim(sessions, WEDNESDAY_MORNING, "w", limit=2)) == 2
    assert len(claim(sessions, WEDNESDAY_MORNING, "w", limit=2)) == 1


def test_concurrent_workers_never_share_a_row(
    sessions: Sessions, make_athlete: MakeAthlete
) -> None:
    for _ in range(30):
        make_athlete()
    assert enqueue(sessions, WEDNESDAY_MORNING) == 30
    claimed: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(name: str) -> None:
        try:
            while batch := claim(sessions, WEDNESDAY_MORNING, name, limit=3):
                with lock:
                    claimed.extend(row.id for row in batch if row.id is not None)
        except BaseException as error:  # surfaced below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(claimed) == 30
    assert len(set(claimed)) == 30


@pytest.mark.parametrize(
    "engine",
    [
        # Row locks are PostgreSQL's; SQLite serialises writers (the tests above).
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(
                not os.environ.get("RAMP_TEST_DATABASE_URL"),
                reason="RAMP_TEST_DATABASE_URL is not set",
            ),
        )
    ],
    indirect=True,
)
def test_postgres_skips_rows_locked_by_another_worker(
    sessions: Sessions, make_athlete: MakeAthlete
) -> None:
    for _ in range(4):
        make_athlete()
    enqueue(sessions, WEDNESDAY_MORNING)
    with sessions() as worker_a:
        # Worker A is between its SELECT ... FOR UPDATE and its commit.
        statement = (
            select(Delivery).order_by(col(Delivery.id)).limit(2).with_for_update(skip_locked=True)
        )
        held = {row.id for row in worker_a.exec(statement).all()}
        worker_b_rows = claim(sessions, WEDNESDAY_MORNING, "worker-b")
        assert {row.id for row in worker_b_rows}.isdisjoint(held)
        assert len(worker_b_rows) == 2
        worker_a.rollback()


# --- sending ----------------------------------------------------------------------------


class FakeBot:
    """Records send_message calls; raises the queued outcomes (None means success)."""

    def __init__(self, *outcomes: Exception | None) -> None:
        self.calls: list[dict[str, Any]] = []
        self.outcomes = list(outcomes)

    async def send_message(self, **kwargs: Any) -> SimpleNamespace:
        self.calls.append(kwargs)
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if outcome is not None:
            raise outcome
        return SimpleNamespace(message_id=1000 + len(self.calls))


def render(session: Session, runner: Athlete, delivery: Delivery) -> Outgoing | None:
    return Outgoing(text=f"<b>{delivery.kind}</b> for {runner.first_name}")


async def tick(bot: FakeBot, sessions: Sessions, now: datetime, worker: str = "w1") -> None:
    await run_tick(bot, sessions, render, now, worker)


def only_row(sessions: Sessions) -> Delivery:
    (row,) = deliveries(sessions)
    return row


def row_of(sessions: Sessions, kind: str, local_date: date) -> Delivery:
    (row,) = [r for r in deliveries(sessions) if (r.kind, r.local_date) == (kind, local_date)]
    return row


async def test_tick_sends_the_morning_message_once(
    sessions: Sessions, make_athlete: MakeAthlete
) -> None:
    runner = make_athlete(chat_id=555)
    bot = FakeBot()
    await tick(bot, sessions, WEDNESDAY_MORNING)
    await tick(bot, sessions, WEDNESDAY_MORNING + timedelta(minutes=1))
    assert bot.calls == [
        {
            "chat_id": 555,
            "text": f"<b>morning</b> for {runner.first_name}",
            "parse_mode": "HTML",
            "reply_markup": None,
            "allow_paid_broadcast": None,
            "rate_limit_args": None,
            "api_kwargs": None,
        }
    ]
    row = only_row(sessions)
    assert (row.status, row.telegram_message_id, row.sent_at) == ("sent", 1001, WEDNESDAY_MORNING)


async def test_render_returning_none_marks_sent_without_a_message(
    sessions: Sessions, make_athlete: MakeAthlete
) -> None:
    make_athlete()
    bot = FakeBot()
    await run_tick(bot, sessions, lambda *_: None, WEDNESDAY_MORNING, "w1")
    assert bot.calls == []
    row = only_row(sessions)
    assert (row.status, row.telegram_message_id) == ("sent", None)


async def test_429_waits_retry_after_without_counting_a_failure(
    sessions: Sessions, make_athlete: MakeAthlete
) -> None:
    make_athlete()
    bot = FakeBot(RetryAfter(17))
    await tick(bot, sessions, WEDNESDAY_MORNING)
    row = only_row(sessions)
    assert (row.status, row.attempts) == ("pending", 0)
    assert row.next_attempt_at == WEDNESDAY_MORNING + timedelta(seconds=17)
    await tick(bot, sessions, WEDNESDAY_MORNING + timedelta(seconds=16))
    assert len(bot.calls) == 1
    await tick(bot, sessions, WEDNESDAY_MORNING + timedelta(seconds=17))
    assert len(bot.calls) == 2
    assert only_row(sessions).status == "sent"


@pytest.mark.parametrize(
    "error", [NetworkError("Bad Gateway"), NetworkError("Internal Server Error (500)"), TimedOut()]
)
async def test_5xx_and_network_errors_back_off_then_succeed(
    sessions: Sessions, make_athlete: MakeAthlete, error: Exception
) -> None:
    make_athlete()
    bot = FakeBot(error, error)
    await tick(bot, sessions, WEDNESDAY_MORNING)
    row = only_row(sessions)
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.next_attempt_at == WEDNESDAY_MORNING + timedelta(seconds=30)
    await tick(bot, sessions, row.next_attempt_at)
    row = only_row(sessions)
    assert row.attempts == 2
    assert row.next_attempt_at == WEDNESDAY_MORNING + timedelta(seconds=90)
    await tick(bot, sessions, row.next_attempt_at)
    assert only_row(sessions).status == "sent"
    assert len(bot.calls) == 3


async def test_gives_up_after_eight_failed_attempts(
    sessions: Sessions, make_athlete: MakeAthlete
) -> None:
    make_athlete()
    bot = FakeBot(*[NetworkError("Bad Gateway")] * 20)
    now = WEDNESDAY_MORNING
    for _ in range(MAX_ATTEMPTS + 3):
        await tick(bot, sessions, now)
        now = max(now, only_row(sessions).next_attempt_at)
    row = only_row(sessions)
    assert (row.status, row.attempts) == ("failed", MAX_ATTEMPTS)
    assert len(bot.calls) == MAX_ATTEMPTS
    assert row.last_error is not None and "Bad Gateway" in row.last_error


async def test_forbidden_deactivates_the_runner_and_cancels_their_pending_rows(
    sessions: Sessions, make_athlete: MakeAthlete
) -> None:
    runner, other = make_athlete(), make_athlete()
    assert runner.id is not None and other.id is not None
    evening = WEDNESDAY_MORNING.replace(hour=18)  # morning and check-in both due
    bot = FakeBot(Forbidden("Forbidden: bot was blocked by the user"))
    await run_tick(bot, sessions, render, evening, "w1")
    with sessions() as session:
        stored = session.get(Athlete, runner.id)
        assert stored is not None and not stored.active
    statuses = {(row.athlete_id, row.kind): row.status for row in deliveries(sessions)}
    assert statuses[(runner.id, "morning")] == "failed"
    assert statuses[(runner.id, "checkin")] == "cancelled"
    assert statuses[(other.id, "morning")] == "sent"
    assert statuses[(other.id, "checkin")] == "sent"
    before = len(bot.calls)
    await run_tick(bot, sessions, render, evening + timedelta(hours=1), "w1")
    assert len(bot.calls) == before


async def test_bad_request_fails_with_a_log_safe_error(
    sessions: Sessions, make_athlete: MakeAthlete, caplog: pytest.LogCaptureFixture
) -> None:
    make_athlete()
    bot = FakeBot(BadRequest(f"Can't parse entities at https://api.telegram.org/bot{TOKEN}/x"))
    await tick(bot, sessions, WEDNESDAY_MORNING)
    row = only_row(sessions)
    assert row.status == "failed"
    assert row.last_error is not None and row.last_error.startswith("BadRequest: Can't parse")
    assert TOKEN not in row.last_error
    assert TOKEN not in caplog.text
    await tick(bot, sessions, WEDNESDAY_MORNING + timedelta(hours=1))
    assert len(bot.calls) == 1


async def test_chat_migration_moves_the_chat_and_resends(
    sessions: Sessions, make_athlete: MakeAthlete
) -> None:
    make_athlete(chat_id=1)
    bot = FakeBot(ChatMigrated(-100777))
    await tick(bot, sessions, WEDNESDAY_MORNING)
    await tick(bot, sessions, WEDNESDAY_MORNING + timedelta(seconds=1))
    assert [call["chat_id"] for call in bot.calls] == [1, -100777]
    assert only_row(sessions).status == "sent"


async def test_render_error_backs_off(sessions: Sessions, make_athlete: MakeAthlete) -> None:
    make_athlete()

    def broken(session: Session, runner: Athlete, delivery: Delivery) -> Outgoing | None:
        raise KeyError("profile")

    await run_tick(FakeBot(), sessions, broken, WEDNESDAY_MORNING, "w1")
    row = only_row(sessions)
    assert (row.status, row.attempts) == ("pending", 1)


async def test_restart_between_claim_and_send_resends_exactly_once(
    sessions: Sessions, make_athlete: MakeAthlete
) -> None:
    make_athlete()
    enqueue(sessions, WEDNESDAY_MORNING)
    crashed = claim(sessions, WEDNESDAY_MORNING, "old-process")  # then the process died
    assert len(crashed) == 1
    bot = FakeBot()
    await tick(bot, sessions, WEDNESDAY_MORNING + timedelta(seconds=29), "new-process")
    assert bot.calls == []  # the lease still holds
    await tick(bot, sessions, WEDNESDAY_MORNING + timedelta(seconds=30), "new-process")
    assert len(bot.calls) == 1
    # The old process, had it survived, finds its claim taken and sends nothing.
    await send_claimed(bot, sessions, crashed, render, WEDNESDAY_MORNING + timedelta(minutes=3))
    await tick(bot, sessions, WEDNESDAY_MORNING + timedelta(minutes=10), "new-process")
    assert len(bot.calls) == 1
    row = only_row(sessions)
    assert (row.status, row.claimed_by) == ("sent", "new-process")


async def test_a_row_retrying_for_more_than_twelve_hours_expires(
    sessions: Sessions, make_athlete: MakeAthlete
) -> None:
    make_athlete()
    bot = FakeBot(RetryAfter(13 * 3600))
    await tick(bot, sessions, WEDNESDAY_MORNING)
    await tick(bot, sessions, WEDNESDAY_MORNING + timedelta(hours=13))
    assert [call["text"] for call in bot.calls].count("<b>morning</b> for Runner") == 1
    assert row_of(sessions, "morning", date(2026, 11, 4)).status == "expired"


async def test_run_tick_never_raises(sessions: Sessions, make_athlete: MakeAthlete) -> None:
    make_athlete()
    await run_tick(FakeBot(RuntimeError("boom")), sessions, render, WEDNESDAY_MORNING, "w1")
    assert only_row(sessions).status == "pending"

    def no_database() -> Session:
        raise OSError("database is down")

    await run_tick(FakeBot(), no_database, render, WEDNESDAY_MORNING, "w1")  # type: ignore[arg-type]
    await run_tick(FakeBot(), sessions, render, datetime(2026, 11, 4, 6), "w1")  # naive clock


async def test_due_instants_in_a_gap_survive_the_database(
    sessions: Sessions, make_athlete: MakeAthlete
) -> None:
    make_athlete(time_zone="Australia/Lord_Howe", morning_time=time(2, 15))
    enqueue(sessions, datetime(2026, 10, 3, 16, tzinfo=UTC))
    row = row_of(sessions, "morning", date(2026, 10, 4))
    assert row.due_at == datetime(2026, 10, 3, 15, 30, tzinfo=UTC)
    assert row.due_at.tzinfo is UTC


# --- draining, the next-due index, rendering ahead --------------------------------------


async def test_one_tick_drains_everything_due_with_several_sends_in_flight(
    sessions: Sessions, make_athlete: MakeAthlete
) -> None:
    for chat in range(45):
        make_athlete(chat_id=9000 + chat)
    bot = FakeBot()
    options = DrainOptions(batch_size=10, in_flight=4)
    sent = await run_tick(bot, sessions, render, WEDNESDAY_MORNING, "w1", options)
    assert sent == 45
    assert sorted(call["chat_id"] for call in bot.calls) == [9000 + n for n in range(45)]
    assert {row.status for row in deliveries(sessions)} == {"sent"}


async def test_a_blocked_runner_gets_nothing_more_in_the_same_drain(
    sessions: Sessions, make_athlete: MakeAthlete
) -> None:
    make_athlete(chat_id=1)
    evening = WEDNESDAY_MORNING.replace(hour=18)  # morning and check-in both due
    bot = FakeBot(Forbidden("Forbidden: bot was blocked by the user"))
    await run_tick(bot, sessions, render, evening, "w1", DrainOptions(in_flight=1))
    assert len(bot.calls) == 1
    assert {row.kind: row.status for row in deliveries(sessions)} == {
        "morning": "failed",
        "checkin": "cancelled",
    }


def test_enqueue_looks_only_at_runners_whose_next_due_instant_has_come(
    sessions: Sessions, make_athlete: MakeAthlete
) -> None:
    runner = make_athlete()
    assert runner.id is not None
    assert enqueue(sessions, WEDNESDAY_MORNING) == 1
    with sessions() as session:
        stored = session.get(Athlete, runner.id)
        assert stored is not None
        # Next: the check-in at 19:00 Berlin (18:00 UTC), a run day.
        assert stored.next_due_at == WEDNESDAY_MORNING.replace(hour=18)
        # Pretend the schedule said "nothing before next week": the runner is not looked at.
        stored.next_due_at = WEDNESDAY_MORNING + timedelta(days=7)
        session.add(stored)
        session.commit()
    assert enqueue(sessions, WEDNESDAY_MORNING.replace(hour=18)) == 0
    with sessions() as session, session.begin():
        stored = session.get(Athlete, runner.id)
        assert stored is not None
        repo.update_settings(session, stored, morning_time=time(7, 0))  # any change resets it
    assert enqueue(sessions, WEDNESDAY_MORNING.replace(hour=18)) == 1


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # reads SQLite's query plan
def test_the_due_query_uses_the_next_due_index(
    sessions: Sessions, make_athlete: MakeAthlete
) -> None:
    make_athlete()
    with sessions() as session:
        plan = session.connection().exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT id FROM athletes WHERE active = 1 "
            "AND (next_due_at IS NULL OR next_due_at <= '2026-11-04 06:10:00')"
        )
        assert "ix_athletes_next_due_at" in " ".join(str(row) for row in plan.all())


def test_rows_are_enqueued_ahead_but_not_claimed_before_they_are_due(
    sessions: Sessions, make_athlete: MakeAthlete
) -> None:
    make_athlete()
    with sessions() as session:
        assert enqueue_due(session, WEDNESDAY_MORNING - timedelta(minutes=5), DEFAULT_AHEAD) == 1
    assert claim(sessions, WEDNESDAY_MORNING - timedelta(seconds=1), "w") == []
    assert len(claim(sessions, WEDNESDAY_MORNING, "w")) == 1


class CountingRender:
    """Renders the number of events the runner has, and counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, session: Session, runner: Athlete, delivery: Delivery) -> Outgoing | None:
        self.calls += 1
        assert runner.id is not None
        count = len(repo.events_for(session, runner.id))
        return Outgoing(text=f"events: {count}")


def log_something(sessions: Sessions, runner: Athlete) -> None:
    assert runner.id is not None
    with sessions() as session, session.begin():
        repo.append_event(session, runner.id, {"type": "rhr", "date": "2026-11-04", "bpm": 48})


async def test_the_morning_message_is_rendered_ahead_and_just_sent(
    sessions: Sessions, make_athlete: MakeAthlete
) -> None:
    make_athlete()
    counting, bot = CountingRender(), FakeBot()
    options = DrainOptions(ahead=timedelta(minutes=10))
    await run_tick(bot, sessions, counting, WEDNESDAY_MORNING - timedelta(minutes=5), "w", options)
    row = only_row(sessions)
    assert (row.status, row.rendered_text) == ("pending", "events: 0")
    assert (bot.calls, counting.calls) == ([], 1)
    await run_tick(bot, sessions, counting, WEDNESDAY_MORNING, "w", options)
    assert [call["text"] for call in bot.calls] == ["events: 0"]
    assert counting.calls == 1  # sending did not render again


async def test_logging_before_the_morning_makes_the_rendered_message_stale(
    sessions: Sessions, make_athlete: MakeAthlete
) -> None:
    runner = make_athlete()
    counting, bot = CountingRender(), FakeBot()
    options = DrainOptions(ahead=timedelta(minutes=10))
    await run_tick(bot, sessions, counting, WEDNESDAY_MORNING - timedelta(minutes=9), "w", options)
    assert only_row(sessions).rendered_text == "events: 0"
    log_something(sessions, runner)  # e.g. the resting heart rate, at 06:52
    # Straight at the due instant: the send renders again rather than use the old text.
    await run_tick(bot, sessions, counting, WEDNESDAY_MORNING, "w", options)
    assert [call["text"] for call in bot.calls] == ["events: 1"]
    assert counting.calls == 2


async def test_a_stale_rendered_message_is_rendered_again_before_it_is_due(
    sessions: Sessions, make_athlete: MakeAthlete
) -> None:
    runner = make_athlete()
    counting, bot = CountingRender(), FakeBot()
    options = DrainOptions(ahead=timedelta(minutes=10))
    await run_tick(bot, sessions, counting, WEDNESDAY_MORNING - timedelta(minutes=9), "w", options)
    log_something(sessions, runner)
    await run_tick(bot, sessions, counting, WEDNESDAY_MORNING - timedelta(minutes=4), "w", options)
    assert only_row(sessions).rendered_text == "events: 1"
    await run_tick(bot, sessions, counting, WEDNESDAY_MORNING - timedelta(minutes=3), "w", options)
    assert counting.calls == 2  # nothing changed since: not rendered a third time
    await run_tick(bot, sessions, counting, WEDNESDAY_MORNING, "w", options)
    assert [call["text"] for call in bot.calls] == ["events: 1"]
    assert counting.calls == 2


def change_morning(sessions: Sessions, runner: Athlete, morning: time) -> None:
    with sessions() as session, session.begin():
        row = session.get(Athlete, runner.id)
        assert row is not None
        repo.update_settings(session, row, morning_time=morning)


async def test_a_morning_moved_later_after_its_row_was_inserted_goes_at_the_new_time(
    sessions: Sessions, make_athlete: MakeAthlete
) -> None:
    runner = make_athlete()
    bot, options = FakeBot(), DrainOptions(ahead=timedelta(minutes=10))
    await run_tick(bot, sessions, render, WEDNESDAY_MORNING - timedelta(minutes=8), "w", options)
    assert only_row(sessions).due_at == WEDNESDAY_MORNING  # inserted ahead for 07:00
    change_morning(sessions, runner, time(7, 30))  # at 06:52 local
    await run_tick(bot, sessions, render, WEDNESDAY_MORNING, "w", options)
    assert bot.calls == []
    row = only_row(sessions)
    assert (row.status, row.due_at) == ("pending", WEDNESDAY_MORNING + timedelta(minutes=30))
    await run_tick(bot, sessions, render, WEDNESDAY_MORNING + timedelta(minutes=29), "w", options)
    assert bot.calls == []
    await run_tick(bot, sessions, render, WEDNESDAY_MORNING + timedelta(minutes=30), "w", options)
    assert len(bot.calls) == 1
    assert only_row(sessions).status == "sent"


async def test_a_morning_moved_later_beyond_the_look_ahead_waits_for_it(
    sessions: Sessions, make_athlete: MakeAthlete
) -> None:
    runner = make_athlete()
    bot, options = FakeBot(), DrainOptions(ahead=timedelta(minutes=10))
    await run_tick(bot, sessions, render, WEDNESDAY_MORNING - timedelta(minutes=5), "w", options)
    change_morning(sessions, runner, time(9, 0))
    await run_tick(bot, sessions, render, WEDNESDAY_MORNING, "w", options)
    assert bot.calls == []
    assert only_row(sessions).due_at == WEDNESDAY_MORNING + timedelta(hours=2)
    await run_tick(bot, sessions, render, WEDNESDAY_MORNING + timedelta(hours=2), "w", options)
    assert len(bot.calls) == 1


async def test_a_morning_moved_earlier_after_its_row_was_inserted_goes_at_the_new_time(
    sessions: Sessions, make_athlete: MakeAthlete
) -> None:
    runner = make_athlete()
    bot, options = FakeBot(), DrainOptions(ahead=timedelta(minutes=10))
    await run_tick(bot, sessions, render, WEDNESDAY_MORNING - timedelta(minutes=8), "w", options)
    change_morning(sessions, runner, time(6, 55))
    await run_tick(bot, sessions, render, WEDNESDAY_MORNING - timedelta(minutes=6), "w", options)
    assert bot.calls == []
    assert only_row(sessions).due_at == WEDNESDAY_MORNING - timedelta(minutes=5)
    await run_tick(bot, sessions, render, WEDNESDAY_MORNING - timedelta(minutes=5), "w", options)
    assert len(bot.calls) == 1
    await run_tick(bot, sessions, render, WEDNESDAY_MORNING, "w", options)
    assert len(bot.calls) == 1  # not again at the old time
