"""Repository functions: small, synchronous, one purpose each.

They flush but never commit: the caller owns the transaction and keeps it short, e.g.

    with factory() as session, session.begin():
        if repo.mark_update_processed(session, update.update_id):
            repo.append_event(session, athlete.id, event, dedupe_key=...)

so an update is marked processed in the same transaction as its effects (a crash
before the commit lets Telegram's redelivery apply them again, once).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import String, delete, func, or_, type_coerce
from sqlmodel import Session, col, select

from bot.store.db import dialect_insert, insert_ignoring_conflicts, table_of
from bot.store.models import (
    UNITS,
    Athlete,
    ConversationState,
    Delivery,
    Event,
    ProcessedUpdate,
    utcnow,
)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


# --- athletes ---------------------------------------------------------------------------


def get_athlete(session: Session, athlete_id: int) -> Athlete | None:
    return session.get(Athlete, athlete_id)


def get_athlete_by_telegram_id(session: Session, telegram_user_id: int) -> Athlete | None:
    statement = select(Athlete).where(Athlete.telegram_user_id == telegram_user_id)
    return session.exec(statement).first()


def get_or_create_athlete(
    session: Session, telegram_user_id: int, chat_id: int, first_name: str = ""
) -> Athlete:
    """The runner's row, created on first contact; safe when two updates race."""
    known = get_athlete_by_telegram_id(session, telegram_user_id)
    if known is not None:  # every update but the first: one SELECT, no write attempted
        return known
    now = utcnow()
    insert_ignoring_conflicts(
        session,
        table_of(Athlete),
        [
            {
                "telegram_user_id": telegram_user_id,
                "chat_id": chat_id,
                "first_name": first_name[:255],
                "time_zone": "UTC",
                "morning_time": time(7, 0),
                "checkin_time": time(19, 0),
                "units": "km",
                "active": True,
                "created_at": now,
                "updated_at": now,
            }
        ],
        ["telegram_user_id"],
    )
    athlete = get_athlete_by_telegram_id(session, telegram_user_id)
    assert athlete is not None
    return athlete


def validate_time_zone(name: str) -> str:
    """The IANA name if zoneinfo knows it; ValueError otherwise (no fixed offsets)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone: {name!r}") from error
    return name


def update_settings(
    session: Session,
    athlete: Athlete,
    *,
    time_zone: str | None = None,
    morning_time: time | None = None,
    checkin_time: time | None = None,
    units: str | None = None,
    first_name: str | None = None,
    chat_id: int | None = None,
) -> Athlete:
    """Change only the settings given; every value is validated before anything is set."""
    if time_zone is not None:
        validate_time_zone(time_zone)
    if units is not None and units not in UNITS:
        raise ValueError(f"units must be one of {UNITS}, not {units!r}")
    for clock in (morning_time, checkin_time):
        if clock is not None and clock.tzinfo is not None:
            raise ValueError("morning and check-in times are local wall-clock times")
    changes = {
        "time_zone": time_zone,
        "morning_time": morning_time,
        "checkin_time": checkin_time,
        "units": units,
        "first_name": None if first_name is None else first_name[:255],
        "chat_id": chat_id,
    }
    for name, value in changes.items():
        if value is not None:
            setattr(athlete, name, value)
    return _touch(session, athlete)


def save_profile(
    session: Session, athlete: Athlete, profile: dict[str, Any], now_utc: datetime
) -> Athlete:
    """Store the coach profile; the first save marks onboarding complete at `now_utc`.

    `profile["units"]`, when present, also becomes the athlete's units setting.
    """
    check_profile(profile)
    athlete.profile = dict(profile)  # a new object, so the JSON column sees the change
    if "units" in profile:
        athlete.units = profile["units"]
    if athlete.onboarded_at is None:
        athlete.onboarded_at = now_utc
    return _touch(session, athlete)


def check_profile(profile: dict[str, Any]) -> None:
    """Refuse a profile the delivery schedule or the replay could not use."""
    run_days = profile.get("run_days")
    if not isinstance(run_days, list) or not run_days:
        raise ValueError("profile.run_days must be a non-empty list")
    unknown = [day for day in run_days if day not in WEEKDAYS]
    if unknown:
        raise ValueError(f"profile.run_days has unknown days: {unknown}")
    date.fromisoformat(str(profile.get("start_date")))
    if profile.get("units", "km") not in UNITS:
        raise ValueError(f"profile.units must be one of {UNITS}")


def set_active(session: Session, athlete_id: int, active: bool) -> None:
    athlete = session.get(Athlete, athlete_id)
    if athlete is not None and athlete.active != active:
        athlete.active = active
        _touch(session, athlete)


def _touch(session: Session, athlete: Athlete) -> Athlete:
    athlete.updated_at = utcnow()
    # Times, zone, run days or active may have changed: the scheduler works out anew
    # when this runner is next due.
    athlete.next_due_at = None
    session.add(athlete)
    session.flush()
    return athlete


# --- conversation state -----------------------------------------------------------------


def get_conversation(session: Session, athlete_id: int) -> ConversationState | None:
    return session.get(ConversationState, athlete_id)


def save_conversation(
    session: Session,
    athlete_id: int,
    flow: str,
    step: str,
    data: dict[str, Any] | None = None,
    message_id: int | None = None,
) -> ConversationState:
    """Replace the runner's conversation state (there is at most one)."""
    state = session.get(ConversationState, athlete_id)
    if state is None:
        state = ConversationState(athlete_id=athlete_id, flow=flow, step=step)
    state.flow = flow
    state.step = step
    state.data = dict(data or {})
    state.message_id = message_id
    state.updated_at = utcnow()
    session.add(state)
    session.flush()
    return state


