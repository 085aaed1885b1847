"""Fan-out: N runners due at the same minute, the real bot against the emulator.

    .venv/bin/python bench/fanout.py                       # 10,000 runners, limits on, 30/s
    .venv/bin/python bench/fanout.py --runners 2000
    .venv/bin/python bench/fanout.py --no-limits --rate 1000

The runners are created through the bot's own repository functions (the same calls
onboarding ends with), all with their morning message at the same UTC minute a little
ahead, so the bot has time to render ahead. The bot runs as `python -m bot` in a
subprocess (its own core), against the emulator in this process on loopback, with
Telegram's limits switched on unless `--no-limits`. A probe user, who is not in the
fan-out, writes /help about once a second throughout; the time to the bot's answer is the
reply latency. Prints messages/s, the ratio to the configured rate, time to reach all N,
429s, doubles, losses and the probe's p50/p99. Stops by itself (`--timeout`).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import math
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.store import repo  # noqa: E402
from bot.store.db import make_engine, migrate, session_factory  # noqa: E402
from emulator.server import BotApiEmulator, TelegramLimits  # noqa: E402

TOKEN = "123456:BENCH-TOKEN-not-a-real-one"
FIRST_USER = 10_000_000
PROBE_USER = 9_999_999
CREATE_CHUNK = 500


def profile(start: date) -> dict[str, Any]:
    return {
        "start_date": start.isoformat(),
        "fitness": {"distance_m": 5000, "time_s": 1500, "date": start.isoformat()},
        "run_days": ["mon", "wed", "fri", "sat"],
        "quality_day": "wed",
        "long_run_day": "sat",
        "weekly_minutes": 180,
        "units": "km",
        "goal": None,
    }


def create_runners(url: str, count: int, morning: clock_time, onboarded: datetime) -> None:
    engine = make_engine(url)
    migrate(engine)
    sessions = session_factory(engine)
    start = onboarded.date() - timedelta(days=onboarded.weekday() + 7)  # a past Monday
    # Check-in twelve hours away from the morning: only the mornings are due.
    checkin = clock_time((morning.hour + 12) % 24, morning.minute)
    for first in range(0, count, CREATE_CHUNK):
        with sessions() as session, session.begin():
            for user in range(FIRST_USER + first, FIRST_USER + min(first + CREATE_CHUNK, count)):
                athlete = repo.get_or_create_athlete(session, user, user, "Runner")
                repo.update_settings(
                    session, athlete, time_zone="UTC", morning_time=morning, checkin_time=checkin
                )
                repo.save_profile(session, athlete, profile(start), onboarded)
    engine.dispose()


def start_bot(
    workdir: Path, url: str, port: int, rate: float, paid: bool, profile_to: str | None = None
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": url,
        "RAMP_SEND_RATE": str(rate),
        "RAMP_PAID_BROADCAST": "true" if paid else "false",
        "RAMP_TICK_SECONDS": "1",
        "LOG_LEVEL": "WARNING",
    }
    log = (workdir / "bot.log").open("wb")
    profiler = [] if profile_to is None else ["-m", "cProfile", "-o", profile_to]
    return subprocess.Popen(
        [sys.executable, *profiler, "-m", "bot"],
        cwd=workdir,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop_bot(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def probe(emulator: BotApiEmulator, done: asyncio.Event, latencies: list[float]) -> None:
    """The runner who writes during the fan-out: /help about once a second."""
    emulator.register_user(PROBE_USER, "Probe")
    while not done.is_set():
        before = len(emulator.bot_messages(PROBE_USER))
        sent = time.monotonic()
        emulator.user_sends_text(PROBE_USER, "/help", first_name="Probe")

        def answered(before: int = before) -> bool:
            return len(emulator.bot_messages(PROBE_USER)) > before

        try:
            await emulator.wait_for(answered, 10.0)
            latencies.append(time.monotonic() - sent)
        except TimeoutError:
            latencies.append(math.inf)
        # More than the emulator's one second per chat, so the probe itself never floods.
        await asyncio.sleep(1.1)


def process_cpu(pid: int) -> float:
    """CPU seconds a process has used so far (Linux), 0 where /proc can't tell."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def busy_during(
    samples: list[tuple[float, float, float]], start: float, end: float
) -> tuple[float, float]:
    """The share of one core the emulator and the bot used between two instants: which of
    the two held the rate back (a process near 100 % is the bottleneck)."""
    inside = [sample for sample in samples if start <= sample[0] <= end]
    if len(inside) < 2:
        return math.nan, math.nan
    (wall0, emulator0, bot0), (wall1, emulator1, bot1) = inside[0], inside[-1]
    span = wall1 - wall0
    return (emulator1 - emulator0) / span, (bot1 - bot0) / span


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1)]


