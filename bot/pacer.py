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
CATCH_UP_S = 0.02

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
    def is_waiting(self) -> bool:
        return not self.granted.done()


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
        # How late a wake-up may be and still keep the schedule: a quarter of a slot, or
        # 20 ms where slots are shorter than 5 ms (above ~200/s), since one turn of a busy
        # event loop then spans several slots. At Telegram's 30/s catching up more packs
        # sends against the one-second window and draws 429s (11 in a 10,000 run at 20 ms).
        quarter_slot = self.interval / 4
        self.catch_up = max(quarter_slot, CATCH_UP_S) if self.interval < 0.005 else quarter_slot
        self._clock = clock
        self._budget = _Budget()
        self._replies: deque[_Waiter] = deque()
        self._broadcasts: deque[_Waiter] = deque()
        self._order = itertools.count()
        self._timer: asyncio.TimerHandle | None = None

    # --- PTB's rate limiter interface ------------------------------------------------------

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        self._cancel_timer()

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
        waiter = _Waiter(priority, next(self._order), chat, granted)
        # Two first-in-first-out queues are the (priority, arrival) order without sorting.
        (self._replies if priority is Priority.REPLY else self._broadcasts).append(waiter)
        self._grant_due()
        await granted

    def pause(self, seconds: float) -> None:
        """Hold every send for `seconds` (Telegram's retry_after)."""
        budget = self._budget
        budget.paused_until = max(budget.paused_until, self._clock() + seconds)
        self._grant_due()

    @property
    def waiting(self) -> int:
        return sum(1 for w in itertools.chain(self._replies, self._broadcasts) if w.is_waiting)

    def recent_rate(self) -> float:
        """Sends granted over the last second."""
        now = self._clock()
        return float(sum(1 for instant in self._budget.recent if now - instant <= 1.0))

    def _grant_due(self) -> None:
        """Grant every send allowed now; if someone is left waiting, come back when the
        next might be allowed. Runs on every acquire and on one timer, never in a task of
        its own: at 1,000 sends a second a task switch per grant was the pacer's cost."""
        while True:
            self._drop_abandoned()
            if not self._replies and not self._broadcasts:
                self._cancel_timer()
                return
            now = self._clock()
            wait = self._overall_wait(now)
            if wait > 0:
                self._wake_in(wait)
                return
            waiter = self._first_free_chat(now)
            if waiter is None:
                self._wake_in(self._chat_wait(now))
                return
            self._grant(waiter, now)

    def _drop_abandoned(self) -> None:
        # A caller cancelled while waiting (say, at shutdown) holds no place.
        for queue in (self._replies, self._broadcasts):
            while queue and not queue[0].is_waiting:
                queue.popleft()

    def _wake_in(self, delay: float) -> None:
        loop = asyncio.get_running_loop()
        at = loop.time() + delay
        if self._timer is not None:
            if self._timer.when() <= at:
                return  # an earlier wake-up is already set; it will look again
            self._timer.cancel()
        self._timer = loop.call_at(at, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        self._grant_due()

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _overall_wait(self, now: float) -> float:
        budget = self._budget
        while budget.recent and now - budget.recent[0] >= self.window:
            budget.recent.popleft()
        waits = [budget.paused_until - now, budget.next_slot - now]
        if len(budget.recent) >= self.capacity:
            waits.append(budget.recent[0] + self.window - now)
        return max(waits)

    def _first_free_chat(self, now: float) -> _Waiter | None:
        for reply in self._replies:  # replies never wait for their chat
            if reply.is_waiting:
                return reply
        free_at = self._budget.chat_free_at
        for waiter in self._broadcasts:  # oldest first
            if waiter.is_waiting and free_at.get(waiter.chat or 0, 0.0) <= now:
                return waiter
        return None

    def _chat_wait(self, now: float) -> float:
        free_at = self._budget.chat_free_at
        times = [free_at.get(w.chat or 0, 0.0) for w in self._broadcasts if w.is_waiting]
        return max(min(times, default=now) - now, 0.001)

    def _grant(self, waiter: _Waiter, now: float) -> None:
        budget = self._budget
        # Evenly spaced slots. A wake-up late by up to `catch_up` (the event loop was busy)
        # keeps the schedule, granting the missed slots at once, instead of pushing every
        # later slot back, which would lose rate (at 1,000/s a slot is 1 ms, less than one
        # turn of a busy event loop); the sliding window above still caps any window at
        # `capacity`.
        start = budget.next_slot if now - budget.next_slot < self.catch_up else now
        budget.next_slot = start + self.interval
        budget.recent.append(now)
        if waiter.chat is not None:
            budget.chat_free_at[waiter.chat] = now + self.per_chat
            if len(budget.chat_free_at) > 4 * self.capacity + 1000:
                self._forget_idle_chats(now)
        queue = self._replies if waiter.priority is Priority.REPLY else self._broadcasts
        queue.remove(waiter)
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
