"""Fixtures: a fresh emulator per test and a real PTB Bot pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from emulator import BotApiEmulator, BotApiSpec

TOKEN = "123:TEST"


@pytest.fixture(scope="session")
def spec() -> BotApiSpec:
    return BotApiSpec.load()


@pytest.fixture
async def emu(spec: BotApiSpec) -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(spec) as emulator:
        yield emulator


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(token=TOKEN, base_url=emu.base_url, base_file_url=emu.base_file_url) as bot:
        yield bot