async def run(args: argparse.Namespace) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="ramp-fanout-"))
    url = args.database or f"sqlite:///{workdir / 'ramp.db'}"
    emulator = BotApiEmulator()
    await emulator.start("127.0.0.1", 0)
    if args.limits:
        emulator.enable_limits(TelegramLimits())
    users = range(FIRST_USER, FIRST_USER + args.runners)
    for user in users:
        emulator.register_user(user, "Runner")

    # The due minute: far enough ahead to create the runners and render their mornings.
    now = datetime.now(UTC)
    lead = timedelta(seconds=args.lead or 60 + args.runners * 0.012)
    due = (now + lead + timedelta(minutes=1)).replace(second=0, microsecond=0)
    created = time.monotonic()
    create_runners(url, args.runners, due.time().replace(second=0), now - timedelta(days=1))
    took = time.monotonic() - created
    print(f"created {args.runners} runners in {took:.1f} s; due {due:%H:%M} UTC")

    # The emulator keeps every chat and request in memory, and the garbage collector's
    # full passes over them stall it for tens of milliseconds: requests queue up meanwhile
    # and then arrive "at once", which its one-second window counts as a burst the bot
    # never sent. Measuring instrument, not bot: no collection while measuring
    # (`--gc` keeps it on).
    gc.freeze()
    if not args.gc:
        gc.disable()
    bot = start_bot(workdir, url, emulator.port, args.rate, args.paid, args.profile)
    due_mono = time.monotonic() + (due - datetime.now(UTC)).total_seconds()
    fanout = set(users)
    done = asyncio.Event()
    latencies: list[float] = []
    probing: asyncio.Task[None] | None = None
    cpu_samples: list[tuple[float, float, float]] = []  # (wall, emulator CPU, bot CPU)
    deadline = due_mono + args.runners / args.rate * 1.5 + args.timeout
    try:
        while time.monotonic() < deadline:
            if bot.poll() is not None:
                print(f"the bot exited early ({bot.returncode}); see {workdir / 'bot.log'}")
                break
            if probing is None and time.monotonic() > due_mono - 5:
                probing = asyncio.create_task(probe(emulator, done, latencies))
            cpu_samples.append((time.monotonic(), time.process_time(), process_cpu(bot.pid)))
            reached = {chat for _, chat in emulator.sent_log if chat in fanout}
            if len(reached) == args.runners:
                break
            await asyncio.sleep(0.25)
        await asyncio.sleep(3)  # anything sent twice shows up now
    finally:
        done.set()
        if probing is not None:
            await probing
        stop_bot(bot)
        await emulator.stop()

    sends = sorted(t for t, chat in emulator.sent_log if chat in fanout)
    per_chat: dict[int, int] = {}
    for _, chat in emulator.sent_log:
        if chat in fanout:
            per_chat[chat] = per_chat.get(chat, 0) + 1
    doubles = sum(count - 1 for count in per_chat.values() if count > 1)
    lost = args.runners - len(per_chat)
    first_arrival = {}
    for t, chat in emulator.sent_log:
        if chat in fanout and chat not in first_arrival:
            first_arrival[chat] = t
    arrivals = sorted(first_arrival.values())
    mode = "limits on" if args.limits else "limits off"
    gc_mode = "on" if args.gc else "off"
    print(
        f"\n{args.runners} runners, rate {args.rate:g}/s, {mode}, paid={args.paid}, "
        f"emulator GC {gc_mode}"
    )
    if len(arrivals) >= 2:
        span = arrivals[-1] - arrivals[0]
        # Every message the bot sent in that span shares the budget: the probe's answers too.
        total = sum(1 for t, _ in emulator.sent_log if arrivals[0] < t <= arrivals[-1])
        rate = total / span if span > 0 else math.inf
        fanout_rate = (len(arrivals) - 1) / span if span > 0 else math.inf
        print(f"messages/s:          {rate:.1f}  (ratio to rate: {rate / args.rate:.3f})")
        print(f"  of them fan-out:   {fanout_rate:.1f}  (the rest: answers to the probe)")
        print(f"first message:       {arrivals[0] - due_mono:+.1f} s after the due minute")
        emulator_busy, bot_busy = busy_during(cpu_samples, arrivals[0], arrivals[-1])
        print(f"CPU while sending:   emulator {emulator_busy:.0%}, bot {bot_busy:.0%} of one core")
        # CPU per message says what one free core each would carry, whatever else the
        # machine is running: the bot is the bottleneck only if its ceiling is the lower.
        for name, busy in (("emulator", emulator_busy), ("bot", bot_busy)):
            if busy > 0:
                print(
                    f"  {name + ':':<10} {busy / rate * 1000:.2f} ms CPU a message, "
                    f"so about {rate / busy:.0f} msg/s on a core of its own"
                )
        print(
            f"time to all N:       {arrivals[-1] - due_mono:.1f} s after the due minute"
            if lost == 0
            else f"reached {len(arrivals)} of {args.runners}"
        )
    refused = emulator.rate_limited
    to_probe = sum(1 for error in refused if error.params.get("chat_id") == PROBE_USER)
    print(f"429s:                {len(refused)} ({to_probe} of them answers to the probe)")
    for error in refused[:5]:
        print(f"  {error.method} to {error.params.get('chat_id')}: {error.description}")
    print(f"doubled:             {doubles}")
    print(f"lost:                {lost}")
    print(f"scheduled sends:     {len(sends)}")
    finite = [v for v in latencies if math.isfinite(v)]
    if finite:
        print(
            f"probe replies:       {len(latencies)} (unanswered {len(latencies) - len(finite)}), "
            f"p50 {statistics.median(finite) * 1000:.0f} ms, "
            f"p99 {percentile(finite, 0.99) * 1000:.0f} ms, max {max(finite) * 1000:.0f} ms"
        )
    print(f"bot log: {workdir / 'bot.log'}")
    return 0 if lost == 0 and doubles == 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runners", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=30.0, help="RAMP_SEND_RATE")
    parser.add_argument("--no-limits", dest="limits", action="store_false")
    parser.add_argument("--paid", action="store_true", help="RAMP_PAID_BROADCAST")
    parser.add_argument("--database", help="a PostgreSQL URL instead of a fresh SQLite file")
    parser.add_argument("--gc", action="store_true", help="keep the emulator's GC on")
    parser.add_argument("--profile", help="write the bot's cProfile statistics to this file")
    parser.add_argument("--lead", type=float, help="seconds from setup to the due minute")
    parser.add_argument(
        "--timeout", type=float, default=120.0, help="seconds allowed beyond N/rate x 1.5"
    )
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
