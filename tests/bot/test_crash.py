"""kill -9 right after Telegram accepted a message: nothing lost, and only what was in
flight at that instant goes twice."""

from __future__ import annotations

import subprocess
from pathlib import Path

from bot.drain import DrainOptions
from emulator.models import MessageRecord
from emulator.server import BotApiEmulator, TelegramLimits
from tests.bot.bot_process import kill, messages_per_chat, runners_due_now, start_bot, stop

RUNNERS = 40
KILL_AT = 10  # the 10th morning message accepted


async def test_kill_9_right_after_a_message_is_accepted_loses_nothing(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'ramp.db'}"
    log = tmp_path / "bot.log"
    async with BotApiEmulator() as emulator:
        emulator.enable_limits(TelegramLimits())
        users = runners_due_now(database_url, emulator, RUNNERS)
        accepted: list[MessageRecord] = []
        process: subprocess.Popen[bytes] | None = None

        def kill_at_the_tenth(record: MessageRecord) -> None:
            # Runs inside the emulator before it answers: the bot dies with the message
            # accepted and its answer still unsent.
            accepted.append(record)
            if len(accepted) == KILL_AT and process is not None:
                kill(process)

        emulator.on_bot_message = kill_at_the_tenth
        process = start_bot(emulator, database_url, log)
        try:
            await emulator.wait_for(lambda: process.poll() is not None, timeout=60)
            emulator.on_bot_message = None
            before_restart = messages_per_chat(emulator, users)
            assert sum(before_restart.values()) >= KILL_AT
            restarted = start_bot(emulator, database_url, log)
            try:
                await emulator.wait_for(
                    lambda: all(messages_per_chat(emulator, users).values()), timeout=60
                )
                await emulator.wait_for_change(3.0)  # a late double would show up now
            finally:
                stop(restarted)
        finally:
            kill(process)

    counts = messages_per_chat(emulator, users)
    assert all(count >= 1 for count in counts.values()), "a morning message was lost"
    doubled = [user for user, count in counts.items() if count > 1]
    in_flight = DrainOptions.for_rate(30).in_flight
    # The message accepted at the kill was never recorded as sent: it goes again.
    assert accepted[KILL_AT - 1].chat_id in doubled
    assert len(doubled) <= in_flight
    assert max(counts.values()) == 2
    assert emulator.rate_limited == []
