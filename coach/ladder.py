"""The progression ladder (COACHING.md §2): what the quality session of each step is."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache

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


# Daniels' limits on the quality work of a week, as a share of the week's distance
# (docs/method.md, "Dose"): T 10 %, I 8 % (at most 10 km), R 5 % (at most 8 km), M 20 %.
ZONE_SHARE: dict[str, float] = {"T": 0.10, "I": 0.08, "R": 0.05, "M": 0.20}
ZONE_MAX_M: dict[str, float] = {"T": 20000.0, "I": 10000.0, "R": 8000.0, "M": 29000.0}
# Daniels: an I rep lasts 3 to 5 minutes; longer and it turns into threshold work.
I_REP_MAX_S = 300.0
I_REP_DISTANCES_M = (1200.0, 1000.0, 800.0, 600.0, 400.0)
MIN_REPS = 2


@dataclass(frozen=True, slots=True)
class MainSet:
    """A quality session's main set, before it is placed on a date.

    The title is built from the reps, so a shortened or dosed set never carries the
    title of the set it came from.
    """

    type: SessionType
    label: str  # what the reps are: "controlled", "at 5K pace", "tempo" ...
    reps: tuple[Rep, ...]
    target_rpe: int
    name: str = ""  # a fixed title (time trial, technique run), used instead of the reps

    @property
    def title(self) -> str:
        if self.name:
            return self.name
        parts = [
            f"{r.count}×{r.distance_m:g} m" if r.count > 1 else _one_rep(r.distance_m)
            for r in self.reps
        ]
        return f"{' + '.join(parts)} {self.label}"


def _one_rep(distance_m: float) -> str:
    return f"{distance_m / 1000:g} km" if distance_m >= 1000 else f"{distance_m:g} m"


def _pace_between(slow: float, fast: float, towards_fast: float) -> float:
    return slow - (slow - fast) * towards_fast


def _rep(count: int, distance_m: float, pace: float | None, recovery_s: int) -> Rep:
    return Rep(count=count, distance_m=distance_m, pace_s_per_km=pace, recovery_s=recovery_s)


def step_main_set(step: int, paces: TrainingPaces | None, blend_variant: int = 0) -> MainSet:
    """The ladder step's session. Without paces (no result yet) reps are run by feel."""
    return _step_main_set(step, paces, blend_variant % 3 if step >= BLEND_STEP else 0)


# The replay asks for the same few sets week after week; each is immutable, so one is kept.
@lru_cache(maxsize=1024)
def _step_main_set(step: int, paces: TrainingPaces | None, blend_variant: int) -> MainSet:
    p = paces
    if step <= 1:
        # "Controlled: between T and I" — closer to threshold while the legs relearn speed.
        pace = None if p is None else _pace_between(p.threshold, p.five_k, 0.4)
        return MainSet("quality", "controlled", (_rep(8, 150, pace, 150),), 6)
    if step == 2:
        pace = None if p is None else _pace_between(p.threshold, p.five_k, 0.6)
        return MainSet("quality", "controlled", (_rep(6, 200, pace, 150),), 6)
    if step == 3:
        pace = None if p is None else p.five_k + 3
        return MainSet("quality", "uptick", (_rep(5, 400, pace, 120),), 7)
    if step == 4:
        pace = None if p is None else p.five_k
        return MainSet("quality", "at 5K pace", (_rep(4, 600, pace, 165),), 7)
    if step == 5:
        pace = None if p is None else p.five_k + 4
        return MainSet("quality", "quick", (_rep(6, 500, pace, 120),), 7)
    return blend_main_set(p, blend_variant)


def blend_main_set(p: TrainingPaces | None, variant: int) -> MainSet:
    """Blend phase: tempo, intervals and a longer steady effort take turns."""
    kind = variant % 3
    if kind == 0:
        pace = None if p is None else p.threshold
        return MainSet("tempo", "tempo", (_rep(3, 1600, pace, 60),), 7)
    if kind == 1:
        pace = None if p is None else p.interval
        return MainSet("quality", "intervals", (_rep(5, 1000, pace, 150),), 8)
    pace = None if p is None else p.marathon
    return MainSet("progression", "steady at M", (_rep(1, 6000, pace, 0),), 6)


def time_trial() -> MainSet:
    return MainSet("time_trial", "", (_rep(1, 5000, None, 0),), 9, name="5K time trial")


def technique() -> MainSet:
    """Deload: the hard session becomes strides and drills at an easy effort."""
    return MainSet("technique", "", (), 4, name="Technique run: drills and strides")


def extra_session(p: TrainingPaces | None, variant: int) -> MainSet:
    """From step 4, every other week: a slightly more demanding tempo or a progression run."""
    if variant % 2 == 0:
        # Half a notch above baseline: threshold about 4 s/km quicker.
        pace = None if p is None else p.threshold - 4
        return MainSet("tempo", "tempo", (_rep(2, 1200, pace, 90),), 7)
    pace = None if p is None else p.marathon
    return MainSet("progression", "", (_rep(1, 2000, pace, 0),), 6, name="Progression run")


