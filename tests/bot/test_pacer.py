"""The pacer: overall and per-chat limits, replies before broadcast, a 429 pausing all.

Assertions are about order and minimum spacing (the pacer never lets a send go early),
never about how fast something happened.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.pacer import Pacer, Priority

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


class Recorder:
    """A fake Bot API call: records (chat, monotonic time) and can raise queued errors."""

    def __init__(self, *errors: Exception | None) -> None:
        self.calls: list[tuple[Any, float]] = []
        self.errors = list(errors)

    def callback(self, chat: Any) -> Any:
        async def call() -> bool:
            self.calls.append((chat, time.monotonic()))
            error = self.errors.pop(0) if self.errors else None
            if error is not None:
                raise error
            return True

        return call


async def send(
    pacer: Pacer,
    recorder: Recorder,
    chat: Any,
    priority: Priority | None = None,
    endpoint: str = "sendMessage",
) -> Any:
    return await pacer.process_request(
        recorder.callback(chat), (), {}, endpoint, {"chat_id": chat}, priority
    )


def most_in_any_window(times: list[float], window: float) -> int:
    return max(sum(1 for t in times if start <= t < start + window) for start in times)


async def test_overall_rate_is_never_exceeded() -> None:
    pacer, recorder = Pacer(rate=20), Recorder()
    await asyncio.gather(*(send(pacer, recorder, chat) for chat in range(50)))
    times = [t for _, t in recorder.calls]
    assert len(times) == 50
    assert most_in_any_window(times, 1.0) <= 20
    # Evenly spaced, not bursts: no two sends closer than most of one interval.
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.8 / 20
    await pacer.shutdown()


async def test_one_scheduled_message_per_chat_per_interval() -> None:
    pacer, recorder = Pacer(rate=100, per_chat=0.3), Recorder()
    broadcast = Priority.BROADCAST
    await asyncio.gather(
        *(send(pacer, recorder, 7, broadcast) for _ in range(3)),
        *(send(pacer, recorder, 8, broadcast) for _ in range(3)),
    )
    for chat in (7, 8):
        times = [t for c, t in recorder.calls if c == chat]
        assert len(times) == 3
        assert all(b - a >= 0.3 for a, b in itertools.pairwise(times))
    # The two chats were interleaved, not served one after the other.
    assert [c for c, _ in recorder.calls][:2] in ([7, 8], [8, 7])
    await pacer.shutdown()


async def test_a_reply_goes_before_queued_broadcast() -> None:
    pacer, recorder = Pacer(rate=10), Recorder()
    broadcast = [
        asyncio.create_task(send(pacer, recorder, chat, Priority.BROADCAST)) for chat in range(20)
    ]
    await asyncio.sleep(0.25)  # a few broadcast messages have gone, most are waiting
    sent_before = len(recorder.calls)
    assert sent_before < 10
    await send(pacer, recorder, "runner")  # default priority: a reply
    order = [chat for chat, _ in recorder.calls]
    assert order.index("runner") <= sent_before + 1  # the next slot, or the one after
    await asyncio.gather(*broadcast)
    assert len(recorder.calls) == 21
    await pacer.shutdown()


async def test_a_429_pauses_every_send_then_a_reply_is_retried() -> None:
    pacer = Pacer(rate=50)
    recorder = Recorder(RetryAfter(1))
    with pytest.raises(RetryAfter):
        await send(pacer, recorder, 1, Priority.BROADCAST)  # broadcast: back to the outbox
    paused_at = recorder.calls[0][1]
    reply = asyncio.create_task(send(pacer, recorder, 2))
    other = asyncio.create_task(send(pacer, recorder, 3, Priority.BROADCAST))
    assert await reply is True
    assert await other is True
    later = [t for _, t in recorder.calls[1:]]
    assert all(t - paused_at >= 1.0 for t in later)
    await pacer.shutdown()


async def test_a_reply_hit_by_429_is_sent_after_the_pause() -> None:
    pacer = Pacer(rate=50)
    recorder = Recorder(RetryAfter(1))
    assert await send(pacer, recorder, 5) is True
    (first, _), (second, _) = recorder.calls
    assert first == second == 5
    assert recorder.calls[1][1] - recorder.calls[0][1] >= 1.0
    await pacer.shutdown()


async def test_calls_that_send_nothing_are_not_paced() -> None:
    pacer, recorder = Pacer(rate=50), Recorder()
    pacer.pause(30)
    result = await asyncio.wait_for(
        send(pacer, recorder, 1, endpoint="answerCallbackQuery"), timeout=5
    )
    assert result is True
    assert pacer.waiting == 0
    await pacer.shutdown()


async def test_a_scheduled_message_waits_after_a_reply_in_its_chat() -> None:
    pacer, recorder = Pacer(rate=100, per_chat=0.5), Recorder()
    await send(pacer, recorder, 9)  # a reply
    await send(pacer, recorder, 9)  # another reply right after: not held back per chat
    await send(pacer, recorder, 9, Priority.BROADCAST)
    (_, first), (_, second), (_, scheduled) = recorder.calls
    assert second - first < 0.5
    assert scheduled - second >= 0.5
    await pacer.shutdown()


async def test_edits_use_the_overall_budget_but_not_the_chat_one() -> None:
    pacer, recorder = Pacer(rate=100, per_chat=5.0), Recorder()
    await send(pacer, recorder, 9, Priority.BROADCAST)
    # A second scheduled message to chat 9 would wait 5 s; an edit in chat 9 does not.
    await asyncio.wait_for(
        send(pacer, recorder, 9, Priority.BROADCAST, endpoint="editMessageText"), timeout=2
    )
    assert len(recorder.calls) == 2
    await pacer.shutdown()
