"""Replay throughput: 10,000 synthetic athletes, each with 26 weeks of daily history.

Prints athlete-replays per second on one core, the ratio to the 2,000/s aim, and peak
memory. Not a test: this machine is shared, so read the figures, don't assert on them.

    python bench/coach_replay.py [--athletes 10000] [--weeks 26] [--seed 7]
"""

from __future__ import annotations

import argparse
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
from coach.replay import plan

AIM_REPLAYS_PER_S = 2000
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, default=10_000)
    parser.add_argument("--weeks", type=int, default=26)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    histories = [synthetic_history(rng, args.weeks) for _ in range(args.athletes)]
    built_s = time.perf_counter() - t0
    todays = [h.profile.start_date + timedelta(weeks=args.weeks, days=-1) for h in histories]
    events = statistics.mean(len(h.events) for h in histories)
    print(
        f"{args.athletes} athletes, {args.weeks} weeks, {events:.0f} events each "
        f"(built in {built_s:.1f} s)"
    )

    t0 = time.process_time()
    weeks_out = 0
    for history, today in zip(histories, todays, strict=True):
        weeks_out += len(plan(history, today).weeks)
    cpu_s = time.process_time() - t0
    rate = args.athletes / cpu_s
    print(
        f"replay: {cpu_s:.2f} s CPU, {rate:,.0f} athlete-replays/s, "
        f"{cpu_s / args.athletes * 1000:.3f} ms each, {weeks_out / args.athletes:.0f} weeks "
        f"per plan"
    )
    print(f"ratio to the {AIM_REPLAYS_PER_S:,}/s aim: {rate / AIM_REPLAYS_PER_S:.2f}")

    sample = histories[:200]
    tracemalloc.start()
    for history, today in zip(sample, todays[: len(sample)], strict=True):
        plan(history, today)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"memory: peak {peak / 1024:.0f} KiB traced while replaying one athlete at a time; "
        f"process max RSS {max_rss:.0f} MiB (the {args.athletes} histories included)"
    )


if __name__ == "__main__":
    main()
