"""Charts for /stats and /progress: the coach's numbers as phone-sized PNGs.

Everything here is pure: a history and a date in, PNG bytes out (or None when there is too
little to draw). The numbers come from small helpers that mirror what the replay reads
(coach/replay.py), so a chart never tells a different story from the coach's decisions;
the drawing functions only place them.

The drawing lives in `bot.chart_drawing`, imported off the start-up path: matplotlib costs
a third of a second and ~40 MiB, so the first chart a process draws imports it and builds
the two reused figures (~1 s once); a bot nobody asks for a chart never pays either.
`render_stats` / `render_progress` draw on a worker thread: a chart still takes ~0.1 s of
CPU, and the event loop keeps answering other runners meanwhile.
"""

from __future__ import annotations

import asyncio
import gc
import threading
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from coach.history import Cross, Event, History, Profile, RaceResult, RestingHR, Run, TimeTrial
from coach.load import (
    ACUTE_DAYS,
    ACWR_BAND,
    ACWR_WARNING,
    CHRONIC_DAYS,
    ewma_series,
    session_load,
    stated_load_seed,
)
from coach.model import Plan, Week, WeekKind
from coach.paces import (
    Units,
    format_duration,
    predict_race_s,
    training_paces,
    vdot_from_race,
)
from coach.readiness import (
    BASELINE_MAX_DAYS,
    RECENT_DAYS,
    RPE_DRIFT_POINTS,
    rhr_baseline,
    rhr_recent_flag,
    rhr_single_morning_flag,
    rhr_threshold,
)
from coach.replay import MISSING_RPE, plan

WINDOW_WEEKS = 12
MIN_WEEKS = 2  # one week of bars says nothing about a trend
# Weeks the coach made lighter on purpose: shaded so a dip in the bars reads as a plan.
MARKED_KINDS: dict[WeekKind, str] = {"deload": "deload", "recovery": "recovery", "paused": "paused"}
# Quality sessions whose target effort is all-out by design: drift means nothing there,
# and the replay skips them too.
ALL_OUT_TYPES = frozenset({"race", "time_trial"})
STEADY_VDOT = 0.3  # less than this either way is noise in a time trial, not a change

# --- the numbers -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WeekLoad:
    """One week's load in Foster units: planned (minutes × target RPE) and done."""

    start: date
    kind: WeekKind
    planned: float
    done: float


@dataclass(frozen=True, slots=True)
class RhrPoint:
    """One morning's resting HR, with the baseline and the flag line as of that morning."""

    date: date
    bpm: int
    baseline: float | None  # None until 7 readings make a baseline
    limit: float | None  # baseline + max(5 bpm, 1 SD): above it the coach takes notice
    flagged: bool


@dataclass(frozen=True, slots=True)
class QualityRpe:
    """How hard a quality session felt against how hard it was meant to feel."""

    date: date
    title: str
    target: int
    reported: int

    @property
    def drift(self) -> int:
        return self.reported - self.target


@dataclass(frozen=True, slots=True)
class StatsData:
    first: date  # the first day shown
    today: date
    weeks: tuple[WeekLoad, ...]
    acwr: tuple[tuple[date, float], ...]
    rhr: tuple[RhrPoint, ...]
    quality: tuple[QualityRpe, ...]
    headline: str


@dataclass(frozen=True, slots=True)
class FitnessPoint:
    """A race or time trial, with the fitness and the paces it set."""

    date: date
    distance_m: float
    time_s: float
    vdot: float
    five_k_s: float
    threshold_s_per_km: float
    interval_s_per_km: float


def _events_until(history: History, today: date) -> list[Event]:
    """Events dated on or before today, in date order; a stable sort keeps later entries
    of the same day last, which is the replay's 'latest wins'."""
    return sorted((e for e in history.events if e.date <= today), key=lambda e: e.date)


