"""Temporary guard while the replay is made faster: every plan equals the frozen reference."""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.history import History
from coach.replay import plan
from coach.simulate import SCENARIOS, simulate
from tests.coach import _replay_reference as reference
from tests.coach.strategies import histories, history_and_today

sys.path.insert(0, str(Path(__file__).parents[2] / "bench"))
from coach_replay import synthetic_history


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history_and_today())
def test_random_histories(case: tuple[History, date]) -> None:
    assert plan(*case) == reference.plan(*case)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories(max_events=200), st.integers(-3, 120), st.integers(0, 6))
def test_dense_histories(history: History, offset: int, ahead: int) -> None:
    today = history.profile.start_date + timedelta(days=offset)
    assert plan(history, today, ahead) == reference.plan(history, today, ahead)


def test_scenarios() -> None:
    for scenario in SCENARIOS:
        history, _ = simulate(scenario, weeks=16)
        for offset in range(-2, 16 * 7, 3):
            today = history.profile.start_date + timedelta(days=offset)
            assert plan(history, today) == reference.plan(history, today), (scenario, offset)


def test_bench_histories() -> None:
    rng = random.Random(3)
    for weeks in (26, 104):
        for _ in range(15):
            history = synthetic_history(rng, weeks)
            for back in (0, 3, 40):
                today = history.profile.start_date + timedelta(weeks=weeks, days=-1 - back)
                assert plan(history, today) == reference.plan(history, today)