def clear_conversation(session: Session, athlete_id: int) -> None:
    session.exec(delete(ConversationState).where(col(ConversationState.athlete_id) == athlete_id))


# --- events -----------------------------------------------------------------------------


def _event_row(athlete_id: int, event: dict[str, Any], dedupe_key: str | None) -> dict[str, Any]:
    event_type = event.get("type")
    if not isinstance(event_type, str) or not event_type:
        raise ValueError("an event needs a type")
    return {
        "athlete_id": athlete_id,
        "local_date": date.fromisoformat(str(event.get("date"))),
        "type": event_type,
        "payload": dict(event),
        "dedupe_key": dedupe_key,
        "created_at": utcnow(),
    }


def append_event(
    session: Session, athlete_id: int, event: dict[str, Any], dedupe_key: str | None = None
) -> bool:
    """Store a coach event dict; False (and nothing stored) if `dedupe_key` is already there.

    Without a dedupe key the event is always appended.
    """
    row = _event_row(athlete_id, event, dedupe_key)
    if dedupe_key is None:
        session.add(Event(**row))
        session.flush()
        return True
    inserted = insert_ignoring_conflicts(
        session, table_of(Event), [row], ["athlete_id", "dedupe_key"]
    )
    return inserted == 1


def replace_event(
    session: Session, athlete_id: int, event: dict[str, Any], dedupe_key: str
) -> None:
    """Store the event under `dedupe_key`, overwriting an earlier one with the same key.

    For answers the runner may change (e.g. "checkin:<delivery id>:rpe"): the corrected
    answer keeps the original row id, so its place in the replay order stays put.
    Everything else is append-only; a correction is a newer event.
    """
    row = _event_row(athlete_id, event, dedupe_key)
    statement = dialect_insert(session, table_of(Event)).values(row)
    statement = statement.on_conflict_do_update(
        index_elements=["athlete_id", "dedupe_key"],
        set_={
            "local_date": statement.excluded.local_date,
            "type": statement.excluded.type,
            "payload": statement.excluded.payload,
            "created_at": statement.excluded.created_at,
        },
    )
    session.exec(statement)
    # Event rows loaded earlier in this session would otherwise keep the old payload. Only
    # those: the runner's row is unchanged, and expiring it cost a reload on its next read.
    for loaded in list(session.identity_map.values()):
        if isinstance(loaded, Event):
            session.expire(loaded)


def events_for(session: Session, athlete_id: int) -> list[Event]:
    """The runner's events in replay order: by local date, then by insertion."""
    statement = (
        select(Event)
        .where(Event.athlete_id == athlete_id)
        .order_by(col(Event.local_date), col(Event.id))
    )
    return list(session.exec(statement).all())


# When a row was stored, as the driver returns it: SQLite's text, PostgreSQL's datetime. Only
# compared (has the row changed since it was parsed? which is the latest?), never read.
StoredAt = str | datetime


def event_marks_for(session: Session, athlete_id: int) -> list[tuple[int, StoredAt]]:
    """(id, time stored) of the runner's events in replay order: enough to tell which rows
    the journal has already read, without their payloads."""
    statement = (
        select(Event.id, _raw_stored_at())
        .where(Event.athlete_id == athlete_id)
        .order_by(col(Event.local_date), col(Event.id))
    )
    return [(row_id or 0, at) for row_id, at in session.exec(statement).all()]


def event_summary(session: Session, athlete_id: int) -> tuple[int, int, StoredAt | None]:
    """(how many, highest id, latest time stored) of the runner's events: one aggregate row,
    which tells the journal whether the rows it parsed last time are still all there is."""
    count, highest, latest = session.exec(
        select(func.count(), func.max(Event.id), func.max(_raw_stored_at())).where(
            Event.athlete_id == athlete_id
        )
    ).one()
    return count, highest or 0, latest


