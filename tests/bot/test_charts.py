"""Charts: the numbers against hand-made histories, then the PNGs themselves."""

from __future__ import annotations

import asyncio
import io
import struct
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest
from matplotlib import dates as mdates
from matplotlib import image as mpimg

from bot import chart_drawing, charts
from bot.charts import QualityRpe, RhrPoint
from coach import readiness
from coach.history import Cross, History, Pause, RestingHR, Resume, Run, TimeTrial
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


# --- the numbers from the journal's replay, and the fast paths against the plain ones ------


def sick_history(weeks: int = 6) -> tuple[History, date]:
    """Compliant weeks, then three mornings 8 bpm up and a short pause: every panel has
    something, including flags and a paused week."""
    history = compliant_weeks(make_history(), weeks)
    today = MONDAY + timedelta(weeks=weeks, days=3)
    sick = [RestingHR(MONDAY + timedelta(weeks=weeks, days=i), 58) for i in range(3)]
    pause = [Pause(MONDAY + timedelta(weeks=weeks), None, "illness")]
    resume = [Resume(MONDAY + timedelta(weeks=weeks, days=3))]
    return with_events(history, *sick, *pause, *resume), today


def test_stats_data_from_a_given_plan_is_the_cold_replays() -> None:
    history, today = sick_history()
    # The journal's plan shows two weeks ahead; the chart reads only what is past.
    shared = plan(history, today, weeks_ahead=2)
    assert charts.stats_data(history, today, shared) == charts.stats_data(history, today)


def test_weekly_loads_add_up_to_the_daily_loads() -> None:
    history, today = sick_history()
    weeks = [*plan(history, today, 0).history, plan(history, today, 0).week]
    loads = charts.weekly_loads(weeks, history, today)
    for week, load in zip(weeks, loads, strict=True):
        last = min(week.start + timedelta(days=6), today)
        assert load.done == sum(charts.daily_loads(history, week.start, last))
    assert all(load.done > 0 for load in loads[:-1])  # the compliant weeks; then paused


def rhr_series_by_scanning(history: History, first: date, today: date) -> list[RhrPoint]:
    """The resting-HR series the plain way: every reading looked at for every morning."""
    readings = charts.morning_readings(history, today)
    out = []
    for day, bpm in readings:
        if day < first:
            continue
        baseline = readiness.rhr_baseline(readings, day)
        if baseline is None:
            out.append(RhrPoint(day, bpm, None, None, False))
            continue
        recent = [b for d, b in readings if day - timedelta(days=2) <= d <= day]
        flagged = readiness.rhr_single_morning_flag(bpm, baseline) or readiness.rhr_recent_flag(
            recent, baseline
        )
        limit = baseline.mean + readiness.rhr_threshold(baseline)
        out.append(RhrPoint(day, bpm, baseline.mean, limit, flagged))
    return out


def test_rhr_series_by_slices_is_the_scan_of_every_reading() -> None:
    # Gaps of up to a few days, a reading more than 60 days back, a sick spell: the
    # windows must select exactly the readings the scan does.
    days = [0, 1, 2, 5, 6, 9, 10, 11, 12, 13, 20, 21, 40, 70, 71, 72, 73, 74, 75, 76, 78, 79]
    bpms = [50, 51, 49, 52, 50, 48, 50, 51, 58, 59, 50, 52, 49, 51, 50, 60, 61, 62, 50, 49, 57, 51]
    history = make_history(
        *(RestingHR(MONDAY + timedelta(days=d), b) for d, b in zip(days, bpms, strict=True))
    )
    today = MONDAY + timedelta(days=80)
    for first in (MONDAY, MONDAY + timedelta(days=30)):
        fast = charts.rhr_series(history, first, today)
        assert fast == rhr_series_by_scanning(history, first, today)
    assert any(p.flagged for p in fast)


def test_day_numbers_are_matplotlibs() -> None:
    for day in (date(1969, 12, 31), date(1970, 1, 1), MONDAY, date(2031, 7, 15)):
        assert chart_drawing._day(day) == mdates.date2num(day)  # type: ignore[no-untyped-call]


# --- the reused figures ---------------------------------------------------------------------


def pixels(png: bytes) -> Any:
    return mpimg.imread(io.BytesIO(png), format="png")


