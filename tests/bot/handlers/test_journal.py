"""The journal: one load and at most one replay per update, and the only write path."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

import bot.replay_cache
import coach.replay
from bot.journal import Journal, profile_effective, run_key
from bot.parsing import ParseError
from bot.store import repo
from coach.history import RestingHR, Run
from tests.bot.conftest import MakeAthlete


@pytest.mark.parametrize(
    ("today", "effective"),
    [
        (date(2027, 1, 11), date(2027, 1, 12)),  # Monday: from tomorrow
        (date(2027, 1, 13), date(2027, 1, 14)),  # Wednesday: still from tomorrow
        (date(2027, 1, 14), date(2027, 1, 18)),  # Thursday: the week is half done
        (date(2027, 1, 17), date(2027, 1, 18)),  # Sunday: tomorrow is Monday anyway
    ],
)
def test_a_profile_change_takes_effect_tomorrow_or_next_monday(
    today: date, effective: date
) -> None:
    assert profile_effective(today) == effective


def test_one_load_and_one_replay_however_many_questions(
    sessions: sessionmaker[Session], make_athlete: MakeAthlete, monkeypatch: pytest.MonkeyPatch
) -> None:
    athlete = make_athlete()
    counts = {"loads": 0, "replays": 0}
    events_for = repo.event_marks_for
    replay = coach.replay.replay

    def counted_load(*args: Any) -> Any:
        counts["loads"] += 1
        return events_for(*args)

    def counted_replay(*args: Any) -> Any:
        counts["replays"] += 1
        return replay(*args)

    monkeypatch.setattr(repo, "event_marks_for", counted_load)
    monkeypatch.setattr(bot.replay_cache, "replay", counted_replay)
    with sessions() as session, session.begin():
        athlete = repo.get_athlete(session, athlete.id or 0) or athlete
        start = date.fromisoformat((athlete.profile or {})["start_date"])
        today = start + timedelta(days=9)
        journal = Journal(session, athlete, today)
        for offset in range(10):
            journal.planned_on(start + timedelta(days=offset))
            journal.day(start + timedelta(days=offset))
        journal.plan()
        assert counts == {"loads": 1, "replays": 1}

        assert journal.record(RestingHR(today, 50), f"rhr:{today}", replace_key=True)
        assert journal.day(today).rhr == 50  # kept in memory, not loaded again
        journal.plan()
        assert counts == {"loads": 1, "replays": 2}  # a write makes the next question replay


def test_nothing_half_valid_or_in_the_future_is_stored(
    sessions: sessionmaker[Session], make_athlete: MakeAthlete
) -> None:
    athlete = make_athlete()
    with sessions() as session, session.begin():
        athlete = repo.get_athlete(session, athlete.id or 0) or athlete
        today = date.fromisoformat((athlete.profile or {})["start_date"]) + timedelta(days=3)
        journal = Journal(session, athlete, today)
        with pytest.raises(ParseError):
            journal.record(Run(today, 30, rpe=14), run_key(today))
        with pytest.raises(ParseError, match="hasn't happened yet"):
            journal.record(Run(today + timedelta(days=1), 30), run_key(today))
        assert repo.events_for(session, athlete.id or 0) == []
