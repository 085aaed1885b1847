"""Scheduled messages through the real tick: the morning session and the weekly review."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest

from bot import coaching, replay_cache
from bot.store import repo
from coach.history import Pause
from tests.bot.harness import ANA, BotHarness

# Tuesday 1 Dec 2026 04:00 UTC = 05:00 in Berlin, before Ana's 07:00 morning message.
EARLY_TUESDAY = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)
PLAN_START = date(2026, 11, 23)
T = TypeVar("T")


async def test_the_morning_message_arrives_once_at_the_local_time(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=EARLY_TUESDAY) as h:
        h.onboard(
            ANA,
            start=PLAN_START,
            morning=time(7, 0),
            onboarded_at=EARLY_TUESDAY,  # set up just now: Monday is not owed a check-in
        )
        await h.tick()
        assert h.emulator.bot_messages(ANA) == []  # 05:00 in Berlin: too early
        await h.advance(timedelta(hours=2, minutes=1))  # 07:01 Berlin
        await h.tick()
        await h.tick()  # a second tick (or a second process) sends nothing more
        messages = h.emulator.bot_messages(ANA)
        assert len(messages) == 1
        text = messages[0].plain_text
        assert text.startswith("Good morning, Ana!")
        assert "Today: Rest or active recovery" in text  # Tuesday is not a run day
        assert "resting heart rate" in text
        # No baseline yet: the first readings are typed, not tapped on guessed buttons.
        assert not any(b["callback_data"].startswith("rhr:") for b in messages[0].buttons)


async def test_no_morning_message_before_the_plan_starts_or_while_paused(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=EARLY_TUESDAY) as h:
        h.onboard(ANA, start=date(2026, 12, 7), onboarded_at=EARLY_TUESDAY - timedelta(days=1))
        athlete = h.onboard(1003, start=PLAN_START, onboarded_at=EARLY_TUESDAY - timedelta(days=1))
        with h.runtime.sessions() as session, session.begin():
            coaching.record(
                session,
                athlete,
                Pause(date(2026, 11, 30), None, "illness"),
                today=date(2026, 12, 1),
            )
        await h.advance(timedelta(hours=3))
        await h.tick()
        assert h.emulator.bot_messages(ANA) == []
        assert h.emulator.bot_messages(1003) == []


async def test_the_weekly_review_explains_next_week(tmp_path: Path) -> None:
    sunday_evening = datetime(2026, 12, 6, 20, 0, tzinfo=UTC)  # 21:00 Berlin, after 19:00+2h
    async with BotHarness.started(tmp_path, start_at=sunday_evening) as h:
        h.onboard(
            ANA,
            start=PLAN_START,
            checkin=time(19, 0),
            onboarded_at=sunday_evening - timedelta(days=3),
        )
        await h.tick()
        reviews = [m for m in h.emulator.bot_messages(ANA) if "week in review" in m.plain_text]
        assert len(reviews) == 1
        text = reviews[0].plain_text
        assert "Next week: hold" in text
        assert "didn't hear how" in text  # the reason quotes the unreported session
        assert "min in all" in text


async def test_the_morning_message_is_todays_view_built_from_one_load_and_one_replay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with BotHarness.started(tmp_path, start_at=EARLY_TUESDAY) as h:
        # Set up last week: Monday's run was planned and never answered.
        h.onboard(ANA, start=PLAN_START, onboarded_at=EARLY_TUESDAY - timedelta(days=3))
        counts: Counter[str] = Counter()

        def counted(label: str, function: Callable[..., T]) -> Callable[..., T]:
            def wrapper(*args: Any, **kwargs: Any) -> T:
                counts[label] += 1
                return function(*args, **kwargs)

            return wrapper

        monkeypatch.setattr(repo, "event_marks_for", counted("loads", repo.event_marks_for))
        monkeypatch.setattr(replay_cache, "replay", counted("replays", replay_cache.replay))
        await h.advance(timedelta(hours=3, minutes=1))  # 07:01 in Berlin
        await h.tick()
        assert counts == {"loads": 1, "replays": 1}

        morning = h.last(ANA).plain_text
        assert "How did Mon 30 Nov's" in morning  # yesterday's check-in, asked once
        today = await h.say(ANA, "/today")
        assert today is not None
        assert morning.startswith(f"Good morning, Ana!\n\n{today.plain_text}\n\n")
        morning_buttons = [b["callback_data"] for b in h.emulator.bot_messages(ANA)[0].buttons]
        today_buttons = [b["callback_data"] for b in today.buttons]
        assert morning_buttons[: len(today_buttons)] == today_buttons  # the same RHR taps
        assert any(data.startswith("ci:") for data in morning_buttons[len(today_buttons) :])


async def test_on_the_day_a_pause_ends_the_runner_is_asked_how_they_feel(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=EARLY_TUESDAY) as h:
        athlete = h.onboard(ANA, start=PLAN_START, onboarded_at=EARLY_TUESDAY - timedelta(days=9))
        other = h.onboard(1004, start=PLAN_START, onboarded_at=EARLY_TUESDAY - timedelta(days=9))
        with h.runtime.sessions() as session, session.begin():
            for runner in (athlete, other):  # eight days ill, Monday 23 Nov to Tuesday 1 Dec
                coaching.record(
                    session,
                    runner,
                    Pause(date(2026, 11, 23), date(2026, 12, 1), "illness"),
                    today=date(2026, 11, 23),
                )
        await h.say(1004, "/resume")  # this one came back early: nothing to ask
        before = len(h.emulator.bot_messages(1004))
        await h.advance(timedelta(hours=3, minutes=1))  # 08:01 in Berlin
        await h.tick()
        await h.tick()  # once only
        (message,) = h.emulator.bot_messages(ANA)
        assert "How are you feeling?" in message.plain_text
        assert "/resume" in message.plain_text
        assert not any(
            "How are you feeling?" in m.plain_text for m in h.emulator.bot_messages(1004)[before:]
        )
        await h.advance(timedelta(days=1))  # the pause is over: the plan's morning message
        await h.tick()
        assert len(h.emulator.bot_messages(ANA)) == 2
        assert "Good morning, Ana!" in h.emulator.bot_messages(ANA)[1].plain_text
