"""Logging in words: each fact stored once, dated today, confirmed exactly as stored."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.store import repo
from bot.texts import problems
from coach.decision import day_label
from tests.bot.factories import onboard
from tests.bot.harness import ANA, BotHarness

WEDNESDAY, THURSDAY = 2, 3  # in the default plan's 2nd week: quality day (target 6), rest day


async def move_to_next(h: BotHarness, weekday: int) -> date:
    """10:00 UTC on the next `weekday`: no scheduled message is due around then."""
    day = h.clock.now().date() + timedelta(days=1)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    await h.move_to(datetime.combine(day, time(10, 0), tzinfo=UTC))
    monday = day - timedelta(days=day.weekday())
    onboard(h.runtime, ANA, start=monday - timedelta(days=7), onboarded_at=h.clock.now())
    return day


def stored(h: BotHarness) -> list[tuple[str | None, dict[str, Any]]]:
    with h.runtime.sessions() as session:
        athlete = repo.get_athlete_by_telegram_id(session, ANA)
        assert athlete is not None and athlete.id is not None
        return [(e.dedupe_key, dict(e.payload)) for e in repo.events_for(session, athlete.id)]


async def say(h: BotHarness, text: str) -> str:
    reply = await h.say(ANA, text)
    assert reply is not None
    return reply.plain_text


@pytest.mark.parametrize(
    ("text", "key", "event", "confirmation"),
    [
        (
            "ran 8k in 42 min rpe 6",
            "checkin:{day}:run",
            {"type": "run", "duration_min": 42, "distance_m": 8000, "rpe": 6},
            "Run: 42 min · 8 km · RPE 6",
        ),
        ("rhr 52", "rhr:{day}", {"type": "rhr", "bpm": 52}, "Resting HR 52"),
        ("slept 6h", "wellness:{day}", {"type": "wellness", "sleep_h": 6}, "sleep 6 h"),
        ("legs sore", "wellness:{day}", {"type": "wellness", "soreness": 4}, "soreness 4/5"),
        (
            "cycled 40 min rpe 3",
            None,
            {"type": "cross", "sport": "cycling", "duration_min": 40, "rpe": 3},
            "Cycling: 40 min · RPE 3",
        ),
    ],
)
async def test_each_kind_of_fact(
    tmp_path: Path, text: str, key: str | None, event: dict[str, Any], confirmation: str
) -> None:
    async with BotHarness.started(tmp_path) as h:
        today = await move_to_next(h, WEDNESDAY)
        reply = await say(h, text)
        day = today.isoformat()
        expected_key = None if key is None else key.format(day=day)
        assert stored(h) == [(expected_key, {**event, "date": day})]
        assert reply.startswith(f"Logged for {day_label(today)}:") and confirmation in reply


async def test_a_run_on_a_planned_day_is_compared_with_its_target(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        await move_to_next(h, WEDNESDAY)
        assert "target RPE of 6" in await say(h, "ran 8k in 40 min")
        asked = await say(h, "ran 8k in 42 min rpe 6")
        assert "already has a run: Run: 40 min · 8 km" in asked
        assert "rpe" not in stored(h)[0][1]  # nothing changes until the runner answers
        await h.tap(ANA, "A correction")  # the same run, corrected
        reply = h.last(ANA).plain_text
        assert "6 against a target of 6: right where we want it" in reply
        assert len(stored(h)) == 1


async def test_a_combined_message(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        today = await move_to_next(h, WEDNESDAY)
        day = today.isoformat()
        reply = await say(h, "ran 8k in 42 min rpe 6, rhr 52, slept 6h, legs sore")
        assert stored(h) == [
            (
                f"checkin:{day}:run",
                {"type": "run", "date": day, "duration_min": 42, "distance_m": 8000, "rpe": 6},
            ),
            (f"rhr:{day}", {"type": "rhr", "date": day, "bpm": 52}),
            (f"wellness:{day}", {"type": "wellness", "date": day, "sleep_h": 6, "soreness": 4}),
        ]
        lines = reply.splitlines()
        assert lines[1:4] == [
            "• Run: 42 min · 8 km · RPE 6",
            "• Resting HR 52",
            "• How you feel: sleep 6 h · soreness 4/5",
        ]


async def test_later_messages_update_the_days_facts_rather_than_double_them(
    tmp_path: Path,
) -> None:
    async with BotHarness.started(tmp_path) as h:
        today = await move_to_next(h, WEDNESDAY)
        day = today.isoformat()
        await h.say(ANA, "/checkin")
        await h.tap(ANA, "Done")
        await h.tap(ANA, "7")
        await h.tap(ANA, "8")
        await h.say(ANA, "/cancel")

        await say(h, "ran 8k in 42 min")
        await h.tap(ANA, "A correction")
        await say(h, "slept 6h")
        await say(h, "legs sore")
        await say(h, "rhr 52")
        await say(h, "rhr 50")  # a correction
        assert stored(h) == [
            (
                f"checkin:{day}:run",
                {
                    "type": "run",
                    "date": day,
                    "duration_min": 42,
                    "distance_m": 8000,
                    "rpe": 7,
                    "quality": 8,
                },
            ),
            (f"wellness:{day}", {"type": "wellness", "date": day, "sleep_h": 6, "soreness": 4}),
            (f"rhr:{day}", {"type": "rhr", "date": day, "bpm": 50}),
        ]


async def test_a_run_on_a_rest_day_is_its_own_fact(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        today = await move_to_next(h, THURSDAY)
        day = today.isoformat()
        reply = await say(h, "ran 5k in 30 min")
        assert "target" not in reply
        reply = await say(h, "ran 3k")
        assert reply.startswith("How long was that run?")
        assert stored(h) == [
            (
                f"checkin:{day}:run",
                {"type": "run", "date": day, "duration_min": 30, "distance_m": 5000},
            )
        ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("rhr 300", "between 25 and 120"),
        ("rhr 20", "between 25 and 120"),
        ("ran 8k in 42 min rpe 11, rhr 52", "Effort (RPE) is one number"),
        ("rhr 52, ran 20k in 30 min", "per km"),
        ("rpe 6", "Which session was that effort for?"),
    ],
)
async def test_anything_out_of_range_stores_nothing(
    tmp_path: Path, text: str, problem: str
) -> None:
    async with BotHarness.started(tmp_path) as h:
        await move_to_next(h, WEDNESDAY)
        assert problem in await say(h, text)
        assert stored(h) == []


async def test_gibberish_gets_the_hint(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        await move_to_next(h, WEDNESDAY)
        reply = await h.say(ANA, "blorp wibble")
        assert reply is not None and reply.text == problems.FREE_TEXT_HINT
        assert stored(h) == []


async def test_yesterday_is_logged_on_yesterday(tmp_path: Path) -> None:
    from datetime import UTC, date, datetime

    from bot.store import repo

    async with BotHarness.started(tmp_path, start_at=datetime(2026, 12, 2, 8, 0, tzinfo=UTC)) as h:
        h.onboard(ANA, start=date(2026, 11, 23))
        await h.say(ANA, "ran 8k yesterday in 40 min")
        with h.runtime.sessions() as session:
            athlete = repo.get_athlete_by_telegram_id(session, ANA)
            assert athlete is not None and athlete.id is not None
            runs = [e.payload for e in repo.events_for(session, athlete.id)]
        assert [r["date"] for r in runs] == ["2026-12-01"]
