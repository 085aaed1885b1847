"""Cost per interaction: Ramp against a bare python-telegram-bot echo bot, side by side.

Both bots run as their own processes (`python -m bot` and `bench/echo_bot.py`), each polling
its own instance of the project's Bot API emulator, which runs here. Samples are interleaved
(echo, Ramp at 12 weeks, Ramp at 104 weeks, echo, ...) so that the machine's noise falls
on all of them alike. Prints, in one run:

- p50/p99 reply time for a text log ("rhr 52"), a check-in button tap and `/week`, with
  12 and 104 weeks of history, and the p99 ratio to the echo bot (aim ≤ 1.5× at 12 weeks,
  ≤ 2× at 104 weeks);
- start-up to the first getUpdates (median of several starts, with the time `import bot.app`
  alone takes), and resident memory idle, for both bots (aim ≤ 0.6 s);
- resident memory of Ramp with 10,000 runners in its database, after its scheduler ticks
  over them, and the peak during those ticks (aim ≤ 100 MiB);
- `/stats` reply time (aim ≤ 150 ms);
- cold and incremental replays per second of a 26-week history on one core (aims ≥ 1,000/s
  and ≥ 5,000/s; bench/coach_replay.py measures them over many runners).

Not a test: this machine is shared, so read the figures, don't assert on them. The
project's modules are byte-compiled first, as an installed bot's are (PYTHONDONTWRITEBYTECODE
would otherwise make every start compile them from source).

    python bench/interaction.py [--samples 240] [--runners 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.store import repo
from bot.store.db import make_engine, migrate, session_factory
from coach.history import WEEKDAYS, history_to_dict
from coach.replay import plan, replay
from coach.simulate import SIM_START, simulate
from emulator.server import BotApiEmulator

ROOT = Path(__file__).resolve().parents[1]
BOT_ROOT = ROOT  # whose bot runs (--ramp-root); seeding uses this checkout's store
TOKEN = "424242:BENCH-never-a-real-token"
ECHO_USER, RUNNER_12, RUNNER_104 = 5001, 5012, 5104
DATE_KEYS = {"date", "start_date", "until"}


# --- seeding: runners with history, through Ramp's own store ---------------------------


def _shifted(value: Any, days: int) -> Any:
    """The history's JSON form with every date moved by `days`."""
    if isinstance(value, dict):
        return {
            key: (
                (date.fromisoformat(item) + timedelta(days=days)).isoformat()
                if key in DATE_KEYS and isinstance(item, str)
                else _shifted(item, days)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_shifted(item, days) for item in value]
    return value


def seed_runner(database_url: str, telegram_user_id: int, weeks: int, today: date) -> int:
    """A simulated runner whose `weeks` of history end yesterday; returns the event count."""
    history, _ = simulate("steady", weeks=weeks)
    start = today - timedelta(days=today.weekday(), weeks=weeks)
    data = _shifted(history_to_dict(history), (start - SIM_START).days)
    # Today is a run day, so that /checkin has a session to ask about.
    run_days = set(data["profile"]["run_days"]) | {WEEKDAYS[today.weekday()]}
    data["profile"]["run_days"] = [day for day in WEEKDAYS if day in run_days]
    sessions = session_factory(make_engine(database_url))
    with sessions() as session, session.begin():
        athlete = repo.get_or_create_athlete(session, telegram_user_id, telegram_user_id, "Ana")
        repo.update_settings(session, athlete, time_zone="UTC", units="km")
        repo.save_profile(session, athlete, data["profile"], datetime(2000, 1, 1, tzinfo=UTC))
        assert athlete.id is not None
        for event in data["events"]:
            repo.append_event(session, athlete.id, event)
    return len(data["events"])


def seed_many(database_url: str, count: int, today: date) -> None:
    """`count` onboarded runners with a profile and no history: what a club's database
    holds, for the memory figure."""
    history, _ = simulate("steady", weeks=1)
    start = today - timedelta(days=today.weekday())
    profile = _shifted(history_to_dict(history), (start - SIM_START).days)["profile"]
    sessions = session_factory(make_engine(database_url))
    with sessions() as session, session.begin():
        for n in range(count):
            athlete = repo.get_or_create_athlete(session, 7_000_000 + n, 7_000_000 + n, "Club")
            repo.update_settings(session, athlete, time_zone="UTC", units="km")
            repo.save_profile(session, athlete, profile, datetime(2000, 1, 1, tzinfo=UTC))


# --- the two bots --------------------------------------------------------------------------


@dataclass
class RunningBot:
    name: str
    emulator: BotApiEmulator
    process: subprocess.Popen[bytes]
    startup_s: float

    def cpu_s(self) -> float:
        """CPU seconds the bot process has used so far (user + system, from /proc): on a
        shared machine a steadier figure than the reply time."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mib(self, field: str = "VmRSS") -> float:
        """Resident memory now, or at its peak so far with field="VmHWM"."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        line = next(line for line in status.splitlines() if line.startswith(f"{field}:"))
        return int(line.split()[1]) / 1024

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


async def start_bot(
    name: str, command: list[str], env: dict[str, str], log_dir: Path
) -> RunningBot:
    emulator = BotApiEmulator()
    await emulator.start()
    environment = {
        **os.environ,
        **env,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{emulator.port}",
        "LOG_LEVEL": "WARNING",
    }
    log = log_dir / f"{name}.log"
    started = time.perf_counter()
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=BOT_ROOT, env=environment, stdout=output, stderr=output
        )
    try:
        await emulator.wait_for(lambda: emulator.requests_for("getUpdates") or None, 60.0)
    except TimeoutError:
        process.kill()
        raise RuntimeError(f"{name} did not start:\n{log.read_text()[-2000:]}") from None
    return RunningBot(name, emulator, process, time.perf_counter() - started)


