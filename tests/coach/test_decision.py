"""COACHING.md §5 as a table: each row of the decision table, checked on its own."""

from __future__ import annotations

from datetime import date

from coach.decision import WeekReview, weekly_decision
from coach.english import decision_texts
from coach.reasons import (
    BusyWeek,
    HighLoadRatio,
    QualityNotHeard,
    QualityOneOver,
    RestingHRUp,
    SessionFelt,
    ShortSleep,
    SoreLegs,
)

WED = date(2026, 11, 4)
RHR = RestingHRUp(mean=57.2, mornings=3, baseline=51.1, limit=5.2)
RHR_TEXT = "Resting HR averaged 57 over the last 3 mornings, 6 above your 51 baseline (limit +5)."
DRIFT = SessionFelt(WED, "5×400 m uptick", rpe=9, target=7)
DRIFT_TEXT = "Wed 4 Nov's 5×400 m uptick felt 9/10 against a target of 7."
DONE = SessionFelt(WED, "5×400 m uptick", rpe=6, target=7)
SLEEP = ShortSleep(6.1)


def test_clean_week_progresses() -> None:
    d = weekly_decision(WeekReview(quality_done=DONE), build_streak=1)
    assert d.action == "progress"


def test_one_flag_holds_and_quotes_it() -> None:
    d = weekly_decision(WeekReview(flags=(RHR,), rhr_flag=True), build_streak=1)
    assert d.action == "hold" and RHR_TEXT in decision_texts(d)


def test_one_point_over_target_holds() -> None:
    one_over = QualityOneOver(WED, "Tempo", 8, 7)
    d = weekly_decision(WeekReview(quality_one_over=one_over), build_streak=1)
    assert d.action == "hold"


def test_rhr_flag_with_rpe_drift_deloads() -> None:
    review = WeekReview(flags=(RHR, DRIFT), rhr_flag=True, rpe_drift=True)
    d = weekly_decision(review, build_streak=1)
    assert d.action == "deload"
    assert RHR_TEXT in decision_texts(d) and DRIFT_TEXT in decision_texts(d)


def test_two_flags_deload() -> None:
    review = WeekReview(flags=(SLEEP, SoreLegs()))
    assert weekly_decision(review, build_streak=0).action == "deload"


def test_acwr_alone_is_never_the_reason() -> None:
    acwr = (HighLoadRatio(1.62),)
    assert weekly_decision(WeekReview(supporting=acwr), build_streak=1).action == "progress"
    with_flag = WeekReview(flags=(SLEEP,), supporting=acwr)
    assert weekly_decision(with_flag, build_streak=1).action == "deload"


def test_request_deloads() -> None:
    d = weekly_decision(WeekReview(deload_requested=date(2026, 11, 5)), build_streak=0)
    assert d.action == "deload" and "Thu 5 Nov" in decision_texts(d)[0]


def test_fourth_week_of_building_is_recovery() -> None:
    assert weekly_decision(WeekReview(quality_done=DONE), build_streak=3).action == "recovery"
    assert weekly_decision(WeekReview(quality_done=DONE), build_streak=2).action == "progress"


def test_two_missed_for_life_repeat_the_week() -> None:
    missed = (date(2026, 11, 2), date(2026, 11, 6))
    d = weekly_decision(WeekReview(missed_for_life=missed), build_streak=3)
    assert d.action == "repeat" and "Mon 2 Nov" in decision_texts(d)[0]


def test_busy_week_holds_simplified_only_without_fatigue() -> None:
    busy = BusyWeek(2)
    d = weekly_decision(WeekReview(busy=busy, quality_done=DONE), build_streak=1)
    assert d.action == "hold" and d.simplified
    assert decision_texts(d) == ("Life stress was high on 2 days: same step, shorter sessions.",)
    tired = WeekReview(busy=busy, flags=(SLEEP,))
    d = weekly_decision(tired, build_streak=1)
    assert d.action == "hold" and not d.simplified


def test_unknown_quality_session_holds() -> None:
    d = weekly_decision(WeekReview(quality_missing=QualityNotHeard(WED, "Tempo")), build_streak=1)
    assert d.action == "hold"