def daily_loads(history: History, first: date, last: date) -> list[float]:
    """Foster session load per day from `first` to `last`: runs and cross-training.

    A session logged without RPE counts as MISSING_RPE, exactly as the coach counts it.
    """
    by_day: dict[date, float] = defaultdict(float)
    for e in history.events:
        if isinstance(e, Run | Cross) and first <= e.date <= last:
            by_day[e.date] += session_load(e.rpe or MISSING_RPE, e.duration_min)
    days = (last - first).days + 1
    return [by_day.get(first + timedelta(days=i), 0.0) for i in range(max(days, 0))]


def planned_load(week: Week, today: date) -> float:
    """Minutes × target RPE of the week's sessions up to today: a week in progress is
    compared with what was planned so far, not with days still to come."""
    return float(
        sum(
            s.planned_min * s.target_rpe
            for s in week.sessions
            if s.target_rpe is not None and s.date <= today
        )
    )


def weekly_loads(weeks: Sequence[Week], history: History, today: date) -> list[WeekLoad]:
    if not weeks:
        return []
    first = weeks[0].start
    days = daily_loads(history, first, today)  # one pass over the events, not one a week
    out = []
    for week in weeks:
        offset = (week.start - first).days
        done = sum(days[offset : offset + 7])
        out.append(WeekLoad(week.start, week.kind, planned_load(week, today), done))
    return out


def _load_origin(history: History, today: date) -> date:
    """Where the replay starts its daily load series: the plan start or the first fact."""
    events = _events_until(history, today)
    first_fact = events[0].date if events else today
    return min(history.profile.start_date, first_fact)


def acwr_series(history: History, first: date, today: date) -> list[tuple[date, float]]:
    """The EWMA acute:chronic ratio for each day from `first` to `today`.

    The EWMAs run from the replay's origin, so the last value equals the coach's own
    `plan.metrics.acwr`. Both start from the stated weekly minutes (as in the coach), so
    the ratio means something from day one; days with no chronic load have none.
    """
    origin = _load_origin(history, today)
    loads = daily_loads(history, origin, today)
    seed = stated_load_seed(history.profile.weekly_minutes)
    acute = ewma_series(loads, ACUTE_DAYS, seed)
    chronic = ewma_series(loads, CHRONIC_DAYS, seed)
    out = []
    for i, (a, c) in enumerate(zip(acute, chronic, strict=True)):
        day = origin + timedelta(days=i)
        if day >= first and c > 0:
            out.append((day, a / c))
    return out


def morning_readings(history: History, today: date) -> list[tuple[date, int]]:
    """One resting HR per morning, sorted; the latest reading of a morning wins."""
    by_day: dict[date, int] = {}
    for e in _events_until(history, today):
        if isinstance(e, RestingHR):
            by_day[e.date] = e.bpm
    return sorted(by_day.items())


def rhr_series(history: History, first: date, today: date) -> list[RhrPoint]:
    """Mornings from `first` to `today`, each judged against the baseline the coach had
    that morning (the readings before it), as the morning readiness check does."""
    readings = morning_readings(history, today)
    days = [day for day, _ in readings]
    out = []
    for i, (day, bpm) in enumerate(readings):
        if day < first:
            continue
        # Sorted, one reading a morning: the baseline's and the recent window are slices
        # (the baseline looks back at most BASELINE_MAX_DAYS), not a scan of every reading.
        since = bisect_left(days, day - timedelta(days=BASELINE_MAX_DAYS))
        baseline = rhr_baseline(readings[since:i], day)
        if baseline is None:
            out.append(RhrPoint(day, bpm, None, None, False))
            continue
        recent_from = bisect_left(days, day - timedelta(days=RECENT_DAYS - 1))
        recent = [b for _, b in readings[recent_from : i + 1]]
        flagged = rhr_single_morning_flag(bpm, baseline) or rhr_recent_flag(recent, baseline)
        limit = baseline.mean + rhr_threshold(baseline)
        out.append(RhrPoint(day, bpm, baseline.mean, limit, flagged))
    return out


