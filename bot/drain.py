"""The scheduler's tick, sending side: drain everything due, as fast as the pacer allows.

A drain enqueues what is due (and what will be due within `ahead`), renders the coming
morning messages in the background, then claims batches and sends them with
`in_flight` sends at a time until nothing is due any more. The pacer (`bot.pacer`) keeps
the rate; scheduled messages carry `Priority.BROADCAST`, so a runner's reply overtakes
them. Database work runs in worker threads, so the event loop stays free to answer
runners while 10,000 mornings go out.

Only one drain runs at a time per process, and only the process holding the sender lock
drains (`bot.sender`).
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlmodel import col, func, select
from telegram import InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import Forbidden

from bot import metrics
from bot.delivery import (
    DEFAULT_AHEAD,
    DEFAULT_LEASE,
    Ready,
    Render,
    SessionFactory,
    claim_batch,
    enqueue_due,
    prepare,
    record_failure,
    record_sent,
    render_ahead_one,
    rows_to_render,
)
from bot.pacer import Priority
from bot.store.models import Delivery

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
# While morning messages are still being rendered ahead, how often to look for due rows.
_IDLE_POLL_S = 0.5
# How long finished sends wait to be recorded together (each sender waits this once more).
RECORD_LINGER_S = 0.02


class SentMessage(Protocol):
    @property
    def message_id(self) -> int: ...


class MessageSender(Protocol):
    """The part of `telegram.Bot` the outbox uses (tests pass a fake)."""

    async def send_message(
        self,
        *,
        chat_id: int,
        text: str,
        parse_mode: str,
        reply_markup: InlineKeyboardMarkup | None,
        allow_paid_broadcast: bool | None,
        rate_limit_args: Any,
        api_kwargs: dict[str, Any] | None,
    ) -> SentMessage: ...


@dataclass(frozen=True)
class DrainOptions:
    """How a drain sends. The defaults send one at a time (what the tests step through);
    `for_rate` is what the bot runs with."""

    batch_size: int = 20
    # Sends waiting for Telegram's answer or for their outcome to be recorded: a kill -9
    # re-sends at most this many.
    in_flight: int = 1
    lease: timedelta = DEFAULT_LEASE
    ahead: timedelta = DEFAULT_AHEAD
    paid_broadcast: bool = False
    # The bot has the pacer: scheduled messages are marked as broadcast.
    paced: bool = False

    @classmethod
    def for_rate(cls, rate: float, *, paid_broadcast: bool = False) -> DrainOptions:
        # Enough sends in flight to fill the rate with Telegram answering in ~200 ms;
        # batches of about a second of sending, so claimed rows wait only briefly.
        in_flight = min(max(math.ceil(rate * 0.2), 8), 256)
        batch_size = min(max(int(rate), 2 * in_flight), 500)
        return cls(
            batch_size=batch_size,
            in_flight=in_flight,
            paid_broadcast=paid_broadcast,
            paced=True,
        )


async def run_tick(
    bot: MessageSender,
    session_factory: SessionFactory,
    render: Render,
    now_utc: datetime,
    worker_id: str,
    options: DrainOptions | None = None,
) -> int:
    """One drain with the clock standing still at `now_utc` (tests, `make play`)."""
    return await drain(bot, session_factory, render, lambda: now_utc, worker_id, options)


async def drain(
    bot: MessageSender,
    session_factory: SessionFactory,
    render: Render,
    clock: Clock,
    worker_id: str,
    options: DrainOptions | None = None,
    keep_going: Callable[[], bool] | None = None,
) -> int:
    """Enqueue, render ahead, claim and send until nothing is due; returns messages sent.

    `keep_going` is asked before every batch (still the sender? not shutting down?).
    Never raises, so the scheduler keeps ticking.
    """
    options = options or DrainOptions()
    try:
        enqueued = await asyncio.to_thread(_enqueue, session_factory, clock(), options.ahead)
        if enqueued:
            log.info("enqueued %d deliveries", enqueued)
    except Exception:
        log.exception("enqueueing deliveries failed")
    sending = _Sending(bot, session_factory, render, clock, worker_id, options)
    sending.keep_going = keep_going or _always
    if options.ahead > timedelta(0):
        sending.rendering = asyncio.create_task(
            _render_ahead(session_factory, render, clock, options, lambda: not sending.stopped)
        )
    try:
        return await sending.run()
    except Exception:
        log.exception("sending deliveries failed")
        return 0
    finally:
        if sending.rendering is not None:
            await sending.rendering


def _always() -> bool:
    return True


def _enqueue(session_factory: SessionFactory, now: datetime, ahead: timedelta) -> int:
    with session_factory() as session:
        return enqueue_due(session, now, ahead)


async def send_claimed(
    bot: MessageSender,
    session_factory: SessionFactory,
    deliveries: Sequence[Delivery],
    render: Render,
    now_utc: datetime,
) -> None:
    """Send rows claimed earlier (a worker that survived losing its claim sends nothing)."""
    sending = _Sending(bot, session_factory, render, lambda: now_utc, "", DrainOptions())
    for ready in prepare(session_factory, deliveries, render, now_utc):
        await sending.send(ready)


class _Sending:
    """One drain's claim loop, its senders and the recorder of outcomes."""

    def __init__(
        self,
        bot: MessageSender,
        session_factory: SessionFactory,
        render: Render,
        clock: Clock,
        worker_id: str,
        options: DrainOptions,
    ) -> None:
        self.bot = bot
        self.sessions = session_factory
        self.render = render
        self.clock = clock
        self.worker_id = worker_id
        self.options = options
        self.rendering: asyncio.Task[None] | None = None
        self.queue: asyncio.Queue[Ready | None] = asyncio.Queue(maxsize=options.batch_size)
        self.recorder = _Recorder(session_factory, clock)
        self.blocked: set[int] = set()  # runners who blocked the bot during this drain
        self.sent = 0
        self.keep_going: Callable[[], bool] = _always
        self.stopped = False

    async def run(self) -> int:
        senders = [asyncio.create_task(self._sender()) for _ in range(self.options.in_flight)]
        try:
            await self._claim_until_nothing_is_due()
        finally:
            for _ in senders:
                await self.queue.put(None)
            await asyncio.gather(*senders, return_exceptions=True)
        return self.sent

    async def _claim_until_nothing_is_due(self) -> None:
        while True:
            claimed, ready = await asyncio.to_thread(self._claim_and_prepare)
            if not claimed:
                if self.stopped or self.rendering is None or self.rendering.done():
                    return
                await asyncio.sleep(_IDLE_POLL_S)  # a batch may come due while rendering
                continue
            for item in ready:
                await self.queue.put(item)

    def _claim_and_prepare(self) -> tuple[int, list[Ready]]:
        if not self.keep_going():
            # Rows already claimed stay "sending"; whoever sends next takes them over.
            self.stopped = True
            return 0, []
        now = self.clock()
        with self.sessions() as session:
            claimed = claim_batch(
                session, now, self.worker_id, self.options.batch_size, self.options.lease
            )
            metrics.OUTBOX_DEPTH.set(_depth(session, now))
        if not claimed:
            return 0, []
        return len(claimed), prepare(self.sessions, claimed, self.render, now)

    async def _sender(self) -> None:
        while (ready := await self.queue.get()) is not None:
            if self.stopped:
                continue
            try:
                await self.send(ready)
            except Exception:
                # The row stays "sending" and is retried when its lease runs out.
                log.exception("delivery %s: unexpected error", ready.delivery.id)

    async def send(self, ready: Ready) -> None:
        delivery = ready.delivery
        if delivery.athlete_id in self.blocked:
            await asyncio.to_thread(_cancel, self.sessions, delivery)
            return
        if self._claim_is_old(delivery):
            # Another sender may take the row over soon; better late than twice.
            log.warning("delivery %s: claim too old to send; left for later", delivery.id)
            return
        try:
            markup = ready.markup_json
            message = await self.bot.send_message(
                chat_id=ready.chat_id,
                text=ready.text,
                parse_mode=ParseMode.HTML,
                reply_markup=None,
                allow_paid_broadcast=True if self.options.paid_broadcast else None,
                rate_limit_args=Priority.BROADCAST if self.options.paced else None,
                # The keyboard as JSON, sent as it is (see `Ready`).
                api_kwargs=None if markup is None else {"reply_markup": markup},
            )
        except Exception as error:
            if isinstance(error, Forbidden):
                self.blocked.add(delivery.athlete_id)
            await asyncio.to_thread(record_failure, self.sessions, delivery, error, self.clock())
        else:
            await self.recorder.record(delivery, message.message_id)
            self.sent += 1

    def _claim_is_old(self, delivery: Delivery) -> bool:
        claimed_at = delivery.claimed_at
        return claimed_at is not None and self.clock() - claimed_at > self.options.lease / 2


