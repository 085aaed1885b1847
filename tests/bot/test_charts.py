"""Charts: the numbers against hand-made histories, then the PNGs themselves."""

from __future__ import annotations

import io
import struct
import threading
from datetime import date, timedelta
from typing import Any

import pytest
from matplotlib import image as mpimg

from bot import chart_drawing, charts
from bot.charts import QualityRpe, RhrPoint
from coach.history import Cross, RestingHR, Run, TimeTrial
from coach.load import stated_load_seed
from coach.model import Decision, Session, Week, WeekKind
from coach.paces import predict_race_s, training_paces, vdot_from_race
from coach.replay import plan
from tests.factories import MONDAY, compliant_weeks, make_history, with_events

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which always comes first."""
    assert png[:8] == PNG_SIGNATURE
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def week(
    kind: WeekKind = "build", sessions: tuple[Session, ...] = (), changes: tuple[str, ...] = ()
) -> Week:
    return Week(
        start=MONDAY,
        index=0,
        step=1,
        phase="build",
        kind=kind,
        decision=Decision("progress", ()),
        planned_min=sum(s.planned_min for s in sessions),
        sessions=sessions,
        changes=changes,
    )


def session(offset: int, kind: str, minutes: int, rpe: int | None, title: str = "x") -> Session:
    return Session(MONDAY + timedelta(days=offset), kind, title, minutes, rpe)  # type: ignore[arg-type]


# --- load ------------------------------------------------------------------------------


def test_daily_loads_are_foster_loads_with_the_coachs_default_rpe() -> None:
    history = make_history(
        Run(MONDAY, 40, rpe=5),
        Run(MONDAY, 20),  # no RPE: counts as 4, as the coach counts it
        Cross(MONDAY + timedelta(days=1), "bike", 30, rpe=3),
        Run(MONDAY + timedelta(days=5), 60, rpe=4),  # outside the range asked for
    )
    loads = charts.daily_loads(history, MONDAY, MONDAY + timedelta(days=2))
    assert loads == [40 * 5 + 20 * 4, 30 * 3, 0.0]


def test_planned_load_counts_minutes_times_target_rpe_up_to_today() -> None:
    w = week(
        sessions=(
            session(0, "easy", 40, 3),
            session(1, "rest", 0, None),
            session(2, "tempo", 50, 7),
        )
    )
    assert charts.planned_load(w, MONDAY + timedelta(days=6)) == 40 * 3 + 50 * 7
    assert charts.planned_load(w, MONDAY + timedelta(days=1)) == 40 * 3  # tempo not yet due


def test_weekly_loads_pair_planned_with_done() -> None:
    w = week(kind="deload", sessions=(session(0, "easy", 40, 3), session(2, "tempo", 50, 7)))
    history = make_history(Run(MONDAY, 45, rpe=3), Run(MONDAY + timedelta(days=2), 50, rpe=8))
    [load] = charts.weekly_loads([w], history, MONDAY + timedelta(days=6))
    assert (load.start, load.kind, load.planned, load.done) == (MONDAY, "deload", 470, 535)


def test_acwr_series_matches_the_closed_form_and_the_coach() -> None:
    # The same load every day from the plan start: both EWMAs move from the stated-minutes
    # seed S towards L as L + (S − L)(1 − λ)^n, so the ratio has a closed form to check.
    days = 40
    history = make_history(*(Run(MONDAY + timedelta(days=i), 50, rpe=4) for i in range(days)))
    today = MONDAY + timedelta(days=days - 1)
    series = charts.acwr_series(history, MONDAY, today)
    assert series[0][0] == MONDAY  # seeded: a ratio from day one
    assert len(series) == days
    seed, load = stated_load_seed(history.profile.weekly_minutes), 200
    for day, ratio in series:
        n = (day - MONDAY).days + 1
        acute = load + (seed - load) * (1 - 2 / 8) ** n
        chronic = load + (seed - load) * (1 - 2 / 29) ** n
        expected = acute / chronic
        assert ratio == pytest.approx(expected)
    assert series[-1][1] == pytest.approx(plan(history, today).metrics.acwr)


def test_acwr_series_starts_at_first_but_counts_load_from_the_origin() -> None:
    history = make_history(*(Run(MONDAY + timedelta(days=i), 50, rpe=4) for i in range(40)))
    today = MONDAY + timedelta(days=39)
    full = dict(charts.acwr_series(history, MONDAY, today))
    late = charts.acwr_series(history, MONDAY + timedelta(days=35), today)
    assert [d for d, _ in late] == [MONDAY + timedelta(days=i) for i in range(35, 40)]
    assert all(full[d] == r for d, r in late)


# --- resting HR ------------------------------------------------------------------------


def test_rhr_series_baseline_limit_and_flags() -> None:
    readings = [RestingHR(MONDAY + timedelta(days=i), 50) for i in range(7)]
    history = make_history(
        *readings,
        RestingHR(MONDAY + timedelta(days=7), 52),
        RestingHR(MONDAY + timedelta(days=7), 57),  # a corrected reading: the latest wins
        RestingHR(MONDAY + timedelta(days=8), 54),
    )
    points = charts.rhr_series(history, MONDAY, MONDAY + timedelta(days=8))
    assert [p.baseline for p in points[:7]] == [None] * 7  # under 7 readings: no baseline
    assert not any(p.flagged for p in points[:7])
    jump = points[7]
    assert (jump.bpm, jump.baseline, jump.limit, jump.flagged) == (57, 50, 55, True)  # +7
    after = points[8]
    # Baseline of 7×50 and 57: mean 50.875, SD 2.3 → limit +5. The 3-day mean (55.5) is
    # 4.6 above it, and 54 is only 3.1 above: not flagged.
    assert after.baseline == pytest.approx(50.875)
    assert after.limit == pytest.approx(55.875)
    assert not after.flagged


def test_rhr_series_flags_a_three_day_rise() -> None:
    history = make_history(
        *(RestingHR(MONDAY + timedelta(days=i), 50) for i in range(10)),
        *(RestingHR(MONDAY + timedelta(days=i), 57) for i in range(10, 13)),
    )
    points = charts.rhr_series(history, MONDAY + timedelta(days=10), MONDAY + timedelta(days=12))
    assert [p.date for p in points] == [MONDAY + timedelta(days=i) for i in range(10, 13)]
    last = points[-1]
    # The baseline takes in the two raised mornings before it: (10×50 + 2×57) / 12 ≈ 51.2.
    # 57 alone is under 7 above it; the 3-day mean of 57 is 5.8 above, more than 5.
    assert last.baseline == pytest.approx(614 / 12)
    assert last.baseline is not None and last.bpm - last.baseline < 7 and last.flagged


# --- quality sessions ------------------------------------------------------------------


def test_quality_rpe_pairs_only_rated_hard_sessions_that_are_not_all_out() -> None:
    w = week(
        sessions=(
            session(0, "easy", 40, 3),
            session(1, "tempo", 50, 7, "Tempo"),
            session(2, "quality", 50, 6, "Reps"),  # not logged
            session(3, "time_trial", 40, 9),
            session(4, "progression", 45, 6, "Progression"),
        )
    )
    history = make_history(
        Run(MONDAY, 40, rpe=5),
        Run(MONDAY + timedelta(days=1), 50, rpe=9),
        Run(MONDAY + timedelta(days=3), 40, rpe=10),
        Run(MONDAY + timedelta(days=4), 30, rpe=5),
        Run(MONDAY + timedelta(days=4), 15, rpe=7),  # a double counts at the higher RPE
    )
    pairs = charts.quality_rpe([w], history, MONDAY + timedelta(days=6))
    assert pairs == [
        QualityRpe(MONDAY + timedelta(days=1), "Tempo", 7, 9),
        QualityRpe(MONDAY + timedelta(days=4), "Progression", 6, 7),
    ]
    assert [p.drift for p in pairs] == [2, 1]


# --- the headline ----------------------------------------------------------------------

TODAY = MONDAY + timedelta(days=20)
CALM = [RhrPoint(TODAY, 50, 50.0, 55.0, False)]
UP = [
    RhrPoint(TODAY - timedelta(days=1), 50, 50.0, 55.0, False),
    RhrPoint(TODAY, 56, 50.2, 55.2, True),
]


@pytest.mark.parametrize(
    ("acwr", "rhr", "quality", "current", "headline"),
    [
        (1.0, UP, [], week("deload"), "Resting HR is up 6 bpm: the coach eased off"),
        (
            1.0,
            UP,
            [],
            week("build", changes=("Wed: easy",)),
            "Resting HR is up 6 bpm: the coach eased off",
        ),
        (1.0, UP, [], week("build"), "Resting HR is up 6 bpm: keep today easy"),
        (1.62, CALM, [], week(), "Load rose fast (ratio 1.62): the coach is watching it"),
        (
            1.0,
            CALM,
            [QualityRpe(TODAY, "Tempo", 6, 9)],
            week(),
            "Your last quality session felt 3 points harder than planned",
        ),
        (
            1.0,
            CALM,
            [QualityRpe(TODAY, "Tempo", 6, 7)],
            week(),
            "Load is steady and your resting HR is normal",
        ),
        (1.4, CALM, [], week(), "Load is climbing quickly and your resting HR is normal"),
        (
            0.7,
            CALM,
            [],
            week("deload"),
            "A lighter stretch: load is down and your resting HR is normal",
        ),
        (None, [], [], week(), "Load is building and log your resting HR to see it here"),
    ],
)
def test_headline_says_what_to_notice(
    acwr: float | None,
    rhr: list[RhrPoint],
    quality: list[QualityRpe],
    current: Week,
    headline: str,
) -> None:
    assert charts.stats_headline(acwr, rhr, quality, current, TODAY) == headline


def test_an_old_flag_no_longer_leads_the_headline() -> None:
    old = [RhrPoint(TODAY - timedelta(days=5), 58, 50.0, 55.0, True), *CALM]
    assert charts.stats_headline(1.0, old, [], week(), TODAY).startswith("Load is steady")


# --- /stats end to end -----------------------------------------------------------------


def test_stats_chart_is_none_in_the_first_week_or_with_nothing_logged() -> None:
    logged = make_history(Run(MONDAY, 40, rpe=3))
    assert charts.stats_chart(logged, MONDAY + timedelta(days=5)) is None  # one week only
    rhr_only = make_history(*(RestingHR(MONDAY + timedelta(days=i), 50) for i in range(20)))
    assert charts.stats_chart(rhr_only, MONDAY + timedelta(days=19)) is None  # no runs


def test_stats_chart_is_a_phone_sized_png() -> None:
    history = compliant_weeks(make_history(), 3)
    png = charts.stats_chart(history, MONDAY + timedelta(days=20))
    assert png is not None
    assert png_size(png) == (1050, 1425)  # 7×9.5 in at 150 dpi
    assert len(png) < 1_000_000  # far under Telegram's 10 MB photo limit
    pixels = mpimg.imread(io.BytesIO(png), format="png")
    assert pixels.shape[:2] == (1425, 1050)


def test_stats_shows_at_most_twelve_weeks_and_the_title_follows_the_data() -> None:
    history = compliant_weeks(make_history(), 14)
    today = MONDAY + timedelta(weeks=14, days=-1)
    data = charts.stats_data(history, today)
    assert data is not None
    assert len(data.weeks) == 12 and data.weeks[-1].start == today - timedelta(days=6)
    assert data.first == data.weeks[0].start
    assert data.headline.endswith("your resting HR is normal")
    assert all(w.done > 0 for w in data.weeks)
    # Three mornings at 58 after a steady 50: the title now leads with it. On the third,
    # the baseline has taken in the first two (26×50 + 2×58) / 28 ≈ 50.6, so "up 7", and
    # the coach already swapped a hard session for an easy one this week.
    sick = with_events(history, *(RestingHR(today + timedelta(days=i), 58) for i in range(1, 4)))
    data = charts.stats_data(sick, today + timedelta(days=3))
    assert data is not None
    assert data.headline == "Resting HR is up 7 bpm: the coach eased off"
    assert data.rhr[-1].flagged


# --- /progress -------------------------------------------------------------------------


def test_fitness_points_from_the_profile_and_each_trial_up_to_today() -> None:
    history = make_history(
        TimeTrial(MONDAY + timedelta(days=30), 5000, 1300),
        TimeTrial(MONDAY + timedelta(days=90), 5000, 1250),  # after today
    )
    points = charts.fitness_points(history, MONDAY + timedelta(days=60))
    assert [p.date for p in points] == [MONDAY - timedelta(days=10), MONDAY + timedelta(days=30)]
    trial = points[-1]
    assert trial.vdot == pytest.approx(vdot_from_race(5000, 1300))
    assert round(trial.vdot, 1) == 45.3
    assert trial.five_k_s == pytest.approx(1300, abs=0.5)  # a 5K predicts itself
    assert trial.threshold_s_per_km == training_paces(45.3).threshold
    assert trial.interval_s_per_km == training_paces(45.3).interval
    ten_k = make_history(TimeTrial(MONDAY, 10000, 2700), fitness=None)
    [point] = charts.fitness_points(ten_k, MONDAY)
    assert point.five_k_s == pytest.approx(predict_race_s(vdot_from_race(10000, 2700), 5000))


def test_progress_headline_reads_the_trend() -> None:
    start = make_history()  # 5K in 22:30
    faster = with_events(start, TimeTrial(MONDAY + timedelta(days=30), 5000, 1300))
    slower = with_events(start, TimeTrial(MONDAY + timedelta(days=30), 5000, 1400))
    same = with_events(start, TimeTrial(MONDAY + timedelta(days=30), 5000, 1352))
    today = MONDAY + timedelta(days=40)
    assert charts.progress_headline(charts.fitness_points(start, today)) == (
        "VDOT 43.4: a 22:30 5K. A time trial will show the trend"
    )
    assert charts.progress_headline(charts.fitness_points(faster, today)) == (
        "VDOT up 2.0 since 26 Dec: a 21:40 5K now"
    )
    assert charts.progress_headline(charts.fitness_points(slower, today)).startswith(
        "VDOT down 1.8 since 26 Dec"
    )
    assert charts.progress_headline(charts.fitness_points(same, today)).startswith("VDOT steady at")


def test_progress_chart_none_without_a_result_and_a_png_with_one() -> None:
    assert charts.progress_chart(make_history(fitness=None), MONDAY + timedelta(days=30)) is None
    history = make_history(TimeTrial(MONDAY + timedelta(days=30), 5000, 1300), units="mi")
    png = charts.progress_chart(history, MONDAY + timedelta(days=30))
    assert png is not None and png_size(png) == (1050, 1425) and len(png) < 1_000_000


# --- drawing off the event loop ------------------------------------------------------------


def test_month_ticks_are_the_first_and_the_fifteenth() -> None:
    ticks = chart_drawing._month_ticks(date(2026, 1, 10), date(2026, 3, 1))
    assert ticks == [date(2026, 1, 15), date(2026, 2, 1), date(2026, 2, 15), date(2026, 3, 1)]


async def test_render_stats_draws_on_a_worker_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    data = charts.stats_data(compliant_weeks(make_history(), 3), MONDAY + timedelta(days=20))
    assert data is not None
    threads: list[int] = []
    real_draw = chart_drawing.draw_stats

    def draw_and_note_the_thread(stats: charts.StatsData) -> bytes:
        threads.append(threading.get_ident())
        return real_draw(stats)

    monkeypatch.setattr(chart_drawing, "draw_stats", draw_and_note_the_thread)
    png = await charts.render_stats(data)
    assert png_size(png) == (1050, 1425)
    assert len(threads) == 1 and threads[0] != threading.get_ident()


async def test_render_progress_draws_on_a_worker_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    history = make_history(TimeTrial(MONDAY + timedelta(days=30), 5000, 1300))
    points = charts.fitness_points(history, MONDAY + timedelta(days=30))
    threads: list[int] = []
    real_draw = chart_drawing.draw_progress

    def draw_and_note_the_thread(*args: Any) -> bytes:
        threads.append(threading.get_ident())
        return real_draw(*args)

    monkeypatch.setattr(chart_drawing, "draw_progress", draw_and_note_the_thread)
    png = await charts.render_progress(points, "km")
    assert png_size(png) == (1050, 1425)
    assert len(threads) == 1 and threads[0] != threading.get_ident()
