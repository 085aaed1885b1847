"""VDOT and paces against Jack Daniels' published tables.

Reference: J. Daniels, *Daniels' Running Formula*, 3rd ed. (Human Kinetics, 2014),
Table 5.1 (VDOT values associated with times raced over popular distances) and
Table 5.2 (training intensities). The formulas are Daniels & Gilbert (1979); the tables
round times to the second, so we allow 0.5 % (about 1 minute on a marathon).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.errors import CoachInputError
from coach.paces import (
    HALF_MARATHON_M,
    MARATHON_M,
    format_distance,
    format_duration,
    format_pace,
    parse_distance,
    parse_duration,
    predict_race_s,
    race_predictions,
    training_paces,
    vdot_from_race,
)


def hms(text: str) -> float:
    seconds = 0.0
    for part in text.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


# (VDOT, distance in metres, time in Daniels' Table 5.1)
DANIELS_TABLE_5_1 = [
    (30, 5000, "30:40"),
    (30, 10000, "63:46"),
    (30, HALF_MARATHON_M, "2:21:04"),
    (30, MARATHON_M, "4:49:17"),
    (40, 5000, "24:08"),
    (40, 10000, "50:03"),
    (40, HALF_MARATHON_M, "1:50:59"),
    (40, MARATHON_M, "3:49:45"),
    (50, 5000, "19:57"),
    (50, 10000, "41:21"),
    (50, HALF_MARATHON_M, "1:31:35"),
    (50, MARATHON_M, "3:10:49"),
    (60, 5000, "17:03"),
    (60, 10000, "35:22"),
    (60, HALF_MARATHON_M, "1:18:09"),
    (60, MARATHON_M, "2:43:25"),
]


@pytest.mark.parametrize(("vdot", "distance", "table_time"), DANIELS_TABLE_5_1)
def test_predictions_match_daniels_table(vdot: int, distance: float, table_time: str) -> None:
    assert predict_race_s(vdot, distance) == pytest.approx(hms(table_time), rel=0.005)


@pytest.mark.parametrize(("vdot", "distance", "table_time"), DANIELS_TABLE_5_1)
def test_vdot_from_table_time(vdot: int, distance: float, table_time: str) -> None:
    assert vdot_from_race(distance, hms(table_time)) == pytest.approx(vdot, abs=0.3)


def test_published_15k_example_gives_vdot_46_4() -> None:
    # A 15K in 1:07:48 is VDOT 46.4 with a 21:15 5K and a 3:22:58 marathon
    # (Daniels-based calculator output quoted in a public race report).
    vdot = vdot_from_race(15000, hms("1:07:48"))
    assert vdot == pytest.approx(46.4, abs=0.1)
    assert predict_race_s(vdot, 5000) == pytest.approx(hms("21:15"), abs=5)
    assert predict_race_s(vdot, MARATHON_M) == pytest.approx(hms("3:22:58"), rel=0.003)


def test_training_paces_at_vdot_50_match_table_5_2() -> None:
    # Table 5.2, VDOT 50: M 7:17/mile (4:31/km), T 6:51/mile (4:15/km).
    paces = training_paces(50)
    assert paces.marathon == pytest.approx(271, abs=2)
    assert paces.threshold == pytest.approx(255, abs=2)
    assert format_pace(paces.threshold, "mi") == "6:51/mi"
    assert paces.easy_slow > paces.easy_fast > paces.marathon > paces.threshold
    assert paces.threshold > paces.interval > paces.repetition


@given(st.floats(min_value=30, max_value=80), st.floats(min_value=0.1, max_value=5))
def test_paces_get_faster_as_vdot_rises(vdot: float, gain: float) -> None:
    slow, fast = training_paces(vdot), training_paces(vdot + gain)
    assert fast.easy_fast < slow.easy_fast
    assert fast.easy_slow < slow.easy_slow
    assert fast.marathon < slow.marathon
    assert fast.threshold < slow.threshold
    assert fast.interval < slow.interval
    assert fast.repetition < slow.repetition


@given(st.floats(min_value=30, max_value=80))
def test_prediction_inverts_vdot(vdot: float) -> None:
    for seconds in race_predictions(vdot).values():
        assert seconds > 0
    assert vdot_from_race(5000, predict_race_s(vdot, 5000)) == pytest.approx(vdot, abs=0.01)


@pytest.mark.parametrize(
    ("distance", "time_s", "problem"),
    [
        (5000, 540, "world record"),  # a 5K in 9 minutes
        (1500, 200, "world record"),
        (42195, 5.5 * 3600, "5-hour"),
        (1500, 3 * 60, "world record"),
        (800, 150, "1500 m to the marathon"),
        (100000, 30000, "1500 m to the marathon"),
    ],
)
def test_implausible_races_are_refused(distance: float, time_s: float, problem: str) -> None:
    with pytest.raises(CoachInputError, match=problem):
        vdot_from_race(distance, time_s)


@pytest.mark.parametrize(
    ("text", "metres"),
    [
        ("5k", 5000),
        ("5K", 5000),
        ("half", HALF_MARATHON_M),
        ("mile", 1609.344),
        ("1500", 1500),
        ("5000", 5000),
        ("8000", 8000),
        ("8000m", 8000),
        ("marathon", MARATHON_M),
    ],
)
def test_parse_distance(text: str, metres: float) -> None:
    assert parse_distance(text) == pytest.approx(metres)


@pytest.mark.parametrize("text", ["7furlongs", "", "-5", "nan", "inf"])
def test_parse_distance_refuses_nonsense(text: str) -> None:
    with pytest.raises(CoachInputError):
        parse_distance(text)


@pytest.mark.parametrize(("text", "seconds"), [("22:30", 1350), ("1:31:35", 5495), ("90", 90)])
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["22:75", "abc", "1:2:3:4", "-1:00", ""])
def test_parse_duration_refuses_nonsense(text: str) -> None:
    with pytest.raises(CoachInputError):
        parse_duration(text)


def test_formatting() -> None:
    assert format_duration(1350) == "22:30"
    assert format_duration(5495) == "1:31:35"
    assert format_pace(240, "km") == "4:00/km"
    assert format_pace(240, "mi") == "6:26/mi"
    assert format_distance(400, "km") == "400 m"
    assert format_distance(10000, "mi") == "6.2 mi"
