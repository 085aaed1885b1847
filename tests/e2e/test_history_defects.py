"""The runner's history is the truth: each defect of issue 8, tried through the emulator.

The real bot, a scripted runner, the store and the replay checked directly.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from telegram import Update

from bot import coaching
from bot.journal import Journal, run_key
from bot.store import repo
from bot.store.models import Athlete
from bot.texts import checkin as checkin_texts
from bot.texts import problems
from coach.decision import day_label
from coach.history import Run
from coach.model import Plan
from tests.bot.harness import ANA, BotHarness

# A Tue/Thu/Sat/Sun runner, as in the issue.
TUE_THU_SAT_SUN: dict[str, Any] = {
    "run_days": ["tue", "thu", "sat", "sun"],
    "quality_day": "tue",
    "long_run_day": "sun",
}


def athlete_of(h: BotHarness, session: Any) -> Athlete:
    athlete = repo.get_athlete_by_telegram_id(session, ANA)
    assert athlete is not None and athlete.id is not None
    return athlete


def events(h: BotHarness) -> list[tuple[str | None, dict[str, Any]]]:
    with h.runtime.sessions() as session:
        athlete = athlete_of(h, session)
        assert athlete.id is not None
        return [(e.dedupe_key, dict(e.payload)) for e in repo.events_for(session, athlete.id)]


def runs(h: BotHarness) -> list[dict[str, Any]]:
    return [payload for _, payload in events(h) if payload["type"] == "run"]


def plan_now(h: BotHarness, today: date) -> Plan:
    with h.runtime.sessions() as session:
        return coaching.plan_for(session, athlete_of(h, session), today, 1)


def weeks(p: Plan) -> list[tuple[str, int, str, tuple[tuple[date, str, str, int], ...]]]:
    return [
        (
            w.decision.action,
            w.step,
            w.kind,
            tuple((s.date, s.type, s.title, s.planned_min) for s in w.sessions),
        )
        for w in p.history
    ]


def log_as_planned(h: BotHarness, until: date) -> None:
    """Every planned run before `until` done at its target effort, as the check-in would."""
    with h.runtime.sessions() as session, session.begin():
        athlete = athlete_of(h, session)
        start = date.fromisoformat((athlete.profile or {})["start_date"])
        day = start
        while day < until:
            journal = Journal(session, athlete, day)
            planned = journal.planned_run(day)
            if planned is not None:
                run = Run(day, planned.planned_min, rpe=planned.target_rpe or 3, quality=7)
                journal.record(run, run_key(day), replace_key=True)
            day += timedelta(days=1)


async def start_at(tmp_path: Path, when: datetime) -> Any:
    return BotHarness.started(tmp_path, start_at=when)


async def reonboard(h: BotHarness, days: str, quality: str, long_run: str) -> str:
    """/start again, typing every answer; returns the welcome."""
    for answer in (
        "/start",
        "no",
        days,
        quality,
        long_run,
        "180",
        "07:00",
        "19:00",
        "UTC",
        "km",
        "no",
        "yes",
    ):
        await h.say(ANA, answer)
    return h.last(ANA).plain_text


# --- 1. new run days in week 10 ------------------------------------------------------------


async def test_new_run_days_in_week_10_keep_every_past_week(tmp_path: Path) -> None:
    thursday = datetime(2027, 1, 14, 12, 0, tzinfo=UTC)  # week 10 of a plan from 9 Nov
    async with BotHarness.started(tmp_path, start_at=thursday) as h:
        h.onboard(ANA, start=date(2026, 11, 9), time_zone="UTC", **TUE_THU_SAT_SUN)
        today = thursday.date()
        log_as_planned(h, today)
        before = plan_now(h, today)
        assert before.history[-1].step >= 3  # nine weeks of progression

        welcome = await reonboard(h, "mon wed fri sat", "wed", "sat")
        assert "Profile updated" in welcome
        assert "Monday 18 January" in welcome  # the week is half done: from next Monday

        after = plan_now(h, today)
        assert weeks(after) == weeks(before)  # every past week exactly as it was
        assert after.week.sessions == before.week.sessions  # and this week too
        following = after.upcoming[0]
        assert {s.date.weekday() for s in following.sessions if s.type != "rest"} <= {0, 2, 4, 5}
        assert following.step >= before.history[-1].step  # no drop back to step 1
        await h.say(ANA, "/week")
        week_text = h.last(ANA).plain_text
        assert "✅" in week_text  # Tuesday's done session still shows as done


async def test_new_run_days_early_in_the_week_start_tomorrow(tmp_path: Path) -> None:
    tuesday = datetime(2027, 1, 12, 12, 0, tzinfo=UTC)
    async with BotHarness.started(tmp_path, start_at=tuesday) as h:
        h.onboard(ANA, start=date(2026, 11, 9), time_zone="UTC", **TUE_THU_SAT_SUN)
        today = tuesday.date()
        log_as_planned(h, today + timedelta(days=1))  # today's quality session is done
        before = plan_now(h, today)

        welcome = await reonboard(h, "mon wed fri sat", "wed", "sat")
        assert "tomorrow" in welcome and "Wednesday 13 January" in welcome

        after = plan_now(h, today)
        assert weeks(after) == weeks(before)
        kept = [s for s in after.week.sessions if s.date <= today]
        assert kept == [s for s in before.week.sessions if s.date <= today]
        later = [s for s in after.week.sessions if s.date > today and s.type != "rest"]
        assert {s.date.weekday() for s in later} <= {2, 4, 5}


# --- 2-3. runs are runs ------------------------------------------------------------------


async def test_a_second_run_on_a_run_day_is_its_own_event(tmp_path: Path) -> None:
    tuesday = datetime(2027, 1, 12, 18, 0, tzinfo=UTC)
    async with BotHarness.started(tmp_path, start_at=tuesday) as h:
        h.onboard(ANA, start=date(2027, 1, 4), time_zone="UTC", **TUE_THU_SAT_SUN)
        await h.say(ANA, "ran 12k in 72 min rpe 6")
        first = runs(h)
        asked = (await h.say(ANA, "ran 3k in 20 min rpe 3")) or h.last(ANA)
        assert "already has a run" in asked.plain_text
        assert runs(h) == first  # nothing changes before the runner answers
        await h.tap(ANA, "A second run")
        assert runs(h) == [
            *first,
            {
                "type": "run",
                "date": "2027-01-12",
                "duration_min": 20,
                "distance_m": 3000,
                "rpe": 3,
            },
        ]
        assert f"Logged for {day_label(tuesday.date())}" in h.last(ANA).plain_text


async def test_yesterday_with_a_run_is_asked_about_and_keeps_that_runs_rpe(
    tmp_path: Path,
) -> None:
    friday = datetime(2027, 1, 15, 9, 0, tzinfo=UTC)
    thursday_evening = friday - timedelta(hours=14)
    async with BotHarness.started(tmp_path, start_at=thursday_evening) as h:
        h.onboard(ANA, start=date(2027, 1, 4), time_zone="UTC", **TUE_THU_SAT_SUN)
        await h.say(ANA, "ran 8k in 45 min rpe 4")
        await h.move_to(friday)
        thursday_run = runs(h)
        reply = await h.say(ANA, "ran yesterday 10k 55min")
        assert reply is not None and "Thu 14 Jan" in reply.plain_text
        await h.tap(ANA, "A second run")
        assert runs(h) == [
            *thursday_run,
            {"type": "run", "date": "2027-01-14", "duration_min": 55, "distance_m": 10000},
        ]


async def test_a_dated_run_is_logged_on_its_date(tmp_path: Path) -> None:
    saturday = datetime(2027, 2, 20, 18, 0, tzinfo=UTC)
    async with BotHarness.started(tmp_path, start_at=saturday) as h:
        h.onboard(ANA, start=date(2027, 1, 4), time_zone="UTC", **TUE_THU_SAT_SUN)
        await h.say(ANA, "ran 16k in 95 min rpe 4")  # today's check-in run
        today_run = runs(h)
        reply = await h.say(ANA, "ran 8k in 42 min on 2027-02-12")
        assert reply is not None and "Logged for Fri 12 Feb" in reply.plain_text
        assert runs(h) == [
            {"type": "run", "date": "2027-02-12", "duration_min": 42, "distance_m": 8000},
            *today_run,
        ]
        stored = events(h)
        for text, problem in (
            ("ran 8k in 42 min on 2027-02-30", "isn't a date I know"),
            ("ran 8k in 42 min on 2027-02-21", "hasn't happened yet"),
        ):
            answer = await h.say(ANA, text)
            assert answer is not None and problem in answer.plain_text, text
        assert events(h) == stored


async def test_a_minus_sign_is_refused_not_dropped(tmp_path: Path) -> None:
    tuesday = datetime(2027, 1, 12, 18, 0, tzinfo=UTC)
    async with BotHarness.started(tmp_path, start_at=tuesday) as h:
        h.onboard(ANA, start=date(2027, 1, 4), time_zone="UTC", **TUE_THU_SAT_SUN)
        reply = await h.say(ANA, "ran -5 km in 30 min")
        assert reply is not None and reply.text == problems.NO_NEGATIVE
        assert events(h) == []
        await h.say(ANA, "/checkin")
        await h.tap(ANA, "Done")
        await h.tap(ANA, "6")
        await h.tap(ANA, "7")  # now at the time-and-distance question
        stored = events(h)
        reply = await h.say(ANA, "-5 km")
        assert reply is not None and reply.text == problems.NO_NEGATIVE
        assert events(h) == stored


# --- 4. a check-in is finished once ------------------------------------------------------


async def finish_checkin(h: BotHarness) -> None:
    await h.say(ANA, "/checkin")
    await h.tap(ANA, "Done")
    await h.tap(ANA, "6")
    await h.tap(ANA, "7")
    for _ in range(3):  # distance, resting HR, wellness: all passed over
        await h.tap(ANA, "Skip")


async def test_a_finished_checkin_is_not_reopened(tmp_path: Path) -> None:
    tuesday = datetime(2027, 1, 12, 7, 30, tzinfo=UTC)
    async with BotHarness.started(tmp_path, start_at=tuesday) as h:
        h.onboard(ANA, start=date(2027, 1, 4), time_zone="UTC", **TUE_THU_SAT_SUN)
        await finish_checkin(h)
        message = h.last(ANA)
        assert message.inline_keyboard in (None, [])
        stored = events(h)
        with h.runtime.sessions() as session:
            athlete_id = athlete_of(h, session).id
        done = f"ci:{athlete_id}:20270112:status:done"
        unrelated = h.emulator.bot_messages(ANA)[0].message_id  # a message with no buttons
        for message_id in (message.message_id, unrelated):
            query = await h.tap_data(ANA, done, message_id)
            assert h.emulator.callback_queries[query].answer_text == checkin_texts.ALREADY_ANSWERED
            assert checkin_texts.ASK_DISTANCE not in h.last(ANA).plain_text
        with h.runtime.sessions() as session:
            assert repo.get_conversation(session, athlete_id or 0) is None
        reply = await h.say(ANA, "7")
        assert reply is not None and reply.text == problems.FREE_TEXT_HINT
        assert events(h) == stored  # no 7 h of sleep


async def test_a_morning_reading_belongs_to_that_morning(tmp_path: Path) -> None:
    tuesday_evening = datetime(2027, 1, 12, 20, 0, tzinfo=UTC)
    async with BotHarness.started(tmp_path, start_at=tuesday_evening) as h:
        h.onboard(ANA, start=date(2027, 1, 4), time_zone="UTC", **TUE_THU_SAT_SUN)
        await h.say(ANA, "/checkin")
        await h.tap(ANA, "Done")
        await h.tap(ANA, "6")
        await h.tap(ANA, "7")
        await h.tap(ANA, "Skip")  # distance; resting HR is asked next
        await h.say(ANA, "rhr 50")  # Tuesday's morning reading, given in the check-in
        # Wednesday morning, the check-in still open at its last optional question.
        await h.move_to(datetime.combine(date(2027, 1, 13), time(7, 30), tzinfo=UTC))
        await h.say(ANA, "rhr 52")
        readings = [(p["date"], p["bpm"]) for _, p in events(h) if p["type"] == "rhr"]
        assert readings == [("2027-01-12", 50), ("2027-01-13", 52)]


# --- edited messages ---------------------------------------------------------------------


async def test_an_edited_message_is_not_logged_again(tmp_path: Path) -> None:
    tuesday = datetime(2027, 1, 12, 18, 0, tzinfo=UTC)
    async with BotHarness.started(tmp_path, start_at=tuesday) as h:
        h.onboard(ANA, start=date(2027, 1, 4), time_zone="UTC", **TUE_THU_SAT_SUN)
        await h.say(ANA, "cycled 40 min rpe 3")
        stored = events(h)
        sent = len(h.emulator.bot_messages(ANA))
        original = next(m for m in h.emulator.transcript(ANA) if not m.from_bot)
        # The runner edits their message: Telegram sends it again as `edited_message`
        # (with a webhook, or a poll asking for edits; this bot's poll doesn't).
        edited = {
            "update_id": 10_000,
            "edited_message": {
                "message_id": original.message_id,
                "date": original.date,
                "edit_date": original.date + 60,
                "chat": {"id": ANA, "type": "private", "first_name": "Ana"},
                "from": {"id": ANA, "is_bot": False, "first_name": "Ana"},
                "text": "cycled 45 min rpe 3",
            },
        }
        application = h.application
        assert application is not None
        await application.process_update(Update.de_json(edited, application.bot))
        await h.settle()
        assert events(h) == stored
        assert len(h.emulator.bot_messages(ANA)) == sent


async def test_a_run_for_another_day_typed_mid_checkin_keeps_its_question(
    tmp_path: Path,
) -> None:
    tuesday = datetime(2027, 1, 12, 20, 0, tzinfo=UTC)
    async with BotHarness.started(tmp_path, start_at=tuesday) as h:
        h.onboard(ANA, start=date(2027, 1, 4), time_zone="UTC", **TUE_THU_SAT_SUN)
        await h.say(ANA, "ran 8k in 45 min on 2027-01-10")  # Sunday's long run
        await h.say(ANA, "/checkin")
        await h.tap(ANA, "Done")  # effort is asked now
        reply = await h.say(ANA, "ran 5k in 30 min on 2027-01-10")
        assert reply is not None and "already has a run" in reply.plain_text
        await h.tap(ANA, "A second run")
        sunday = [p for p in runs(h) if p["date"] == "2027-01-10"]
        assert [p["duration_min"] for p in sunday] == [45, 30]
