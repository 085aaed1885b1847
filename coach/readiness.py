"""Readiness signals: resting-HR baseline and flags, RPE drift, wellness and performance."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

BASELINE_DAYS = 28
BASELINE_MAX_DAYS = 60
BASELINE_MIN_READINGS = 7
RECENT_DAYS = 3
WEEKLY_MIN_READINGS = 3
SINGLE_MORNING_JUMP = 7
RPE_DRIFT_POINTS = 2
PERFORMANCE_DROP = 0.03
SLEEP_TARGET_H = 7.0


@dataclass(frozen=True, slots=True)
class RhrBaseline:
    mean: float
    sd: float
    readings: int


def rhr_baseline(readings: Sequence[tuple[date, int]], as_of: date) -> RhrBaseline | None:
    """Mean and SD of morning readings in the 28 days before `as_of` (60 if too few).

    `readings` must be sorted by date. None when fewer than 7 readings are found.
    """
    for window in (BASELINE_DAYS, BASELINE_MAX_DAYS):
        start = as_of - timedelta(days=window)
        values = [bpm for day, bpm in readings if start <= day < as_of]
        if len(values) >= BASELINE_MIN_READINGS:
            mean = sum(values) / len(values)
            sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
            return RhrBaseline(mean=mean, sd=sd, readings=len(values))
    return None


def rhr_threshold(baseline: RhrBaseline) -> float:
    """How far above baseline the recent mean must be: more than max(5 bpm, 1 SD)."""
    return max(5.0, baseline.sd)


def rhr_recent_flag(recent: Sequence[int], baseline: RhrBaseline) -> bool:
    """The mean of the last 3 mornings sits above baseline by more than max(5 bpm, 1 SD)."""
    if not recent:
        return False
    return sum(recent) / len(recent) - baseline.mean > rhr_threshold(baseline)


def rhr_single_morning_flag(bpm: int, baseline: RhrBaseline) -> bool:
    """One morning at least 7 bpm above baseline."""
    return bpm - baseline.mean >= SINGLE_MORNING_JUMP


def rpe_drift(reported: int, target: int) -> int:
    """Points a session felt harder than planned (negative when easier)."""
    return reported - target


def pace_drop(current_s_per_km: float, previous_s_per_km: float) -> float:
    """Fraction slower than last time (0.03 = 3 % slower)."""
    return current_s_per_km / previous_s_per_km - 1


def declining_performance(
    current_s_per_km: float, current_rpe: int, previous_s_per_km: float, previous_rpe: int
) -> bool:
    """3 % or more slower than the last comparable session at the same or higher RPE."""
    return (
        pace_drop(current_s_per_km, previous_s_per_km) >= PERFORMANCE_DROP
        and current_rpe >= previous_rpe
    )


def two_days_running(days: Sequence[date]) -> bool:
    """True when any two of these dates are consecutive days."""
    ordered = sorted(set(days))
    return any(b - a == timedelta(days=1) for a, b in itertools.pairwise(ordered))
