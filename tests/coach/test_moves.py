"""Moving a session: the 48 h rule and the week's shape decide, the replay applies the move."""

from __future__ import annotations

from datetime import timedelta

import pytest

from coach.errors import CoachInputError
from coach.history import (
    SessionMove,
    event_from_dict,
    event_to_dict,
    history_from_dict,
    history_to_dict,
)
from coach.moves import check_move, days_that_work, swapped
from coach.replay import plan
from tests.factories import MONDAY, make_history, with_events

# The second week of the default plan: Mon easy, Wed quality, Fri easy, Sat long.
MON = MONDAY + timedelta(days=7)
TUE, WED, THU, FRI, SAT, SUN = (MON + timedelta(days=n) for n in range(1, 7))


def week_two() -> tuple:  # type: ignore[type-arg]
    sessions = plan(make_history(), MON).week.sessions
    assert [s.type for s in sessions] == [
        "strides", "rest", "quality", "rest", "strides", "long", "rest"
    ]  # fmt: skip
    return sessions


def test_a_swap_trades_two_days_and_says_where_each_came_from() -> None:
    week = swapped(week_two(), WED, THU)
    by_day = {s.date: s for s in week}
    assert by_day[THU].type == "quality" and by_day[THU].note == "Moved from Wednesday."
    assert by_day[WED].type == "rest" and by_day[WED].note == ""
    assert sum(s.planned_min for s in week) == sum(s.planned_min for s in week_two())


def test_the_rules_name_what_a_move_would_break() -> None:
    week = week_two()
    assert check_move(week, WED, THU, MON) is None
    assert check_move(week, WED, FRI, MON) == "long_next_to_hard"  # Saturday's long run
    assert check_move(week, SAT, THU, MON) == "long_next_to_hard"  # right after Wednesday
    assert check_move(week, WED, MON, MON, hard_outside=[MON - timedelta(days=1)]) == "hard_48h"
    assert check_move(week, WED, THU, THU) == "past"
    assert check_move(week, WED, WED, MON) == "same_day"
    assert check_move(week, TUE, THU, MON) == "nothing_to_move"
    assert check_move(week, WED, SUN + timedelta(days=1), MON) == "not_this_week"


def test_days_that_work_nearest_first() -> None:
    assert days_that_work(week_two(), WED, MON) == [TUE, THU, MON, SAT]
    assert days_that_work(week_two(), WED, THU) == []  # Wednesday is gone
    assert days_that_work(week_two(), FRI, THU) == [THU, SAT, SUN]


def test_the_replay_applies_a_move_and_earlier_weeks_never_change() -> None:
    base = make_history()
    moved = with_events(base, SessionMove(date=TUE, from_day=WED, to_day=THU))
    now = plan(moved, THU).week
    assert {s.date: s.type for s in now.sessions}[THU] == "quality"
    assert {s.date: s.type for s in now.sessions}[WED] == "rest"
    later = SAT + timedelta(days=14)
    # Week one replays exactly as without the move; week two keeps it weeks later.
    assert plan(moved, later).history[0] == plan(base, later).history[0]
    assert {s.date: s.type for s in plan(moved, later).history[1].sessions}[THU] == "quality"


def test_a_move_said_after_today_is_not_applied_yet() -> None:
    moved = with_events(make_history(), SessionMove(date=TUE, from_day=WED, to_day=THU))
    assert {s.date: s.type for s in plan(moved, MON).week.sessions}[WED] == "quality"


def test_json_round_trip_and_older_exports() -> None:
    move = SessionMove(date=TUE, from_day=WED, to_day=THU)
    as_dict = event_to_dict(move)
    assert as_dict == {
        "date": TUE.isoformat(),
        "type": "session_move",
        "from_day": WED.isoformat(),
        "to_day": THU.isoformat(),
    }
    assert event_from_dict(as_dict) == move
    history = with_events(make_history(), move)
    assert history_from_dict(history_to_dict(history)) == history
    older = history_to_dict(make_history())  # no moves at all: read as before
    assert history_from_dict(older).events == ()


@pytest.mark.parametrize(
    ("from_day", "to_day", "problem"),
    [
        (MON, WED, "before it was said"),
        (WED, WED, "another day of the same week"),
        (WED, WED + timedelta(days=7), "another day of the same week"),
    ],
)
def test_bad_moves_are_refused_with_one_line(from_day, to_day, problem) -> None:  # type: ignore[no-untyped-def]
    raw = {"date": TUE.isoformat(), "type": "session_move",
           "from_day": from_day.isoformat(), "to_day": to_day.isoformat()}  # fmt: skip
    with pytest.raises(CoachInputError, match=problem):
        event_from_dict(raw)


def test_a_move_said_before_its_week_lands_in_it_and_nowhere_else() -> None:
    base = make_history()
    said = MON - timedelta(days=1)  # the Sunday before week two
    moved = with_events(base, SessionMove(date=said, from_day=WED, to_day=THU))
    later = plan(moved, SAT)
    assert {s.date: s.type for s in later.week.sessions}[THU] == "quality"
    assert later.history[0] == plan(base, SAT).history[0]
