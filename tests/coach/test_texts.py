"""Issue 9, defects 9 and 10: texts that match the plan, and a seeded load."""

from __future__ import annotations

from datetime import timedelta

import pytest

from coach.describe import describe_session
from coach.english import decision_texts
from coach.ladder import shorter, step_main_set
from coach.load import ewma_series, seeded_daily_load
from coach.paces import format_duration, format_pace, training_paces
from coach.replay import plan
from tests.factories import MONDAY, compliant_weeks, goal_on, make_history


def test_titles_are_built_from_the_reps_planned() -> None:
    paces = training_paces(45)
    assert shorter(step_main_set(3, paces)).title == "4×400 m uptick"
    assert shorter(step_main_set(1, paces)).title == "6×150 m controlled"
    history = compliant_weeks(make_history(), 3)
    recovery = plan(history, MONDAY + timedelta(weeks=3)).week
    quality = recovery.sessions[2]
    count = quality.reps[0].count
    assert quality.title.startswith(f"{count}×")
    assert f"Main set: {count}×" in describe_session(quality, "km")


def test_every_running_session_has_a_cue_and_the_trial_is_not_told_never_near_failure() -> None:
    week = plan(make_history(fitness=None), MONDAY).week
    for s in week.sessions:
        text = describe_session(s, "km")
        if s.type != "rest":
            assert "Cue:" in text, s
        if s.type == "time_trial":
            assert "never near failure" not in text


def test_a_decision_quotes_the_minutes_planned() -> None:
    # 3 days, 6 hours: the easy run's ceiling leaves the week short of its target.
    history = make_history(run_days=(1, 3, 5), quality_day=1, long_run_day=5, weekly_minutes=360)
    history = compliant_weeks(history, 1)
    week = plan(history, MONDAY + timedelta(weeks=1)).week
    assert f"{week.planned_min} minutes" in " ".join(decision_texts(week.decision))


def test_seeded_averages_start_at_the_stated_load() -> None:
    seed = seeded_daily_load(180, 4)
    loads = [seed] * 10
    acute, chronic = ewma_series(loads, 7, seed), ewma_series(loads, 28, seed)
    assert acute[0] / chronic[0] == pytest.approx(1.0) == acute[-1] / chronic[-1]
    assert ewma_series([seed], 7)[0] < seed  # unseeded, the first day looks like a spike


def test_race_morning_names_the_target_time_pace_and_splits() -> None:
    race = MONDAY + timedelta(weeks=9, days=6)
    p = plan(make_history(goal=goal_on(race, 10000)), MONDAY, weeks_ahead=10)
    day = p.session_on(race)
    assert day is not None and day.race is not None
    text = describe_session(day, "km")
    assert format_duration(day.race.target_s) in text
    assert format_pace(day.race.pace_s_per_km, "km") + ", even" in text
    assert f"5 km {format_duration(day.race.splits[4][1])}" in text
    assert day.race.cue in text
