"""How often one update loads the runner's events and replays their plan.

Drives the real bot on the local emulator (as the tests do) and counts calls to
`bot.store.repo.event_summary` (one events load; `event_marks_for` when it reads every
row's mark) and `coach.replay.replay` (one replay, cold or resumed from a checkpoint) during
updates: a free-text log, a tap on a check-in button, /week, /today, and the morning
message (rendered and sent by one tick). Counts, not timings: the figures are the same on
any machine.

Before the journal the morning message loaded the events twice and replayed twice (once for
the session, once more for yesterday's check-in note); built from one journal, as /today
is, it does each once.

    python bench/journal_counts.py
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import coach.replay
from bot.store import repo
from tests.bot.harness import ANA, BotHarness

# A load starts with the events' summary; every row's mark is read only when the rows parsed
# last time can't be vouched for (the first update of a runner, or a row gone).
COUNTED = {
    "events loads": (repo, "event_summary"),
    "full reads": (repo, "event_marks_for"),
    "replays": (coach.replay, "replay"),
}


@contextmanager
def counting() -> Iterator[Counter[str]]:
    """Wrap each counted function wherever a module imported it by name."""
    counts: Counter[str] = Counter()
    undo: list[tuple[object, str, object]] = []
    for label, (home, name) in COUNTED.items():
        original = getattr(home, name)

        def counted(*args: Any, _label: str = label, _f: Any = original, **kw: Any) -> Any:
            counts[_label] += 1
            return _f(*args, **kw)

        for module in list(sys.modules.values()):
            if module is None or not getattr(module, "__name__", "").startswith(("bot", "coach")):
                continue
            for attr, value in list(vars(module).items()):
                if value is original:
                    undo.append((module, attr, value))
                    setattr(module, attr, counted)
    try:
        yield counts
    finally:
        for module, attr, value in undo:
            setattr(module, attr, value)


async def measure(label: str, action: Callable[[], Awaitable[Any]]) -> None:
    with counting() as counts:
        await action()
    print(f"{label:<22} {counts['events loads']:>3} events loads {counts['replays']:>3} replays")


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        wednesday = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)  # the plan's 3rd week
        async with BotHarness.started(Path(tmp), start_at=wednesday) as h:
            h.onboard(ANA, start=wednesday.date() - timedelta(days=16), time_zone="UTC")
            await measure("text log", lambda: h.say(ANA, "ran 8k in 42 min rpe 6"))
            await h.say(ANA, "/checkin")
            await measure("tap (check-in)", lambda: h.tap(ANA, "7"))
            await measure("/week", lambda: h.say(ANA, "/week"))
            await measure("/today", lambda: h.say(ANA, "/today"))
            await h.move_to(datetime.combine(wednesday.date() + timedelta(days=1), time(7, 1), UTC))
            await measure("morning message", h.tick)


if __name__ == "__main__":
    asyncio.run(main())
