from __future__ import annotations

from pathlib import Path

from tests.bot.harness import ANA, BotHarness


async def test_help_over_the_emulator(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        reply = await h.say(ANA, "/help")
        assert reply is not None and "/week" in reply.plain_text
        menus = list(h.emulator.commands.values())
        assert len(menus) == 1
        assert {"deload", "week", "checkin", "help"} <= {c["command"] for c in menus[0]}
