"""The real bot against the local Bot API emulator, with a clock the test moves.

    async with BotHarness.started(tmp_path) as h:
        await h.say(ANA, "/start")
        assert "Welcome" in h.last(ANA).plain_text

Every request the bot sends is checked against the Bot API spec by the emulator;
`h.emulator.violations` must stay empty (the `started` context manager asserts it).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from telegram.ext import Application

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
from bot.store.models import Athlete
from emulator.models import MessageRecord
from emulator.server import BotApiEmulator
from tests.bot.factories import onboard

ANA = 1001
BEN = 1002
TOKEN = "123456:TEST-TOKEN-never-a-real-one"
QUIET_S = 0.15


@dataclass
class BotHarness:
    emulator: BotApiEmulator
    runtime: Runtime
    clock: ShiftedClock
    application: Application[Any, Any, Any, Any, Any, Any] | None = None

    @classmethod
    @asynccontextmanager
    async def started(
        cls, tmp_path: Path, database_url: str | None = None, start_at: datetime | None = None
    ) -> AsyncIterator[BotHarness]:
        emulator = BotApiEmulator()
        await emulator.start()
        settings = Settings(
            TELEGRAM_BOT_TOKEN=SecretStr(TOKEN),
            TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{emulator.port}",
            DATABASE_URL=SecretStr(database_url or f"sqlite:///{tmp_path / 'ramp.db'}"),
            RAMP_TICK_SECONDS=3600,  # the test runs ticks itself, when it moves time
        )
        clock = ShiftedClock.starting_at(start_at) if start_at else ShiftedClock()
        harness = cls(emulator=emulator, runtime=build_runtime(settings, clock), clock=clock)
        await harness.boot()
        try:
            yield harness
            assert not emulator.violations, [str(v) for v in emulator.violations]
        finally:
            await harness.shutdown()
            await emulator.stop()

    async def boot(self) -> None:
        self.application = build_application(self.runtime)
        await start_in_background(self.application)
        # The test decides when the scheduler runs (`tick`), after moving the clock.
        assert self.application.job_queue is not None
        for job in self.application.job_queue.jobs():
            job.schedule_removal()

    async def shutdown(self) -> None:
        if self.application is not None:
            await stop_in_background(self.application)
            self.application = None

    def onboard(self, user: int, **profile: Any) -> Athlete:
        """A runner set up straight in the database, whose chat the emulator knows."""
        self.emulator.register_user(user, "Ana")
        return onboard(self.runtime, user, **profile)

    async def restart(self) -> None:
        """Stop the bot and start a fresh one on the same database: a crash or a deploy."""
        await self.shutdown()
        await self.boot()

    async def settle(self) -> None:
        """Wait until the bot has taken every update and then stayed quiet for a moment."""
        await self.emulator.wait_for(lambda: not self.emulator.pending_updates or None, 10.0)
        while await self.emulator.wait_for_change(QUIET_S):
            pass

    async def say(self, user: int, text: str) -> MessageRecord | None:
        self.emulator.user_sends_text(user, text)
        await self.settle()
        return self.emulator.last_bot_message(user)

    async def tap(self, user: int, label: str, message: MessageRecord | None = None) -> str:
        """Tap the button whose label contains `label` on the latest message with buttons."""
        target = message or self.latest_with_buttons(user)
        data = next((d for text, d in _buttons(target) if label.lower() in text.lower()), None)
        assert data is not None, f"no button {label!r} in {_buttons(target)}"
        query_id = self.emulator.user_taps(user, target.message_id, data)
        await self.settle()
        return query_id

    async def tap_data(self, user: int, data: str, message_id: int) -> str:
        """Send raw callback data, as a forged or stale button would: clients can send any
        data for a message, not only what its buttons carry."""
        query_id = self.emulator.user_taps(user, message_id, data, strict=False)
        await self.settle()
        return query_id

    def latest_with_buttons(self, user: int) -> MessageRecord:
        for record in reversed(self.emulator.bot_messages(user)):
            if _buttons(record):
                return record
        raise AssertionError("no message with buttons")

    def last(self, user: int) -> MessageRecord:
        record = self.emulator.last_bot_message(user)
        assert record is not None
        return record

    def texts(self, user: int) -> list[str]:
        return [m.plain_text for m in self.emulator.bot_messages(user)]

    async def tick(self) -> None:
        assert self.application is not None
        await run_tick_now(self.application)
        await self.settle()

    async def move_to(self, instant: datetime) -> None:
        self.clock.advance_to(instant)

    async def advance(self, delta: timedelta) -> None:
        self.clock.advance(delta)


def _buttons(record: MessageRecord) -> list[tuple[str, str]]:
    rows = record.inline_keyboard or []
    return [(b.get("text", ""), b.get("callback_data", "")) for row in rows for b in row]
