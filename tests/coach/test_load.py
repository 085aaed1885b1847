"""Session load, monotony and strain (Foster 1998; Foster et al. 2001) and the EWMA
acute:chronic ratio (Williams et al. 2017, Br J Sports Med 51:209-210)."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.load import (
    ACWR_BAND,
    acute_chronic_ratio,
    ewma_lambda,
    ewma_series,
    monotony,
    session_load,
    strain,
)
from coach.replay import plan
from tests.factories import MONDAY, compliant_weeks, make_history


def test_session_load_is_rpe_times_minutes() -> None:
    # Foster et al. 2001: a 60-minute session rated 5 ("hard") is 300 arbitrary units.
    assert session_load(5, 60) == 300


def test_monotony_and_strain_worked_week() -> None:
    # Daily loads with rest days as 0. Worked by hand:
    #   weekly load = 300+0+420+200+0+600+240 = 1760, mean = 251.43
    #   deviations 48.57, -251.43, 168.57, -51.43, -251.43, 348.57, -11.43
    #   squared deviations sum = 281 485.7, population variance = 40 212.2, SD = 200.53
    #   monotony = 251.43 / 200.53 = 1.2538; strain = 1760 × 1.2538 = 2206.7
    week = [300, 0, 420, 200, 0, 600, 240]
    assert monotony(week) == pytest.approx(1.2538, abs=1e-4)
    assert strain(week) == pytest.approx(2206.7, abs=0.5)


def test_monotony_of_identical_days_is_undefined_not_infinite() -> None:
    assert monotony([300] * 7) is None
    assert strain([300] * 7) is None
    assert monotony([0] * 7) is None


def test_monotony_warning_shape() -> None:
    # Six identical days and one rest day: a monotonous week scores well above 2.0.
    assert (monotony([300, 300, 300, 300, 300, 300, 0]) or 0) > 2.0


def test_ewma_lambdas_follow_williams() -> None:
    assert ewma_lambda(7) == pytest.approx(0.25)
    assert ewma_lambda(28) == pytest.approx(2 / 29)


def test_ewma_worked_example() -> None:
    # λ = 0.25: 400 → 100; then 0 → 75; then 200 → 0.25·200 + 0.75·75 = 106.25.
    assert ewma_series([400, 0, 200], 7) == pytest.approx([100, 75, 106.25])


def test_acwr_needs_28_days() -> None:
    assert acute_chronic_ratio([300] * 27) is None
    assert acute_chronic_ratio([0] * 40) is None


def test_acwr_steady_load_tends_to_one_and_spike_rises() -> None:
    steady = [300.0] * 120
    assert acute_chronic_ratio(steady) == pytest.approx(1.0, abs=0.01)
    spike = steady + [600.0] * 7
    ratio = acute_chronic_ratio(spike)
    assert ratio is not None and ratio > 1.3
    # Worked: after 7 days at double load from a steady 300, acute = 600 − 300·0.75^7,
    # chronic = 600 − 300·(27/29)^7.
    acute = 600 - 300 * 0.75**7
    chronic = 600 - 300 * (27 / 29) ** 7
    assert ratio == pytest.approx(acute / chronic, rel=0.01)


@given(st.lists(st.floats(min_value=0, max_value=2000), min_size=1, max_size=14))
def test_monotony_is_positive_or_undefined(loads: list[float]) -> None:
    m = monotony(loads)
    assert m is None or (m >= 0 and math.isfinite(m))


def test_week_one_ratio_starts_from_the_stated_minutes() -> None:
    """Issue 9 §10: unseeded, a runner doing exactly their stated week read 2.9 in week 1."""
    history = compliant_weeks(make_history(), 1)
    metrics = plan(history, MONDAY + timedelta(days=6)).metrics
    assert metrics.acwr is not None
    low, high = ACWR_BAND
    assert low <= metrics.acwr <= high
