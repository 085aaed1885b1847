from __future__ import annotations

from datetime import date, timedelta

from coach.history import Pause, Resume, Run, merge_runs
from coach.replay import pause_on
from tests.factories import MONDAY, make_history


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
