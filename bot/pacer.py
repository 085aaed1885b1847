"""One pacer for everything the process sends to Telegram.

Telegram allows about 30 messages a second overall and one a second per chat, and answers
HTTP 429 with `retry_after` beyond that. Every Bot API call goes through `Pacer` (it is
PTB's rate limiter), so the morning fan-out, the check-ins and the replies to runners share
one budget:

- message sends are spaced evenly at `rate` per second with a small safety margin; edits
  count towards that budget too;
- a scheduled message waits until its chat has had no message for `per_chat` seconds.
  A reply to a runner is not held back per chat: it answers what they just did, and
  Telegram tolerates the short burst (an answer and the next question) in a private chat;
- a reply to something a runner just did (the default priority) always gets the next free
  slot before any scheduled broadcast (`rate_limit_args=Priority.BROADCAST`);
- a 429 pauses every send for `retry_after`. A reply is then retried once the pause is
  over; a broadcast is handed back to the outbox, which reschedules the row.

PTB's own `AIORateLimiter` has no priorities, hence this small one.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
import warnings
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import timedelta
from enum import IntEnum
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

from bot import metrics

log = logging.getLogger(__name__)

# Methods that put a new message into a chat: paced overall and per chat.
MESSAGE_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendAudio",
        "sendVideo",
        "sendAnimation",
        "sendVoice",
        "sendVideoNote",
        "sendMediaGroup",
        "sendLocation",
        "sendVenue",
        "sendContact",
        "sendPoll",
        "sendDice",
        "sendSticker",
        "copyMessage",
        "forwardMessage",
    }
)
# Edits change a message already there: they use the overall budget, not the chat's.
EDIT_METHODS = frozenset(
    {"editMessageText", "editMessageCaption", "editMessageMedia", "editMessageReplyMarkup"}
)
SAFETY_MARGIN = 0.02  # 30 sends per 1.02 s: a little under Telegram's ceiling
REPLY_RETRIES = 3

Result = bool | dict[str, Any] | list[dict[str, Any]]


class Priority(IntEnum):
    """Lower goes first."""

    REPLY = 0
    BROADCAST = 1


@dataclass(eq=False)
class _Waiter:
    priority: Priority
    order: int
    chat: int | str | None
    granted: asyncio.Future[None]

    @property
    def waits_for_chat(self) -> bool:
        return self.chat is not None and self.priority is Priority.BROADCAST


@dataclass
class _Budget:
    """When the next send may go, overall and per chat (monotonic seconds)."""

    next_slot: float = 0.0
    recent: deque[float] = field(default_factory=deque)
    chat_free_at: dict[int | str, float] = field(default_factory=dict)
    paused_until: float = 0.0


class Pacer(BaseRateLimiter[Priority]):
    def __init__(
        self,
        rate: float = 30.0,
        *,
        per_chat: float = 1.0,
        margin: float = SAFETY_MARGIN,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.window = 1.0 + margin
        self.capacity = max(int(rate), 1)  # sends allowed in any `window` seconds
        self.interval = self.window / self.capacity
        self.per_chat = per_chat * (1.0 + margin)
        self._clock = clock
        self._budget = _Budget()
        self._waiting: list[_Waiter] = []
        self._order = itertools.count()
        self._wake = asyncio.Event()
        self._dispatcher: asyncio.Task[None] | None = None

    # --- PTB's rate limiter interface ------------------------------------------------------

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        if self._dispatcher is not None:
            self._dispatcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._dispatcher
            self._dispatcher = None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Priority | None,
    ) -> Result:
        if endpoint not in MESSAGE_METHODS and endpoint not in EDIT_METHODS:
            return await callback(*args, **kwargs)
        priority = Priority.REPLY if rate_limit_args is None else Priority(rate_limit_args)
        chat = data.get("chat_id") if endpoint in MESSAGE_METHODS else None
        # A reply is counted in its chat (a broadcast waits for it) but never waits there.
        for attempt in itertools.count(1):
            await self.acquire(chat, priority)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                seconds = retry_after_seconds(error)
                metrics.TELEGRAM_429.inc()
                self.pause(seconds)
                log.warning("Telegram flood control: all sends paused for %.0f s", seconds)
                if priority is Priority.BROADCAST or attempt >= REPLY_RETRIES:
                    raise
        raise AssertionError("unreachable")

    # --- the pacing itself -----------------------------------------------------------------

    async def acquire(self, chat: int | str | None, priority: Priority) -> None:
        """Wait for a send slot: the caller must send right after it returns."""
        granted: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append(_Waiter(priority, next(self._order), chat, granted))
        self._waiting.sort(key=lambda waiter: (waiter.priority, waiter.order))
        self._ensure_dispatcher()
        self._wake.set()
        await granted

    def pause(self, seconds: float) -> None:
        """Hold every send for `seconds` (Telegram's retry_after)."""
        budget = self._budget
        budget.paused_until = max(budget.paused_until, self._clock() + seconds)
        self._wake.set()

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def recent_rate(self) -> float:
        """Sends granted over the last second."""
        now = self._clock()
        return float(sum(1 for instant in self._budget.recent if now - instant <= 1.0))

    def _ensure_dispatcher(self) -> None:
        if self._dispatcher is None or self._dispatcher.done():
            self._dispatcher = asyncio.get_running_loop().create_task(self._dispatch())

    async def _dispatch(self) -> None:
        while True:
            self._wake.clear()
            delay = self._grant_due()
            if delay is None:
                await self._wake.wait()
            else:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), delay)

    def _grant_due(self) -> float | None:
        """Grant every send allowed now; return how long until the next might be (None:
        nobody is waiting)."""
        while True:
            self._waiting = [w for w in self._waiting if not w.granted.done()]
            if not self._waiting:
                return None
            now = self._clock()
            wait = self._overall_wait(now)
            if wait > 0:
                return wait
            waiter = self._first_free_chat(now)
            if waiter is None:
                return self._chat_wait(now)
            self._grant(waiter, now)

    def _overall_wait(self, now: float) -> float:
        budget = self._budget
        while budget.recent and now - budget.recent[0] >= self.window:
            budget.recent.popleft()
        waits = [budget.paused_until - now, budget.next_slot - now]
        if len(budget.recent) >= self.capacity:
            waits.append(budget.recent[0] + self.window - now)
        return max(waits)

    def _first_free_chat(self, now: float) -> _Waiter | None:
        free_at = self._budget.chat_free_at
        for waiter in self._waiting:  # sorted: replies first, then oldest first
            if not waiter.waits_for_chat or free_at.get(waiter.chat or 0, 0.0) <= now:
                return waiter
        return None

    def _chat_wait(self, now: float) -> float:
        free_at = self._budget.chat_free_at
        times = [free_at.get(w.chat or 0, 0.0) for w in self._waiting if w.waits_for_chat]
        return max(min(times, default=now) - now, 0.001)

    def _grant(self, waiter: _Waiter, now: float) -> None:
        budget = self._budget
        # Evenly spaced slots. A wake-up up to one slot late (the event loop was busy)
        # keeps the schedule instead of pushing every later slot back, which would lose
        # rate; the sliding window above still caps any second at `capacity`.
        start = budget.next_slot if now - budget.next_slot < self.interval / 4 else now
        budget.next_slot = start + self.interval
        budget.recent.append(now)
        if waiter.chat is not None:
            budget.chat_free_at[waiter.chat] = now + self.per_chat
            if len(budget.chat_free_at) > 4 * self.capacity + 1000:
                self._forget_idle_chats(now)
        self._waiting.remove(waiter)
        waiter.granted.set_result(None)

    def _forget_idle_chats(self, now: float) -> None:
        free_at = self._budget.chat_free_at
        for chat in [chat for chat, instant in free_at.items() if instant <= now]:
            del free_at[chat]


def retry_after_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():
        # PTB 22 returns int seconds unless PTB_TIMEDELTA is set, with a warning.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: int | timedelta = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