def import_seconds(module: str) -> float:
    """How long a fresh interpreter takes to import `module`, the bulk of start-up."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BOT_ROOT, capture_output=True, text=True, check=True
    )
    return float(result.stdout)


@dataclass
class Startup:
    """Median seconds to the first getUpdates over `starts` starts, and to import alone."""

    name: str
    first_poll_s: float
    import_s: float


async def measure_startups(
    starts: int, bots: dict[str, tuple[list[str], dict[str, str], str]], log_dir: Path
) -> dict[str, Startup]:
    """Start each bot `starts` times, interleaved, and take the medians."""
    polls: dict[str, list[float]] = {name: [] for name in bots}
    imports: dict[str, list[float]] = {name: [] for name in bots}
    for _ in range(starts):
        for name, (command, env, module) in bots.items():
            bot = await start_bot(name, command, env, log_dir)
            bot.stop()
            await bot.emulator.stop()
            polls[name].append(bot.startup_s)
            imports[name].append(import_seconds(module))
    return {
        name: Startup(name, statistics.median(polls[name]), statistics.median(imports[name]))
        for name in bots
    }


# --- one interaction, timed ------------------------------------------------------------------


def _replies(emulator: BotApiEmulator) -> int:
    """Requests the bot made other than polling: a reply may be a new message, an edit of
    one (Ramp edits its check-in in place) or a photo."""
    return sum(1 for r in emulator.requests if r.method != "getUpdates")


async def _settle() -> None:
    # Let a reply's trailing calls (an edit after the answer) land before the next sample.
    await asyncio.sleep(0.02)


async def time_text(bot: RunningBot, user: int, text: str) -> float:
    emulator = bot.emulator
    before = _replies(emulator)
    started = time.perf_counter()
    emulator.user_sends_text(user, text)
    await emulator.wait_for(lambda: _replies(emulator) > before or None, 30.0)
    elapsed = time.perf_counter() - started
    await _settle()
    return elapsed


def checkin_reopener(database_url: str) -> Callable[[int], None]:
    """Remove a runner's check-in answers of the last days, so that /checkin asks again:
    tapping the first button each time finishes a check-in within a few samples, and a
    finished one has no buttons. Untimed, between samples, while the bot is idle."""
    path = database_url.removeprefix("sqlite:///")

    def reopen(user: int) -> None:
        today = datetime.now(UTC).date()
        days = [(today + timedelta(days=d)).isoformat() for d in (-1, 0, 1)]
        keys = [f"checkin:{d}:%" for d in days] + [f"wellness:{d}" for d in days]
        with sqlite3.connect(path, timeout=10) as connection:
            connection.execute(
                "DELETE FROM events WHERE athlete_id IN "
                "(SELECT id FROM athletes WHERE telegram_user_id = ?) AND ("
                + " OR ".join("dedupe_key LIKE ?" for _ in keys)
                + ")",
                (user, *keys),
            )

    return reopen


async def time_tap(
    bot: RunningBot, user: int, opener: str, reopen: Callable[[int], None] | None = None
) -> float:
    """Send `opener` (untimed), then time a tap on the first button of the reply until the
    bot answers the callback query."""
    emulator = bot.emulator
    if reopen is not None:
        reopen(user)
    await time_text(bot, user, opener)
    message = next((m for m in reversed(emulator.bot_messages(user)) if m.buttons), None)
    if message is None:
        raise RuntimeError(f"{opener!r} got no buttons: {emulator.bot_messages(user)[-1].text}")
    data = message.buttons[0]["callback_data"]
    started = time.perf_counter()
    query_id = emulator.user_taps(user, message.message_id, data)
    await emulator.wait_for_answer(query_id, 30.0)
    elapsed = time.perf_counter() - started
    await _settle()
    return elapsed


@dataclass
class Samples:
    values: dict[str, list[float]] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)  # the bot's CPU seconds, per kind

    def add(self, key: str, seconds: float) -> None:
        self.values.setdefault(key, []).append(seconds * 1000)

    def cpu_ms(self, key: str) -> float:
        """The bot's mean CPU per sample (a tap's includes its untimed /checkin)."""
        return self.cpu[key] / len(self.values[key]) * 1000

    def p(self, key: str, q: int) -> float:
        data = sorted(self.values[key])
        return data[min(len(data) - 1, round(q / 100 * (len(data) - 1)))]


async def interleaved(
    samples: int, echo: RunningBot, ramp: RunningBot, reopen: Callable[[int], None]
) -> Samples:
    kinds: dict[str, Callable[[RunningBot, int], Awaitable[float]]] = {
        "text log": lambda bot, user: time_text(bot, user, "rhr 52"),
        "button tap": lambda bot, user: time_tap(
            bot, user, "/checkin", reopen if bot is ramp else None
        ),
        "/week": lambda bot, user: time_text(bot, user, "/week"),
    }
    results = Samples()
    for _ in range(samples):
        for kind, measure in kinds.items():
            for key, bot, user in (
                (f"{kind} echo", echo, ECHO_USER),
                (f"{kind} 12w", ramp, RUNNER_12),
                (f"{kind} 104w", ramp, RUNNER_104),
            ):
                cpu = bot.cpu_s()
                results.add(key, await measure(bot, user))
                results.cpu[key] = results.cpu.get(key, 0.0) + bot.cpu_s() - cpu
    return results


async def stats_times(ramp: RunningBot, count: int) -> list[float]:
    emulator = ramp.emulator
    times = []
    for _ in range(count):
        photos = len(emulator.requests_for("sendPhoto"))
        started = time.perf_counter()
        emulator.user_sends_text(RUNNER_12, "/stats")

        def photo_sent(before: int = photos) -> bool | None:
            return len(emulator.requests_for("sendPhoto")) > before or None

        await emulator.wait_for(photo_sent, 60.0)
        times.append((time.perf_counter() - started) * 1000)
    return times


def cold_replays_per_second(weeks: int = 26, seconds: float = 3.0) -> float:
    history, _ = simulate("steady", weeks=weeks)
    last_day = history.profile.start_date + timedelta(weeks=weeks, days=-1)
    count, started = 0, time.process_time()
    while time.process_time() - started < seconds:
        plan(history, last_day)
        count += 1
    return count / (time.process_time() - started)


def incremental_replays_per_second(weeks: int = 26, seconds: float = 3.0) -> float:
    """Today's facts logged, the replay resumed from yesterday's checkpoint, as the bot does."""
    history, _ = simulate("steady", weeks=weeks)
    last_day = history.profile.start_date + timedelta(weeks=weeks, days=-1)
    before = replace(history, events=tuple(e for e in history.events if e.date < last_day))
    _, checkpoint = replay(before, last_day - timedelta(days=1))
    count, started = 0, time.process_time()
    while time.process_time() - started < seconds:
        replay(history, last_day, checkpoint=checkpoint)
        count += 1
    return count / (time.process_time() - started)


# --- the report ----------------------------------------------------------------------------


async def main(args: argparse.Namespace) -> None:
    global BOT_ROOT
    BOT_ROOT = args.ramp_root.resolve()
    today = datetime.now(UTC).date()
    for package in ("bot", "coach", "emulator", "bench"):
        compileall.compile_dir(BOT_ROOT / package, quiet=1)
    with tempfile.TemporaryDirectory(prefix="ramp-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'ramp.db'}"
        migrate(make_engine(url))
        events_12 = seed_runner(url, RUNNER_12, 12, today)
        events_104 = seed_runner(url, RUNNER_104, 104, today)
        print(f"seeded: {events_12} events (12 weeks), {events_104} events (104 weeks)")

        # Start-up and idle memory first, before either bot has handled anything.
        logs = Path(folder)
        startups = await measure_startups(
            args.startups,
            {
                "echo": ([sys.executable, "bench/echo_bot.py"], {}, "telegram.ext"),
                "ramp": ([sys.executable, "-m", "bot"], {"DATABASE_URL": url}, "bot.__main__"),
            },
            logs,
        )
        echo = await start_bot("echo", [sys.executable, "bench/echo_bot.py"], {}, logs)
        ramp = await start_bot("ramp", [sys.executable, "-m", "bot"], {"DATABASE_URL": url}, logs)
        await asyncio.sleep(2.0)
        idle = {bot.name: bot.rss_mib() for bot in (echo, ramp)}
        for bot, user in ((echo, ECHO_USER), (ramp, RUNNER_12), (ramp, RUNNER_104)):
            bot.emulator.register_user(user, "Ana")
        try:
            results = await interleaved(args.samples, echo, ramp, checkin_reopener(url))
            stats = await stats_times(ramp, args.stats)
        finally:
            for bot in (echo, ramp):
                bot.stop()
                await bot.emulator.stop()

        many_url = f"sqlite:///{Path(folder) / 'club.db'}"
        migrate(make_engine(many_url))
        seed_many(many_url, args.runners, today)
        club = await start_bot(
            "club", [sys.executable, "-m", "bot"], {"DATABASE_URL": many_url}, logs
        )
        try:
            await asyncio.sleep(args.club_seconds)  # a scheduler tick or two over every runner
            club_rss, club_peak = club.rss_mib(), club.rss_mib("VmHWM")
        finally:
            club.stop()
            await club.emulator.stop()

    print(f"\nRamp from {BOT_ROOT}")
    print(f"{args.samples} samples per kind, interleaved; milliseconds, reply received")
    print(
        f"{'':16} {'echo p50/p99':>14} {'Ramp p50/p99':>14} {'p99 ratio':>10}  aim   "
        f"CPU/sample echo, Ramp"
    )
    for kind in ("text log", "button tap", "/week"):
        echo_key = f"{kind} echo"
        for weeks, aim in (("12w", 1.5), ("104w", 2.0)):
            key = f"{kind} {weeks}"
            ratio = results.p(key, 99) / results.p(echo_key, 99)
            print(
                f"{kind + ' ' + weeks:16} "
                f"{results.p(echo_key, 50):6.1f} /{results.p(echo_key, 99):6.1f} "
                f"{results.p(key, 50):6.1f} /{results.p(key, 99):6.1f} "
                f"{ratio:9.2f}×  ≤ {aim}×  "
                f"{results.cpu_ms(echo_key):5.1f}, {results.cpu_ms(key):5.1f} ms"
            )
    ramp_start, echo_start = startups["ramp"], startups["echo"]
    print(
        f"\nstart-up to first getUpdates, median of {args.startups}: "
        f"Ramp {ramp_start.first_poll_s:.2f} s, echo {echo_start.first_poll_s:.2f} s "
        f"(ratio {ramp_start.first_poll_s / echo_start.first_poll_s:.1f}×; aim ≤ 0.6 s)\n"
        f"  of which imports: `import bot.__main__` {ramp_start.import_s:.2f} s, "
        f"`import telegram.ext` {echo_start.import_s:.2f} s"
    )
    print(
        f"resident memory idle: Ramp {idle['ramp']:.0f} MiB, echo {idle['echo']:.0f} MiB; "
        f"Ramp with {args.runners:,} runners {club_rss:.0f} MiB after "
        f"{args.club_seconds:.0f} s of scheduler ticks, {club_peak:.0f} MiB at the peak "
        f"(aim ≤ 100 MiB)"
    )
    print(
        f"/stats reply: median {statistics.median(stats):.0f} ms, worst {max(stats):.0f} ms "
        f"over {len(stats)} (aim ≤ 150 ms)"
    )
    replays = cold_replays_per_second()
    print(f"cold replay, 26 weeks, one core: {replays:,.0f}/s ({replays / 1000:.2f} of 1,000/s)")
    resumed = incremental_replays_per_second()
    print(
        f"incremental replay, 26 weeks, one core: {resumed:,.0f}/s "
        f"({resumed / 5000:.2f} of 5,000/s)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=240)
    parser.add_argument("--stats", type=int, default=10, help="/stats requests to time")
    parser.add_argument("--startups", type=int, default=5, help="starts of each bot to time")
    parser.add_argument("--runners", type=int, default=10_000)
    parser.add_argument("--club-seconds", type=float, default=40.0)
    parser.add_argument(
        "--ramp-root",
        type=Path,
        default=ROOT,
        help="run the bot of another checkout (e.g. the commit before a change), same bench",
    )
    asyncio.run(main(parser.parse_args()))
