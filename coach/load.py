"""Training load: Foster's session-RPE, monotony and strain, and the EWMA acute:chronic ratio."""

from __future__ import annotations

import math
from collections.abc import Sequence

ACUTE_DAYS = 7
CHRONIC_DAYS = 28
MONOTONY_WARNING = 2.0
ACWR_WARNING = 1.5
ACWR_BAND = (0.8, 1.3)
SEED_RPE = 4  # the stated weekly minutes are read as easy running (docs/method.md, "Load")


def session_load(rpe: float, minutes: float) -> float:
    """Foster's session load: RPE (CR-10) × minutes, in arbitrary units."""
    return rpe * minutes


def monotony(daily_loads: Sequence[float]) -> float | None:
    """Mean daily load over its population SD; rest days count as 0.

    None when the SD is 0 (every day the same): monotony is then undefined, not infinite.
    """
    if not daily_loads:
        return None
    mean = sum(daily_loads) / len(daily_loads)
    sd = math.sqrt(sum((x - mean) ** 2 for x in daily_loads) / len(daily_loads))
    if sd == 0:
        return None
    return mean / sd


def strain(daily_loads: Sequence[float]) -> float | None:
    """Foster's strain: weekly load × monotony."""
    m = monotony(daily_loads)
    return None if m is None else sum(daily_loads) * m


def ewma_lambda(days: int) -> float:
    """Williams et al. (2017): λ = 2 / (N + 1)."""
    return 2 / (days + 1)


def seeded_daily_load(weekly_minutes: float, rpe: float) -> float:
    """The daily load a runner's stated weekly minutes stand for: the starting value of both
    averages, so the first weeks are not read as a spike from nothing (docs/method.md)."""
    return session_load(rpe, weekly_minutes) / 7


def stated_load_seed(weekly_minutes: float) -> float:
    """The seed both averages start from, for a runner who runs `weekly_minutes` a week."""
    return seeded_daily_load(weekly_minutes, SEED_RPE)


def ewma_series(daily_loads: Sequence[float], days: int, start: float = 0.0) -> list[float]:
    """Exponentially weighted moving average of daily load, from `start` (0: no history)."""
    lam = ewma_lambda(days)
    keep = 1 - lam  # the same float as computing it every day, once
    out: list[float] = []
    append = out.append
    value = start
    for load in daily_loads:
        value = load * lam + keep * value
        append(value)
    return out


def acute_chronic_ratio(daily_loads: Sequence[float]) -> float | None:
    """EWMA acute (7-day) over chronic (28-day) load on the last day of the series.

    None until there are 28 days of data or while the chronic load is 0: a ratio from a
    week of history says nothing.
    """
    if len(daily_loads) < CHRONIC_DAYS:
        return None
    lam_a, lam_c = ewma_lambda(ACUTE_DAYS), ewma_lambda(CHRONIC_DAYS)
    acute = chronic = 0.0
    for load in daily_loads:
        acute = load * lam_a + (1 - lam_a) * acute
        chronic = load * lam_c + (1 - lam_c) * chronic
    return None if chronic == 0 else acute / chronic
