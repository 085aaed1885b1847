"""The coach adapting to a runner over weeks, as COACHING.md describes."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from coach.english import change_texts, decision_texts
from coach.history import (
    DeloadRequest,
    Pause,
    RaceResult,
    RestingHR,
    Resume,
    Run,
    Skipped,
    TimeTrial,
    Wellness,
)
from coach.paces import predict_race_s
from coach.replay import plan
from coach.simulate import simulate
from coach.taper import taper_days
from tests.factories import compliant_week, compliant_weeks, make_history, with_events


def test_clean_compliance_climbs_the_ladder() -> None:
    _, p = simulate("steady", weeks=12)
    builds = [w for w in p.weeks if w.kind == "build"]
    assert [w.step for w in builds][:5] == [1, 2, 3, 4, 5]
    assert [w.step for w in builds] == sorted(w.step for w in builds)
    assert any(w.kind == "assessment" and w.phase == "time trial" for w in p.weeks)
    assert builds[-1].step == 6 and builds[-1].phase == "blend"
    assert not any(w.decision.action in ("deload", "hold", "repeat") for w in p.weeks)
    # The 3:1 rhythm: never more than three build-type weeks in a row.
    run = 0
    for w in p.weeks:
        run = run + 1 if w.kind in ("build", "assessment") else 0
        assert run <= 4


def test_progress_reasons_quote_the_session_and_its_numbers() -> None:
    history = compliant_weeks(make_history(), 1)
    week = plan(history, history.profile.start_date + timedelta(days=7)).week
    assert week.decision.action == "progress"
    assert "Wed 7 Jan's 8×150 m controlled felt 6/10 against a target of 6." in (
        decision_texts(week.decision)
    )
    assert week.planned_min == 195  # 180 + 10 %, rounded down to 5 minutes


def test_rising_resting_hr_with_rpe_drift_deloads_within_a_week() -> None:
    history = compliant_weeks(make_history(), 3)  # baseline 50
    start = history.profile.start_date + timedelta(weeks=3)
    morning = [52, 53, 54, 55, 57, 58, 58]
    for offset, bpm in enumerate(morning):
        day = start + timedelta(days=offset)
        history = with_events(history, RestingHR(day, bpm))
        session = plan(history, day, weeks_ahead=0).week.session_on(day)
        if session.type != "rest":
            rpe = (session.target_rpe or 3) + (2 if session.hard else 0)
            history = with_events(history, Run(day, session.planned_min, rpe=rpe))
    # Week 4 was planned as recovery (3:1) — check the decision the week after it.
    next_week = plan(history, start + timedelta(days=7)).week
    assert next_week.kind == "deload"
    reasons = " ".join(decision_texts(next_week.decision))
    # The baseline is every morning before the last three: 50 for three weeks, then 52-55.
    assert "Resting HR averaged 58 over the last 3 mornings, 7 above your 51 baseline" in reasons
    # Week 4 was the recovery week: its set was the shorter 4×400, and its title says so.
    assert "4×400 m uptick felt 9/10 against a target of 7" in reasons


def test_overreaching_runner_is_deloaded_then_builds_again() -> None:
    _, p = simulate("overreaching", weeks=10)
    kinds = [w.kind for w in p.weeks]
    first_deload = kinds.index("deload")
    assert first_deload <= 5  # fatigue starts in week 4; the deload comes the week after
    assert p.weeks[first_deload + 1].decision.action == "progress"


def test_a_deload_request_lightens_the_rest_of_the_week_and_the_next() -> None:
    history = compliant_weeks(make_history(), 2)
    thursday = history.profile.start_date + timedelta(weeks=2, days=3)
    before = plan(history, thursday).week
    history = with_events(history, DeloadRequest(thursday))
    after = plan(history, thursday)
    assert "You asked for a deload on Thu 22 Jan" in change_texts(after.week)[0]
    for old, new in zip(before.sessions, after.week.sessions, strict=True):
        if new.date < thursday:
            assert old == new  # what is done is done
        elif old.planned_min:
            assert new.planned_min < old.planned_min and not new.hard
    following = after.upcoming[0]
    assert following.kind == "deload" and following.decision.action == "deload"
    # 35 % below the build week as it was planned, not as the request cut it short.
    assert following.planned_min == 5 * round(0.65 * before.planned_min / 5)
    assert any(s.type == "technique" for s in following.sessions)


def test_two_sessions_missed_for_work_repeat_the_week() -> None:
    history = compliant_weeks(make_history(), 1)
    start = history.profile.start_date + timedelta(weeks=1)
    history = with_events(
        history, Skipped(start, "work"), Skipped(start + timedelta(days=4), "family")
    )
    for offset in (2, 5):  # the quality session and the long run still happen
        day = start + timedelta(days=offset)
        session = plan(history, day).week.session_on(day)
        history = with_events(history, Run(day, session.planned_min, rpe=session.target_rpe))
    week = plan(history, start + timedelta(days=7)).week
    assert week.decision.action == "repeat"
    assert week.step == plan(history, start).week.step
    assert "Mon 12 Jan, Fri 16 Jan" in decision_texts(week.decision)[0]


def test_illness_pauses_and_resumes_one_step_lower() -> None:
    _, p = simulate("illness", weeks=9)
    kinds = [w.kind for w in p.weeks]
    paused = kinds.index("paused")
    before, resumed = p.weeks[paused - 1], p.weeks[paused + 1]
    assert resumed.decision.action == "resume"
    assert "9 days off" in decision_texts(resumed.decision)[0]
    assert resumed.step == max(1, before.step - 1)
    # The days before the pause keep their runs (issue 8); every day from it is rest.
    week = p.weeks[paused]
    paused_from = next(i for i, s in enumerate(week.sessions) if s.note.startswith("Paused"))
    assert all(s.type == "rest" for s in week.sessions[paused_from:])
    assert week.planned_min == sum(s.planned_min for s in week.sessions[:paused_from])


def test_a_short_break_keeps_the_step() -> None:
    history = compliant_weeks(make_history(), 2)
    start = history.profile.start_date + timedelta(weeks=2)
    history = with_events(
        history, Pause(start + timedelta(days=5), start + timedelta(days=6), "travel")
    )
    week = plan(history, start + timedelta(days=7)).week
    assert week.decision.action == "resume"
    assert week.step == plan(history, start).week.step


def test_a_goal_race_is_tapered() -> None:
    _, p = simulate("race", weeks=12)
    kinds = [w.kind for w in p.weeks]
    taper, race = p.weeks[kinds.index("taper")], p.weeks[kinds.index("race")]
    assert race.index == taper.index + 1
    build_before = max(w.planned_min for w in p.weeks[: taper.index] if w.kind == "build")
    race_sessions = [s for s in race.sessions if s.type == "race"]
    assert len(race_sessions) == 1 and race_sessions[0].date.weekday() == 6
    race_day = race_sessions[0].date
    days = taper_days(race_sessions[0].race.distance_m if race_sessions[0].race else 10000)
    window = [s for w in (taper, race) for s in w.sessions if 1 <= (race_day - s.date).days <= days]
    # Bosquet: volume 41-60 % below the usual over the taper days.
    usual = build_before * days / 7
    assert 0.4 * usual <= sum(s.planned_min for s in window) <= 0.6 * usual
    assert any(s.hard for s in window)  # intensity kept
    assert p.weeks[race.index + 1].kind == "recovery"


def test_no_result_starts_with_a_time_trial_that_sets_the_paces() -> None:
    history = make_history(fitness=None)
    first = plan(history, history.profile.start_date)
    assert first.week.kind == "assessment" and first.vdot is None
    trial_day = first.week.sessions[2]
    assert trial_day.type == "time_trial" and trial_day.hard
    history = with_events(history, TimeTrial(trial_day.date, 5000, 1500))
    later = plan(history, trial_day.date + timedelta(days=5))
    assert later.vdot is not None and round(later.vdot, 1) == 38.3
    assert later.week.step == 1
    reasons = " ".join(decision_texts(later.week.decision))
    assert "Time trial logged: VDOT 38.3 (a 25:00 5K)" in reasons


def test_a_time_trial_recalibrates_paces_from_that_day() -> None:
    history = compliant_weeks(make_history(), 1)
    tuesday = history.profile.start_date + timedelta(weeks=1, days=1)
    old = plan(history, tuesday)
    faster = with_events(history, TimeTrial(tuesday, 5000, predict_race_s(47, 5000)))
    new = plan(faster, tuesday)
    assert new.vdot is not None and old.vdot is not None and new.vdot > old.vdot
    wednesday = new.week.sessions[2]
    assert wednesday.reps[0].pace_s_per_km < old.week.sessions[2].reps[0].pace_s_per_km  # type: ignore[operator]


def test_a_flagged_morning_turns_todays_hard_session_into_an_easy_run() -> None:
    history = compliant_weeks(make_history(), 2)
    wednesday = history.profile.start_date + timedelta(weeks=2, days=2)
    history = with_events(history, RestingHR(wednesday, 59))
    week = plan(history, wednesday).week
    today = week.session_on(wednesday)
    assert today.type == "easy" and not today.hard
    assert "resting HR 59, 9 above your 50 baseline" in change_texts(week)[0]


def test_a_busy_week_holds_with_shorter_sessions() -> None:
    history = compliant_weeks(make_history(), 1)
    start = history.profile.start_date + timedelta(weeks=1)
    history = compliant_week(history, 1)
    history = with_events(
        history, Wellness(start, stress=4), Wellness(start + timedelta(1), stress=5)
    )
    this, following = plan(history, start), plan(history, start + timedelta(days=7))
    assert following.week.decision.action == "hold"
    assert following.week.step == this.week.step
    assert following.week.planned_min < this.week.planned_min
    assert "Life stress was high on 2 days" in decision_texts(following.week.decision)[0]


def test_every_fourth_week_of_building_is_lighter() -> None:
    history = compliant_weeks(make_history(), 3)
    week = plan(history, history.profile.start_date + timedelta(weeks=3)).week
    assert week.kind == "recovery"
    assert week.planned_min == 155  # 75 % of 210, rounded down to 5 minutes


def test_after_a_busy_week_volume_comes_back_gently_and_says_so() -> None:
    history = compliant_weeks(make_history(), 1)
    start = history.profile.start_date
    history = with_events(
        history, Wellness(start, stress=4), Wellness(start + timedelta(1), stress=5)
    )
    history = compliant_week(history, 1)  # the busy week itself goes to plan
    busy = plan(history, start + timedelta(days=7)).week
    after = plan(history, start + timedelta(days=14)).week
    assert busy.decision.action == "hold" and busy.planned_min == 140  # 80 % of 180, to 5 min
    assert after.decision.action == "progress" and after.kind == "build"
    assert after.planned_min == int(busy.planned_min * 1.1) < 195
    assert f"{after.planned_min} minutes: at most 10 % above last week." in " ".join(
        decision_texts(after.decision)
    )


def test_the_starting_result_is_not_announced_as_a_time_trial() -> None:
    history = compliant_weeks(make_history(), 1)
    history = replace(
        history,
        profile=replace(
            history.profile,
            fitness=RaceResult(5000, 1350, history.profile.start_date),  # dated in week 1
        ),
    )
    week = plan(history, history.profile.start_date + timedelta(days=7)).week
    assert not any("Time trial logged" in r for r in decision_texts(week.decision))


def test_a_requested_deload_survives_a_short_pause() -> None:
    history = compliant_weeks(make_history(), 2)
    wednesday = history.profile.start_date + timedelta(weeks=2, days=2)
    history = with_events(
        history,
        DeloadRequest(wednesday),
        Pause(wednesday + timedelta(days=1), None, "travel"),
        Resume(wednesday + timedelta(days=2)),
    )
    following = plan(history, wednesday + timedelta(days=5)).week
    assert following.kind == "deload"
