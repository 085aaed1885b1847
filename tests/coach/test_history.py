from __future__ import annotations

import copy
import dataclasses
from datetime import date
from typing import Any

import pytest

from coach.errors import CoachInputError
from coach.history import (
    FORMAT_VERSION,
    Pause,
    ProfileChange,
    Run,
    history_from_dict,
    history_to_dict,
    profile_on,
)
from coach.model import Plan
from coach.replay import plan

EXAMPLE: dict[str, Any] = {
    "profile": {
        "start_date": "2026-11-02",
        "fitness": {"distance_m": 5000, "time_s": 1350, "date": "2026-10-20"},
        "run_days": ["mon", "wed", "fri", "sat"],
        "quality_day": "wed",
        "long_run_day": "sat",
        "weekly_minutes": 180,
        "units": "km",
        "goal": {"distance_m": 10000, "date": "2027-03-14"},
    },
    "events": [
        {
            "date": "2026-11-04",
            "type": "run",
            "duration_min": 42,
            "distance_m": 8000,
            "rpe": 6,
            "quality": 7,
        },
        {"date": "2026-11-05", "type": "rhr", "bpm": 51},
        {
            "date": "2026-11-05",
            "type": "wellness",
            "sleep_h": 7.5,
            "soreness": 2,
            "stress": 2,
            "mood": 3,
        },
        {"date": "2026-11-06", "type": "skipped", "reason": "work"},
        {"date": "2026-11-08", "type": "cross", "sport": "cycling", "duration_min": 40, "rpe": 3},
        {"date": "2026-11-07", "type": "time_trial", "distance_m": 5000, "time_s": 1320},
        {"date": "2026-11-07", "type": "deload_request"},
        {"date": "2026-11-09", "type": "pause", "until": "2026-11-15", "reason": "illness"},
        {"date": "2026-11-16", "type": "resume"},
        {"date": "2026-11-10", "type": "goal", "distance_m": 10000, "date_of_race": "2027-03-14"},
    ],
}


def test_the_documented_example_round_trips() -> None:
    history = history_from_dict(EXAMPLE)
    assert history.profile.run_days == (0, 2, 4, 5)
    assert isinstance(history.events[0], Run) and history.events[0].rpe == 6
    assert isinstance(history.events[7], Pause)
    # Version 1 (no `format`) is read; what is written says which version it is.
    assert history_to_dict(history) == {"format": FORMAT_VERSION, **EXAMPLE}
    assert history_from_dict(history_to_dict(history)) == history


def broken(path: list[Any], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(EXAMPLE)
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (["events", 0, "rpe"], 14, r"events\[0\]\.rpe: 14 is outside 1-10"),
        (["events", 0, "rpe"], 0, r"outside 1-10"),
        (["events", 0, "rpe"], "six", r"expected a number"),
        (["events", 0, "rpe"], 6.5, r"whole number"),
        (["events", 1, "bpm"], 300, r"events\[1\]\.bpm: 300 is outside 25-120"),
        (["events", 2, "soreness"], 6, r"outside 1-5"),
        (["events", 0, "date"], "2026-02-30", r"not a real date"),
        (["events", 0, "type"], "swim", r"unknown event type"),
        (["events", 5, "time_s"], 300, r"world record"),
        (["events", 7, "until"], "2026-11-01", r"before the pause starts"),
        (["profile", "start_date"], "2026-11-31", r"not a real date"),
        (["profile", "quality_day"], "tue", r"not one of the run days"),
        (["profile", "long_run_day"], "wed", r"must differ from the quality day"),
        (["profile", "run_days"], ["mon"], r"at least two run days"),
        (["profile", "run_days"], ["mon", "funday"], r"weekday"),
        (["profile", "weekly_minutes"], 60, r"outside 90-900"),
        (["profile", "units"], "furlongs", r"'km' or 'mi'"),
        (["profile", "fitness", "time_s"], 540, r"world record"),
        (["profile"], KeyError, r"profile.*missing"),
        (["events"], {"not": "a list"}, r"expected a list"),
        (["events", 0], "run", r"expected an object"),
    ],
)
def test_bad_history_names_the_problem(path: list[Any], value: Any, message: str) -> None:
    with pytest.raises(CoachInputError, match=message):
        history_from_dict(broken(path, value))


def test_not_an_object() -> None:
    with pytest.raises(CoachInputError, match="expected an object"):
        history_from_dict([1, 2, 3])


CHANGE: dict[str, Any] = {
    "date": "2026-11-19",
    "type": "profile",
    "effective": "2026-11-23",
    "run_days": ["tue", "thu", "sat", "sun"],
    "quality_day": "tue",
    "long_run_day": "sun",
    "weekly_minutes": 200,
    "units": "km",
}


