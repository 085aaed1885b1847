"""Parsed rows reused on a summary (how many, highest id, latest time stored): the journal
reads only the rows stored since, and everything when a row has gone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, col, delete

import bot.journal
from bot.journal import Journal, rhr_key
from bot.replay_cache import ParsedRows
from bot.store import repo
from bot.store.models import Event
from coach.history import RestingHR, Run
from tests.bot.conftest import MakeAthlete

T0, T1, T2 = (datetime(2026, 1, day, tzinfo=UTC) for day in (1, 2, 3))


def test_unchanged_rows_merge_what_was_stored_since_in_order() -> None:
    rows = ParsedRows[str]()
    stored = {1: (T0, "a"), 2: (T0, "b"), 3: (T0, "c")}
    position = {1: 1, 2: 2, 3: 3, 4: 0}  # row 4 falls on an earlier day than the others
    asked: list[tuple[int, Any]] = []

    def changed(highest: int, latest: Any) -> list[tuple[int, datetime, str]]:
        asked.append((highest, latest))
        return [(i, at, v) for i, (at, v) in stored.items() if i > highest or at > latest]

    def summary() -> tuple[int, int, datetime]:
        return len(stored), max(stored), max(at for at, _ in stored.values())

    def order(row_id: int, value: str) -> int:
        return position[row_id]

    assert rows.unchanged(7, summary(), changed, order) is None  # nothing held yet
    marks = [(i, at) for i, (at, _) in stored.items()]
    assert rows.rows(7, marks, lambda ids: [(i, *stored[i]) for i in stored]) == ["a", "b", "c"]
    assert rows.unchanged(7, summary(), changed, order) == ["a", "b", "c"]
    assert asked == []  # the same summary: nothing read
    stored[2] = (T1, "B")  # corrected in place: same id, a later time
    stored[4] = (T2, "d")
    assert rows.unchanged(7, summary(), changed, order) == ["d", "a", "B", "c"]
    assert asked == [(3, T0)]
    del stored[1]  # a row gone: the summary can't vouch for the rest
    stored[5] = (T2, "e")
    position[5] = 9
    assert rows.unchanged(7, summary(), changed, order) is None


def _journal_rows(sessions: sessionmaker[Session], athlete_id: int, today: date) -> list[Any]:
    with sessions() as session:
        athlete = repo.get_athlete(session, athlete_id)
        assert athlete is not None
        journal = Journal(session, athlete, today)
        return [(s.row_id, s.event) for s in journal._load()]


def test_the_journal_reads_the_same_rows_as_a_full_read(
    sessions: sessionmaker[Session], make_athlete: MakeAthlete, monkeypatch: pytest.MonkeyPatch
) -> None:
    athlete_id = make_athlete().id or 0
    with sessions() as session:
        athlete = repo.get_athlete(session, athlete_id)
        assert athlete is not None and athlete.profile is not None
        start = date.fromisoformat(athlete.profile["start_date"])
    today = start + timedelta(days=3)
    marks_read = 0
    marks_for = repo.event_marks_for

    def counted(*args: Any) -> Any:
        nonlocal marks_read
        marks_read += 1
        return marks_for(*args)

    monkeypatch.setattr(bot.journal.repo, "event_marks_for", counted)

    def write(*facts: tuple[Any, str | None]) -> None:
        with sessions() as session, session.begin():
            athlete = repo.get_athlete(session, athlete_id)
            assert athlete is not None
            journal = Journal(session, athlete, today)
            for event, key in facts:
                journal.record(event, key, replace_key=key is not None)

    def full_read() -> list[Any]:
        with sessions() as session:
            rows = repo.event_facts_for(session, athlete_id)
            by_id = {row_id: payload for payload, _, row_id, _ in rows}
            return [by_id[row_id] for row_id, _ in marks_for(session, athlete_id)]

    def as_read() -> list[Any]:
        from coach.history import event_to_dict

        return [event_to_dict(event) for _, event in _journal_rows(sessions, athlete_id, today)]

    write((RestingHR(start + timedelta(days=1), 50), rhr_key(start + timedelta(days=1))))
    assert as_read() == full_read() and marks_read == 1  # the first read of this runner
    write((Run(start, 30.0), None), (RestingHR(today, 49), rhr_key(today)))
    write((RestingHR(start + timedelta(days=1), 53), rhr_key(start + timedelta(days=1))))
    before = marks_read
    assert as_read() == full_read()  # a run on an earlier day, a reading corrected in place
    assert marks_read == before  # the journal used the summary
    with sessions() as session, session.begin():  # a row deleted behind the journal's back
        session.exec(
            delete(Event).where(col(Event.athlete_id) == athlete_id, col(Event.type) == "run")
        )
    assert as_read() == full_read()
    assert marks_read == before + 1  # the summary could not vouch: every mark read again


def test_runners_without_rows_are_bounded_too() -> None:
    rows = ParsedRows[str](rows=100, runners=3)
    for athlete_id in range(5):
        assert rows.rows(athlete_id, [], lambda ids: []) == []
    summary = (0, 0, None)
    held = [i for i in range(5) if rows.unchanged(i, summary, lambda h, t: [], _by_id) is not None]
    assert held == [2, 3, 4]  # the least recently used went first


def _by_id(row_id: int, value: str) -> int:
    return row_id
