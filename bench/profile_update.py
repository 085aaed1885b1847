"""Where one update's time goes: cProfile around `Application.process_update` in the real
bot (in this process, on the emulator), for a runner with 12 or 104 weeks of history.

    python bench/profile_update.py [--text /week] [--weeks 104] [--count 200] [--top 30]

Prints the handler's CPU time per update (median and worst) and the functions that take the
most of it. The emulator runs in the same process but outside `process_update`, so its own
work is not in the profile; the reply's HTTP round trip is (as the wait, not CPU).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.interaction import seed_runner
from bot.store.db import make_engine, migrate
from tests.bot.harness import BotHarness

USER = 5012


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="ramp-profile-") as folder:
        url = f"sqlite:///{Path(folder) / 'ramp.db'}"
        migrate(make_engine(url))
        seed_runner(url, USER, args.weeks, datetime.now(UTC).date())
        async with BotHarness.started(Path(folder), database_url=url) as harness:
            harness.emulator.register_user(USER, "Ana")
            application = harness.application
            assert application is not None
            profiler = cProfile.Profile()
            cpu: list[float] = []
            original = application.process_update

            async def profiled(update: Any) -> None:
                started = time.process_time()
                profiler.enable()
                try:
                    await original(update)
                finally:
                    profiler.disable()
                    cpu.append((time.process_time() - started) * 1000)

            application.process_update = profiled  # type: ignore[method-assign]
            for _ in range(args.warmup):
                await harness.say(USER, args.text)
            profiler = cProfile.Profile()
            cpu.clear()
            for _ in range(args.count):
                harness.emulator.user_sends_text(USER, args.text)
                await harness.emulator.wait_for(
                    lambda: not harness.emulator.pending_updates or None, 10.0
                )
                await asyncio.sleep(0.01)
            await harness.settle()
            print(
                f"{args.text!r} at {args.weeks} weeks: CPU per update median "
                f"{statistics.median(cpu):.2f} ms, worst {max(cpu):.2f} ms over {len(cpu)}"
            )
            stats = pstats.Stats(profiler)
            stats.sort_stats(args.sort).print_stats(args.top)
            for name in args.callees:
                stats.print_callees(name)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--text", default="/week")
    parser.add_argument("--weeks", type=int, default=12)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--callees", nargs="*", default=[], help="functions to break down")
    asyncio.run(main(parser.parse_args()))
