"""Which process sends scheduled messages: exactly one at a time.

Every process handles the updates it receives, but two senders would together exceed
Telegram's rate. So the sender holds a lock: a PostgreSQL advisory lock (held by one
open connection, released by the server the moment the process dies), or, on a SQLite
file, an exclusive `flock` next to the database file (released by the kernel when the
process dies). The others try it on every tick and take over within a tick or two.

Taking over, the new sender first hands back every row the old one had claimed: those
were in flight or waiting when it died. A message Telegram had already accepted then goes
twice; nothing is lost (`bot.delivery` describes the window).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
from datetime import timedelta
from pathlib import Path
from typing import IO, Protocol

from sqlalchemy import Connection, Engine, text, update
from sqlmodel import col, select

from bot import metrics
from bot.delivery import Render, SessionFactory
from bot.direct_send import DirectSender
from bot.drain import Clock, DrainOptions, MessageSender, drain
from bot.store.models import Delivery

log = logging.getLogger(__name__)

# Any constant works; it only has to be the same for every process of one bot.
SENDER_LOCK_ID = 0x52414D51  # "RAMQ"
# Telegram counts sends per second: a standby taking over right after the old sender's last
# sends waits out that second, or the two together could go over the rate.
RATE_WINDOW = timedelta(seconds=1)


class SenderLock(Protocol):
    def try_hold(self) -> bool:
        """True while this process holds the lock, taking it if it is free."""
        ...

    def release(self) -> None: ...


class PostgresLock:
    """A session-level advisory lock on one dedicated connection."""

    def __init__(self, engine: Engine, key: int = SENDER_LOCK_ID) -> None:
        self.engine = engine
        self.key = key
        self._connection: Connection | None = None

    def try_hold(self) -> bool:
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT 1"))
                return True
            except Exception:
                # The connection is gone, and the lock with it: maybe a standby has it now.
                log.warning("the sender lock's connection was lost")
                self.release()
        connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            query = text("SELECT pg_try_advisory_lock(:key)")
            held = bool(connection.execute(query, {"key": self.key}).scalar())
        except Exception:
            connection.close()
            raise
        if held:
            self._connection = connection
        else:
            connection.close()
        return held

    def release(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):
                self._connection.close()
            self._connection = None


class FileLock:
    """`flock` on a file beside the SQLite database."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[str] | None = None

    def try_hold(self) -> bool:
        if self._file is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing the file releases the flock
            self._file = None


class AlwaysHeld:
    """An in-memory database has one process by definition."""

    def try_hold(self) -> bool:
        return True

    def release(self) -> None:
        pass


def lock_for(engine: Engine) -> SenderLock:
    if engine.dialect.name == "postgresql":
        return PostgresLock(engine)
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        return FileLock(Path(database).with_name(Path(database).name + ".sender-lock"))
    return AlwaysHeld()


class Sender:
    """The scheduler tick: drain the outbox if this process is the sender.

    `tick` returns at once while a drain is running, so ticks never overlap and the
    scheduler never skips a tick because one ran long.
    """

    def __init__(
        self,
        bot: MessageSender,
        sessions: SessionFactory,
        render: Render,
        clock: Clock,
        worker_id: str,
        options: DrainOptions,
        lock: SenderLock,
    ) -> None:
        self.bot = bot
        self.sessions = sessions
        self.render = render
        self.clock = clock
        self.worker_id = worker_id
        self.options = options
        self.lock = lock
        self.holding = False
        self._running: asyncio.Task[int] | None = None
        self._stopping = False
        self._settle = False  # set on taking over from a sender active a moment ago

    def start_tick(self) -> None:
        """Start a drain in the background unless one is running (what the job calls)."""
        if self._stopping or (self._running is not None and not self._running.done()):
            return
        self._running = asyncio.get_running_loop().create_task(self._tick())

    async def tick_now(self) -> int:
        """Wait for a running drain, then run one more (`make play`, tests)."""
        if self._running is not None:
            await asyncio.gather(self._running, return_exceptions=True)
        self._running = asyncio.get_running_loop().create_task(self._tick())
        return await self._running

    async def stop(self) -> None:
        """Stop claiming, let the sends in flight finish, and give up the lock."""
        self._stopping = True
        if self._running is not None:
            await asyncio.gather(self._running, return_exceptions=True)
        self.lock.release()
        self.holding = False
        metrics.IS_SENDER.set(0)
        if isinstance(self.bot, DirectSender):
            await self.bot.aclose()

    async def _tick(self) -> int:
        try:
            if not await asyncio.to_thread(self._hold):
                return 0
        except Exception:
            log.exception("cannot reach the sender lock")
            return 0
        if self._settle:
            self._settle = False
            await asyncio.sleep(RATE_WINDOW.total_seconds())
        return await drain(
            self.bot,
            self.sessions,
            self.render,
            self.clock,
            self.worker_id,
            self.options,
            keep_going=self._keep_going,
        )

    def _keep_going(self) -> bool:
        return not self._stopping and self._hold()

    def _hold(self) -> bool:
        held = self.lock.try_hold()
        if held and not self.holding:
            log.info("%s is now the sender", self.worker_id)
            self._take_over()
        elif self.holding and not held:
            log.warning("%s is no longer the sender", self.worker_id)
        self.holding = held
        metrics.IS_SENDER.set(1 if held else 0)
        return held

    def _take_over(self) -> None:
        """Rows another worker claimed are ours to send now: it has died (it held the
        lock until then), so waiting for the lease to run out would only delay them."""
        with self.sessions() as session, session.begin():
            result = session.exec(
                update(Delivery)
                .where(
                    col(Delivery.status) == "sending",
                    col(Delivery.claimed_by) != self.worker_id,
                )
                .values(status="pending", next_attempt_at=self.clock(), claimed_by=None)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount:
                log.info("took over %d deliveries in flight", result.rowcount)
            recent = session.exec(
                select(Delivery.id)
                .where(
                    col(Delivery.claimed_by) != self.worker_id,
                    col(Delivery.sent_at) >= self.clock() - RATE_WINDOW,
                )
                .limit(1)
            ).first()
            self._settle = bool(result.rowcount) or recent is not None
