"""The progression ladder (COACHING.md §2): what the quality session of each step is."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from coach.model import Rep, SessionType
from coach.paces import TrainingPaces

FIRST_STEP = 1
BLEND_STEP = 6
EXTRA_SESSION_FROM_STEP = 4
TERRAIN_FROM_STEP = 5

PHASES = {
    1: "control",
    2: "control",
    3: "uptick",
    4: "speed endurance",
    5: "speed endurance",
    6: "blend",
}


@dataclass(frozen=True, slots=True)
class MainSet:
    """A quality session's main set, before it is placed on a date."""

    type: SessionType
    title: str
    reps: tuple[Rep, ...]
    target_rpe: int


def _pace_between(slow: float, fast: float, towards_fast: float) -> float:
    return slow - (slow - fast) * towards_fast


def _rep(count: int, distance_m: float, pace: float | None, recovery_s: int) -> Rep:
    return Rep(count=count, distance_m=distance_m, pace_s_per_km=pace, recovery_s=recovery_s)


def step_main_set(step: int, paces: TrainingPaces | None, blend_variant: int = 0) -> MainSet:
    """The ladder step's session. Without paces (no result yet) reps are run by feel."""
    p = paces
    if step <= 1:
        # "Controlled: between T and I" — closer to threshold while the legs relearn speed.
        pace = None if p is None else _pace_between(p.threshold, p.five_k, 0.4)
        return MainSet("quality", "8×150 m controlled", (_rep(8, 150, pace, 150),), 6)
    if step == 2:
        pace = None if p is None else _pace_between(p.threshold, p.five_k, 0.6)
        return MainSet("quality", "6×200 m controlled", (_rep(6, 200, pace, 150),), 6)
    if step == 3:
        pace = None if p is None else p.five_k + 3
        return MainSet("quality", "5×400 m uptick", (_rep(5, 400, pace, 120),), 7)
    if step == 4:
        pace = None if p is None else p.five_k
        return MainSet("quality", "4×600 m at 5K pace", (_rep(4, 600, pace, 165),), 7)
    if step == 5:
        pace = None if p is None else p.five_k + 4
        return MainSet("quality", "6×500 m quick", (_rep(6, 500, pace, 120),), 7)
    return blend_main_set(p, blend_variant)


def blend_main_set(p: TrainingPaces | None, variant: int) -> MainSet:
    """Blend phase: tempo, intervals and a longer steady effort take turns."""
    kind = variant % 3
    if kind == 0:
        pace = None if p is None else p.threshold
        return MainSet("tempo", "3×1600 m tempo", (_rep(3, 1600, pace, 60),), 7)
    if kind == 1:
        pace = None if p is None else p.interval
        return MainSet("quality", "5×1000 m intervals", (_rep(5, 1000, pace, 150),), 8)
    pace = None if p is None else p.marathon
    return MainSet("progression", "6 km steady at M", (_rep(1, 6000, pace, 0),), 6)


def time_trial() -> MainSet:
    return MainSet("time_trial", "5K time trial", (_rep(1, 5000, None, 0),), 9)


def technique() -> MainSet:
    """Deload: the hard session becomes strides and drills at an easy effort."""
    return MainSet("technique", "Technique run: drills and strides", (), 4)


def extra_session(p: TrainingPaces | None, variant: int) -> MainSet:
    """From step 4, every other week: a slightly more demanding tempo or a progression run."""
    if variant % 2 == 0:
        # Half a notch above baseline: threshold about 4 s/km quicker.
        pace = None if p is None else p.threshold - 4
        return MainSet("tempo", "Tempo 2×1200 m", (_rep(2, 1200, pace, 90),), 7)
    pace = None if p is None else p.marathon
    return MainSet("progression", "Progression run", (_rep(1, 2000, pace, 0),), 6)


def sharpener(p: TrainingPaces | None) -> MainSet:
    """Race week: short and quick, to arrive sharp rather than tired."""
    pace = None if p is None else p.five_k
    return MainSet("quality", "Sharpener 4×200 m", (_rep(4, 200, pace, 120),), 6)


def shorter(main: MainSet, keep: float = 2 / 3) -> MainSet:
    """The same session with about a third fewer reps (recovery, taper and busy weeks)."""
    reps = tuple(replace(r, count=max(1, math.ceil(r.count * keep))) for r in main.reps)
    if reps == main.reps:
        # One long rep: shorten the distance instead of the count.
        reps = tuple(replace(r, distance_m=round(r.distance_m * keep, -2)) for r in main.reps)
    return replace(main, reps=reps)


def longer_recoveries(main: MainSet, extra_s: int = 45) -> MainSet:
    """A held step: same reps, 30-60 s more rest between them."""
    reps = tuple(
        replace(r, recovery_s=r.recovery_s + extra_s) if r.count > 1 else r for r in main.reps
    )
    return replace(main, reps=reps)


def main_set_minutes(main: MainSet, fallback_pace: float = 330.0) -> float:
    """Minutes the main set takes, recoveries included."""
    total_s = 0.0
    for r in main.reps:
        pace = r.pace_s_per_km if r.pace_s_per_km is not None else fallback_pace
        total_s += r.count * r.distance_m / 1000 * pace + (r.count - 1) * r.recovery_s
    return total_s / 60
