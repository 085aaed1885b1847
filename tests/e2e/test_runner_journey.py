"""A runner's first days with Ramp, end to end: the real bot, the local Bot API emulator
over loopback HTTP, a clock that moves. Every request the bot sends is checked against
the Bot API spec by the emulator; the harness fails the test on any violation."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.store import repo
from emulator.models import MessageRecord
from tests.bot.harness import ANA, BotHarness

pytestmark = pytest.mark.e2e

# Sunday 6 Dec 2026, 11:00 in Berlin: Ana sets up the day before her plan starts.
SUNDAY_MORNING = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)


def stored(h: BotHarness) -> list[dict[str, object]]:
    with h.runtime.sessions() as session:
        athlete = repo.get_athlete_by_telegram_id(session, ANA)
        assert athlete is not None and athlete.id is not None
        return [e.payload for e in repo.events_for(session, athlete.id)]


def message_with(h: BotHarness, words: str) -> MessageRecord:
    found = [m for m in h.emulator.bot_messages(ANA) if words in m.plain_text]
    assert found, f"no message with {words!r}"
    return found[-1]


async def onboard_by_chat(h: BotHarness) -> None:
    await h.say(ANA, "/start")
    await h.say(ANA, "5k 22:30")
    await h.say(ANA, "mon wed fri sat")
    await h.tap(ANA, "Wed")
    await h.tap(ANA, "Sat")
    await h.say(ANA, "180")
    await h.tap(ANA, "07:00")
    await h.tap(ANA, "19:00")
    await h.say(ANA, "Berlin")
    await h.tap(ANA, "km")
    await h.tap(ANA, "No goal")
    await h.tap(ANA, "Confirm")


async def test_a_runners_first_days(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=SUNDAY_MORNING) as h:
        # Onboarding, by buttons and typed answers.
        await onboard_by_chat(h)
        welcome = h.last(ANA).plain_text
        assert "all set" in welcome and "Monday 7 December" in welcome and "VDOT 43.4" in welcome

        # Monday 07:01 in Berlin: the morning message, once.
        await h.move_to(datetime(2026, 12, 7, 6, 1, tzinfo=UTC))
        await h.tick()
        await h.tick()
        mornings = [m for m in h.emulator.bot_messages(ANA) if "Good morning" in m.plain_text]
        assert len(mornings) == 1
        morning = mornings[0]
        assert "Easy run with strides" in morning.plain_text and "/km" in morning.plain_text
        assert not morning.inline_keyboard  # no baseline yet: the first reading is typed
        await h.say(ANA, "55")
        assert {"date": "2026-12-07", "type": "rhr", "bpm": 55} in stored(h)

        # Monday 19:01: the check-in, answered by taps, with a bot restart in the middle.
        await h.move_to(datetime(2026, 12, 7, 18, 1, tzinfo=UTC))
        await h.tick()
        checkin = message_with(h, "Check-in")
        count = len(h.emulator.bot_messages(ANA))
        await h.tap(ANA, "Done", checkin)
        await h.tap(ANA, "4", checkin)
        await h.restart()  # a deploy, or a crash, mid-check-in
        await h.tap(ANA, "7", checkin)
        await h.say(ANA, "40 min 7.5 km")
        await h.tap(ANA, "Skip", checkin)  # sleep and soreness are optional
        assert checkin.edited
        runs = [e for e in stored(h) if e["type"] == "run"]
        assert runs == [
            {
                "date": "2026-12-07",
                "type": "run",
                "duration_min": 40,
                "distance_m": 7500,
                "rpe": 4,
                "quality": 7,
            }
        ]
        # The check-in edited one message; only replies to typed answers are new messages.
        assert len(h.emulator.bot_messages(ANA)) <= count + 2

        # /week: marks, the decision and its reasons, next week's outline.
        week = await h.say(ANA, "/week")
        assert week is not None
        assert "✅ Mon 7 Dec" in week.plain_text and "Decision: start" in week.plain_text
        assert "Next week" in week.plain_text

        # /deload, confirmed: the rest of the week gets lighter, and /week says why.
        await h.move_to(datetime(2026, 12, 9, 7, 0, tzinfo=UTC))  # Wednesday 08:00
        await h.say(ANA, "/deload")
        await h.tap(ANA, "Yes")
        assert "What changed" in h.last(ANA).plain_text
        week = await h.say(ANA, "/week")
        assert week is not None and "You asked for a deload on Wed 9 Dec" in week.plain_text
        assert "Technique run" in week.plain_text

        # Free text is understood and logged.
        reply = await h.say(ANA, "rhr 51, slept 6.5h")
        assert reply is not None and "Resting HR 51" in reply.plain_text
        assert {"date": "2026-12-09", "type": "rhr", "bpm": 51} in stored(h)
        reply = await h.say(ANA, "blah blah")
        assert reply is not None and "ran 8k" in reply.plain_text  # the hint, with examples

    # Every method the bot called exists in the spec and every request was valid.
    assert not h.emulator.violations
    assert {r.method for r in h.emulator.requests} >= {
        "getMe",
        "getUpdates",
        "setMyCommands",
        "sendMessage",
        "editMessageText",
        "answerCallbackQuery",
    }