class _Recorder:
    """Marks sent rows in batches: whatever finished while the last write ran goes into
    the next one. Each sender waits for its row to be written, so the messages accepted
    by Telegram but not yet recorded never exceed the number of senders."""

    def __init__(self, session_factory: SessionFactory, clock: Clock) -> None:
        self.sessions = session_factory
        self.clock = clock
        self.pending: list[tuple[Delivery, int, asyncio.Future[None]]] = []
        self.writer: asyncio.Task[None] | None = None

    async def record(self, delivery: Delivery, message_id: int) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.pending.append((delivery, message_id, done))
        if self.writer is None or self.writer.done():
            self.writer = asyncio.create_task(self._write())
        await done

    async def _write(self) -> None:
        while self.pending:
            # A moment for more sends to finish: one write for many rows, not a commit per
            # row, which at 1,000 messages/s was a large share of the bot's CPU.
            await asyncio.sleep(RECORD_LINGER_S)
            batch, self.pending = self.pending, []
            try:
                sent = [(delivery, message_id) for delivery, message_id, _ in batch]
                await asyncio.to_thread(record_sent, self.sessions, sent, self.clock())
            except Exception:
                # The rows stay "sending": sent again after the lease (at-least-once).
                log.exception("recording %d sent deliveries failed", len(batch))
            for _, _, done in batch:
                if not done.done():
                    done.set_result(None)