def with_change(**overrides: Any) -> dict[str, Any]:
    data = copy.deepcopy(EXAMPLE)
    data["events"].append({**CHANGE, **overrides})
    return data


def test_a_profile_change_round_trips_and_takes_effect_on_its_day() -> None:
    history = history_from_dict(with_change())
    change = history.events[-1]
    assert isinstance(change, ProfileChange) and change.run_days == (1, 3, 5, 6)
    assert history_from_dict(history_to_dict(history)) == history
    assert history_to_dict(history)["events"][-1] == CHANGE
    assert profile_on(history, date(2026, 11, 22)) == history.profile
    after = profile_on(history, date(2026, 11, 23))
    assert (after.run_days, after.quality_day, after.long_run_day) == ((1, 3, 5, 6), 1, 6)
    assert after.start_date == history.profile.start_date and after.goal == history.profile.goal
    # Not known yet on a day before it was said.
    assert profile_on(history, date(2026, 11, 23), known_by=date(2026, 11, 18)) == history.profile


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"effective": "2026-11-18"}, r"effective: 2026-11-18 is before it was said"),
        ({"quality_day": "mon"}, r"quality_day: mon is not one of the run days"),
        ({"run_days": ["tue"]}, r"at least two run days"),
        ({"weekly_minutes": 20}, r"outside 90-900"),
        ({"effective": None}, r"effective: missing"),
    ],
)
def test_a_bad_profile_change_names_the_problem(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(CoachInputError, match=message):
        history_from_dict(with_change(**overrides))


def test_a_newer_format_is_refused_clearly() -> None:
    with pytest.raises(CoachInputError, match=r"history\.format: version 99 is newer"):
        history_from_dict({**EXAMPLE, "format": 99})


def _weeks(p: Plan) -> list[tuple[str, int, tuple[tuple[date, str, str], ...]]]:
    return [
        (w.decision.action, w.step, tuple((s.date, s.type, s.title) for s in w.sessions))
        for w in p.history
    ]


def _runs_as_planned(history: Any, today: date) -> Any:
    """Every planned run of every week up to `today` done at its target effort."""
    events = list(history.events)
    day = history.profile.start_date
    while day < today:
        session = plan(dataclasses.replace(history, events=tuple(events)), day, 0).session_on(day)
        if session is not None and session.type not in ("rest", "cross"):
            rpe = session.target_rpe or 3
            events.append(Run(date=day, duration_min=max(session.planned_min, 20), rpe=rpe))
        day = date.fromordinal(day.toordinal() + 1)
    return dataclasses.replace(history, events=tuple(events))


def test_past_weeks_replay_as_they_were_after_a_profile_change() -> None:
    base = {"profile": EXAMPLE["profile"], "events": []}
    today = date(2026, 12, 31)  # a Thursday in the plan's 9th week
    history = _runs_as_planned(history_from_dict(base), today)
    before = plan(history, today)
    change = ProfileChange(
        date=today,
        effective=date(2027, 1, 4),
        run_days=(1, 3, 5, 6),
        quality_day=1,
        long_run_day=6,
        weekly_minutes=180,
    )
    after = plan(dataclasses.replace(history, events=(*history.events, change)), today)
    assert _weeks(after) == _weeks(before)
    assert before.history[-1].step >= 3  # the runner had progressed; that stays
    assert after.week.sessions == before.week.sessions  # the current week is untouched too
    new_week = after.upcoming[0]
    quality = [s for s in new_week.sessions if s.hard]
    assert quality and quality[0].date.weekday() == 1  # next week uses the new days
    runs = {s.date.weekday() for s in new_week.sessions if s.type != "rest"}
    assert runs <= {1, 3, 5, 6}


def test_a_change_from_tomorrow_keeps_the_days_before_it() -> None:
    base = {"profile": EXAMPLE["profile"], "events": []}
    today = date(2026, 12, 29)  # Tuesday of week 9
    history = _runs_as_planned(history_from_dict(base), today)
    before = plan(history, today)
    change = ProfileChange(
        date=today,
        effective=date(2026, 12, 30),
        run_days=(1, 3, 5, 6),
        quality_day=3,
        long_run_day=6,
        weekly_minutes=180,
    )
    after = plan(dataclasses.replace(history, events=(*history.events, change)), today)
    assert _weeks(after) == _weeks(before)
    kept = [s for s in after.week.sessions if s.date < change.effective]
    assert kept == [s for s in before.week.sessions if s.date < change.effective]
    later = {s.date.weekday() for s in after.week.sessions if s.date >= change.effective}
    runs = {
        s.date.weekday()
        for s in after.week.sessions
        if s.date >= change.effective and s.type != "rest"
    }
    assert runs <= {3, 5, 6} and later == {2, 3, 4, 5, 6}
