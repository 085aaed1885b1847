"""Start now (issue 9 §11): a runner who signs up mid-week hears from the coach the next
day, not six days later."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.describe import week_heading
from coach.english import decision_texts
from coach.history import History, RaceResult, TimeTrial
from coach.replay import plan
from tests.coach.strategies import history_and_today
from tests.factories import MONDAY, make_history, with_events

WEDNESDAY = MONDAY + timedelta(days=2)
NEXT_MONDAY = MONDAY + timedelta(weeks=1)


def test_a_wednesday_start_gets_easy_runs_until_sunday_then_the_usual_first_week() -> None:
    history = make_history(start_date=WEDNESDAY)
    p = plan(history, WEDNESDAY)
    first = p.week
    assert first.start == MONDAY and first.index == -1
    assert all(s.type == "rest" for s in first.sessions[:2])  # before the start day
    runs = [s for s in first.sessions[2:] if s.type != "rest"]
    assert runs and all(s.type == "easy" and not s.hard for s in runs)
    assert {s.date.weekday() for s in runs} <= set(history.profile.run_days)
    assert "Mon 12 Jan" in decision_texts(first.decision)[0]
    full = p.upcoming[0]
    assert full.start == NEXT_MONDAY and full.index == 0
    assert full == plan(make_history(start_date=NEXT_MONDAY), WEDNESDAY).week
    assert p.session_on(WEDNESDAY + timedelta(days=2)) == first.sessions[4]


def test_with_no_result_the_short_week_holds_the_time_trial_and_sets_the_paces() -> None:
    history = make_history(start_date=MONDAY + timedelta(days=1), fitness=None)
    first = plan(history, MONDAY + timedelta(days=1)).week
    [trial] = [s for s in first.sessions if s.hard]
    assert trial.type == "time_trial" and trial.date.weekday() == history.profile.quality_day
    assert first.kind == "assessment"
    history = with_events(history, TimeTrial(trial.date, 5000, 1380))
    later = plan(history, NEXT_MONDAY)
    assert later.history[0] == plan(history, trial.date).week  # the short week stays
    assert later.week.kind == "build" and later.week.step == 1  # the ladder starts Monday


def test_a_stale_result_also_opens_with_the_trial() -> None:
    old = RaceResult(5000, 1350, MONDAY - timedelta(weeks=20))
    first = plan(make_history(start_date=WEDNESDAY, fitness=old), WEDNESDAY).week
    assert any(s.type == "time_trial" for s in first.sessions)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history_and_today(), st.integers(1, 6))
def test_a_short_first_week_changes_nothing_from_the_first_monday(
    case: tuple[History, date], days_early: int
) -> None:
    history, today = case
    monday = history.profile.start_date
    start = monday - timedelta(days=days_early)
    early = replace(history, profile=replace(history.profile, start_date=start))
    today = max(today, start)
    with_first, usual = plan(early, today), plan(history, today)
    first, *rest = with_first.weeks
    assert tuple(rest)[: len(usual.weeks)] == usual.weeks[: len(rest)]
    assert first.start == monday - timedelta(days=7) and first.index == -1
    for s in first.sessions:
        if s.date < start:
            assert s.type == "rest"
        elif s.type != "rest":
            assert s.date.weekday() in history.profile.run_days
            assert s.type in ("easy", "time_trial"), s
    assert any(s.type == "rest" for s in first.sessions)


def test_the_cli_names_the_short_week_lead_in_week_never_week_0() -> None:
    p = plan(make_history(start_date=WEDNESDAY), WEDNESDAY)
    assert week_heading(p.week).startswith("Lead-in week, from Mon 5 Jan")
    assert week_heading(p.upcoming[0]).startswith("Week 1, from Mon 12 Jan")
