from __future__ import annotations

from datetime import date, timedelta

from coach.history import Pause, Resume, Run, merge_runs
from coach.replay import pause_on, plan
from tests.factories import MONDAY, compliant_weeks, make_history, with_events


def test_pause_on_follows_until_resume_and_open_pauses() -> None:
    tue, fri = MONDAY + timedelta(days=1), MONDAY + timedelta(days=4)
    bounded = make_history(Pause(tue, fri, "travel"))
    assert pause_on(bounded, MONDAY) is None
    assert pause_on(bounded, fri) == (tue, "travel")
    assert pause_on(bounded, fri + timedelta(days=1)) is None
    open_ended = make_history(Pause(tue, None, "illness"))
    assert pause_on(open_ended, tue + timedelta(days=30)) == (tue, "illness")
    resumed = make_history(Pause(tue, None, "illness"), Resume(fri))
    assert pause_on(resumed, fri - timedelta(days=1)) == (tue, "illness")
    assert pause_on(resumed, fri) is None
    # A resume dated after `day` is not known yet on `day`.
    assert pause_on(resumed, date(2026, 1, 8)) == (tue, "illness")


def test_two_runs_on_a_day_count_as_one() -> None:
    first = Run(MONDAY, 30, 5000, rpe=4, quality=8)
    second = Run(MONDAY, 20, None, rpe=6, quality=6, changed=True)
    merged = merge_runs(first, second)
    assert merged == Run(MONDAY, 50, 5000, rpe=6, quality=6, changed=True)
    assert merge_runs(None, first) == first


def test_a_pause_from_tuesday_keeps_mondays_done_run_as_planned() -> None:
    """Issue 8: `/pause` on a Tuesday redrew Monday's done run as a rest day."""
    history = compliant_weeks(make_history(), 2)
    week2 = MONDAY + timedelta(weeks=2)
    monday_before = plan(history, week2, weeks_ahead=0).week.session_on(week2)
    assert monday_before.type != "rest"
    history = with_events(
        history,
        Run(week2, monday_before.planned_min, rpe=monday_before.target_rpe, quality=7),
        Pause(week2 + timedelta(days=1), None, "travel"),
    )
    tuesday = week2 + timedelta(days=1)
    week = plan(history, tuesday, weeks_ahead=0).week
    assert week.session_on(week2) == monday_before
    assert all(s.type == "rest" for s in week.sessions[1:])
