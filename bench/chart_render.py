"""Chart time: /stats and /progress for synthetic 12- and 26-week runners.

For each chart, p50 and p99 of wall and CPU time (this process, `time.process_time`) for
the numbers (`bot.charts`: from the history and the plan the journal already replayed for
the update, so no replay of their own) and for the drawing (`bot.chart_drawing`: the
reused figure refilled, drawn and encoded), their total against the 150 ms aim for a
/stats reply, and the PNG size. Also the one-off cost the first chart of a process
pays (matplotlib's import, both figures built, a first draw of each), and a
cold replay for comparison. Not a test: this machine is shared, so read the figures,
don't assert on them.

    python bench/chart_render.py [--repeat 40] [--seed 7] [--out DIR]

`--out DIR` also writes one PNG of each chart there, to look at.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

from bot import charts
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

AIM_MS = 150  # a whole /stats reply (issue 11)
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


T = TypeVar("T")


@dataclass
class Times:
    """Wall and CPU milliseconds of repeated runs of one step."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def run(self, step: Callable[..., T], *args: Any) -> T:
        wall, cpu = time.perf_counter(), time.process_time()
        result = step(*args)
        self.cpu.append((time.process_time() - cpu) * 1000)
        self.wall.append((time.perf_counter() - wall) * 1000)
        return result

    def p50(self, kind: str) -> float:
        return statistics.median(getattr(self, kind))

    def p99(self, kind: str) -> float:
        values = sorted(getattr(self, kind))
        return values[min(len(values) - 1, round(0.99 * (len(values) - 1)))]

    def line(self) -> str:
        return (
            f"wall {self.p50('wall'):5.1f} / {self.p99('wall'):5.1f}  "
            f"CPU {self.p50('cpu'):5.1f} / {self.p99('cpu'):5.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    warm_up = Times()
    warm_up.run(charts.warm_up)  # what the first chart of a process pays for
    print(
        f"first chart of a process, once: wall {warm_up.wall[0]:.0f} ms, "
        f"CPU {warm_up.cpu[0]:.0f} ms (matplotlib's import, both figures, a first draw)"
    )
    print(f"{'':22}{'p50 / p99 ms':>26}")
    for weeks in (12, 26):
        history = synthetic_history(rng, weeks)
        today = START + timedelta(weeks=weeks, days=-1)
        replayed = plan(history, today)  # the journal's one replay of the update
        cold, stats_numbers, stats_drawing = Times(), Times(), Times()
        progress_numbers, progress_drawing = Times(), Times()
        stats_png = progress_png = b""
        # Interleaved, so that the machine's noise falls on every step alike.
        for _ in range(args.repeat):
            cold.run(plan, history, today)
            data = stats_numbers.run(charts.stats_data, history, today, replayed)
            assert data is not None, "the synthetic history should be enough for a chart"
            stats_png = stats_drawing.run(charts.draw_stats, data)
            points = progress_numbers.run(charts.fitness_points, history, today)
            progress_png = progress_drawing.run(charts.draw_progress, points, history.profile.units)
        for name, numbers, drawing, png in (
            ("stats", stats_numbers, stats_drawing, stats_png),
            ("progress", progress_numbers, progress_drawing, progress_png),
        ):
            total = [n + d for n, d in zip(numbers.wall, drawing.wall, strict=True)]
            total_cpu = [n + d for n, d in zip(numbers.cpu, drawing.cpu, strict=True)]
            both = Times(total, total_cpu)
            print(f"{weeks:>2} weeks /{name:<9} numbers  {numbers.line()}")
            print(f"{'':19}drawing  {drawing.line()}, PNG {len(png) / 1024:.0f} KiB")
            print(
                f"{'':19}total    {both.line()} "
                f"(wall p50 {both.p50('wall') / AIM_MS:.2f} of the {AIM_MS} ms aim)"
            )
            if args.out is not None:
                args.out.mkdir(parents=True, exist_ok=True)
                (args.out / f"{name}-{weeks}w.png").write_bytes(png)
        print(f"{weeks:>2} weeks cold replay      {cold.line()} (not on /stats' path)")


if __name__ == "__main__":
    main()
