"""The real bot as a separate process (`python -m bot`), for the tests that kill it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import SystemClock
from bot.config import Settings
from bot.runtime import Runtime
from bot.store.db import make_engine, migrate, session_factory
from emulator.server import BotApiEmulator
from tests.bot.factories import onboard

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:TEST-TOKEN-never-a-real-one"
FIRST_RUNNER = 50_000


def runners_due_now(database_url: str, emulator: BotApiEmulator, count: int) -> list[int]:
    """`count` runners whose morning message is due this very minute (UTC)."""
    engine = make_engine(database_url)
    migrate(engine)
    settings = Settings.model_validate({"DATABASE_URL": database_url})
    runtime = Runtime(settings=settings, sessions=session_factory(engine), clock=SystemClock())
    now = datetime.now(UTC)
    morning = (now - timedelta(minutes=1)).time().replace(second=0, microsecond=0)
    users = list(range(FIRST_RUNNER, FIRST_RUNNER + count))
    for user in users:
        emulator.register_user(user, "Ana")
        onboard(
            runtime,
            user,
            start=(now - timedelta(days=now.weekday() + 7)).date(),
            time_zone="UTC",
            morning=morning,
            checkin=(now + timedelta(hours=11)).time().replace(second=0, microsecond=0),
            onboarded_at=now - timedelta(days=1),
        )
    engine.dispose()
    return users


def start_bot(
    emulator: BotApiEmulator, database_url: str, log: Path, **env: str
) -> subprocess.Popen[bytes]:
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{emulator.port}",
        "DATABASE_URL": database_url,
        "RAMP_TICK_SECONDS": "1",
        "LOG_LEVEL": "INFO",
        "PYTHONPATH": str(ROOT),
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=log.parent,
        env=environment,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def kill(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            kill(process)


def messages_per_chat(emulator: BotApiEmulator, users: list[int]) -> dict[int, int]:
    return {user: len(emulator.bot_messages(user)) for user in users}
