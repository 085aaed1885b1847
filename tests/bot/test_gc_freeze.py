"""Start-up's objects are frozen out of the garbage collector's sight once the bot is up."""

from __future__ import annotations

import gc
from pathlib import Path

from tests.bot.harness import ANA, BotHarness


async def test_the_running_bot_has_frozen_its_start_up_objects(tmp_path: Path) -> None:
    gc.unfreeze()
    async with BotHarness.started(tmp_path) as h:
        # Everything this test process had loaded, the bot's modules among them.
        assert gc.get_freeze_count() > 10_000
        reply = await h.say(ANA, "/help")  # and the bot still answers
        assert reply is not None and "/week" in reply.plain_text
    assert gc.get_freeze_count() == 0  # stopping it thaws them, for the next test's bot


async def test_a_start_up_with_the_collector_off_turns_it_back_on(tmp_path: Path) -> None:
    gc.disable()
    try:
        async with BotHarness.started(tmp_path):
            assert gc.isenabled()
    finally:
        gc.enable()
