"""Fatigue inside a week (issue 9 §8): a flagged morning eases easy runs too."""

from __future__ import annotations

from datetime import timedelta

from coach.english import change_texts
from coach.history import RestingHR
from coach.replay import plan
from tests.factories import compliant_weeks, make_history, with_events


def test_a_flagged_morning_shortens_todays_easy_run_and_drops_its_strides() -> None:
    history = compliant_weeks(make_history(), 2)
    start = history.profile.start_date + timedelta(weeks=2)
    friday = start + timedelta(days=4)
    usual = plan(history, friday).week.session_on(friday)
    assert usual.strides > 0  # the history that reproduces it: an easy run with strides
    week = plan(with_events(history, RestingHR(friday, 59)), friday).week
    eased = week.session_on(friday)
    assert eased.strides == 0 and eased.type == "easy"
    assert eased.planned_min < usual.planned_min
    [change] = [c for c in change_texts(week) if c.startswith("Fri")]
    assert "resting HR 59" in change and "without strides" in change
    assert eased.note in change


def test_a_normal_morning_leaves_the_easy_run_alone() -> None:
    history = compliant_weeks(make_history(), 2)
    friday = history.profile.start_date + timedelta(weeks=2, days=4)
    usual = plan(history, friday).week.session_on(friday)
    same = plan(with_events(history, RestingHR(friday, 50)), friday).week.session_on(friday)
    assert same == usual