def quality_rpe(weeks: Sequence[Week], history: History, today: date) -> list[QualityRpe]:
    """Reported against target RPE for each hard session that was run and rated.

    Two runs on one day count as one at the higher RPE, as the replay merges them.
    """
    reported: dict[date, int] = {}
    for e in history.events:
        if isinstance(e, Run) and e.rpe is not None and e.date <= today:
            reported[e.date] = max(reported.get(e.date, 0), e.rpe)
    out = []
    for week in weeks:
        for s in week.sessions:
            if (
                s.hard
                and s.type not in ALL_OUT_TYPES
                and s.target_rpe is not None
                and s.date in reported
            ):
                out.append(QualityRpe(s.date, s.title, s.target_rpe, reported[s.date]))
    return out


def _latest_rhr_flag(points: Sequence[RhrPoint], today: date) -> RhrPoint | None:
    """A flagged morning among the last three: older ones no longer drive anything."""
    recent = [p for p in points if (today - p.date).days < RECENT_DAYS]
    flagged = [p for p in recent if p.flagged and p.baseline is not None]
    return flagged[-1] if flagged else None


def stats_headline(
    acwr: float | None,
    rhr: Sequence[RhrPoint],
    quality: Sequence[QualityRpe],
    current: Week,
    today: date,
) -> str:
    """What the runner should notice first, in one sentence."""
    flag = _latest_rhr_flag(rhr, today)
    if flag is not None and flag.baseline is not None:
        up = round(flag.bpm - flag.baseline)
        eased = current.kind in MARKED_KINDS or bool(current.changes)
        follow = "the coach eased off" if eased else "keep today easy"
        return f"Resting HR is up {up} bpm: {follow}"
    if acwr is not None and acwr > ACWR_WARNING:
        return f"Load rose fast (ratio {acwr:.2f}): the coach is watching it"
    last = quality[-1] if quality else None
    if last is not None and last.drift >= RPE_DRIFT_POINTS:
        return f"Your last quality session felt {last.drift} points harder than planned"
    rhr_part = "your resting HR is normal" if rhr else "log your resting HR to see it here"
    lo, hi = ACWR_BAND
    if acwr is None:
        load_part = "Load is building"
    elif acwr > hi:
        load_part = "Load is climbing quickly"
    elif acwr < lo:
        load_part = "A lighter stretch: load is down"
    else:
        load_part = "Load is steady"
    return f"{load_part} and {rhr_part}"


def stats_data(history: History, today: date, replayed: Plan | None = None) -> StatsData | None:
    """The numbers for /stats over the last 12 weeks, or None when there is too little:
    fewer than two weeks of plan, or nothing logged in them.

    `replayed` is the plan as of `today` when the caller has it already (the journal's
    one replay per update); without it, the history is replayed here, cold.
    """
    if replayed is None:
        replayed = plan(history, today, weeks_ahead=0)
    weeks = [*replayed.history, replayed.week][-WINDOW_WEEKS:]
    weeks = [w for w in weeks if w.start <= today]
    if len(weeks) < MIN_WEEKS:
        return None
    first = weeks[0].start
    loads = weekly_loads(weeks, history, today)
    if not any(w.done for w in loads):
        return None
    acwr = acwr_series(history, first, today)
    rhr = rhr_series(history, first, today)
    quality = quality_rpe(weeks, history, today)
    latest = acwr[-1][1] if acwr and acwr[-1][0] == today else None
    headline = stats_headline(latest, rhr, quality, weeks[-1], today)
    return StatsData(first, today, tuple(loads), tuple(acwr), tuple(rhr), tuple(quality), headline)


def fitness_points(history: History, today: date) -> list[FitnessPoint]:
    """The profile's fitness result and every time trial or race up to today, by date."""
    results = []
    fit = history.profile.fitness
    if fit is not None and fit.date <= today:
        results.append((fit.date, fit.distance_m, fit.time_s))
    results += [
        (e.date, e.distance_m, e.time_s)
        for e in _events_until(history, today)
        if isinstance(e, TimeTrial)
    ]
    out = []
    for day, distance, seconds in sorted(results, key=lambda r: r[0]):
        vdot = vdot_from_race(distance, seconds)
        paces = training_paces(round(vdot, 1))  # the rounding the replay uses
        out.append(
            FitnessPoint(
                day,
                distance,
                seconds,
                vdot,
                predict_race_s(vdot, 5000),
                paces.threshold,
                paces.interval,
            )
        )
    return out


