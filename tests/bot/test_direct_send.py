"""The outbox's own sendMessage path against the emulator: what arrives, and Telegram's
errors as the exceptions the outbox records (bot/direct_send.py)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from telegram.error import BadRequest, Forbidden, RetryAfter

from bot.direct_send import DirectSender
from bot.pacer import Pacer, Priority
from emulator.server import BotApiEmulator

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

TOKEN = "123456:DIRECT-SEND-test-token-abcdefghij"
RUNNER = 4242
KEYBOARD = {"inline_keyboard": [[{"text": "52", "callback_data": "rhr:1:20261104:52"}]]}


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator() as running:
        running.register_user(RUNNER, "Ana")
        yield running


@pytest.fixture
async def sender(emulator: BotApiEmulator) -> AsyncIterator[DirectSender]:
    direct = DirectSender(f"{emulator.base_url}{TOKEN}", Pacer(30), connections=4)
    yield direct
    await direct.aclose()


async def send(sender: DirectSender, text: str = "<b>Today</b>: easy 40 min") -> int:
    sent = await sender.send_message(
        chat_id=RUNNER,
        text=text,
        parse_mode="HTML",
        reply_markup=None,
        allow_paid_broadcast=None,
        rate_limit_args=Priority.BROADCAST,
        api_kwargs={"reply_markup": json.dumps(KEYBOARD)},
    )
    return sent.message_id


async def test_the_message_arrives_with_its_keyboard_and_id(
    emulator: BotApiEmulator, sender: DirectSender
) -> None:
    message_id = await send(sender)
    (message,) = emulator.bot_messages(RUNNER)
    assert message.message_id == message_id
    assert message.plain_text == "Today: easy 40 min"
    assert [b["callback_data"] for b in message.buttons] == ["rhr:1:20261104:52"]


async def test_a_blocked_runner_is_forbidden(
    emulator: BotApiEmulator, sender: DirectSender
) -> None:
    emulator.block_user(RUNNER)
    with pytest.raises(Forbidden):
        await send(sender)


async def test_flood_control_is_a_retry_after(
    emulator: BotApiEmulator, sender: DirectSender
) -> None:
    emulator.fail_next("sendMessage", 429, retry_after=1)
    with pytest.raises(RetryAfter):
        await send(sender)
    assert emulator.bot_messages(RUNNER) == []


async def test_html_telegram_refuses_is_a_bad_request(sender: DirectSender) -> None:
    with pytest.raises(BadRequest):
        await send(sender, "<b>unclosed")
