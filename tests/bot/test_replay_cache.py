"""The replay cache: an update resumes from the runner's last finished week while the facts
of those weeks are unchanged, and replays cold when one of them changes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from bot.journal import Journal, rhr_key, run_key
from bot.replay_cache import ParsedRows, ReplayCache, checkpoints_for
from bot.store import repo
from coach.history import RestingHR, Run
from coach.model import Plan
from coach.replay import plan
from tests.bot.conftest import MakeAthlete


def _update(
    sessions: sessionmaker[Session],
    athlete_id: int,
    today: date,
    *facts: tuple[Run | RestingHR, str],
) -> tuple[Plan, Plan]:
    """One update: store the facts through the journal, then the plan it shows, beside a
    cold replay of the same history."""
    with sessions() as session, session.begin():
        athlete = repo.get_athlete(session, athlete_id)
        assert athlete is not None
        journal = Journal(session, athlete, today)
        for event, key in facts:
            journal.record(event, key, replace_key=True)
        return journal.plan(), plan(journal.history, today, 2)


def _start(sessions: sessionmaker[Session], athlete_id: int) -> date:
    with sessions() as session:
        athlete = repo.get_athlete(session, athlete_id)
        assert athlete is not None and athlete.profile is not None
        return date.fromisoformat(athlete.profile["start_date"])


def test_updates_resume_until_a_fact_of_a_finished_week_changes(
    sessions: sessionmaker[Session], make_athlete: MakeAthlete
) -> None:
    athlete_id = make_athlete().id or 0
    start = _start(sessions, athlete_id)
    cache = checkpoints_for(sessions.kw["bind"])
    for offset in range(17):  # two weeks and a half of mornings and runs
        day = start + timedelta(days=offset)
        shown, cold = _update(
            sessions, athlete_id, day, (RestingHR(day, 50 + offset % 3), rhr_key(day))
        )
        assert shown == cold
    resumed = cache.resumed
    assert resumed >= 3  # from the first Monday after a finished week on

    today = start + timedelta(days=17)
    shown, cold = _update(sessions, athlete_id, today, (Run(today, 40, rpe=3), run_key(today)))
    assert shown == cold and cache.resumed == resumed + 1

    # A late run for a day of a finished week: the next replay is cold, and right.
    late = start + timedelta(days=9)
    cold_before = cache.cold
    shown, cold = _update(sessions, athlete_id, today, (Run(late, 50, rpe=8), run_key(late)))
    assert shown == cold and cache.cold == cold_before + 1
    # Stored now: the next update files a new checkpoint and resumes from it after that.
    assert _update(sessions, athlete_id, today)[0] == plan_of(sessions, athlete_id, today)
    assert _update(sessions, athlete_id, today)[0] == plan_of(sessions, athlete_id, today)
    assert cache.resumed >= resumed + 2

    # A corrected answer of a finished week, stored by another process: the stamp moves.
    with sessions() as session, session.begin():
        repo.replace_event(
            session, athlete_id, {"type": "rhr", "date": late.isoformat(), "bpm": 66}, rhr_key(late)
        )
    cold_before = cache.cold
    shown, cold = _update(sessions, athlete_id, today)
    assert shown == cold and cache.cold == cold_before + 1


def plan_of(sessions: sessionmaker[Session], athlete_id: int, today: date) -> Plan:
    with sessions() as session:
        athlete = repo.get_athlete(session, athlete_id)
        assert athlete is not None
        return plan(Journal(session, athlete, today).history, today, 2)


def test_the_cache_keeps_the_most_recently_used_runners_within_its_weeks(
    sessions: sessionmaker[Session], make_athlete: MakeAthlete
) -> None:
    cache = ReplayCache(weeks=2)  # each runner below has one finished week
    ids = [make_athlete().id or 0 for _ in range(3)]
    today = _start(sessions, ids[0]) + timedelta(days=10)
    with sessions() as session:

        def replayed(athlete_id: int) -> str:
            athlete = repo.get_athlete(session, athlete_id)
            assert athlete is not None
            journal = Journal(session, athlete, today)
            resumed = cache.resumed
            cache.plan(athlete_id, journal.history, today, 2, journal._load())
            return "resumed" if cache.resumed > resumed else "cold"

        assert [replayed(i) for i in ids] == ["cold", "cold", "cold"]
        assert len(cache) == 2
        assert replayed(ids[2]) == "resumed"
        assert replayed(ids[0]) == "cold"  # the least recently used went first
        assert replayed(ids[1]) == "cold"


def test_parsed_rows_are_read_again_only_when_new_or_changed() -> None:
    rows = ParsedRows[str](rows=5)
    t0, t1 = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC)
    stored = {1: (t0, "a"), 2: (t0, "b"), 3: (t0, "c")}
    asked: list[Sequence[int] | None] = []

    def fetch(ids: Sequence[int] | None) -> list[tuple[int, datetime, str]]:
        asked.append(ids)
        wanted = stored if ids is None else {i: stored[i] for i in ids}
        return [(i, at, value) for i, (at, value) in wanted.items()]

    def marks() -> list[tuple[int, datetime]]:
        return [(i, at) for i, (at, _) in stored.items()]

    assert rows.rows(7, marks(), fetch) == ["a", "b", "c"]
    assert rows.rows(7, marks(), fetch) == ["a", "b", "c"] and len(asked) == 1  # all known
    stored[2] = (t1, "B")  # a corrected answer keeps its row id, with a new time stored
    stored[4] = (t1, "d")
    del stored[1]
    assert rows.rows(7, marks(), fetch) == ["B", "c", "d"]
    assert asked[-1] == [2, 4]
    assert rows.rows(8, [(9, t0)], lambda ids: [(9, t0, "x")]) == ["x"]
    assert rows.rows(9, [(10, t0), (11, t0)], lambda ids: [(10, t0, "y"), (11, t0, "z")])
    asked.clear()
    assert rows.rows(7, marks(), fetch) == ["B", "c", "d"]
    assert asked == [[2, 3, 4]]  # over 5 rows held: runner 7 went first, and is read again
