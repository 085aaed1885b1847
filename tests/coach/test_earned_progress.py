"""Issue 9, defects 2 and 6: progress is earned, and volumes do not swing."""

from __future__ import annotations

from datetime import date, timedelta

from coach.english import decision_texts
from coach.history import DeloadRequest, Event, History, Pause, Resume, Run, Skipped
from coach.replay import plan
from coach.simulate import simulate
from tests.factories import MONDAY, compliant_week, compliant_weeks, make_history, with_events


def _week_as_planned(history: History, index: int, skip_quality: str | None = None) -> History:
    """Every session of week `index` done, except the quality session when told."""
    start = MONDAY + timedelta(weeks=index)
    for offset in range(7):
        day = start + timedelta(days=offset)
        s = plan(history, day, weeks_ahead=0).week.session_on(day)
        if s.type == "rest":
            continue
        event: Event
        if s.hard and skip_quality == "skip":
            event = Skipped(day, "work")
        elif s.hard and skip_quality == "changed":
            event = Run(day, s.planned_min, rpe=4, changed=True)
        elif s.hard and skip_quality == "did it anyway":
            event = Run(day, s.planned_min, rpe=s.target_rpe, changed=True, instead="quality")
        else:
            event = Run(day, s.planned_min, rpe=s.target_rpe)
        history = with_events(history, event)
    return history


def test_skipping_only_the_quality_session_holds_the_step() -> None:
    history = _week_as_planned(compliant_weeks(make_history(), 1), 1, "skip")
    week = plan(history, MONDAY + timedelta(weeks=2)).week
    assert week.decision.action == "hold" and week.step == 2
    assert "The week went to plan." not in decision_texts(week.decision)
    assert "Wed 14 Jan's 6×200 m controlled was skipped (work)" in decision_texts(week.decision)[0]


def test_a_changed_quality_session_counts_only_when_the_runner_did_it() -> None:
    base = compliant_weeks(make_history(), 1)
    changed = plan(_week_as_planned(base, 1, "changed"), MONDAY + timedelta(weeks=2)).week
    assert changed.decision.action == "hold" and changed.step == 2
    assert "was changed" in decision_texts(changed.decision)[0]
    anyway = plan(_week_as_planned(base, 1, "did it anyway"), MONDAY + timedelta(weeks=2)).week
    assert anyway.decision.action == "progress" and anyway.step == 3


def test_after_a_9_day_illness_the_lower_step_stays_until_done_and_easy_runs_come_first() -> None:
    _, p = simulate("illness", weeks=10)
    kinds = [w.kind for w in p.weeks]
    paused = kinds.index("paused")
    resumed, after = p.weeks[paused + 1], p.weeks[paused + 2]
    assert resumed.decision.action == "resume" and resumed.step == p.weeks[paused].step - 1
    assert any("How do you feel" in r for r in decision_texts(resumed.decision))
    # The pause covered the resumed week's quality day: the lower step was never done.
    assert after.decision.action == "hold" and after.step == resumed.step
    # The first two runs after the illness are easy, whatever the plan had on those days.
    back = [s for w in (resumed, after) for s in w.sessions if s.type != "rest"]
    assert back[0].date > date(2026, 2, 11)
    assert not back[0].hard and not back[1].hard
    # No extra hard session in the week after a comeback.
    assert sum(1 for s in after.sessions if s.hard) <= 1


def test_the_first_full_week_after_resume_is_at_most_15_percent_above_what_was_run() -> None:
    history = compliant_weeks(make_history(weekly_minutes=300), 3)
    start = MONDAY + timedelta(weeks=3)
    history = with_events(history, Pause(start, None, "travel"))
    thursday = start + timedelta(days=3)
    history = with_events(history, Resume(thursday))
    for offset in (4, 5):  # two runs after the resume, 40 minutes each
        history = with_events(history, Run(start + timedelta(days=offset), 40, rpe=3))
    week = plan(history, start + timedelta(weeks=1)).week
    assert week.planned_min == 90  # 80 + 15 %, rounded down to 5 minutes
    assert any("above the 80 you ran last week" in r for r in decision_texts(week.decision))


def test_a_deload_after_a_recovery_week_is_35_percent_below_the_build_week() -> None:
    history = compliant_weeks(make_history(), 3)  # weeks 1-3 build (180, 195, 210)
    recovery_start = MONDAY + timedelta(weeks=3)
    history = compliant_week(history, 3)
    recovery = plan(history, recovery_start).week
    assert recovery.kind == "recovery"
    history = with_events(history, DeloadRequest(recovery_start + timedelta(days=6)))
    p = plan(history, recovery_start + timedelta(days=7), weeks_ahead=3)
    deload, back, full = p.week, p.upcoming[0], p.upcoming[1]
    assert deload.kind == "deload"
    assert deload.planned_min == 135  # 65 % of 210, not of the 155-min recovery week
    assert sum(1 for s in deload.sessions if s.type != "rest") == 4  # the runner's days kept
    # Back in two steps: halfway, then the usual volume.
    assert back.planned_min <= (135 + 210) / 2 < full.planned_min <= 210 + 5
