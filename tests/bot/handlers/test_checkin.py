"""The check-in over the emulator: one message edited in place, facts stored as they come."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from bot import coaching
from bot.checkin_view import callback_data, checkin_view, missing_note_view
from bot.journal import Journal
from bot.store import repo
from bot.store.models import Athlete
from bot.texts import checkin as texts
from bot.texts import common, problems
from bot.views import Keyboard, markup
from coach.model import Session as PlannedSession
from tests.bot.factories import onboard
from tests.bot.harness import ANA, BEN, BotHarness

WEDNESDAY, THURSDAY = 2, 3


# --- helpers ----------------------------------------------------------------------------


async def move_to_next(h: BotHarness, weekday: int) -> date:
    """Move the clock to 10:00 UTC on the next `weekday`: late morning in Berlin, after the
    morning message and before the evening check-in, so no delivery interferes."""
    day = h.clock.now().date() + timedelta(days=1)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    await h.move_to(datetime.combine(day, time(10, 0), tzinfo=UTC))
    return day


def runner(h: BotHarness, user: int, today: date) -> Athlete:
    """Onboarded with the default plan (Mon, Wed quality, Fri, Sat long) in its 2nd week."""
    monday = today - timedelta(days=today.weekday())
    return onboard(h.runtime, user, start=monday - timedelta(days=7), onboarded_at=h.clock.now())


def athlete_of(session: Any, user: int) -> Athlete:
    athlete = repo.get_athlete_by_telegram_id(session, user)
    assert athlete is not None
    return athlete


def events(h: BotHarness, user: int) -> list[dict[str, Any]]:
    with h.runtime.sessions() as session:
        athlete = athlete_of(session, user)
        assert athlete.id is not None
        return [dict(e.payload) for e in repo.events_for(session, athlete.id)]


def keys(h: BotHarness, user: int) -> list[str | None]:
    with h.runtime.sessions() as session:
        athlete = athlete_of(session, user)
        assert athlete.id is not None
        return [e.dedupe_key for e in repo.events_for(session, athlete.id)]


def of_type(h: BotHarness, user: int, kind: str) -> list[dict[str, Any]]:
    return [e for e in events(h, user) if e["type"] == kind]


def planned(h: BotHarness, user: int, day: date) -> PlannedSession:
    with h.runtime.sessions() as session:
        found = coaching.session_on(session, athlete_of(session, user), day)
        assert found is not None
        return found


def evening_message(session: Any, athlete: Athlete, day: date) -> tuple[str, Keyboard] | None:
    """The evening check-in of `day` as the outbox sends it."""
    return checkin_view(Journal(session, athlete, day), day)


def morning_note(session: Any, athlete: Athlete, day: date) -> tuple[str, Keyboard] | None:
    """The next morning's note about `day`, as the morning message carries it."""
    return missing_note_view(Journal(session, athlete, day + timedelta(days=1)), day)


def data(athlete: Athlete, day: date, field: str, value: str) -> str:
    assert athlete.id is not None
    return callback_data(athlete.id, day, field, value)


async def tap_raw(h: BotHarness, user: int, message_id: int, raw: str) -> tuple[str | None, bool]:
    """Tap callback data the message may not show (a forged or stale button)."""
    query_id = h.emulator.user_taps(user, message_id, raw, strict=False)
    await h.settle()
    answer = h.emulator.callback_queries[query_id]
    assert answer.answered
    return answer.answer_text, answer.show_alert


def bot_count(h: BotHarness, user: int) -> int:
    return len(h.emulator.bot_messages(user))


# --- the whole check-in -----------------------------------------------------------------


