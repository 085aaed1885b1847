"""`make play`: chat with the real bot in this terminal, with no token and no internet.

The bot is unchanged: it talks to a local Bot API emulator on loopback instead of
Telegram, keeps its data in a temporary SQLite file, and reads time from a clock you can
move forward, so a morning session and a check-in arrive within a minute.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import (
    build_application,
    build_runtime,
    run_tick_now,
    start_in_background,
    stop_in_background,
)
from bot.clock import ShiftedClock
from bot.config import Settings
from bot.runtime import Runtime
from bot.store import repo
from emulator.server import BotApiEmulator
from emulator.terminal import TerminalChat

RUNNER_ID = 4242
OFFLINE_TOKEN = "1:offline-play-token"
HELP = """\
  :next-morning      jump to your next morning message
  :next-checkin      jump to your next check-in
  :tomorrow          jump 24 hours
  :week              jump 7 days, morning by morning
  :time              what time it is for you"""
WELCOME = """Ramp, offline. You are the runner: type /start to set up (try 'Berlin' as time zone).
Move time with :next-morning and :next-checkin; :help lists everything."""


class TimeMachine:
    """The `:` commands: move the bot's clock and let the scheduler catch up."""

    def __init__(self, runtime: Runtime, clock: ShiftedClock, run_tick: object) -> None:
        self.runtime, self.clock, self.run_tick = runtime, clock, run_tick

    def _wall_times(self) -> tuple[ZoneInfo, datetime, datetime] | None:
        with self.runtime.sessions() as session:
            athlete = repo.get_athlete_by_telegram_id(session, RUNNER_ID)
            if athlete is None or athlete.profile is None:
                return None
            zone = ZoneInfo(athlete.time_zone)
            now = self.clock.now().astimezone(zone)
            morning = datetime.combine(now.date(), athlete.morning_time, zone)
            checkin = datetime.combine(now.date(), athlete.checkin_time, zone)
        return zone, morning, checkin

    async def jump_to_next(self, which: str) -> str:
        times = self._wall_times()
        if times is None:
            return "Finish /start first, so I know your morning and check-in times."
        zone, morning, checkin = times
        target = morning if which == "morning" else checkin
        now = self.clock.now().astimezone(zone)
        while target <= now:
            target += timedelta(days=1)
        return await self.jump(
            target.astimezone(ZoneInfo("UTC")) + timedelta(minutes=1) - self.clock.now()
        )

    async def jump(self, delta: timedelta) -> str:
        self.clock.advance(delta)
        await self.run_tick()  # type: ignore[operator]
        return f"⏩ it is now {self.describe_now()}"

    def describe_now(self) -> str:
        times = self._wall_times()
        zone = times[0] if times else ZoneInfo("UTC")
        return self.clock.now().astimezone(zone).strftime("%a %d %b %H:%M (%Z)")

    async def __call__(self, line: str) -> str | None:
        command = line.strip().lower()
        if command == ":help":
            return HELP
        if command == ":next-morning":
            return await self.jump_to_next("morning")
        if command == ":next-checkin":
            return await self.jump_to_next("checkin")
        if command == ":tomorrow":
            return await self.jump(timedelta(days=1))
        if command == ":week":
            for _ in range(7):
                message = await self.jump_to_next("morning")
            return message
        if command == ":time":
            return self.describe_now()
        return None


async def play() -> None:
    logging.basicConfig(level=logging.WARNING)
    emulator = BotApiEmulator()
    await emulator.start()
    with tempfile.TemporaryDirectory(prefix="ramp-play-") as folder:
        # By the environment names, as a self-hoster would set them.
        settings = Settings.model_validate(
            {
                "TELEGRAM_BOT_TOKEN": OFFLINE_TOKEN,
                "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{emulator.port}",
                "DATABASE_URL": f"sqlite:///{Path(folder) / 'play.db'}",
                "RAMP_TICK_SECONDS": 5,
            }
        )
        clock = ShiftedClock()
        runtime = build_runtime(settings, clock)
        application = build_application(runtime)
        await start_in_background(application)
        machine = TimeMachine(runtime, clock, lambda: run_tick_now(application))
        print(WELCOME)
        try:
            await TerminalChat(emulator, RUNNER_ID, machine, first_name="You").run()
        finally:
            await stop_in_background(application)
            await emulator.stop()


def main() -> int:
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(play())
    return 0


if __name__ == "__main__":
    sys.exit(main())
