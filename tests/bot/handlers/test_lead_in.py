"""Start now, bot side: a new runner starts tomorrow in a short lead-in week (the coach's
`lead_in`), and every view names that week without a week number."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from bot.store import repo
from coach.history import profile_from_dict
from emulator.models import MessageRecord
from tests.bot.harness import ANA, BotHarness

# Tuesday 8 Dec 2026, 11:00 in Berlin; and Sunday 6 Dec, the day before a Monday.
TUESDAY = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)
SUNDAY = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)


async def onboard_by_chat(h: BotHarness, race: str = "5k 22:30") -> str:
    """Wednesday quality, Saturday long run, 180 min a week; returns the welcome."""
    for text in ("/start", race, "mon wed fri sat"):
        await h.say(ANA, text)
    for label in ("Wed", "Sat"):
        await h.tap(ANA, label)
    await h.say(ANA, "180")
    for label in ("07:00", "19:00"):
        await h.tap(ANA, label)
    await h.say(ANA, "Berlin")
    for label in ("km", "No goal", "Confirm"):
        await h.tap(ANA, label)
    return h.last(ANA).plain_text


def start_date(h: BotHarness) -> date:
    with h.runtime.sessions() as session:
        athlete = repo.get_athlete_by_telegram_id(session, ANA)
        assert athlete is not None and athlete.profile is not None
        return profile_from_dict(athlete.profile).start_date


def mornings(h: BotHarness) -> list[MessageRecord]:
    return [m for m in h.emulator.bot_messages(ANA) if "Good morning" in m.plain_text]


async def test_a_tuesday_signup_runs_on_wednesday_in_a_lead_in_week(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=TUESDAY) as h:
        welcome = await onboard_by_chat(h)
        assert "all set" in welcome
        assert "Your first run is tomorrow, an easy 45 min" in welcome
        assert "your first full week starts Monday 14 December" in welcome
        assert start_date(h) == date(2026, 12, 9)

        # Tuesday: nothing planned yet, so no morning message and /today says when.
        today = await h.say(ANA, "/today")
        assert today is not None and "starts on Wed 9 Dec" in today.plain_text
        assert mornings(h) == []

        # Wednesday 07:01 in Berlin: the first morning message, the easy run.
        await h.move_to(datetime(2026, 12, 9, 6, 1, tzinfo=UTC))
        await h.tick()
        assert len(mornings(h)) == 1
        assert "Easy run" in mornings(h)[0].plain_text

        week = await h.say(ANA, "/week")
        assert week is not None
        assert "Lead-in week" in week.plain_text and "Week 0" not in week.plain_text
        assert "Decision: start" in week.plain_text and "short first week" in week.plain_text

        today = await h.say(ANA, "/today")
        assert today is not None and "Easy run" in today.plain_text

        # Wednesday 19:01: the check-in asks about the easy run, and logs it.
        await h.move_to(datetime(2026, 12, 9, 18, 1, tzinfo=UTC))
        await h.tick()
        checkin = [m for m in h.emulator.bot_messages(ANA) if "Check-in · " in m.plain_text]
        assert len(checkin) == 1 and "Planned: Easy run" in checkin[0].plain_text

        # Sunday evening: the weekly review of the lead-in week, then week 1 on Monday.
        await h.move_to(datetime(2026, 12, 13, 21, 0, tzinfo=UTC))
        await h.tick()
        reviews = [m for m in h.emulator.bot_messages(ANA) if "week in review" in m.plain_text]
        assert len(reviews) == 1 and "Week 0" not in reviews[0].plain_text
        await h.move_to(datetime(2026, 12, 14, 7, 0, tzinfo=UTC))
        week = await h.say(ANA, "/week")
        assert week is not None and "Week 1" in week.plain_text
    assert not h.emulator.violations


async def test_a_sunday_signup_starts_on_monday_as_before(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=SUNDAY) as h:
        welcome = await onboard_by_chat(h)
        assert "Monday 7 December" in welcome and "Your first run" not in welcome
        assert start_date(h) == date(2026, 12, 7)
        week = await h.say(ANA, "/week")
        assert week is not None and "Lead-in week" not in week.plain_text


async def test_no_result_makes_the_first_run_the_time_trial_when_it_falls_tomorrow(
    tmp_path: Path,
) -> None:
    async with BotHarness.started(tmp_path, start_at=TUESDAY) as h:
        welcome = await onboard_by_chat(h, race="no")
        assert "Your first run is tomorrow, the 5K time trial" in welcome
