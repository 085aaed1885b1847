"""The invariants COACHING.md promises, over random runners and random histories."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach import taper
from coach.english import decision_texts
from coach.history import (
    MIN_WEEKLY_MINUTES,
    Goal,
    GoalSet,
    History,
    RestingHR,
    Run,
    history_from_dict,
    history_to_dict,
    merge_runs,
)
from coach.ladder import MainSet, main_set_minutes
from coach.microcycle import long_run_cap
from coach.model import Plan, Week
from coach.replay import plan
from tests.coach.strategies import histories, history_and_today, quality_day_histories

PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def all_sessions(p: Plan) -> list:  # type: ignore[type-arg]
    return [s for w in p.weeks for s in w.sessions]


RACE_NOTES = (taper.TAPER_NOTE, taper.AFTER_NOTE)
SPECIAL_CEILINGS = ("halfway back", "you ran last week", "gentle first full week", "Life stress")


def _normal_build(week: Week) -> bool:
    """A build week at the plan's usual level: not a comeback, not a busy week."""
    return (
        week.kind == "build"
        and week.decision.action in ("start", "progress", "hold", "repeat")
        and not any(m in r for r in decision_texts(week.decision) for m in SPECIAL_CEILINGS)
    )


@PROPERTY_SETTINGS
@given(history_and_today())
def test_deload_depth_is_30_to_40_percent_below_the_last_normal_build_week(
    case: tuple[History, date],
) -> None:
    p = plan(*case)
    for week in p.weeks:
        if week.kind != "deload" or week.changes:
            continue
        before = [w for w in p.weeks[: week.index] if _normal_build(w)]
        if not before or before[-1].changes:
            continue  # no build week yet (the plan's own minutes apply), or one cut short
        normal = before[-1].planned_min
        # Rounded to 5 minutes; a tiny week can plan less when runs would be too short.
        assert week.planned_min <= 0.7 * normal + 2.5, (normal, week)
        if normal >= 150:
            assert week.planned_min >= 0.6 * normal - 2.5, (normal, week)


@PROPERTY_SETTINGS
@given(history_and_today())
def test_build_weeks_never_rise_more_than_10_percent(case: tuple[History, date]) -> None:
    p = plan(*case)
    for before, week in pairwise(p.weeks):
        # Compared with the week before as it was planned: a week that life cut short
        # mid-week (a pause, a deload request, a flagged morning) lists what changed.
        if before.kind == "build" and week.kind == "build" and not before.changes:
            if before.planned_min < MIN_WEEKLY_MINUTES:
                # Known gap, left open in issue 9: only stacked pauses and deloads take a
                # week below the 90-minute floor, and there one quality session (warm-up,
                # set, cool-down) can't shrink to fit 10 % more than a few minutes.
                continue
            two_back = p.weeks[before.index - 1] if before.index else None
            if two_back is not None and two_back.kind == "deload":
                # Back from a deload in two steps: halfway, then the usual level again.
                normal = [w for w in p.weeks[: two_back.index] if _normal_build(w)]
                if normal and normal[-1].changes:
                    continue  # its planned minutes were cut after it was planned
                limit = max(1.1 * before.planned_min, normal[-1].planned_min if normal else 0)
                assert week.planned_min <= limit, (before.planned_min, week)
                continue
            assert week.planned_min <= 1.1 * before.planned_min, (before.planned_min, week)


@PROPERTY_SETTINGS
@given(history_and_today())
def test_hard_sessions_never_on_consecutive_days(case: tuple[History, date]) -> None:
    hard_days = [s.date for s in all_sessions(plan(*case)) if s.hard]
    for a, b in pairwise(hard_days):
        assert (b - a).days >= 2, (a, b)


@PROPERTY_SETTINGS
@given(history_and_today())
def test_every_week_has_a_rest_or_active_recovery_day(case: tuple[History, date]) -> None:
    for week in plan(*case).weeks:
        assert len(week.sessions) == 7
        assert any(s.type == "rest" for s in week.sessions), week


@PROPERTY_SETTINGS
@given(history_and_today())
def test_sessions_only_on_the_runners_days(case: tuple[History, date]) -> None:
    history, today = case
    run_days = set(history.profile.run_days)
    for s in all_sessions(plan(history, today)):
        if s.type not in ("rest", "race"):  # the race is on the day the runner chose
            assert s.date.weekday() in run_days, s


@PROPERTY_SETTINGS
@given(history_and_today())
def test_five_by_400_never_before_the_third_week(case: tuple[History, date]) -> None:
    for week in plan(*case).weeks:
        if any("5×400" in s.title for s in week.sessions):
            assert week.index >= 2, week


@PROPERTY_SETTINGS
@given(history_and_today())
def test_week_minutes_are_the_sum_of_its_sessions(case: tuple[History, date]) -> None:
    for week in plan(*case).weeks:
        assert week.planned_min == sum(s.planned_min for s in week.sessions)
        assert all(s.planned_min >= 0 for s in week.sessions)


