"""/start over the emulator: the real bot, a scripted runner, the store checked directly."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot import coaching
from bot.store import repo
from bot.texts import common as common_texts
from bot.texts import problems
from coach.history import Profile, profile_from_dict
from emulator.models import MessageRecord
from tests.bot.factories import onboard
from tests.bot.harness import ANA, BotHarness

State = tuple[str, dict[str, Any]] | None


def stored_state(h: BotHarness) -> State:
    with h.runtime.sessions() as session:
        athlete = repo.get_athlete_by_telegram_id(session, ANA)
        assert athlete is not None and athlete.id is not None
        conversation = repo.get_conversation(session, athlete.id)
        return None if conversation is None else (conversation.step, dict(conversation.data))


def stored_profile(h: BotHarness) -> Profile | None:
    with h.runtime.sessions() as session:
        athlete = repo.get_athlete_by_telegram_id(session, ANA)
        assert athlete is not None
        return None if athlete.profile is None else profile_from_dict(athlete.profile)


def stored_settings(h: BotHarness) -> tuple[str, time, time, str]:
    with h.runtime.sessions() as session:
        athlete = repo.get_athlete_by_telegram_id(session, ANA)
        assert athlete is not None
        return athlete.time_zone, athlete.morning_time, athlete.checkin_time, athlete.units


def stored_events(h: BotHarness) -> list[dict[str, Any]]:
    with h.runtime.sessions() as session:
        athlete = repo.get_athlete_by_telegram_id(session, ANA)
        assert athlete is not None and athlete.id is not None
        return [dict(event.payload) for event in repo.events_for(session, athlete.id)]


def answer_of(h: BotHarness, query_id: str) -> str | None:
    return h.emulator.callback_queries[query_id].answer_text


def today(h: BotHarness) -> date:
    return h.clock.now().date()


def question(h: BotHarness) -> MessageRecord:
    """Our latest question with buttons (a morning message may arrive in between)."""
    for record in reversed(h.emulator.bot_messages(ANA)):
        if any(str(b.get("callback_data", "")).startswith("ob:") for b in record.buttons):
            return record
    raise AssertionError("no onboarding question with buttons")


async def tap(h: BotHarness, label: str) -> str:
    return await h.tap(ANA, label, message=question(h))


def summary_index(h: BotHarness, summary: MessageRecord) -> int:
    """Where the summary was; Confirm turns it into the welcome in place."""
    ids = [record.message_id for record in h.emulator.transcript(ANA)]
    return ids.index(summary.message_id)


async def type_answers(h: BotHarness, *answers: str) -> None:
    for answer in answers:
        await h.say(ANA, answer)


async def test_happy_path_with_buttons(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        reply = await h.say(ANA, "/start")
        assert reply is not None and "1/10" in reply.plain_text
        await h.say(ANA, "5k 22:30")
        for label in ("Tue · Thu · Sat · Sun", "Thu", "Sun", "240", "06:30", "20:00"):
            await tap(h, label)
        assert "8/10" in h.last(ANA).plain_text
        await h.say(ANA, "Berlin")
        await tap(h, "miles")
        await tap(h, "No goal race")
        summary = h.last(ANA).plain_text
        assert "Tue, Thu, Sat, Sun" in summary and "5K in 22:30" in summary
        await tap(h, "Confirm")

        welcome = h.last(ANA).plain_text
        assert "all set" in welcome and "VDOT" in welcome and "06:30" in welcome
        assert "/mi" in welcome  # paces in their units
        profile = stored_profile(h)
        assert profile is not None and profile.fitness is not None
        assert (profile.fitness.distance_m, profile.fitness.time_s) == (5000, 1350)
        assert profile.run_days == (1, 3, 5, 6)
        assert (profile.quality_day, profile.long_run_day) == (3, 6)
        assert profile.weekly_minutes == 240 and profile.units == "mi" and profile.goal is None
        # Tomorrow where the runner is (Berlin may be a day ahead of UTC), or today if Monday.
        berlin_today = h.clock.now().astimezone(ZoneInfo("Europe/Berlin")).date()
        assert profile.start_date == coaching.first_day(berlin_today)
        assert stored_settings(h) == ("Europe/Berlin", time(6, 30), time(20, 0), "mi")
        assert stored_state(h) is None


async def test_happy_path_typed(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        goal_day = today(h) + timedelta(days=120)
        await type_answers(
            h,
            "/start",
            "10 km in 48:10",
            "mon wed fri sat",
            "wednesday",
            "sat",
            "3h",
            "6:15",
            "7pm",
            "UTC+2",
            "kilometres",
            f"10k {goal_day.isoformat()}",
        )
        assert problems.TIME_ZONE_FIXED_OFFSET_NOTE.split(":")[0] in " ".join(h.texts(ANA))
        assert "10K on" in h.last(ANA).plain_text
        await h.say(ANA, "yes")

        profile = stored_profile(h)
        assert profile is not None and profile.fitness is not None
        assert profile.fitness.distance_m == 10_000 and profile.fitness.time_s == 48 * 60 + 10
        assert profile.run_days == (0, 2, 4, 5) and profile.weekly_minutes == 180
        assert profile.goal is not None and profile.goal.date == goal_day
        assert stored_settings(h) == ("Etc/GMT-2", time(6, 15), time(19, 0), "km")
        assert "10K" in h.last(ANA).plain_text


async def test_no_recent_result_plans_a_time_trial(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        await h.say(ANA, "/start")
        await tap(h, "No recent result")
        assert "5K time trial" in h.last(ANA).plain_text
        await type_answers(
            h, "tue thu sun", "tue", "sun", "150", "7", "18:30", "Europe/Paris", "km", "no"
        )
        assert "none yet" in h.last(ANA).plain_text
        await tap(h, "Confirm")
        assert "5K time trial" in h.last(ANA).plain_text
        profile = stored_profile(h)
        assert profile is not None and profile.fitness is None


BAD_RACES = [
    ("5k 5:00", "per km"),  # faster than anyone has run
    ("1500 3:25", "world record"),  # the parser allows it; the coach doesn't
    ("7/10", "distance and time"),  # an effort, not a race
    ("🏃‍♀️🔥", "distance and time"),
    ("x" * 5000, "long message"),
]


async def test_bad_answers_are_explained_and_change_nothing(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        await move_to_a_wednesday_noon(h)
        await h.say(ANA, "/start")
        bad_by_step: list[tuple[list[tuple[str, str]], str]] = [
            (BAD_RACES, "5k 22:30"),
            ([("mon", "between 2 and 7"), ("gym days", "mon wed fri sat")], "mon wed fri sat"),
            ([("sun", "isn't one of your run days")], "wed"),
            ([("wed", "quality day already"), ("tue", "isn't one")], "sat"),
            ([("60", "starts from 90"), ("5000", "between 60 and 900")], "180"),
            ([("25:00", "time of day")], "7:00"),
            ([("whenever", "time of day"), ("19:75", "time of day")], "19:00"),
            ([("Atlantis", "know that time zone"), ("UTC+27", "know that time zone")], "Berlin"),
            ([("furlongs", "km")], "km"),
        ]
        for bad_answers, good_answer in bad_by_step:
            await check_refused(h, bad_answers)
            await h.say(ANA, good_answer)
        yesterday = today(h) - timedelta(days=1)
        plan_start = coaching.first_day(today(h))  # a new plan starts tomorrow
        await check_refused(
            h,
            [
                (f"10k {yesterday.isoformat()}", "already passed"),
                (f"10k {plan_start.isoformat()}", "comes too soon"),
                ("10k 2099-01-01", "years away"),
                ("100k 2027-03-14", "up to the marathon"),
                ("soon", "distance and date"),
                ("10k 2027-02-30", "distance and date"),
            ],
        )
        assert stored_profile(h) is None


async def move_to_a_wednesday_noon(h: BotHarness) -> None:
    """A fixed weekday, so the plan starts later than today (in UTC and in Berlin)."""
    now = h.clock.now()
    days = (2 - now.weekday()) % 7 or 7
    await h.move_to(datetime.combine(now.date() + timedelta(days=days), time(12), tzinfo=UTC))


async def check_refused(h: BotHarness, bad_answers: list[tuple[str, str]]) -> None:
    for answer, problem in bad_answers:
        before = stored_state(h)
        await h.say(ANA, answer)
        assert problem in h.last(ANA).plain_text, (answer, h.last(ANA).plain_text)
        assert stored_state(h) == before, answer


async def test_a_restart_resumes_at_the_same_question(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        await type_answers(h, "/start", "5k 22:30", "mon wed fri sat")
        await h.restart()
        await h.say(ANA, "/start")  # a second /start re-asks instead of starting over
        assert "pick up where we left off" in h.last(ANA).plain_text
        assert "3/10" in h.last(ANA).plain_text
        await h.say(ANA, "fri")
        assert "4/10" in h.last(ANA).plain_text
        state = stored_state(h)
        assert state is not None and state[0] == "long"
        assert state[1]["run_days"] == ["mon", "wed", "fri", "sat"]


async def test_cancel_midway_stores_nothing(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        await type_answers(h, "/start", "5k 22:30", "mon wed fri sat", "wed", "sat", "180")
        await h.say(ANA, "/cancel")
        assert "stopped" in h.last(ANA).plain_text
        assert stored_state(h) is None and stored_profile(h) is None
        assert stored_settings(h) == ("UTC", time(7, 0), time(19, 0), "km")


async def test_onboarding_again_edits_the_profile_and_keeps_the_history(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        await move_to_a_wednesday_noon(h)
        athlete = onboard(h.runtime, ANA, start=today(h) - timedelta(days=9))
        run = {"type": "run", "date": today(h).isoformat(), "duration_min": 40, "rpe": 4}
        with h.runtime.sessions() as session, session.begin():
            coaching.record(session, athlete, run, today=today(h))
        before = stored_profile(h)
        assert before is not None
        goal_day = today(h) + timedelta(days=200)

        await h.say(ANA, "/start")
        assert "Every run and check-in you told me is kept" in question(h).plain_text
        await h.say(ANA, "5k 21:00")
        for label in ("Mon · Wed · Fri · Sun", "Wed", "Sun", "240", "07:00", "19:00"):
            await tap(h, label)
        await tap(h, "Keep Europe/Berlin")
        await tap(h, "km")
        await h.say(ANA, f"half {goal_day:%d %B %Y}")
        summary = question(h)
        await tap(h, "Confirm")

        welcome = h.emulator.transcript(ANA)[summary_index(h, summary)].plain_text
        assert "Profile updated" in welcome and "history is kept" in welcome
        after = stored_profile(h)
        assert after is not None
        assert after.start_date == before.start_date and after.fitness == before.fitness
        assert after.run_days == (0, 2, 4, 6) and after.weekly_minutes == 240
        events = stored_events(h)
        assert events[0] == run
        trial = {
            "type": "time_trial",
            "date": today(h).isoformat(),
            "distance_m": 5000,
            "time_s": 1260,
        }
        goal = {
            "type": "goal",
            "date": today(h).isoformat(),
            "distance_m": 21097.5,
            "date_of_race": goal_day.isoformat(),
        }
        # The new days are a dated change: the weeks before it keep the days they had.
        day = today(h)
        effective = day + timedelta(days=1 if day.weekday() <= 2 else 7 - day.weekday())
        change = {
            "type": "profile",
            "date": day.isoformat(),
            "effective": effective.isoformat(),
            "run_days": ["mon", "wed", "fri", "sun"],
            "quality_day": "wed",
            "long_run_day": "sun",
            "weekly_minutes": 240,
            "units": "km",
        }
        assert events[1:] == [change, trial, goal]
        assert f"{effective:%A} {effective.day} {effective:%B}" in welcome


async def test_stale_and_forged_buttons_are_refused(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        await type_answers(h, "/start", "5k 22:30")
        days_question = question(h)
        await h.say(ANA, "mon wed fri sat")  # typed, so the old buttons are still there
        before = stored_state(h)
        assert before is not None and before[0] == "quality"

        stale = await h.tap(ANA, "Tue · Thu · Sun", message=days_question)
        assert answer_of(h, stale) == common_texts.BUTTON_EXPIRED
        for forged in (
            "ob:quality:sun",
            "ob:minutes:180",
            "ob:quality",
            "ob:quality:wed:x",
            "ob:nonsense:1",
            "ob:confirm:yes",
        ):
            query = h.emulator.user_taps(ANA, days_question.message_id, forged, strict=False)
            await h.settle()
            assert answer_of(h, query) == common_texts.BUTTON_EXPIRED, forged
        assert stored_state(h) == before and stored_profile(h) is None
