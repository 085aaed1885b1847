"""`python -m bot` in polling mode: what it loads before the first update, and the collector.

Each check runs in a fresh interpreter, since this test process has imported everything.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The webhook's server and the outbox's HTTP client: loaded when first used.
LATER = ("aiohttp", "bot.webhook")


def run(code: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return result.stdout.split()


def test_the_entry_point_leaves_aiohttp_and_the_webhook_for_later() -> None:
    loaded = run("import sys, bot.__main__\nprint('\\n'.join(sys.modules))")
    assert "bot.app" in loaded  # the check below looked at a loaded bot
    assert [name for name in LATER if name in loaded] == []


def test_the_outbox_sender_loads_aiohttp_when_it_first_sends() -> None:
    code = (
        "import asyncio, sys\n"
        "from bot.direct_send import AiohttpRequest\n"
        "print('before', 'aiohttp' in sys.modules)\n"
        "request = AiohttpRequest(1)\n"
        "async def once():\n"
        "    await request.initialize()\n"
        "    await request.shutdown()\n"
        "asyncio.run(once())\n"
        "print('after', 'aiohttp' in sys.modules)\n"
    )
    assert run(code) == ["before", "False", "after", "True"]


def test_imports_run_without_the_collector_until_start_up_is_done() -> None:
    code = (
        "import gc, bot.__main__\n"
        "print(gc.isenabled())\n"
        "from bot.app import freeze_startup_objects\n"
        "freeze_startup_objects()\n"
        "print(gc.isenabled())\n"
        "gc.unfreeze()\n"
    )
    assert run(code) == ["False", "True"]
