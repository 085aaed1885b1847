from __future__ import annotations

import copy
from typing import Any

import pytest

from coach.errors import CoachInputError
from coach.history import Pause, Run, history_from_dict, history_to_dict

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
    assert history_to_dict(history) == EXAMPLE
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
        (["profile", "start_date"], "2026-11-03", r"plans start on a Monday"),
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
