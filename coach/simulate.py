"""A synthetic runner who follows the plan and answers every check-in.

Scenarios show the coach adapting: `steady` complies, `overreaching` tires from week 4,
`illness` is off sick for nine days, `missed` loses two sessions to work, `race` has a
10K goal. Deterministic: the same scenario and seed give the same history.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from typing import Literal

from coach.history import (
    Event,
    Goal,
    History,
    Pause,
    Profile,
    RaceResult,
    RestingHR,
    Run,
    Skipped,
    TimeTrial,
    Wellness,
)
from coach.model import Plan
from coach.paces import HALF_MARATHON_M, MARATHON_M, predict_race_s
from coach.replay import plan

Scenario = Literal[
    "steady", "overreaching", "illness", "missed", "race", "5k", "10k", "half", "marathon"
]
SCENARIOS: tuple[Scenario, ...] = (
    "steady",
    "overreaching",
    "illness",
    "missed",
    "race",
    "5k",
    "10k",
    "half",
    "marathon",
)
# Goal scenarios: a compliant runner whose goal race is the last Sunday of the simulation.
GOAL_SCENARIOS: dict[str, float] = {
    "5k": 5000.0,
    "10k": 10000.0,
    "half": HALF_MARATHON_M,
    "marathon": MARATHON_M,
}
SIM_START = date(2026, 1, 5)  # a Monday
BASE_RHR = 50
EASY_PACE_S_PER_KM = 360.0


def simulated_profile(scenario: Scenario, start: date = SIM_START, weeks: int = 12) -> Profile:
    goal = None
    if scenario == "race":
        goal = Goal(distance_m=10000, date=start + timedelta(weeks=9, days=6))
    elif scenario in GOAL_SCENARIOS:
        goal = Goal(GOAL_SCENARIOS[scenario], start + timedelta(weeks=weeks - 1, days=6))
    return Profile(
        start_date=start,
        fitness=RaceResult(distance_m=5000, time_s=1380, date=start - timedelta(days=10)),
        run_days=(0, 2, 4, 5),
        quality_day=2,
        long_run_day=5,
        weekly_minutes=180,
        units="km",
        goal=goal,
    )


def _day_events(scenario: Scenario, p: Plan, day: date, rng: random.Random) -> list[Event]:
    week = (day - p.week.start).days // 7 + p.week.index
    # Overreaching: weeks 4 and 5 pile up fatigue, which a lighter week clears.
    tired = scenario == "overreaching" and week in (3, 4) and p.week.kind == "build"
    rhr = BASE_RHR + rng.choice((-1, 0, 0, 1)) + (8 if tired else 0)
    events: list[Event] = [RestingHR(date=day, bpm=rhr)]
    session = p.week.session_on(day)
    if session.type == "rest":
        return events
    if scenario == "missed" and week == 2 and session.type in ("easy", "strides"):
        return [*events, Skipped(date=day, reason="work")]
    if session.type == "time_trial":
        # A little fitter than at the start: the block worked.
        vdot = (p.vdot or 45.0) + 1.5
        return [*events, TimeTrial(date=day, distance_m=5000, time_s=predict_race_s(vdot, 5000))]
    target = session.target_rpe or 3
    rpe = min(10, target + (2 if tired and session.hard else 0))
    pace = EASY_PACE_S_PER_KM
    if session.reps and session.reps[0].pace_s_per_km is not None:
        pace = EASY_PACE_S_PER_KM * 0.9
    distance = session.planned_min * 60 / pace * 1000
    events.append(
        Run(
            date=day,
            duration_min=session.planned_min,
            distance_m=round(distance),
            rpe=rpe,
            quality=4 if tired else 7,
        )
    )
    if tired:
        events.append(Wellness(date=day, sleep_h=6.0, soreness=4, stress=3, mood=3))
    else:
        events.append(Wellness(date=day, sleep_h=7.5, soreness=2, stress=2, mood=4))
    return events


def simulate(scenario: Scenario, weeks: int = 12, seed: int = 1) -> tuple[History, Plan]:
    """Live the plan day by day; return the history and the plan on the last day."""
    rng = random.Random(seed)
    profile = simulated_profile(scenario, weeks=weeks)
    history = History(profile=profile)
    last_day = profile.start_date + timedelta(weeks=weeks, days=-1)
    day = profile.start_date
    ill_from = profile.start_date + timedelta(weeks=4, days=1)
    while day <= last_day:
        if scenario == "illness" and day == ill_from:
            until = day + timedelta(days=8)
            history = replace(
                history, events=(*history.events, Pause(date=day, until=until, reason="illness"))
            )
        today_plan = plan(history, day, weeks_ahead=0)
        paused = any(
            isinstance(e, Pause) and e.date <= day <= (e.until or day) for e in history.events
        )
        if not paused:
            history = replace(
                history, events=(*history.events, *_day_events(scenario, today_plan, day, rng))
            )
        day += timedelta(days=1)
    return history, plan(history, last_day, weeks_ahead=1)