def event_facts_changed(
    session: Session, athlete_id: int, highest: int, latest: StoredAt | None
) -> list[tuple[dict[str, Any], str | None, int | None, StoredAt]]:
    """The runner's events stored since a summary: a higher id, or a later time stored (an
    answer corrected in place keeps its id). Same rows as `event_facts_for`."""
    raw_at = _raw_stored_at()
    since = col(Event.id) > highest
    if latest is not None:
        since = or_(since, raw_at > latest)
    statement = select(Event.payload, Event.dedupe_key, Event.id, raw_at).where(
        Event.athlete_id == athlete_id, since
    )
    return [tuple(row) for row in session.exec(statement).all()]


def event_facts_for(
    session: Session, athlete_id: int, ids: Sequence[int] | None = None
) -> list[tuple[dict[str, Any], str | None, int | None, StoredAt]]:
    """The runner's events (or those of `ids`) as plain rows: payload, dedupe key, id, time
    stored. Building ORM objects was a large share of a long history's load."""
    statement = select(Event.payload, Event.dedupe_key, Event.id, _raw_stored_at()).where(
        Event.athlete_id == athlete_id
    )
    if ids is not None:
        statement = statement.where(col(Event.id).in_(ids))
    return [tuple(row) for row in session.exec(statement).all()]


def _raw_stored_at() -> Any:
    # Not parsed into an aware datetime: SQLAlchemy's SQLite DateTime does that with a
    # regular expression, then UTCDateTime replaces the zone, which was most of the marks
    # query at 1,500 events (every row, every update). Naive UTC text sorts in time order.
    return type_coerce(col(Event.created_at), String)


def history_for(session: Session, athlete: Athlete) -> dict[str, Any]:
    """The runner's history in the coach's JSON format ({"profile": ..., "events": [...]}).

    The profile's units always reflect the current units setting.
    """
    assert athlete.id is not None
    events = [dict(event.payload) for event in events_for(session, athlete.id)]
    return {"profile": plan_profile(athlete), "events": events}


# The profile as the plan started, kept inside the athlete's profile once it has changed:
# the athlete's own fields are the current ones (the schedule reads them), the history
# starts from these, and every change is a dated `profile` event.
AS_STARTED = "as_started"
_WEEK_SHAPE = ("run_days", "quality_day", "long_run_day", "weekly_minutes")


def plan_profile(athlete: Athlete) -> dict[str, Any] | None:
    """The profile the runner's history starts from, in the coach's JSON form."""
    if athlete.profile is None:
        return None
    current = {k: v for k, v in athlete.profile.items() if k != AS_STARTED}
    started = athlete.profile.get(AS_STARTED)
    if isinstance(started, dict):
        current.update(started)
    return {**current, "units": athlete.units}  # how to write paces: always the current


def change_profile(session: Session, athlete: Athlete, answers: dict[str, Any]) -> Athlete:
    """The runner's current days and volume, keeping the profile the plan started with."""
    assert athlete.profile is not None
    started = athlete.profile.get(AS_STARTED)
    if not isinstance(started, dict):
        started = {key: athlete.profile.get(key) for key in _WEEK_SHAPE}
    profile = {**athlete.profile, **answers, AS_STARTED: started}
    check_profile(profile)
    athlete.profile = profile
    if "units" in answers:
        athlete.units = answers["units"]
    return _touch(session, athlete)


# --- inbound idempotency ----------------------------------------------------------------


def mark_update_processed(session: Session, update_id: int) -> bool:
    """True the first time an update id is seen, False on a redelivery.

    Race-safe through the primary key: a concurrent transaction inserting the same id
    waits for this one and then finds the conflict.
    """
    row = {"update_id": update_id, "processed_at": utcnow()}
    return insert_ignoring_conflicts(session, table_of(ProcessedUpdate), [row], ["update_id"]) == 1


def forget_processed_updates(session: Session, before_utc: datetime) -> int:
    """Drop ids older than Telegram's redelivery window (it keeps updates for 24 h)."""
    statement = delete(ProcessedUpdate).where(col(ProcessedUpdate.processed_at) < before_utc)
    return session.exec(statement).rowcount


# --- deletion ---------------------------------------------------------------------------


def delete_athlete(session: Session, athlete_id: int) -> None:
    """Remove every row about this runner, in every table.

    Explicit deletes rather than trusting ON DELETE CASCADE alone, so it also holds on
    a SQLite connection opened without foreign keys.
    """
    for model in (Delivery, Event, ConversationState):
        session.exec(delete(model).where(col(model.athlete_id) == athlete_id))
    session.exec(delete(Athlete).where(col(Athlete.id) == athlete_id))
    session.expire_all()
