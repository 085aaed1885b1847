from __future__ import annotations

from datetime import date, timedelta

import pytest

from coach.readiness import (
    declining_performance,
    rhr_baseline,
    rhr_recent_flag,
    rhr_single_morning_flag,
    two_days_running,
)

DAY = date(2026, 3, 1)


def readings(values: list[int], end: date = DAY) -> list[tuple[date, int]]:
    return [(end - timedelta(days=len(values) - i), v) for i, v in enumerate(values)]


def test_baseline_needs_seven_readings() -> None:
    assert rhr_baseline(readings([50] * 6), DAY) is None
    baseline = rhr_baseline(readings([50] * 7), DAY)
    assert baseline is not None and baseline.mean == 50 and baseline.readings == 7


def test_baseline_uses_28_days_then_60() -> None:
    old = [(DAY - timedelta(days=50 - i), 40) for i in range(10)]  # 41-50 days back
    recent = readings([52] * 7)
    assert rhr_baseline(old + recent, DAY).mean == 52  # type: ignore[union-attr]
    sparse = rhr_baseline(old + readings([52] * 3), DAY)
    assert sparse is not None and sparse.readings == 13  # falls back to 60 days


def test_recent_flag_uses_max_of_5_bpm_and_one_sd() -> None:
    baseline = rhr_baseline(readings([50, 51, 49, 50, 50, 51, 49, 50]), DAY)
    assert baseline is not None
    assert not rhr_recent_flag([55, 55, 55], baseline)  # exactly +5: not above
    assert rhr_recent_flag([56, 55, 56], baseline)
    noisy = rhr_baseline(readings([40, 60, 40, 60, 40, 60, 40, 60]), DAY)
    assert noisy is not None and noisy.sd == pytest.approx(10)
    assert not rhr_recent_flag([58, 58, 58], noisy)  # +8 is inside one SD of 10
    assert rhr_recent_flag([61, 61, 61], noisy)


def test_single_morning_flag_at_seven_bpm() -> None:
    baseline = rhr_baseline(readings([50] * 10), DAY)
    assert baseline is not None
    assert not rhr_single_morning_flag(56, baseline)
    assert rhr_single_morning_flag(57, baseline)


def test_declining_performance_needs_same_or_higher_rpe() -> None:
    assert declining_performance(309, 7, 300, 7)  # 3 % slower, same effort
    assert not declining_performance(305, 7, 300, 7)  # under 3 %
    assert not declining_performance(310, 6, 300, 7)  # slower but easier


def test_two_days_running() -> None:
    assert two_days_running([DAY, DAY + timedelta(days=1)])
    assert not two_days_running([DAY, DAY + timedelta(days=2)])
