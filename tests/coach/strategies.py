"""Hypothesis strategies: random runners and random histories of what they told the coach."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from coach.history import (
    Cross,
    DeloadRequest,
    Event,
    Goal,
    GoalSet,
    History,
    Pause,
    Profile,
    RaceResult,
    RestingHR,
    Resume,
    Run,
    Skipped,
    TimeTrial,
    Wellness,
)
from coach.paces import predict_race_s

FIRST_MONDAY = date(2025, 1, 6)
HISTORY_WEEKS = 14


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    start = FIRST_MONDAY + timedelta(weeks=draw(st.integers(0, 100)))
    days = draw(st.lists(st.integers(0, 6), min_size=2, max_size=7, unique=True))
    quality, long_run = draw(st.permutations(days))[:2]
    fitness = None
    if draw(st.booleans()):
        vdot = draw(st.floats(32, 70))
        distance = draw(st.sampled_from([1609.344, 5000, 10000, 21097.5]))
        fitness = RaceResult(distance, predict_race_s(vdot, distance), start - timedelta(days=9))
    goal = None
    if draw(st.booleans()):
        goal = Goal(
            draw(st.sampled_from([5000, 10000, 21097.5, 42195])),
            start + timedelta(days=draw(st.integers(10, 120))),
        )
    return Profile(
        start_date=start,
        fitness=fitness,
        run_days=tuple(sorted(days)),
        quality_day=quality,
        long_run_day=long_run,
        weekly_minutes=draw(st.integers(90, 600)),
        units=draw(st.sampled_from(["km", "mi"])),
        goal=goal,
    )


def _events_on(day: date) -> st.SearchStrategy[Event]:
    return st.one_of(
        st.builds(
            Run,
            date=st.just(day),
            duration_min=st.integers(15, 150),
            distance_m=st.none() | st.integers(2000, 30000),
            rpe=st.none() | st.integers(1, 10),
            quality=st.none() | st.integers(1, 10),
        ),
        st.builds(RestingHR, date=st.just(day), bpm=st.integers(40, 70)),
        st.builds(
            Wellness,
            date=st.just(day),
            sleep_h=st.none() | st.floats(4, 10),
            soreness=st.none() | st.integers(1, 5),
            stress=st.none() | st.integers(1, 5),
            mood=st.none() | st.integers(1, 5),
        ),
        st.builds(Skipped, date=st.just(day), reason=st.sampled_from(["work", "illness", "other"])),
        st.builds(
            Cross,
            date=st.just(day),
            sport=st.just("cycling"),
            duration_min=st.integers(20, 90),
            rpe=st.integers(1, 6),
        ),
        st.builds(DeloadRequest, date=st.just(day)),
        st.builds(
            Pause,
            date=st.just(day),
            until=st.none() | st.integers(0, 12).map(lambda n: day + timedelta(days=n)),
            reason=st.sampled_from(["illness", "travel"]),
        ),
        st.builds(Resume, date=st.just(day)),
        st.builds(
            TimeTrial,
            date=st.just(day),
            distance_m=st.just(5000.0),
            time_s=st.floats(16 * 60, 32 * 60),
        ),
        st.builds(
            GoalSet,
            date=st.just(day),
            distance_m=st.sampled_from([5000.0, 10000.0, 21097.5, 42195.0]),
            date_of_race=st.integers(7, 90).map(lambda n: day + timedelta(days=n)),
        ),
    )


@st.composite
def histories(draw: st.DrawFn, max_events: int = 60) -> History:
    profile = draw(profiles())
    days = draw(st.lists(st.integers(0, HISTORY_WEEKS * 7 - 1), max_size=max_events))
    # Mostly the everyday facts; the rare events (pauses, deloads, goals) stay rare.
    events = [draw(_events_on(profile.start_date + timedelta(days=d))) for d in sorted(days)]
    return History(profile=profile, events=tuple(events))


@st.composite
def history_and_today(draw: st.DrawFn) -> tuple[History, date]:
    history = draw(histories())
    today = history.profile.start_date + timedelta(days=draw(st.integers(-3, HISTORY_WEEKS * 7)))
    return history, today


@st.composite
def quality_day_histories(draw: st.DrawFn) -> tuple[History, date]:
    """Histories where each week's quality day is done at some RPE, changed, skipped or
    left blank, so progress decisions are common enough to check."""
    history = draw(histories(max_events=15))
    start, quality = history.profile.start_date, history.profile.quality_day
    extra: list[Event] = []
    for week in range(HISTORY_WEEKS):
        day = start + timedelta(weeks=week, days=quality)
        choice = draw(st.sampled_from(["done", "done", "done", "changed", "skipped", "none"]))
        if choice in ("done", "changed"):
            rpe = draw(st.integers(5, 9))
            extra.append(Run(day, 45, rpe=rpe, changed=choice == "changed"))
        elif choice == "skipped":
            extra.append(Skipped(day, "work"))
    events = tuple(sorted((*history.events, *extra), key=lambda e: e.date))
    today = start + timedelta(days=draw(st.integers(0, HISTORY_WEEKS * 7)))
    return History(profile=history.profile, events=events), today
