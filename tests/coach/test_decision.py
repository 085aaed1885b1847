"""COACHING.md §5 as a table: each row of the decision table, checked on its own."""

from __future__ import annotations

from datetime import date

from coach.decision import WeekReview, weekly_decision
from coach.english import decision_texts

RHR = "Resting HR averaged 57 over the last 3 mornings, 6 above your 51 baseline (limit +5)."
DRIFT = "Wed 4 Nov's 5×400 m uptick felt 9/10 against a target of 7."


def test_clean_week_progresses() -> None:
    d = weekly_decision(WeekReview(quality_done="felt 6/10 against 7."), build_streak=1)
    assert d.action == "progress"


def test_one_flag_holds_and_quotes_it() -> None:
    d = weekly_decision(WeekReview(flags=(RHR,), rhr_flag=True), build_streak=1)
    assert d.action == "hold" and RHR in decision_texts(d)


def test_one_point_over_target_holds() -> None:
    d = weekly_decision(WeekReview(quality_one_over="8/10 against 7"), build_streak=1)
    assert d.action == "hold"


def test_rhr_flag_with_rpe_drift_deloads() -> None:
    review = WeekReview(flags=(RHR, DRIFT), rhr_flag=True, rpe_drift=True)
    d = weekly_decision(review, build_streak=1)
    assert d.action == "deload"
    assert RHR in decision_texts(d) and DRIFT in decision_texts(d)


def test_two_flags_deload() -> None:
    review = WeekReview(flags=("Sleep averaged 6.1 h, under 7.", "Legs sore two days running."))
    assert weekly_decision(review, build_streak=0).action == "deload"


def test_acwr_alone_is_never_the_reason() -> None:
    acwr = ("Your acute:chronic load ratio is 1.62, above 1.5.",)
    assert weekly_decision(WeekReview(supporting=acwr), build_streak=1).action == "progress"
    with_flag = WeekReview(flags=("Sleep averaged 6.1 h, under 7.",), supporting=acwr)
    assert weekly_decision(with_flag, build_streak=1).action == "deload"


def test_request_deloads() -> None:
    d = weekly_decision(WeekReview(deload_requested=date(2026, 11, 5)), build_streak=0)
    assert d.action == "deload" and "Thu 5 Nov" in decision_texts(d)[0]


def test_fourth_week_of_building_is_recovery() -> None:
    assert weekly_decision(WeekReview(quality_done="ok"), build_streak=3).action == "recovery"
    assert weekly_decision(WeekReview(quality_done="ok"), build_streak=2).action == "progress"


def test_two_missed_for_life_repeat_the_week() -> None:
    missed = (date(2026, 11, 2), date(2026, 11, 6))
    d = weekly_decision(WeekReview(missed_for_life=missed), build_streak=3)
    assert d.action == "repeat" and "Mon 2 Nov" in decision_texts(d)[0]


def test_busy_week_holds_simplified_only_without_fatigue() -> None:
    busy = "Life stress was high on 2 days: same step, shorter sessions."
    d = weekly_decision(WeekReview(busy=busy, quality_done="ok"), build_streak=1)
    assert d.action == "hold" and d.simplified
    tired = WeekReview(busy=busy, flags=("Sleep averaged 6.1 h, under 7.",))
    d = weekly_decision(tired, build_streak=1)
    assert d.action == "hold" and not d.simplified


def test_unknown_quality_session_holds() -> None:
    d = weekly_decision(WeekReview(quality_missing="I didn't hear how it went"), build_streak=1)
    assert d.action == "hold"