def sharpener(p: TrainingPaces | None) -> MainSet:
    """Race week: short and quick, to arrive sharp rather than tired."""
    pace = None if p is None else p.five_k
    return MainSet("quality", "sharpener", (_rep(4, 200, pace, 120),), 6)


@lru_cache(maxsize=1024)
def shorter(main: MainSet, keep: float = 2 / 3) -> MainSet:
    """The same session with about a third fewer reps (recovery, taper and busy weeks)."""
    reps = tuple(replace(r, count=max(1, math.ceil(r.count * keep))) for r in main.reps)
    if reps == main.reps:
        # One long rep: shorten the distance instead of the count.
        reps = tuple(replace(r, distance_m=round(r.distance_m * keep, -2)) for r in main.reps)
    return replace(main, reps=reps)


@lru_cache(maxsize=1024)
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


def zone(pace_s_per_km: float, p: TrainingPaces) -> str:
    """The Daniels zone a rep's pace belongs to: the nearest of M, T, I and R."""
    named = {"M": p.marathon, "T": p.threshold, "I": p.interval, "R": p.repetition}
    return min(named, key=lambda z: abs(named[z] - pace_s_per_km))


def weekly_km(week_min: float, p: TrainingPaces) -> float:
    """The week's distance if every minute went at the middle of the easy range: an
    underestimate, so the caps err on the side of less quality work."""
    return week_min * 60 / ((p.easy_slow + p.easy_fast) / 2)


def zone_metres(main: MainSet, p: TrainingPaces | None) -> dict[str, float]:
    used: dict[str, float] = {}
    if p is None or main.type == "time_trial":
        return used
    for r in main.reps:
        if r.pace_s_per_km is not None:
            z = zone(r.pace_s_per_km, p)
            used[z] = used.get(z, 0.0) + r.count * r.distance_m
    return used


def _by_time(r: Rep, p: TrainingPaces) -> Rep:
    """An I rep longer than 5 minutes becomes a shorter rep, same total distance."""
    if r.pace_s_per_km is None or zone(r.pace_s_per_km, p) != "I":
        return r
    if r.distance_m / 1000 * r.pace_s_per_km <= I_REP_MAX_S:
        return r
    fits = [d for d in I_REP_DISTANCES_M if d / 1000 * r.pace_s_per_km <= I_REP_MAX_S]
    distance = fits[0] if fits else I_REP_DISTANCES_M[-1]
    count = max(MIN_REPS, round(r.count * r.distance_m / distance))
    return replace(r, count=count, distance_m=distance)


def _capped(r: Rep, budget_m: float) -> Rep:
    """Fewer reps (never under two of a set), then shorter ones, to stay in the budget."""
    if r.count * r.distance_m <= budget_m:
        return r
    floor = min(r.count, MIN_REPS)
    count = max(floor, int(budget_m // r.distance_m))
    if count * r.distance_m <= budget_m:
        return replace(r, count=count)
    # Even the fewest reps are too much: shorten them, in 50 m steps, to 100 m at least.
    step = 100 if r.distance_m >= 1000 else 50
    distance = max(100.0, budget_m / count // step * step)
    return replace(r, count=count, distance_m=distance)


def dosed(
    main: MainSet,
    p: TrainingPaces | None,
    week_min: float,
    used: dict[str, float] | None = None,
) -> MainSet:
    """The set sized to the runner: I reps by time, and each zone within Daniels' weekly
    share of the week's distance (less what `used` already spent this week)."""
    if p is None or main.type in ("time_trial", "technique"):
        return main
    if not used:
        return _dosed_alone(main, p, week_min)
    return _dosed(main, p, week_min, used)


@lru_cache(maxsize=4096)
def _dosed_alone(main: MainSet, p: TrainingPaces, week_min: float) -> MainSet:
    """`dosed` with nothing spent yet: the replay asks for it every week, mostly the same."""
    return _dosed(main, p, week_min, {})


def _dosed(main: MainSet, p: TrainingPaces, week_min: float, used: dict[str, float]) -> MainSet:
    km = weekly_km(week_min, p)
    spent = dict(used)
    reps: list[Rep] = []
    for r in main.reps:
        r = _by_time(r, p)
        if r.pace_s_per_km is not None:
            z = zone(r.pace_s_per_km, p)
            budget = min(ZONE_SHARE[z] * km * 1000, ZONE_MAX_M[z]) - spent.get(z, 0.0)
            r = _capped(r, max(budget, 0.0))
            spent[z] = spent.get(z, 0.0) + r.count * r.distance_m
        reps.append(r)
    return MainSet(main.type, main.label, tuple(reps), main.target_rpe, main.name)
