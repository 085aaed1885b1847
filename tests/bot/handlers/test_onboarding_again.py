"""/start again and the typed onboarding draft, over the emulator.

An onboarded runner sees each current answer with a Keep button (a tap or "keep" keeps it,
a typed answer changes it), in their units; drafts saved by earlier versions still resume;
forged and stale `ob:` taps are refused and change nothing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from bot.store import repo
from bot.texts import common as common_texts
from bot.texts import onboarding as texts
from coach.history import Profile, profile_from_dict
from emulator.models import MessageRecord
from tests.bot.harness import ANA, BotHarness

# A Tuesday: a profile change takes effect tomorrow, Wednesday 3 February.
TUESDAY_NOON = datetime(2027, 2, 2, 12, 0, tzinfo=UTC)
PLAN_START = date(2027, 1, 18)
GOAL_DAY = date(2027, 6, 6)
STEPS = ("race", "days", "quality", "long", "minutes", "morning", "checkin", "zone", "units")


def stored_state(h: BotHarness) -> tuple[str, dict[str, Any]] | None:
    with h.runtime.sessions() as session:
        athlete = repo.get_athlete_by_telegram_id(session, ANA)
        if athlete is None or athlete.id is None:
            return None
        conversation = repo.get_conversation(session, athlete.id)
        return None if conversation is None else (conversation.step, dict(conversation.data))


def save_state(h: BotHarness, step: str, data: dict[str, Any]) -> None:
    """A conversation row as an earlier version of the bot left it."""
    h.emulator.register_user(ANA, "Ana")
    with h.runtime.sessions() as session, session.begin():
        athlete = repo.get_or_create_athlete(session, ANA, ANA, "Ana")
        assert athlete.id is not None
        repo.save_conversation(session, athlete.id, "onboarding", step, data)


def stored_profile(h: BotHarness) -> Profile | None:
    with h.runtime.sessions() as session:
        athlete = repo.get_athlete_by_telegram_id(session, ANA)
        assert athlete is not None
        return None if athlete.profile is None else profile_from_dict(athlete.profile)


def stored_events(h: BotHarness) -> list[dict[str, Any]]:
    with h.runtime.sessions() as session:
        athlete = repo.get_athlete_by_telegram_id(session, ANA)
        assert athlete is not None and athlete.id is not None
        return [dict(event.payload) for event in repo.events_for(session, athlete.id)]


def question(h: BotHarness) -> MessageRecord:
    for record in reversed(h.emulator.bot_messages(ANA)):
        if any(str(b.get("callback_data", "")).startswith("ob:") for b in record.buttons):
            return record
    raise AssertionError("no onboarding question with buttons")


def keep_label(record: MessageRecord) -> str:
    labels = [b["text"] for b in record.buttons if str(b["callback_data"]).endswith(":keep")]
    assert len(labels) == 1, record.buttons
    return str(labels[0])


def miles_runner(h: BotHarness) -> None:
    h.onboard(
        ANA,
        start=PLAN_START,
        units="mi",
        morning=time(6, 15),
        goal={"distance_m": 16093.44, "date": GOAL_DAY.isoformat()},
    )


async def test_each_question_shows_the_current_answer_and_keep_keeps_it(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=TUESDAY_NOON) as h:
        miles_runner(h)
        before = stored_profile(h)
        await h.say(ANA, "/start")
        shown: list[tuple[str, str]] = []
        for _ in (*STEPS, "goal"):
            record = question(h)
            shown.append((record.plain_text, keep_label(record)))
            await h.tap(ANA, keep_label(record), message=record)
        nows = [text.rsplit("Now: ", 1)[1] for text, _ in shown]
        assert nows == [
            "paces from your 5K in 22:30.",
            "Mon, Wed, Fri, Sat.",
            "Wednesday.",
            "Saturday.",
            "180 min.",
            "06:15.",
            "19:00.",
            "Europe/Berlin.",
            "miles.",
            "10 mi on Sunday 6 June 2027.",
        ]
        assert [label for _, label in shown] == [
            "Keep my paces",
            "Keep Mon · Wed · Fri · Sat",
            "Keep Wed",
            "Keep Sat",
            "Keep 180 min",
            "Keep 06:15",
            "Keep 19:00",
            "Keep Europe/Berlin",
            "Keep miles",
            "Keep this goal",
        ]
        summary = question(h).plain_text
        assert "Mon, Wed, Fri, Sat" in summary and "06:15" in summary and "Units: miles" in summary
        await h.tap(ANA, "Confirm")
        assert "Profile updated" in h.last(ANA).plain_text
        assert stored_profile(h) == before
        assert stored_events(h) == []  # nothing changed, so nothing to date
        assert stored_state(h) is None


async def test_typed_answers_change_and_typed_keep_keeps(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=TUESDAY_NOON) as h:
        miles_runner(h)
        for answer in ("/start", "keep", "tue thu sat sun", "thu", "sun", "keep", "6:45"):
            await h.say(ANA, answer)
        for answer in ("keep", "keep", "keep", "keep", "yes"):
            await h.say(ANA, answer)
        profile = stored_profile(h)
        assert profile is not None and profile.run_days == (1, 3, 5, 6)
        assert (profile.quality_day, profile.long_run_day) == (3, 6)  # thu, sun
        with h.runtime.sessions() as session:
            athlete = repo.get_athlete_by_telegram_id(session, ANA)
            assert athlete is not None
            assert (athlete.morning_time, athlete.units) == (time(6, 45), "mi")
        change = stored_events(h)
        assert [e["type"] for e in change] == ["profile"]
        assert change[0]["effective"] == "2027-02-03"
        assert "Wednesday 3 February" in h.last(ANA).plain_text


async def test_keep_is_offered_only_where_the_current_answer_still_fits(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=TUESDAY_NOON) as h:
        miles_runner(h)
        for answer in ("/start", "keep", "tue thu sat sun"):
            await h.say(ANA, answer)
        record = question(h)  # quality day: Wednesday is not among the new days
        assert "Now:" not in record.plain_text
        assert not any(str(b["callback_data"]).endswith(":keep") for b in record.buttons)
        before = stored_state(h)
        forged = h.emulator.user_taps(ANA, record.message_id, "ob:quality:keep", strict=False)
        await h.settle()
        assert h.emulator.callback_queries[forged].answer_text == common_texts.BUTTON_EXPIRED
        await h.say(ANA, "keep")
        assert "Wednesday isn't one of your run days" in h.last(ANA).plain_text
        assert stored_state(h) == before


async def test_a_miles_runner_sees_examples_in_miles(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=TUESDAY_NOON) as h:
        miles_runner(h)
        await h.say(ANA, "/start")
        await h.say(ANA, "1500 3:25")  # refused by the coach: the example comes again, in miles
        await h.say(ANA, "keep")
        for _ in STEPS[1:]:
            await h.tap(ANA, keep_label(question(h)), message=question(h))
        await h.say(ANA, "soon")  # refused goal
        conversation = " ".join(h.texts(ANA))
        assert conversation.count("10 mi in 1:20:00") == 2  # the question and the refusal
        assert conversation.count("10 mi 2027-03-14") == 2
        assert " km" not in conversation and "10k" not in conversation


async def test_a_miles_runner_is_asked_for_distance_in_miles_at_the_checkin(
    tmp_path: Path,
) -> None:
    monday = datetime(2027, 2, 1, 12, 0, tzinfo=UTC)  # a run day in the default plan
    async with BotHarness.started(tmp_path, start_at=monday) as h:
        miles_runner(h)
        await h.say(ANA, "/checkin")
        for label in ("Done", "5", "6"):
            await h.tap(ANA, label)
        text = h.last(ANA).plain_text
        assert "45 min 5.1 mi" in text and "km" not in text


async def test_a_new_runner_gets_no_keep_and_a_forged_keep_is_refused(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=TUESDAY_NOON) as h:
        h.emulator.register_user(ANA, "Ana")
        await h.say(ANA, "/start")
        record = question(h)
        assert "Now:" not in record.plain_text
        await h.say(ANA, "5k 22:30")
        before = stored_state(h)
        assert before is not None and before[0] == "days"
        for forged in ("ob:days:keep", "ob:race:keep", "ob:days:mon", "ob:days:mon.tue.x"):
            query = h.emulator.user_taps(ANA, question(h).message_id, forged, strict=False)
            await h.settle()
            assert h.emulator.callback_queries[query].answer_text == common_texts.BUTTON_EXPIRED
        assert stored_state(h) == before and stored_profile(h) is None


async def test_a_tap_with_no_onboarding_open_is_refused(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=TUESDAY_NOON) as h:
        miles_runner(h)
        reply = await h.say(ANA, "/help")
        assert reply is not None
        query = h.emulator.user_taps(ANA, reply.message_id, "ob:race:none", strict=False)
        await h.settle()
        assert h.emulator.callback_queries[query].answer_text == common_texts.BUTTON_EXPIRED
        assert stored_state(h) is None and stored_events(h) == []


OLD_DRAFT = {  # as the version before typed drafts saved it
    "race": {"distance_m": 5000, "time_s": 1350},
    "run_days": ["mon", "wed", "fri", "sat"],
    "quality_day": "wed",
    "long_run_day": "sat",
    "weekly_minutes": 180,
    "morning_time": "06:30",
    "checkin_time": "19:00",
    "time_zone": "Europe/Berlin",
    "units": "km",
    "goal": {"distance_m": 10000.0, "date": GOAL_DAY.isoformat()},
}


async def test_a_draft_saved_by_the_old_code_resumes_and_confirms(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=TUESDAY_NOON) as h:
        save_state(h, "confirm", OLD_DRAFT)
        await h.say(ANA, "/start")
        summary = h.last(ANA).plain_text
        assert "pick up where we left off" in summary
        assert "5K in 22:30" in summary and "10K on Sunday 6 June 2027" in summary
        await h.tap(ANA, "Confirm")
        profile = stored_profile(h)
        assert profile is not None and profile.goal is not None
        assert profile.goal.date == GOAL_DAY and profile.run_days == (0, 2, 4, 5)
        assert profile.fitness is not None and profile.fitness.time_s == 1350


async def test_a_half_done_old_draft_carries_on_from_its_step(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=TUESDAY_NOON) as h:
        partial = {"race": None, "run_days": ["tue", "thu", "sun"]}
        save_state(h, "quality", partial)
        reply = await h.say(ANA, "thu")
        assert reply is not None and "4/10" in reply.plain_text
        state = stored_state(h)
        assert state is not None and state[0] == "long"
        assert state[1]["run_days"] == ["tue", "thu", "sun"] and state[1]["quality_day"] == "thu"


async def test_a_draft_no_version_wrote_starts_over_with_a_word(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=TUESDAY_NOON) as h:
        save_state(h, "long", {"run_days": "every day", "quality_day": 3})
        reply = await h.say(ANA, "sat")
        assert reply is not None and texts.RESUMING_FROM_SCRATCH in reply.text
        assert "1/10" in reply.plain_text
        state = stored_state(h)
        assert state is not None and state[0] == "race"
        assert stored_profile(h) is None
        # A confirm step with answers missing is no better: it starts over too.
        save_state(h, "confirm", {"race": None, "run_days": ["mon", "wed"]})
        await h.say(ANA, "yes")
        assert texts.RESUMING_FROM_SCRATCH in h.last(ANA).text and stored_profile(h) is None


async def test_a_restart_mid_way_resumes_with_the_keep_buttons(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=TUESDAY_NOON) as h:
        miles_runner(h)
        for answer in ("/start", "keep", "tue thu sat sun"):
            await h.say(ANA, answer)
        days_question = next(
            m for m in h.emulator.bot_messages(ANA) if "2/10" in m.plain_text and m.buttons
        )
        await h.restart()
        await h.say(ANA, "/start")
        resumed = question(h)
        assert "pick up where we left off" in resumed.plain_text and "3/10" in resumed.plain_text
        before = stored_state(h)
        # The Keep of a question already answered is stale: refused, nothing changes.
        stale = await h.tap(ANA, "Keep Mon · Wed · Fri · Sat", message=days_question)
        assert h.emulator.callback_queries[stale].answer_text == common_texts.BUTTON_EXPIRED
        assert stored_state(h) == before
        for label in ("Thu", "Keep Sat"):
            await h.tap(ANA, label, message=question(h))
        state = stored_state(h)
        assert state is not None and state[0] == "minutes"
        assert (state[1]["quality_day"], state[1]["long_run_day"]) == ("thu", "sat")
