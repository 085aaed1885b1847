"""Issue 9, defects 3 and 7: the assessment stays a trial; results are checked."""

from __future__ import annotations

from datetime import date, timedelta

from coach.english import decision_texts
from coach.history import RaceResult, TimeTrial
from coach.paces import predict_race_s
from coach.replay import plan
from tests.factories import MONDAY, compliant_week, compliant_weeks, make_history, with_events


def test_logging_the_assessment_trial_on_its_day_keeps_the_week_a_trial() -> None:
    history = make_history(fitness=None)
    wednesday = MONDAY + timedelta(days=2)
    history = with_events(history, TimeTrial(wednesday, 5000, 1500))
    week = plan(history, wednesday).week
    assert week.kind == "assessment"
    assert week.session_on(wednesday).type == "time_trial"
    history = compliant_week(history, 0)
    following = plan(history, MONDAY + timedelta(weeks=1)).week
    assert following.decision.action == "progress" and following.step == 1
    assert not any("against a target of 6" in r for r in decision_texts(following.decision))


def test_a_result_older_than_8_weeks_opens_with_a_time_trial_and_says_why() -> None:
    old = RaceResult(5000, 1350, date(2020, 5, 1))
    week = plan(make_history(fitness=old), MONDAY).week
    assert week.kind == "assessment"
    assert week.sessions[2].type == "time_trial"
    assert "from May 2020, more than 8 weeks ago" in decision_texts(week.decision)[0]


def test_a_slower_unconfirmed_trial_holds_keeps_the_paces_and_schedules_a_re_test() -> None:
    history = compliant_weeks(make_history(), 2)
    thursday = MONDAY + timedelta(weeks=2, days=3)
    before = plan(history, thursday).vdot
    history = with_events(history, TimeTrial(thursday, 5000, 1350 * 1.04, unconfirmed=True))
    p = plan(history, thursday + timedelta(days=4), weeks_ahead=4)
    assert p.vdot == before  # no silent downgrade
    following = p.week
    assert following.decision.action in ("hold", "recovery")
    assert "more likely fatigue than lost fitness" in " ".join(decision_texts(following.decision))
    retest = [w for w in p.upcoming if w.kind == "assessment"]
    assert retest and 2 <= (retest[0].start - thursday).days // 7 <= 3


def test_a_jump_of_more_than_10_percent_waits_for_confirmation() -> None:
    history = compliant_weeks(make_history(), 1)  # 22:30 5K, VDOT 43.4
    tuesday = MONDAY + timedelta(weeks=1, days=1)
    fifteen = with_events(history, TimeTrial(tuesday, 5000, 900, unconfirmed=True))
    p = plan(fifteen, tuesday + timedelta(days=6))
    assert p.vdot is not None and round(p.vdot, 1) == 43.4
    reasons = " ".join(decision_texts(p.week.decision))
    assert "more than 10 %: confirm it" in reasons
    confirmed = with_events(history, TimeTrial(tuesday, 5000, predict_race_s(47, 5000)))
    assert round(plan(confirmed, tuesday).vdot or 0) == 47