def progress_headline(points: Sequence[FitnessPoint]) -> str:
    last = points[-1]
    five_k = format_duration(last.five_k_s)
    if len(points) == 1:
        return f"VDOT {last.vdot:.1f}: a {five_k} 5K. A time trial will show the trend"
    change = last.vdot - points[0].vdot
    since = f"{points[0].date:%-d %b}"
    if change >= STEADY_VDOT:
        return f"VDOT up {change:.1f} since {since}: a {five_k} 5K now"
    if change <= -STEADY_VDOT:
        return f"VDOT down {-change:.1f} since {since}: one result, not a verdict"
    return f"VDOT steady at {last.vdot:.1f}: a {five_k} 5K"


# --- drawing (matplotlib, imported on first use) -----------------------------------------

# One chart at a time: there is one figure of each kind (bot.chart_drawing), and the
# drawing is CPU-bound under the GIL, so drawing two at once would gain nothing.
_drawing = threading.Lock()
_drawing_loaded = False


def _load_drawing() -> None:
    """Import matplotlib (via bot.chart_drawing) and freeze what it built: ~50,000 objects
    that live as long as the process, kept out of full garbage collections the way
    start-up's are (bot.app.freeze_startup_objects). Call with `_drawing` held."""
    global _drawing_loaded
    if not _drawing_loaded:
        from bot import chart_drawing  # noqa: F401  (here, not at the top: see above)

        gc.freeze()
        _drawing_loaded = True


def warm_up() -> None:
    """Import matplotlib and build both chart figures, then draw each once: what the first
    chart a process draws pays for (font loading, glyph caches). bench/chart_render.py
    times it; the bot does not call it (matplotlib stays out of a process until a runner
    asks for a chart)."""
    monday = date(2026, 1, 5)
    profile = Profile(
        start_date=monday,
        fitness=RaceResult(5000, 1350, monday),
        run_days=(0, 2, 4, 5),
        quality_day=2,
        long_run_day=5,
        weekly_minutes=180,
        units="km",
    )
    days = [monday + timedelta(days=day) for day in range(14)]
    runs = [Run(day, 40, rpe=5) for day in days if day.weekday() in profile.run_days]
    mornings = [RestingHR(day, 50 + day.day % 3) for day in days]
    history = History(profile, (*runs, *mornings))
    today = monday + timedelta(days=13)
    data = stats_data(history, today)
    assert data is not None  # two weeks of runs: enough for a chart
    draw_stats(data)
    draw_progress(fitness_points(history, today), profile.units)
    gc.freeze()  # the templates live as long as the process, like matplotlib's modules


def draw_stats(data: StatsData) -> bytes:
    with _drawing:
        _load_drawing()
        from bot import chart_drawing

        return chart_drawing.draw_stats(data)


def draw_progress(points: Sequence[FitnessPoint], units: Units) -> bytes:
    with _drawing:
        _load_drawing()
        from bot import chart_drawing

        return chart_drawing.draw_progress(points, units)


def stats_chart(history: History, today: date) -> bytes | None:
    """/stats: the last 12 weeks of load, resting HR and quality RPE; None if too early."""
    data = stats_data(history, today)
    return None if data is None else draw_stats(data)


def progress_chart(history: History, today: date, units: Units | None = None) -> bytes | None:
    """/progress: VDOT and predicted 5K per race or time trial; None without any."""
    points = fitness_points(history, today)
    if not points:
        return None
    return draw_progress(points, units or history.profile.units)


async def render_stats(data: StatsData) -> bytes:
    """`draw_stats` on a worker thread, so the event loop isn't blocked while it draws."""
    return await asyncio.to_thread(draw_stats, data)


async def render_progress(points: Sequence[FitnessPoint], units: Units) -> bytes:
    """`draw_progress` on a worker thread, so the event loop isn't blocked while it draws."""
    return await asyncio.to_thread(draw_progress, points, units)
