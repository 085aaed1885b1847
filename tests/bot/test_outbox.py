"""Scheduled messages through the real tick: the morning session and the weekly review."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from bot import coaching
from coach.history import Pause
from tests.bot.harness import ANA, BotHarness

# Tuesday 1 Dec 2026 04:00 UTC = 05:00 in Berlin, before Ana's 07:00 morning message.
EARLY_TUESDAY = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)
PLAN_START = date(2026, 11, 23)


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
        assert any(b["callback_data"].startswith("rhr:") for b in messages[0].buttons)


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
