"""Small factories for test data: a profile, a history, and events built from a plan."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from coach.history import Event, Goal, History, Profile, RaceResult, RestingHR, Run, Wellness
from coach.replay import plan

MONDAY = date(2026, 1, 5)


def make_profile(**overrides: Any) -> Profile:
    base = Profile(
        start_date=MONDAY,
        fitness=RaceResult(distance_m=5000, time_s=1350, date=MONDAY - timedelta(days=10)),
        run_days=(0, 2, 4, 5),
        quality_day=2,
        long_run_day=5,
        weekly_minutes=180,
        units="km",
        goal=None,
    )
    return replace(base, **overrides)


def make_history(*events: Event, **profile_overrides: Any) -> History:
    return History(profile=make_profile(**profile_overrides), events=tuple(events))


def with_events(history: History, *events: Event) -> History:
    return replace(history, events=(*history.events, *events))


def goal_on(day: date, distance_m: float = 10000) -> Goal:
    return Goal(distance_m=distance_m, date=day)


def compliant_week(history: History, week_index: int, rhr: int = 50, rpe_over: int = 0) -> History:
    """Every session of a week done as planned, with a morning resting HR each day."""
    start = history.profile.start_date + timedelta(weeks=week_index)
    for offset in range(7):
        day = start + timedelta(days=offset)
        session = plan(history, day, weeks_ahead=0).week.session_on(day)
        events: list[Event] = [RestingHR(date=day, bpm=rhr)]
        if session.type != "rest":
            target = session.target_rpe or 3
            rpe = min(10, target + (rpe_over if session.hard else 0))
            events.append(Run(date=day, duration_min=session.planned_min, rpe=rpe, quality=7))
            events.append(Wellness(date=day, sleep_h=7.5, soreness=2, stress=2, mood=4))
        history = with_events(history, *events)
    return history


def compliant_weeks(history: History, weeks: int, rhr: int = 50) -> History:
    for index in range(weeks):
        history = compliant_week(history, index, rhr=rhr)
    return history
