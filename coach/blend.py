"""The blend phase shaped by the goal race (docs/method.md, "Goal-specific blend").

Before a 10K the intervals become 10K-pace kilometres; before a half or a marathon the
steady M-pace run becomes M-pace segments, and the long run is built to the week's cap.
"""

from __future__ import annotations

from coach.history import Goal
from coach.ladder import MainSet
from coach.microcycle import LONG_RUN_CAP, LONG_RUN_SHARE
from coach.model import Rep
from coach.paces import HALF_MARATHON_M, TrainingPaces, predict_race_s

TEN_K_M = 10000.0
TEN_K_REPS = Rep(count=5, distance_m=1000, pace_s_per_km=None, recovery_s=90)
# M-pace segments: 3×3 km before a half, 3×4 km before a marathon, 2 min float between.
M_SEGMENTS_HALF = Rep(count=3, distance_m=3000, pace_s_per_km=None, recovery_s=120)
M_SEGMENTS_MARATHON = Rep(count=3, distance_m=4000, pace_s_per_km=None, recovery_s=120)


def for_goal(
    main: MainSet, goal: Goal | None, paces: TrainingPaces | None, vdot: float | None
) -> MainSet:
    """The blend session for the goal race; any other session is returned as it is."""
    if goal is None or paces is None or vdot is None or goal.distance_m <= 5000:
        return main
    if goal.distance_m <= TEN_K_M and main.label == "intervals":
        pace = predict_race_s(vdot, TEN_K_M) / (TEN_K_M / 1000)
        reps = (Rep(TEN_K_REPS.count, TEN_K_REPS.distance_m, pace, TEN_K_REPS.recovery_s),)
        return MainSet("quality", "at 10K pace", reps, main.target_rpe)
    if goal.distance_m > TEN_K_M and main.label == "steady at M":
        r = M_SEGMENTS_HALF if goal.distance_m <= HALF_MARATHON_M else M_SEGMENTS_MARATHON
        reps = (Rep(r.count, r.distance_m, paces.marathon, r.recovery_s),)
        return MainSet("progression", "at M", reps, main.target_rpe)
    return main


def long_run_share(goal: Goal | None) -> float:
    """The long run's aim as a share of the week: the cap itself before a half or a
    marathon, so it grows with the week (past 2 h where the minutes allow)."""
    if goal is not None and goal.distance_m > TEN_K_M:
        return LONG_RUN_CAP
    return LONG_RUN_SHARE