async def _render_ahead(
    session_factory: SessionFactory,
    render: Render,
    clock: Clock,
    options: DrainOptions,
    keep_going: Callable[[], bool],
) -> None:
    """Render coming morning messages, one at a time in a worker thread."""
    tried: set[int] = set()
    try:
        while True:
            ids = await asyncio.to_thread(_stale_rows, session_factory, clock(), options.ahead)
            todo = [row_id for row_id in ids if row_id not in tried]
            if not todo:
                return
            for row_id in todo:
                if not keep_going():
                    return
                tried.add(row_id)
                await asyncio.to_thread(render_ahead_one, session_factory, row_id, render)
    except Exception:
        log.exception("rendering ahead failed")


def _stale_rows(session_factory: SessionFactory, now: datetime, ahead: timedelta) -> list[int]:
    with session_factory() as session:
        return rows_to_render(session, now, ahead)


def _cancel(session_factory: SessionFactory, delivery: Delivery) -> None:
    with session_factory() as session, session.begin():
        row = session.get(Delivery, delivery.id, populate_existing=True)
        if row is not None and row.status == "sending":
            row.status = "cancelled"


def _depth(session: Any, now: datetime) -> int:
    statement = select(func.count()).where(
        col(Delivery.status).in_(("pending", "sending")), col(Delivery.next_attempt_at) <= now
    )
    return int(session.exec(statement).one())
