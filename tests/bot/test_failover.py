"""Two bot processes on one PostgreSQL database: one sender at a time, and the standby
takes over when the sender is killed."""

from __future__ import annotations

import os
import socket
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from bot.store.db import make_engine, session_factory
from bot.store.models import Delivery
from emulator.server import BotApiEmulator, TelegramLimits
from tests.bot.bot_process import kill, messages_per_chat, runners_due_now, start_bot, stop

POSTGRES_URL = os.environ.get("RAMP_TEST_DATABASE_URL")
pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="RAMP_TEST_DATABASE_URL is not set")

RUNNERS = 40
RATE = "5"  # slow enough that the kill lands mid fan-out


@pytest.fixture
def database_url() -> Iterator[str]:
    """A schema of its own, as the storage fixtures make."""
    assert POSTGRES_URL is not None
    schema = f"ramp_failover_{uuid.uuid4().hex[:10]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES_URL}?options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def webhook_env() -> dict[str, str]:
    # Webhook mode: several processes cannot all long-poll one bot.
    return {
        "RAMP_WEBHOOK_URL": "https://ramp.example/telegram",
        "RAMP_WEBHOOK_SECRET": "failover-test-secret",
        "RAMP_LISTEN": f"127.0.0.1:{free_port()}",
        "RAMP_SEND_RATE": RATE,
    }


def sent_by(database_url: str) -> dict[str, int]:
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as session:
            rows = session.exec(select(Delivery).where(col(Delivery.status) == "sent")).all()
    finally:
        engine.dispose()
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.claimed_by or "?"] = counts.get(row.claimed_by or "?", 0) + 1
    return counts


async def test_one_sender_at_a_time_and_the_standby_takes_over(
    database_url: str, tmp_path: Path
) -> None:
    async with BotApiEmulator() as emulator:
        emulator.enable_limits(TelegramLimits(overall_per_s=int(RATE)))
        users = runners_due_now(database_url, emulator, RUNNERS)
        processes: list[subprocess.Popen[bytes]] = []
        try:
            first = start_bot(emulator, database_url, tmp_path / "a.log", **webhook_env())
            processes.append(first)
            await emulator.wait_for(lambda: len(emulator.sent_log) >= 3, timeout=60)
            second = start_bot(emulator, database_url, tmp_path / "b.log", **webhook_env())
            processes.append(second)
            await emulator.wait_for(
                lambda: len(emulator.requests_for("setWebhook")) >= 2, timeout=60
            )
            # Both running: still one sender, so the rate is never exceeded.
            await emulator.wait_for(lambda: len(emulator.sent_log) >= 15, timeout=60)
            assert emulator.rate_limited == []
            assert len(sent_by(database_url)) == 1
            kill(first)
            await emulator.wait_for(
                lambda: all(messages_per_chat(emulator, users).values()), timeout=90
            )
            await emulator.wait_for_change(2.0)
        finally:
            for process in processes:
                stop(process)

    counts = messages_per_chat(emulator, users)
    assert all(count >= 1 for count in counts.values()), "a morning message was lost"
    doubled = sum(count - 1 for count in counts.values())
    assert doubled <= 8  # at most what the killed sender had in flight
    assert emulator.rate_limited == []
    senders = sent_by(database_url)
    assert len(senders) == 2  # the first sender, then the standby
    assert sum(senders.values()) == RUNNERS