@PROPERTY_SETTINGS
@given(history_and_today())
def test_same_history_same_plan(case: tuple[History, date]) -> None:
    history, today = case
    again = history_from_dict(history_to_dict(history))
    assert plan(history, today) == plan(again, today)


@PROPERTY_SETTINGS
@given(history_and_today(), st.integers(1, 60), st.integers(1, 10), st.integers(40, 80))
def test_an_event_after_today_changes_nothing(
    case: tuple[History, date], days_later: int, rpe: int, bpm: int
) -> None:
    history, today = case
    later = today + timedelta(days=days_later)
    future = History(
        history.profile,
        (*history.events, Run(date=later, duration_min=60, rpe=rpe), RestingHR(later, bpm)),
    )
    assert plan(future, today) == plan(history, today)


@PROPERTY_SETTINGS
@given(histories(), st.integers(0, 90), st.integers(1, 30))
def test_moving_today_forward_never_rewrites_past_decisions(
    history: History, first: int, step: int
) -> None:
    t1 = history.profile.start_date + timedelta(days=first)
    t2 = t1 + timedelta(days=step)
    early, late = plan(history, t1), plan(history, t2)
    late_by_index = {w.index: w for w in late.weeks}
    for week in early.weeks:
        if week.start + timedelta(days=6) < t1:  # weeks that had ended by t1
            assert late_by_index[week.index].decision == week.decision, week.index


@PROPERTY_SETTINGS
@given(history_and_today())
def test_the_long_run_is_the_longest_run_and_within_its_share(case: tuple[History, date]) -> None:
    for week in plan(*case).weeks:
        longs = [s for s in week.sessions if s.type == "long"]
        if week.changes or not longs:
            continue  # a week cut short mid-week lists what changed
        long_min = longs[0].planned_min
        runs = sum(1 for s in week.sessions if s.type != "rest")
        # 30 %; 40 % on a 3-run week, 50 % on a 2-run week (docs/method.md, "Week shape"),
        # except where the race redraws days: the taper shortens each day on its own rule.
        raced = any(s.type == "race" or s.note.startswith(RACE_NOTES) for s in week.sessions)
        assert raced or long_min <= long_run_cap(runs) * week.planned_min, week
        for s in week.sessions:
            if s.type in ("easy", "strides", "hills"):
                assert s.planned_min <= long_min, (s, week)


@PROPERTY_SETTINGS
@given(history_and_today())
def test_planned_minutes_add_up(case: tuple[History, date]) -> None:
    for week in plan(*case).weeks:
        for s in week.sessions:
            if not s.hard or s.type == "race" or s.note:
                continue  # a race is its predicted time; a changed session says why
            main = MainSet(s.type, "", s.reps, s.target_rpe or 0)
            fallback = 330.0 if s.paces is None else s.paces.five_k * 1.05
            expected = s.warm_up_min + round(main_set_minutes(main, fallback)) + s.cool_down_min
            assert s.planned_min == expected, s


def _goals(history: History) -> list[Goal]:
    goals = [] if history.profile.goal is None else [history.profile.goal]
    set_later = [e for e in history.events if isinstance(e, GoalSet)]
    return [*goals, *(Goal(e.distance_m, e.date_of_race) for e in set_later)]


@PROPERTY_SETTINGS
@given(history_and_today())
def test_taper_length_is_within_the_band_for_each_race_distance(
    case: tuple[History, date],
) -> None:
    history, _ = case
    goals = _goals(history)
    for g in goals:
        assert taper.TAPER_BAND[0] <= taper.taper_days(g.distance_m) <= taper.TAPER_BAND[1]
    for s in all_sessions(plan(*case)):
        if not s.note.startswith(taper.TAPER_NOTE):
            continue
        # Every tapered day lies inside the taper of a goal race, counted back from its day.
        assert any(taper.taper_start(g) <= s.date < g.date for g in goals), s


@PROPERTY_SETTINGS
@given(st.one_of(history_and_today(), quality_day_histories()))
def test_no_progress_without_the_quality_session_done(case: tuple[History, date]) -> None:
    history, today = case
    p = plan(*case)
    for before, week in pairwise(p.weeks):
        decided_on_facts = week.start - timedelta(days=1) <= today
        if not decided_on_facts or week.decision.action != "progress":
            continue
        if before.kind not in ("build", "recovery"):
            continue
        main = before.session_on(before.start + timedelta(days=history.profile.quality_day))
        ran = None
        for e in history.events:
            if isinstance(e, Run) and e.date == main.date:
                ran = merge_runs(ran, e)
        assert main.hard and ran is not None and ran.rpe is not None, (main, week.decision)
        assert main.target_rpe is not None and ran.rpe <= main.target_rpe, (main, ran)
        assert not ran.changed or ran.instead == "quality", ran
