"""The sender: ticks never overlap, one holder of the lock, paid broadcast, metrics."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from prometheus_client import REGISTRY
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from bot.delivery import Outgoing
from bot.drain import DrainOptions, run_tick
from bot.sender import FileLock, Sender
from bot.store.models import Athlete, Delivery
from tests.bot.conftest import MakeAthlete

WEDNESDAY_MORNING = datetime(2026, 11, 4, 6, 0, tzinfo=UTC)
Sessions = sessionmaker[Session]


class SlowBot:
    """Each send takes a while, so a drain is still running when the next tick comes."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    async def send_message(self, **kwargs: Any) -> SimpleNamespace:
        self.calls.append(kwargs)
        await asyncio.sleep(0.2)
        return SimpleNamespace(message_id=len(self.calls))


def render(session: Session, runner: Athlete, delivery: Delivery) -> Outgoing | None:
    return Outgoing(text=f"{delivery.kind} for {runner.first_name}")


class HeldLock:
    def __init__(self) -> None:
        self.released = False

    def try_hold(self) -> bool:
        return True

    def release(self) -> None:
        self.released = True


async def test_ticks_never_overlap(sessions: Sessions, make_athlete: MakeAthlete) -> None:
    for chat in range(3):
        make_athlete(chat_id=700 + chat)
    bot, lock = SlowBot(), HeldLock()
    sender = Sender(bot, sessions, render, lambda: WEDNESDAY_MORNING, "w", DrainOptions(), lock)
    for _ in range(5):  # five ticks while the first drain is still sending
        sender.start_tick()
        await asyncio.sleep(0.05)
    await sender.stop()
    assert sorted(call["chat_id"] for call in bot.calls) == [700, 701, 702]
    assert lock.released


async def test_paid_broadcast_marks_scheduled_messages(
    sessions: Sessions, make_athlete: MakeAthlete
) -> None:
    make_athlete()
    bot = SlowBot()
    options = DrainOptions(paid_broadcast=True, paced=True)
    await run_tick(bot, sessions, render, WEDNESDAY_MORNING, "w", options)
    (call,) = bot.calls
    assert call["allow_paid_broadcast"] is True
    assert call["rate_limit_args"] == 1  # Priority.BROADCAST


async def test_sent_messages_are_counted(sessions: Sessions, make_athlete: MakeAthlete) -> None:
    make_athlete()

    def sent() -> float:
        value = REGISTRY.get_sample_value("ramp_messages_sent_total", {"kind": "morning"})
        return value or 0.0

    before = sent()
    await run_tick(SlowBot(), sessions, render, WEDNESDAY_MORNING, "w")
    assert sent() == before + 1


def test_only_one_holder_of_the_file_lock(tmp_path: Path) -> None:
    first = FileLock(tmp_path / "ramp.db.sender-lock")
    second = FileLock(tmp_path / "ramp.db.sender-lock")
    assert first.try_hold() is True
    assert second.try_hold() is False
    first.release()
    assert second.try_hold() is True
    second.release()
