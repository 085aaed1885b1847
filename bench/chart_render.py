"""Chart rendering time: /stats and /progress for synthetic 12- and 26-week runners.

Prints milliseconds per chart (median and worst of N draws, CPU time on one core) and the
PNG size, against the aim of well under a second per chart. Not a test: this machine is
shared, so read the figures, don't assert on them.

    python bench/chart_render.py [--repeat 10] [--seed 7] [--out DIR]

`--out DIR` also writes one PNG of each chart there, to look at.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from pathlib import Path

from bot.charts import progress_chart, stats_chart
from coach.history import (
    Cross,
    Event,
    History,
    Pause,
    Profile,
    RaceResult,
    RestingHR,
    Resume,
    Run,
    TimeTrial,
)
from coach.paces import predict_race_s
from coach.replay import plan

AIM_MS = 1000
START = date(2026, 1, 5)  # a Monday


def synthetic_history(rng: random.Random, weeks: int) -> History:
    """A runner who logs most sessions at about the target RPE, a morning HR most days,
    a time trial every six weeks, some cross-training, one cold (a pause and a HR bump)."""
    vdot = rng.uniform(38, 55)
    profile = Profile(
        start_date=START,
        fitness=RaceResult(5000, predict_race_s(vdot, 5000), START - timedelta(days=7)),
        run_days=(0, 2, 4, 5),
        quality_day=2,
        long_run_day=5,
        weekly_minutes=rng.randrange(150, 300, 5),
        units=rng.choice(("km", "mi")),
    )
    events: list[Event] = []
    sick_week = weeks // 2
    for week in range(weeks):
        # Replaying week by week keeps the logged runs true to the plan as it was then.
        monday = START + timedelta(weeks=week)
        planned = plan(History(profile, tuple(events)), monday, weeks_ahead=0).week
        for session in planned.sessions:
            day = session.date
            sick = week == sick_week and day.weekday() < 4
            bump = 8 if sick else 0
            if rng.random() < 0.85:
                events.append(RestingHR(day, 50 + bump + rng.randint(-2, 3)))
            if sick or session.type == "rest":
                if day.weekday() == 1 and rng.random() < 0.5:
                    events.append(Cross(day, "bike", rng.randint(30, 60), rng.randint(3, 5)))
                continue
            target = session.target_rpe or 4
            events.append(
                Run(day, session.planned_min, None, min(10, target + rng.choice((-1, 0, 0, 1))))
            )
        if week == sick_week:
            events += [Pause(monday, None, "illness"), Resume(monday + timedelta(days=4))]
        if week % 6 == 5:
            vdot += rng.uniform(-0.5, 1.5)
            events.append(TimeTrial(monday + timedelta(days=2), 5000, predict_race_s(vdot, 5000)))
    return History(profile, tuple(events))


def measure(draw: Callable[[], bytes | None], repeat: int) -> tuple[list[float], int]:
    """CPU milliseconds of each draw, and the PNG size of the last one."""
    times = []
    size = 0
    for _ in range(repeat):
        t0 = time.process_time()
        png = draw()
        times.append((time.process_time() - t0) * 1000)
        assert png is not None, "the synthetic history should be enough for a chart"
        size = len(png)
    return times, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    stats_chart(synthetic_history(rng, 3), START + timedelta(weeks=3))  # warm fonts and caches
    for weeks in (12, 26):
        history = synthetic_history(rng, weeks)
        today = START + timedelta(weeks=weeks, days=-1)
        charts: dict[str, Callable[[], bytes | None]] = {
            "stats": partial(stats_chart, history, today),
            "progress": partial(progress_chart, history, today),
        }
        for name, draw in charts.items():
            times, size = measure(draw, args.repeat)
            print(
                f"{weeks:>2} weeks /{name:<8} median {statistics.median(times):6.0f} ms, "
                f"worst {max(times):6.0f} ms, PNG {size / 1024:5.0f} KiB "
                f"({statistics.median(times) / AIM_MS:.2f} of the {AIM_MS} ms aim)"
            )
            if args.out is not None:
                args.out.mkdir(parents=True, exist_ok=True)
                png = draw()
                assert png is not None
                (args.out / f"{name}-{weeks}w.png").write_bytes(png)


if __name__ == "__main__":
    main()
