"""Replay throughput: synthetic athletes with 26 and 104 weeks of daily history.

Prints, on one core, cold replays per second (the whole history from the start date) and
incremental ones (resumed from the checkpoint of the last finished week, as the bot does
when a runner logs today's facts), their ratios to the aims, and peak memory. Rates are
CPU time of this process, wall time beside. Not a test: this machine is shared, so read
the figures, don't assert on them.

    python bench/coach_replay.py [--athletes 2000] [--weeks 26 104] [--seed 7]
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import resource
import statistics
import time
import tracemalloc
from datetime import date, timedelta

from coach.history import (
    DeloadRequest,
    Event,
    History,
    Profile,
    RaceResult,
    RestingHR,
    Run,
    Skipped,
    Wellness,
)
from coach.paces import predict_race_s
from coach.replay import Checkpoint, plan, replay

COLD_AIM_PER_S = 1000  # at 26 weeks (issue 11)
INCREMENTAL_AIM_PER_S = 5000
FIRST_MONDAY = date(2025, 1, 6)


def synthetic_history(rng: random.Random, weeks: int) -> History:
    """A plausible runner: a morning HR most days, runs on run days, some wellness notes."""
    start = FIRST_MONDAY + timedelta(weeks=rng.randrange(52))
    run_days = sorted(rng.sample(range(7), rng.randint(3, 6)))
    quality, long_run = rng.sample(run_days, 2)
    vdot = rng.uniform(35, 60)
    profile = Profile(
        start_date=start,
        fitness=RaceResult(5000, predict_race_s(vdot, 5000), start - timedelta(days=7)),
        run_days=tuple(run_days),
        quality_day=quality,
        long_run_day=long_run,
        weekly_minutes=rng.randrange(120, 420, 5),
        units=rng.choice(("km", "mi")),
    )
    base_rhr = rng.randint(42, 62)
    events: list[Event] = []
    for day_index in range(weeks * 7):
        day = start + timedelta(days=day_index)
        if rng.random() < 0.85:
            events.append(RestingHR(day, base_rhr + rng.randint(-3, 4)))
        if day.weekday() in run_days:
            if rng.random() < 0.07:
                events.append(Skipped(day, rng.choice(("work", "illness", "family"))))
            else:
                events.append(
                    Run(
                        day,
                        rng.randint(25, 80),
                        rng.randint(4000, 14000),
                        rng.randint(3, 9),
                        rng.randint(4, 9),
                    )
                )
        if rng.random() < 0.4:
            events.append(
                Wellness(
                    day,
                    round(rng.uniform(5.5, 9), 1),
                    rng.randint(1, 4),
                    rng.randint(1, 4),
                    rng.randint(2, 5),
                )
            )
        if rng.random() < 0.005:
            events.append(DeloadRequest(day))
    return History(profile=profile, events=tuple(events))


def _per_second(count: int, cpu_s: float, wall_s: float) -> str:
    return (
        f"{count / cpu_s:,.0f}/s CPU ({cpu_s / count * 1000:.3f} ms each), "
        f"{count / wall_s:,.0f}/s wall"
    )


class _Clock:
    """CPU time of this process (what the aims are about: one core) and wall time beside
    it (on a shared machine the two part when other work takes the core)."""

    def __enter__(self) -> _Clock:
        self.cpu, self.wall = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *_: object) -> None:
        self.cpu = time.process_time() - self.cpu
        self.wall = time.perf_counter() - self.wall


def _measure(histories: list[History], weeks: int) -> None:
    todays = [h.profile.start_date + timedelta(weeks=weeks, days=-1) for h in histories]
    n = len(histories)
    events = statistics.mean(len(h.events) for h in histories)
    print(f"{weeks} weeks, {n} athletes, {events:.0f} events each")

    weeks_out = 0
    with _Clock() as cold:
        for history, today in zip(histories, todays, strict=True):
            weeks_out += len(plan(history, today).weeks)
    print(f"  cold replay:        {_per_second(n, cold.cpu, cold.wall)}, {weeks_out / n:.0f} weeks")

    # The bot's case: the checkpoint was taken at an earlier update this week; the runner
    # now logs today's facts, and the replay resumes from it.
    checkpoints: list[Checkpoint | None] = []
    for history, today in zip(histories, todays, strict=True):
        earlier = dataclasses.replace(
            history, events=tuple(e for e in history.events if e.date < today)
        )
        checkpoints.append(replay(earlier, today - timedelta(days=1))[1])
    with _Clock() as warm:
        for history, today, checkpoint in zip(histories, todays, checkpoints, strict=True):
            replay(history, today, checkpoint=checkpoint)
    print(f"  incremental replay: {_per_second(n, warm.cpu, warm.wall)}")
    if weeks == 26:
        print(
            f"  ratio to the aims (CPU): cold {n / cold.cpu / COLD_AIM_PER_S:.2f} of "
            f"{COLD_AIM_PER_S:,}/s, incremental {n / warm.cpu / INCREMENTAL_AIM_PER_S:.2f} of "
            f"{INCREMENTAL_AIM_PER_S:,}/s"
        )

    sample = histories[:100]
    tracemalloc.start()
    for history, today in zip(sample, todays[: len(sample)], strict=True):
        plan(history, today)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  memory: peak {peak / 1024:.0f} KiB traced while replaying one athlete at a time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, default=2_000, help="at 26 weeks; a quarter at 104")
    parser.add_argument("--weeks", type=int, nargs="+", default=[26, 104])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    for weeks in args.weeks:
        rng = random.Random(args.seed)
        count = args.athletes if weeks <= 26 else max(args.athletes * 26 // weeks, 1)
        _measure([synthetic_history(rng, weeks) for _ in range(count)], weeks)
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process max RSS {max_rss:.0f} MiB (the histories included)")


if __name__ == "__main__":
    main()