async def test_full_checkin_with_buttons_and_typed_answers(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        today = await move_to_next(h, WEDNESDAY)
        runner(h, ANA, today)
        session = planned(h, ANA, today)
        assert session.type == "quality" and session.target_rpe is not None

        await h.say(ANA, "/checkin")
        message = h.last(ANA)
        count = bot_count(h, ANA)
        assert "Check-in" in message.plain_text and texts.ASK_STATUS in message.plain_text

        await h.tap(ANA, "Done")
        run = of_type(h, ANA, "run")
        assert run == [
            {"type": "run", "date": today.isoformat(), "duration_min": session.planned_min}
        ]
        assert "How hard did it feel" in h.last(ANA).plain_text

        await h.tap(ANA, "7")
        await h.tap(ANA, "8")
        await h.say(ANA, "45 min 8.2 km")
        assert "resting heart rate" in h.last(ANA).plain_text
        await h.say(ANA, "52 bpm")
        await h.say(ANA, "slept 7h, soreness 2, stress 3")

        # Every answer edited the one check-in message: no stream of new messages.
        assert bot_count(h, ANA) == count
        final = h.last(ANA)
        assert final.message_id == message.message_id and final.edited
        assert final.inline_keyboard == []
        target = session.target_rpe
        assert f"7 against a target of {target}" in final.plain_text
        assert "45 min · 8.2 km · effort 7/10 · quality 8/10" in final.plain_text

        assert of_type(h, ANA, "run") == [
            {
                "type": "run",
                "date": today.isoformat(),
                "duration_min": 45,
                "distance_m": 8200,
                "rpe": 7,
                "quality": 8,
            }
        ]
        assert of_type(h, ANA, "rhr") == [{"type": "rhr", "date": today.isoformat(), "bpm": 52}]
        assert of_type(h, ANA, "wellness") == [
            {
                "type": "wellness",
                "date": today.isoformat(),
                "sleep_h": 7,
                "soreness": 2,
                "stress": 3,
            }
        ]
        day = today.isoformat()
        assert set(keys(h, ANA)) == {f"checkin:{day}:run", f"rhr:{day}", f"wellness:{day}"}
        with h.runtime.sessions() as db:
            assert repo.get_conversation(db, athlete_of(db, ANA).id or 0) is None

        # Typed text after the check-in is free text again.
        await h.say(ANA, "hello there")
        assert h.last(ANA).plain_text.startswith("I didn't catch anything")


async def test_skipped_with_a_reason(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        today = await move_to_next(h, WEDNESDAY)
        runner(h, ANA, today)
        await h.say(ANA, "/checkin")
        count = bot_count(h, ANA)

        await h.tap(ANA, "Skipped")
        assert texts.ASK_REASON in h.last(ANA).plain_text
        assert of_type(h, ANA, "skipped") == [
            {"type": "skipped", "date": today.isoformat(), "reason": "other"}
        ]
        await h.tap(ANA, "Illness")
        assert of_type(h, ANA, "skipped") == [
            {"type": "skipped", "date": today.isoformat(), "reason": "illness"}
        ]
        assert "Skipped: Illness" in h.last(ANA).plain_text
        await h.tap(ANA, "Skip")  # no resting HR today
        await h.say(ANA, "skip")  # nor how they feel

        final = h.last(ANA)
        assert bot_count(h, ANA) == count
        assert texts.GET_WELL in final.plain_text and final.inline_keyboard == []
        assert of_type(h, ANA, "run") == [] and of_type(h, ANA, "rhr") == []
        assert of_type(h, ANA, "wellness") == []


async def test_changed_asks_what_was_run_instead(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        today = await move_to_next(h, WEDNESDAY)
        runner(h, ANA, today)
        await h.say(ANA, "/checkin")
        query = await h.tap(ANA, "Changed")
        assert h.emulator.callback_queries[query].answer_text == texts.CHANGED_NOTICE
        assert texts.ASK_INSTEAD in h.last(ANA).plain_text
        await h.tap(ANA, "An easy run")
        assert "an easy run instead" in h.last(ANA).plain_text
        await h.tap(ANA, "4")
        await h.tap(ANA, "9")
        await h.say(ANA, "1:05:00 12 km")
        run = of_type(h, ANA, "run")
        assert run == [
            {
                "type": "run",
                "date": today.isoformat(),
                "duration_min": 65,
                "distance_m": 12000,
                "rpe": 4,
                "quality": 9,
                "changed": True,
                "instead": "easy",
            }
        ]


# --- idempotence and restarts -----------------------------------------------------------


async def test_the_same_button_twice_stores_once(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        today = await move_to_next(h, WEDNESDAY)
        ana = runner(h, ANA, today)
        await h.say(ANA, "/checkin")
        message_id = h.last(ANA).message_id

        await h.tap(ANA, "Done")
        stored = events(h, ANA)
        await tap_raw(h, ANA, message_id, data(ana, today, "status", "done"))
        await tap_raw(h, ANA, message_id, data(ana, today, "status", "skipped"))
        assert events(h, ANA) == stored

        await h.tap(ANA, "7")
        stored = events(h, ANA)
        text = h.last(ANA).plain_text
        await tap_raw(h, ANA, message_id, data(ana, today, "rpe", "7"))
        assert events(h, ANA) == stored and len(stored) == 1
        assert h.last(ANA).plain_text == text


async def test_a_restart_in_the_middle_changes_nothing(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        today = await move_to_next(h, WEDNESDAY)
        runner(h, ANA, today)
        await h.say(ANA, "/checkin")
        message_id = h.last(ANA).message_id
        await h.tap(ANA, "Done")
        await h.tap(ANA, "6")

        await h.restart()
        await h.tap(ANA, "7")  # quality, on the message sent before the restart
        await h.say(ANA, "50 min 9 km")
        await h.restart()
        await h.say(ANA, "skip")  # resting HR
        await h.tap(ANA, "Skip")  # wellness

        final = h.last(ANA)
        assert final.message_id == message_id and final.inline_keyboard == []
        assert of_type(h, ANA, "run") == [
            {
                "type": "run",
                "date": today.isoformat(),
                "duration_min": 50,
                "distance_m": 9000,
                "rpe": 6,
                "quality": 7,
            }
        ]
        assert len(events(h, ANA)) == 1


# --- buttons that are not the runner's, or not valid -------------------------------------


async def test_a_forged_button_naming_another_runner_is_refused(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        today = await move_to_next(h, WEDNESDAY)
        runner(h, ANA, today)
        ben = runner(h, BEN, today)
        await h.say(ANA, "/checkin")
        message = h.last(ANA)

        answer = await tap_raw(h, ANA, message.message_id, data(ben, today, "status", "done"))
        assert answer == (common.BUTTON_NOT_YOURS, True)
        assert events(h, ANA) == [] and events(h, BEN) == []
        assert h.last(ANA).text == message.text and not h.last(ANA).edited


async def test_malformed_old_or_future_buttons_have_expired(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        today = await move_to_next(h, WEDNESDAY)
        ana = runner(h, ANA, today)
        await h.say(ANA, "/checkin")
        message = h.last(ANA)
        assert ana.id is not None
        stale = [
            "ci",
            "ci:nonsense",
            f"ci:{ana.id}:{today:%Y%m%d}:status",
            f"ci:{ana.id}:{today:%Y%m%d}:status:maybe",
            f"ci:{ana.id}:{today:%Y%m%d}:rpe:11",
            f"ci:{ana.id}:{today:%Y%m%d}:rpe:0",
            f"ci:{ana.id}:{today:%Y%m%d}:quality:٧",
            f"ci:{ana.id}:20261399:status:done",
            f"ci:{ana.id}:{today:%Y-%m-%d}:status:done",
            f"ci:x{ana.id}:{today:%Y%m%d}:status:done",
            data(ana, today + timedelta(days=1), "status", "done"),
            data(ana, today - timedelta(days=8), "status", "done"),
            data(ana, today - timedelta(days=1), "status", "done"),  # a rest day
        ]
        for raw in stale:
            answer = await tap_raw(h, ANA, message.message_id, raw)
            assert answer == (common.BUTTON_EXPIRED, True), raw
        assert events(h, ANA) == []
        assert not h.last(ANA).edited


# --- typed answers that can't be used ----------------------------------------------------


async def test_bad_typed_answers_store_nothing_and_the_question_stays(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        today = await move_to_next(h, WEDNESDAY)
        runner(h, ANA, today)
        await h.say(ANA, "/checkin")
        checkin_id = h.last(ANA).message_id
        await h.tap(ANA, "Done")
        before = events(h, ANA)

        rpe_problem = problems.RPE_INVALID.format(low=1, high=10)
        for bad in ("0", "11", "abc"):
            reply = await h.say(ANA, bad)
            assert reply is not None and reply.message_id != checkin_id
            assert reply.text == rpe_problem, bad
        assert events(h, ANA) == before

        await h.say(ANA, "7")  # a typed RPE works as well as a tap
        await h.tap(ANA, "8")
        assert of_type(h, ANA, "run")[0]["rpe"] == 7
        before = events(h, ANA)

        reply = await h.say(ANA, "5 min 8 km")
        assert reply is not None and "per km" in reply.plain_text
        reply = await h.say(ANA, "30 km")  # against the planned minutes: far too fast
        assert reply is not None and "per km" in reply.plain_text
        reply = await h.say(ANA, "45 min 8.2")
        assert reply is not None and reply.plain_text.startswith("I couldn't tell")
        assert events(h, ANA) == before
        assert "How long and how far" in h.emulator.bot_messages(ANA)[0].plain_text

        await h.say(ANA, "45 min 8.2 km")
        for bad in ("20", "300", "fine"):
            reply = await h.say(ANA, bad)
            assert reply is not None and "between 25 and 120" in reply.plain_text, bad
        assert of_type(h, ANA, "rhr") == []
        await h.say(ANA, "48")
        assert of_type(h, ANA, "rhr") == [{"type": "rhr", "date": today.isoformat(), "bpm": 48}]

        reply = await h.say(ANA, "mmm")
        assert reply is not None and "slept 7h" in reply.plain_text
        assert of_type(h, ANA, "wellness") == []


async def test_a_whole_sentence_during_the_checkin_is_logged_for_it(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        today = await move_to_next(h, WEDNESDAY)
        runner(h, ANA, today)
        await h.say(ANA, "/checkin")
        count = bot_count(h, ANA)
        await h.tap(ANA, "Done")
        checkin = h.latest_with_buttons(ANA)
        await h.say(ANA, "ran 8k in 42 min rpe 6")  # while effort is asked
        assert "Logged for" in h.last(ANA).plain_text  # the sentence gets its own reply
        assert "And how good was it overall" in checkin.plain_text  # the check-in moved on
        await h.tap(ANA, "9", checkin)
        await h.say(ANA, "rhr 49")  # time and distance came with the sentence
        await h.say(ANA, "7.5")  # sleep, asked last: bare hours
        assert bot_count(h, ANA) == count + 1  # only that one reply; the rest were edits
        day = today.isoformat()
        assert of_type(h, ANA, "run") == [
            {
                "type": "run",
                "date": day,
                "duration_min": 42,
                "distance_m": 8000,
                "rpe": 6,
                "quality": 9,
            }
        ]
        assert of_type(h, ANA, "rhr") == [{"type": "rhr", "date": day, "bpm": 49}]
        assert of_type(h, ANA, "wellness") == [{"type": "wellness", "date": day, "sleep_h": 7.5}]
        assert "6 against a target of 6" in h.last(ANA).plain_text


# --- the scheduled messages ---------------------------------------------------------------


async def test_scheduled_checkin_and_missing_note(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        today = await move_to_next(h, WEDNESDAY)
        runner(h, ANA, today)
        rest_day = today + timedelta(days=1)

        def scheduled() -> tuple[Any, Any, Any]:
            with h.runtime.sessions() as session:
                athlete = athlete_of(session, ANA)
                return (
                    evening_message(session, athlete, today),
                    morning_note(session, athlete, today),
                    morning_note(session, athlete, rest_day),
                )

        evening, note, none = scheduled()
        assert evening is not None and note is not None and none is None
        text, keyboard = evening
        assert texts.ASK_STATUS in text
        assert [label for label, _ in keyboard[0]] == [
            texts.BUTTON_DONE,
            texts.BUTTON_CHANGED,
            texts.BUTTON_SKIPPED,
        ]
        note_text, note_keyboard = note
        assert "One tap" in note_text
        assert [d for _, d in note_keyboard[0]] == [
            d.replace(":status:", ":note:") for _, d in keyboard[0]
        ]
        assert all(len(d.encode()) <= 64 for row in keyboard for _, d in row)

        await h.say(ANA, "/checkin")
        await h.tap(ANA, "Done")
        evening, note, _ = scheduled()
        assert note is None  # answered: never nagged
        assert evening is not None  # effort and quality are still open
        await h.tap(ANA, "7")
        await h.tap(ANA, "7")
        evening, note, _ = scheduled()
        assert evening is None and note is None


async def test_the_morning_note_opens_yesterdays_checkin_once(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        wednesday = await move_to_next(h, THURSDAY) - timedelta(days=1)
        runner(h, ANA, wednesday)
        with h.runtime.sessions() as session:
            note = morning_note(session, athlete_of(session, ANA), wednesday)
        assert note is not None
        # As the morning message would carry it, below the day's session.
        assert h.application is not None
        h.emulator.register_user(ANA, "Ana")
        await h.application.bot.send_message(
            ANA, f"Today: rest.\n\n{note[0]}", parse_mode="HTML", reply_markup=markup(note[1])
        )
        await h.settle()
        morning = h.last(ANA)

        await h.tap(ANA, "Done", message=morning)
        opened = h.last(ANA)
        assert opened.message_id != morning.message_id and "Check-in" in opened.plain_text
        assert not h.emulator.bot_messages(ANA)[0].edited  # the morning message is intact
        await h.tap(ANA, "6")
        count, stored = bot_count(h, ANA), events(h, ANA)

        query = await h.tap(ANA, "Skipped", message=morning)  # too late: already answered
        assert h.emulator.callback_queries[query].answer_text == texts.ALREADY_ANSWERED
        assert bot_count(h, ANA) == count and events(h, ANA) == stored
        assert of_type(h, ANA, "run")[0]["rpe"] == 6


async def test_checkin_on_a_rest_day_offers_yesterdays_open_run(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        wednesday = await move_to_next(h, THURSDAY) - timedelta(days=1)
        ana = runner(h, ANA, wednesday)
        await h.say(ANA, "/checkin")
        message = h.last(ANA)
        assert f"{wednesday.day}" in message.plain_text
        assert message.callback_data("Skipped") == data(ana, wednesday, "status", "skipped")

        await h.tap(ANA, "Skipped")
        await h.tap(ANA, "Work")
        # Yesterday's resting HR isn't asked the day after; how they feel is.
        assert texts.ASK_WELLNESS in (h.last(ANA).text or "")
        await h.tap(ANA, "Skip")
        assert texts.LIFE_HAPPENS in (h.last(ANA).text or "")
        assert of_type(h, ANA, "skipped") == [
            {"type": "skipped", "date": wednesday.isoformat(), "reason": "work"}
        ]

        reply = await h.say(ANA, "/checkin")
        assert reply is not None and reply.text == texts.REST_DAY


async def test_checkin_before_the_plan_starts(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        today = await move_to_next(h, WEDNESDAY)
        onboard(h.runtime, ANA, start=today + timedelta(days=5), onboarded_at=h.clock.now())
        reply = await h.say(ANA, "/checkin")
        assert reply is not None and "Your plan starts on" in reply.plain_text
