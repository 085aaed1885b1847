"""Repository functions: athletes, conversation state, events, idempotency, deletion."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from bot.delivery import enqueue_due
from bot.store import repo
from bot.store.models import Athlete

MakeAthlete = Callable[..., Athlete]

PROFILE = {
    "start_date": "2026-11-02",
    "fitness": None,
    "run_days": ["mon", "wed", "fri", "sat"],
    "quality_day": "wed",
    "long_run_day": "sat",
    "weekly_minutes": 180,
    "units": "km",
    "goal": None,
}
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_get_or_create_athlete_creates_once(sessions: sessionmaker[Session]) -> None:
    with sessions() as session, session.begin():
        first = repo.get_or_create_athlete(session, 5_000_000_001, 42, "Ana")
    with sessions() as session, session.begin():
        again = repo.get_or_create_athlete(session, 5_000_000_001, 42, "Ana")
        assert again.id == first.id
        assert repo.get_athlete_by_telegram_id(session, 5_000_000_001) is not None
        assert again.active
        assert again.profile is None
        assert again.onboarded_at is None


def test_save_profile_completes_onboarding_once(sessions: sessionmaker[Session]) -> None:
    with sessions() as session, session.begin():
        athlete = repo.get_or_create_athlete(session, 1, 1, "Ana")
        repo.save_profile(session, athlete, PROFILE, NOW)
    later = datetime(2026, 12, 1, tzinfo=UTC)
    with sessions() as session, session.begin():
        athlete = repo.get_or_create_athlete(session, 1, 1)
        repo.save_profile(session, athlete, {**PROFILE, "units": "mi"}, later)
    with sessions() as session:
        stored = repo.get_athlete_by_telegram_id(session, 1)
        assert stored is not None
        assert stored.onboarded_at == NOW
        assert stored.units == "mi"
        assert stored.profile is not None and stored.profile["units"] == "mi"


@pytest.mark.parametrize(
    "bad",
    [
        {**PROFILE, "run_days": []},
        {**PROFILE, "run_days": ["monday"]},
        {**PROFILE, "start_date": "soon"},
        {**PROFILE, "units": "furlongs"},
    ],
)
def test_save_profile_refuses_unusable_profiles(
    sessions: sessionmaker[Session], bad: dict[str, object]
) -> None:
    with sessions() as session, session.begin():
        athlete = repo.get_or_create_athlete(session, 1, 1)
        with pytest.raises(ValueError):
            repo.save_profile(session, athlete, bad, NOW)
        assert athlete.profile is None


def test_update_settings_validates_before_changing_anything(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as session, session.begin():
        athlete = repo.get_or_create_athlete(session, 1, 1)
        with pytest.raises(ValueError, match="time zone"):
            repo.update_settings(session, athlete, time_zone="Mars/Olympus", units="mi")
        with pytest.raises(ValueError):
            repo.update_settings(session, athlete, time_zone="+02:00")
        assert athlete.units == "km"
        repo.update_settings(
            session, athlete, time_zone="America/New_York", morning_time=time(6, 15), units="mi"
        )
    with sessions() as session:
        stored = repo.get_athlete_by_telegram_id(session, 1)
        assert stored is not None
        assert (stored.time_zone, stored.morning_time, stored.units) == (
            "America/New_York",
            time(6, 15),
            "mi",
        )


def test_set_active(sessions: sessionmaker[Session], make_athlete: MakeAthlete) -> None:
    athlete = make_athlete()
    assert athlete.id is not None
    with sessions() as session, session.begin():
        repo.set_active(session, athlete.id, False)
    with sessions() as session:
        stored = repo.get_athlete(session, athlete.id)
        assert stored is not None and not stored.active


def test_conversation_state_survives_and_clears(
    sessions: sessionmaker[Session], make_athlete: MakeAthlete
) -> None:
    athlete = make_athlete()
    assert athlete.id is not None
    with sessions() as session, session.begin():
        repo.save_conversation(session, athlete.id, "onboarding", "time_zone", {"a": 1}, 77)
    with sessions() as session, session.begin():
        repo.save_conversation(session, athlete.id, "onboarding", "run_days", {"a": 2}, 77)
    with sessions() as session:
        state = repo.get_conversation(session, athlete.id)
        assert state is not None
        assert (state.flow, state.step, state.data, state.message_id) == (
            "onboarding",
            "run_days",
            {"a": 2},
            77,
        )
    with sessions() as session, session.begin():
        repo.clear_conversation(session, athlete.id)
    with sessions() as session:
        assert repo.get_conversation(session, athlete.id) is None


def test_history_is_the_coach_format_in_replay_order(
    sessions: sessionmaker[Session], make_athlete: MakeAthlete
) -> None:
    athlete = make_athlete(profile=PROFILE)
    assert athlete.id is not None
    events: list[dict[str, Any]] = [
        {"date": "2026-11-05", "type": "rhr", "bpm": 51},
        {"date": "2026-11-04", "type": "run", "duration_min": 42, "distance_m": 8000, "rpe": 6},
        {"date": "2026-11-05", "type": "wellness", "sleep_h": 7.5, "soreness": 2},
        {"date": "2026-11-09", "type": "pause", "until": "2026-11-15", "reason": "illness"},
    ]
    with sessions() as session, session.begin():
        for event in events:
            assert repo.append_event(session, athlete.id, event)
    with sessions() as session:
        stored = session.get(Athlete, athlete.id)
        assert stored is not None
        history = repo.history_for(session, stored)
    assert history["profile"] == PROFILE
    assert history["events"] == [events[1], events[0], events[2], events[3]]


def test_dedupe_key_makes_append_idempotent(
    sessions: sessionmaker[Session], make_athlete: MakeAthlete
) -> None:
    ana, ben = make_athlete(), make_athlete()
    assert ana.id is not None and ben.id is not None
    run = {"date": "2026-11-04", "type": "run", "duration_min": 42}
    with sessions() as session, session.begin():
        assert repo.append_event(session, ana.id, run, dedupe_key="sha256:abc")
        assert not repo.append_event(session, ana.id, run, dedupe_key="sha256:abc")
        # The same key belongs to nobody else, and events without a key never collide.
        assert repo.append_event(session, ben.id, run, dedupe_key="sha256:abc")
        assert repo.append_event(session, ana.id, run)
        assert repo.append_event(session, ana.id, run)
    with sessions() as session:
        assert len(repo.events_for(session, ana.id)) == 3
        assert len(repo.events_for(session, ben.id)) == 1


def test_replace_event_overwrites_an_answer_in_place(
    sessions: sessionmaker[Session], make_athlete: MakeAthlete
) -> None:
    athlete = make_athlete()
    assert athlete.id is not None
    key = "checkin:17:rpe"
    with sessions() as session, session.begin():
        run = {"date": "2026-11-04", "type": "run", "rpe": 6}
        repo.replace_event(session, athlete.id, run, key)
        repo.append_event(session, athlete.id, {"date": "2026-11-04", "type": "rhr", "bpm": 50})
    with sessions() as session, session.begin():
        run = {"date": "2026-11-04", "type": "run", "rpe": 8}
        repo.replace_event(session, athlete.id, run, key)
    with sessions() as session:
        events = repo.events_for(session, athlete.id)
    assert [event.payload for event in events] == [
        {"date": "2026-11-04", "type": "run", "rpe": 8},
        {"date": "2026-11-04", "type": "rhr", "bpm": 50},
    ]


def test_events_need_a_type_and_a_date(
    sessions: sessionmaker[Session], make_athlete: MakeAthlete
) -> None:
    athlete = make_athlete()
    assert athlete.id is not None
    with sessions() as session, session.begin():
        with pytest.raises(ValueError):
            repo.append_event(session, athlete.id, {"date": "2026-11-04"})
        with pytest.raises(ValueError):
            repo.append_event(session, athlete.id, {"type": "run", "date": "yesterday"})


def test_processed_updates_are_seen_once(sessions: sessionmaker[Session]) -> None:
    with sessions() as session, session.begin():
        assert repo.mark_update_processed(session, 2**40)
        assert not repo.mark_update_processed(session, 2**40)
    with sessions() as session, session.begin():
        assert not repo.mark_update_processed(session, 2**40)
        assert repo.mark_update_processed(session, 2**40 + 1)


def test_a_rolled_back_update_can_be_processed_again(sessions: sessionmaker[Session]) -> None:
    # The handler's effects and the mark share a transaction: a crash undoes both.
    with sessions() as session:
        assert repo.mark_update_processed(session, 7)
        session.rollback()
    with sessions() as session, session.begin():
        assert repo.mark_update_processed(session, 7)


def test_forget_processed_updates(sessions: sessionmaker[Session]) -> None:
    with sessions() as session, session.begin():
        repo.mark_update_processed(session, 1)
    future = datetime(2999, 1, 1, tzinfo=UTC)
    with sessions() as session, session.begin():
        assert repo.forget_processed_updates(session, future) == 1
        assert repo.mark_update_processed(session, 1)


def test_delete_athlete_leaves_no_row_about_them(
    migrated: Engine, sessions: sessionmaker[Session], make_athlete: MakeAthlete
) -> None:
    gone, kept = make_athlete(), make_athlete()
    assert gone.id is not None and kept.id is not None
    for athlete_id in (gone.id, kept.id):
        with sessions() as session, session.begin():
            repo.append_event(session, athlete_id, {"date": "2026-11-04", "type": "rhr", "bpm": 50})
            repo.append_event(
                session, athlete_id, {"date": "2026-11-04", "type": "skipped"}, dedupe_key="k"
            )
            repo.save_conversation(session, athlete_id, "checkin", "rpe")
    with sessions() as session:
        assert enqueue_due(session, datetime(2026, 11, 4, 20, tzinfo=UTC)) > 0

    with sessions() as session, session.begin():
        repo.delete_athlete(session, gone.id)

    with migrated.connect() as connection:
        for table in inspect(migrated).get_table_names():
            columns = {column["name"] for column in inspect(migrated).get_columns(table)}
            if "athlete_id" in columns:
                query = text(f"SELECT athlete_id FROM {table}")
                owners = {row[0] for row in connection.execute(query)}
                assert gone.id not in owners, table
                assert kept.id in owners, table
        ids = {row[0] for row in connection.execute(text("SELECT id FROM athletes"))}
        assert ids == {kept.id}


def test_local_dates_are_stored_as_given(
    sessions: sessionmaker[Session], make_athlete: MakeAthlete
) -> None:
    athlete = make_athlete(time_zone="Pacific/Kiritimati")
    assert athlete.id is not None
    with sessions() as session, session.begin():
        repo.append_event(session, athlete.id, {"date": "2026-12-31", "type": "rhr", "bpm": 48})
    with sessions() as session:
        (event,) = repo.events_for(session, athlete.id)
        assert event.local_date == date(2026, 12, 31)
