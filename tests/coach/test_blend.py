"""The blend phase (issue 9 §4 and §7): shaped by the goal race, with a time trial every
4-6 weeks."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

import pytest

from coach.microcycle import LONG_RUN_CAP
from coach.paces import MARATHON_M, predict_race_s
from coach.replay import plan
from tests.factories import MONDAY, goal_on, make_history

FAR_RACE = MONDAY + timedelta(weeks=20, days=6)


def test_before_a_10k_the_blend_runs_10k_pace_kilometres() -> None:
    """A 10K goal got the same blend as any other goal."""
    p = plan(make_history(goal=goal_on(FAR_RACE, 10000)), MONDAY, weeks_ahead=21)
    ten_k = [s for w in p.weeks for s in w.sessions if "at 10K pace" in s.title]
    assert ten_k and all(w.step == 6 for w in p.weeks if any(s in ten_k for s in w.sessions))
    assert p.vdot is not None
    pace = predict_race_s(p.vdot, 10000) / 10
    assert all(r.pace_s_per_km == pytest.approx(pace) for s in ten_k for r in s.reps)
    without = plan(make_history(), MONDAY, weeks_ahead=21)
    assert not any("10K pace" in s.title for w in without.weeks for s in w.sessions)


def test_before_a_marathon_m_pace_segments_and_a_long_run_past_two_hours() -> None:
    """A marathon goal got a long run of about 2 h at most."""
    history = make_history(
        goal=goal_on(FAR_RACE, MARATHON_M), weekly_minutes=480, run_days=(0, 1, 2, 3, 4, 5)
    )
    p = plan(history, MONDAY, weeks_ahead=21)
    assert any("at M" in s.title and s.reps[0].count > 1 for w in p.weeks for s in w.sessions)
    builds = [w for w in p.weeks if w.kind == "build" and w.step == 6]
    longest = max(s.planned_min for w in builds for s in w.sessions if s.type == "long")
    assert longest > 120
    for w in builds:
        for s in w.sessions:
            if s.type == "long":
                assert s.planned_min <= LONG_RUN_CAP * w.planned_min


def test_a_time_trial_every_four_to_six_weeks_in_the_blend() -> None:
    """In 9 weeks the plan never asked for a time trial."""
    p = plan(make_history(), MONDAY, weeks_ahead=30)
    trials = [w.index for w in p.weeks if w.kind == "assessment"]
    blend = [i for i in trials if p.weeks[i].step == 6 or p.weeks[i - 1].step >= 5]
    assert len(blend) >= 4
    assert all(4 <= b - a <= 6 for a, b in pairwise(blend)), blend