def test_the_png_holds_exactly_what_the_figure_drew() -> None:
    data = charts.stats_data(*sick_history())
    assert data is not None
    png = chart_drawing.draw_stats(data)
    drawn = np.asarray(chart_drawing.stats_figure().canvas.buffer_rgba())  # type: ignore[no-untyped-call]
    assert png_size(png) == (1050, 1425)
    assert (np.round(pixels(png) * 255).astype(np.uint8) == drawn).all()
    # Not a blank page: the bars' blue and the flags' red are in it.
    colours = {tuple(int(c) for c in px) for px in drawn.reshape(-1, 4)[::7]}
    assert (0x1F, 0x5F, 0xA8, 255) in colours and (0xC6, 0x28, 0x28, 255) in colours


def test_a_reused_stats_figure_draws_what_a_fresh_one_does() -> None:
    full = charts.stats_data(*sick_history(14))
    sparse = charts.stats_data(
        make_history(*(Run(MONDAY + timedelta(days=i), 30) for i in (0, 8))),
        MONDAY + timedelta(days=9),
    )
    assert full is not None and sparse is not None
    assert not sparse.rhr and not sparse.quality  # the empty-panel notes
    shared = chart_drawing.StatsFigure()
    first = shared.draw(full)
    between = shared.draw(sparse)
    assert shared.draw(full) == first  # nothing left over from the sparse chart
    assert chart_drawing.StatsFigure().draw(full) == first
    assert chart_drawing.StatsFigure().draw(sparse) == between
    assert between != first


def test_a_reused_progress_figure_draws_what_a_fresh_one_does() -> None:
    many = make_history(
        *(TimeTrial(MONDAY + timedelta(days=30 * i), 5000, 1340 - 15 * i) for i in range(1, 6))
    )
    # One result where the third of many was: a pace label left over would be drawn.
    one = make_history(TimeTrial(MONDAY + timedelta(days=60), 5000, 1310), fitness=None)
    many_points = charts.fitness_points(many, MONDAY + timedelta(days=160))
    one_points = charts.fitness_points(one, MONDAY + timedelta(days=60))
    shared = chart_drawing.ProgressFigure()
    first = shared.draw(many_points, "km")
    alone = shared.draw(one_points, "mi")
    assert shared.draw(many_points, "km") == first  # the extra pace labels are hidden again
    assert chart_drawing.ProgressFigure().draw(one_points, "mi") == alone
    assert alone != first


def test_concurrent_draws_each_get_their_own_chart() -> None:
    calm = charts.stats_data(compliant_weeks(make_history(), 4), MONDAY + timedelta(days=27))
    sick = charts.stats_data(*sick_history())
    assert calm is not None and sick is not None
    alone = {"calm": chart_drawing.draw_stats(calm), "sick": chart_drawing.draw_stats(sick)}
    start = threading.Barrier(4)

    def draw(name: str) -> tuple[str, bytes]:
        start.wait()  # all four at once, on the one template
        return name, chart_drawing.draw_stats(calm if name == "calm" else sick)

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(draw, ["calm", "sick", "calm", "sick"]))
    for name, png in results:
        assert png == alone[name]  # same data, same bytes; the other's data never mixed in
    assert alone["calm"] != alone["sick"]


async def test_concurrent_renders_on_the_event_loop_get_their_own_charts() -> None:
    calm = charts.stats_data(compliant_weeks(make_history(), 4), MONDAY + timedelta(days=27))
    sick = charts.stats_data(*sick_history())
    assert calm is not None and sick is not None
    pngs = await asyncio.gather(
        charts.render_stats(calm), charts.render_stats(sick), charts.render_stats(calm)
    )
    assert pngs[0] == pngs[2] != pngs[1]
    assert pngs[1] == chart_drawing.StatsFigure().draw(sick)


def test_warming_up_draws_both_charts(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[str] = []

    def draw_stats(data: charts.StatsData) -> bytes:
        drawn.append("stats")
        return b""

    def draw_progress(points: list[charts.FitnessPoint], units: str) -> bytes:
        drawn.append("progress")
        return b""

    monkeypatch.setattr(charts, "draw_stats", draw_stats)
    monkeypatch.setattr(charts, "draw_progress", draw_progress)
    charts.warm_up()
    assert drawn == ["stats", "progress"]
