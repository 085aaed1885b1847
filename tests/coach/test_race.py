"""The race (issue 9 §4): a taper counted back from the race day, race morning's target and
even splits, and a reverse taper after it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from coach import taper
from coach.english import decision_texts
from coach.model import Plan, Session
from coach.paces import HALF_MARATHON_M, MARATHON_M, predict_race_s
from coach.replay import plan
from tests.factories import MONDAY, goal_on, make_history


def _projected(race: date, distance_m: float, weeks: int = 14, **profile: object) -> Plan:
    history = make_history(goal=goal_on(race, distance_m), **profile)
    return plan(history, MONDAY, weeks_ahead=weeks)


def _sessions(p: Plan) -> dict[date, Session]:
    return {s.date: s for w in p.weeks for s in w.sessions}


def _tapered_days(p: Plan) -> list[date]:
    return sorted(d for d, s in _sessions(p).items() if s.note.startswith(taper.TAPER_NOTE))


@pytest.mark.parametrize(
    ("distance_m", "days"),
    [(5000, 10), (10000, 10), (HALF_MARATHON_M, 12), (MARATHON_M, 14)],
)
def test_taper_counts_back_from_the_race_day(distance_m: float, days: int) -> None:
    race = MONDAY + timedelta(weeks=9, days=6)  # a Sunday
    p = _projected(race, distance_m)
    tapered = _tapered_days(p)
    assert taper.taper_days(distance_m) == days
    assert tapered[0] >= race - timedelta(days=days) and tapered[-1] == race - timedelta(days=1)
    run_days = {0, 2, 4, 5}  # make_profile
    window = [race - timedelta(days=k) for k in range(1, days + 1)]
    # Frequency kept: every run day of the taper is a run, the day before a shakeout.
    sessions = _sessions(p)
    for day in window:
        if day.weekday() in run_days:
            assert sessions[day].type != "rest" and day in tapered
    assert sessions[race - timedelta(days=1)].title == "Shakeout with strides"


def test_a_tuesday_5k_tapers_ten_days_and_no_more() -> None:
    """A Tuesday 5K got the whole week before at 60 % and race week at 45 %."""
    race = MONDAY + timedelta(weeks=8, days=1)
    with_goal = _sessions(_projected(race, 5000))
    without = _sessions(plan(make_history(), MONDAY, weeks_ahead=14))
    start = race - timedelta(days=taper.taper_days(5000))
    before = [d for d in with_goal if d < start]
    # The days before the taper keep their full minutes (the block-end time trial gives
    # way to the race, so the session itself may differ).
    assert before and all(with_goal[d].planned_min == without[d].planned_min for d in before)
    assert _tapered_days(_projected(race, 5000))[0] >= start


def test_ten_weeks_out_a_10k_gets_no_recovery_week_stacked_on_the_taper() -> None:
    """A 10K ten weeks out got recovery + taper + race week: 20 days of reduced volume."""
    race = MONDAY + timedelta(weeks=9, days=6)
    p = _projected(race, 10000)
    start = taper.taper_start(goal_on(race))
    before_taper = [w for w in p.weeks if w.start + timedelta(days=6) < start]
    assert before_taper[-1].kind == "build"
    assert before_taper[-1].start + timedelta(days=13) >= start  # it would have been the 3:1
    assert "taper" in decision_texts(before_taper[-1].decision)[0].lower()
    assert [w.kind for w in p.weeks].count("taper") == 1


def test_the_taper_ends_with_a_sharpener_three_to_seven_days_out() -> None:
    race = MONDAY + timedelta(weeks=9, days=6)
    sessions = _sessions(_projected(race, 10000))
    hard = [d for d, s in sessions.items() if s.hard and s.type != "race" and d < race]
    last = max(hard)
    assert "sharpener" in sessions[last].title
    assert 3 <= (race - last).days <= 7


def test_race_morning_has_a_target_time_and_even_splits_from_the_current_vdot() -> None:
    race = MONDAY + timedelta(weeks=9, days=6)
    p = _projected(race, 10000)
    day = _sessions(p)[race]
    assert day.type == "race" and day.race is not None
    assert p.vdot is not None
    target = day.race
    assert target.target_s == pytest.approx(predict_race_s(p.vdot, 10000))
    assert target.splits[-1] == (10000, pytest.approx(target.target_s))
    gaps = [b[1] - a[1] for a, b in zip(target.splits, target.splits[1:], strict=False)]
    assert all(g == pytest.approx(target.pace_s_per_km) for g in gaps)  # even, per km
    assert "even" in target.cue.lower()


@pytest.mark.parametrize("distance_m", [5000, 10000, HALF_MARATHON_M, MARATHON_M])
def test_after_the_race_easy_days_come_before_any_quality(distance_m: float) -> None:
    """Two days after a race the plan had 4×600 m at 5K pace."""
    race = MONDAY + timedelta(weeks=8)  # a Monday race: Wednesday's quality is 2 days on
    sessions = _sessions(_projected(race, distance_m))
    easy_for = taper.easy_days_after(distance_m)
    after = [race + timedelta(days=d) for d in range(1, easy_for + 1)]
    assert all(not sessions[d].hard for d in after)
    assert sessions[race + timedelta(days=1)].type == "rest"
    assert easy_for >= 2


def test_the_week_after_the_race_is_at_most_ten_percent_above_race_week() -> None:
    race = MONDAY + timedelta(weeks=8, days=5)
    p = _projected(race, 10000)
    kinds = [w.kind for w in p.weeks]
    race_week = p.weeks[kinds.index("race")]
    after = p.weeks[kinds.index("race") + 1]
    assert after.planned_min <= race_week.planned_min * 1.1
    assert not any(s.hard for s in after.sessions[: taper.easy_days_after(10000) - 1])


def test_the_sharpener_never_takes_the_weeks_rest_day() -> None:
    """Found by the rest-day property: a 7-day runner on few minutes has rest days among
    their run days, and the sharpener 4 days out landed on one, leaving no rest that week."""
    history = make_history(
        start_date=date(2025, 1, 6),
        fitness=None,
        run_days=(0, 1, 2, 3, 4, 5, 6),
        quality_day=0,
        long_run_day=4,
        weekly_minutes=137,
        goal=goal_on(date(2025, 4, 9), 5000),
    )
    p = plan(history, date(2025, 3, 3), weeks_ahead=6)
    for week in p.weeks:
        assert any(s.type == "rest" for s in week.sessions), week.start
    window = [s for d, s in _sessions(p).items() if 3 <= (date(2025, 4, 9) - d).days <= 7]
    assert sum(s.hard for s in window) == 1  # the sharpener moved to a run, not dropped


def test_a_race_on_a_seven_day_runners_rest_day_leaves_a_day_off_before_it() -> None:
    """Found by the rest-day property: the race took Sunday, the week's only rest day."""
    history = make_history(
        start_date=date(2025, 1, 6),
        fitness=None,
        run_days=(0, 1, 2, 3, 4, 5, 6),
        quality_day=0,
        long_run_day=5,
        weekly_minutes=409,
        goal=goal_on(date(2025, 1, 19), 5000),
    )
    race_week = plan(history, date(2025, 1, 9)).upcoming[0]
    assert race_week.sessions[-1].type == "race"
    rest = [s for s in race_week.sessions if s.type == "rest"]
    assert [s.date for s in rest] == [date(2025, 1, 17)]  # two days out
    assert race_week.sessions[-2].title.startswith("Shakeout")


def test_the_only_run_in_the_week_after_a_race_is_an_easy_run() -> None:
    """Found by the long-run property: a 2-day runner's week after a Sunday 5K kept one run,
    labelled the long run (100 % of the week)."""
    history = make_history(
        start_date=date(2025, 1, 6),
        fitness=None,
        run_days=(0, 2),
        quality_day=0,
        long_run_day=2,
        weekly_minutes=90,
        goal=goal_on(date(2025, 4, 6), 5000),
    )
    after = next(w for w in plan(history, date(2025, 3, 10), 6).weeks if w.start.day == 7)
    runs = [s for s in after.sessions if s.type != "rest"]
    assert len(runs) == 1 and runs[0].type == "easy"
