"""Talking to Ramp (issue 10): what runners naturally type, understood the first time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.store import repo
from coach.history import RestingHR
from emulator.server import SimulatedUser
from tests.bot.harness import ANA, BEN, BotHarness

# Wednesday 9 Dec 2026, 11:00 in Berlin: the quality day of the default plan's 2nd week.
WEDNESDAY = datetime(2026, 12, 9, 10, 0, tzinfo=UTC)
PLAN_START = date(2026, 11, 30)


def events(h: BotHarness, user: int = ANA) -> list[dict[str, Any]]:
    with h.runtime.sessions() as session:
        athlete = repo.get_athlete_by_telegram_id(session, user)
        assert athlete is not None and athlete.id is not None
        return [dict(e.payload) for e in repo.events_for(session, athlete.id)]


def of_type(h: BotHarness, kind: str, user: int = ANA) -> list[dict[str, Any]]:
    return [e for e in events(h, user) if e["type"] == kind]


async def say(h: BotHarness, text: str, user: int = ANA) -> str:
    reply = await h.say(user, text)
    assert reply is not None
    return reply.plain_text


def buttons(h: BotHarness, user: int = ANA) -> list[str]:
    rows = h.last(user).inline_keyboard or []
    return [b["text"] for row in rows for b in row]


# --- 1. understanding ------------------------------------------------------------------------


async def test_a_marathon_in_3_30_at_onboarding_is_asked_as_3_h_30_min(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        await say(h, "/start", BEN)
        reply = await say(h, "marathon 3:30", BEN)
        assert "3:30 for a marathon: 3 h 30 min?" in reply
        assert "Yes, 3 h 30 min" in buttons(h, BEN)
        await h.tap(BEN, "Yes, 3 h 30 min")
        assert "marathon" in h.last(BEN).plain_text.lower()
        assert "3:30:00" in h.last(BEN).plain_text  # the answer kept, the next question asked
        with h.runtime.sessions() as session:
            athlete = repo.get_athlete_by_telegram_id(session, BEN)
            assert athlete is not None and athlete.id is not None
            conversation = repo.get_conversation(session, athlete.id)
            assert conversation is not None and conversation.step == "days"
            assert conversation.data["race"] == {"distance_m": 42195.0, "time_s": 12600.0}


async def test_paces_are_read_as_paces_and_the_time_worked_out(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        h.onboard(ANA, start=PLAN_START)
        reply = await say(h, "ran 10k at 5:30/km")
        assert "55 min" in reply and "10 km" in reply
        run = of_type(h, "run")[-1]
        assert (run["duration_min"], run["distance_m"]) == (55, 10000)
        reply = await say(h, "8:10/mi")
        assert "pace" in reply and "how far or how long" in reply
        assert len(of_type(h, "run")) == 1  # a pace alone logs nothing


async def test_durations_in_words(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        h.onboard(ANA, start=PLAN_START)
        assert "sleep 5.5 h" in await say(h, "slept 5 and a half hours")
        assert "30 min" in await say(h, "cycled half an hour")
        assert "90 min" in await say(h, "walked an hour and a half")
        cross = [(e["sport"], e["duration_min"]) for e in of_type(h, "cross")]
        assert cross == [("cycling", 30), ("walking", 90)]


async def test_rhr_300_at_the_quality_question_gets_the_heart_rate_range(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        h.onboard(ANA, start=PLAN_START)
        await say(h, "/checkin")
        await h.tap(ANA, "Done")
        await h.tap(ANA, "7")
        assert "how good was it overall" in h.last(ANA).plain_text
        reply = await say(h, "rhr 300")
        assert "Resting heart rate should be between 25 and 120" in reply
        assert of_type(h, "rhr") == []
        assert "quality" not in of_type(h, "run")[-1]


# --- 2. a bare number answers the question just asked ---------------------------------------


async def morning(h: BotHarness) -> str:
    """Thursday's morning message (07:00 in Berlin) delivered."""
    await h.move_to(datetime(2026, 12, 10, 6, 1, tzinfo=UTC))
    await h.tick()
    return h.last(ANA).plain_text


async def test_50_after_the_morning_question_is_the_resting_hr(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        h.onboard(ANA, start=PLAN_START)
        text = await morning(h)
        assert "Reply with the number" in text
        # No baseline yet: no guessed 52-61 buttons (yesterday's check-in buttons stay).
        assert not any(b.isdigit() for b in buttons(h))
        assert "between 25 and 120" in await say(h, "300")
        reply = await say(h, "50")
        assert "resting heart rate of 50" in reply
        assert of_type(h, "rhr") == [{"type": "rhr", "date": "2026-12-10", "bpm": 50}]
        assert "didn't catch" in await say(h, "51")  # answered: a number is chat again


async def test_a_bare_number_after_today_is_the_resting_hr(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        h.onboard(ANA, start=PLAN_START)
        await say(h, "/today")
        assert "resting heart rate of 49" in await say(h, "49")
        assert of_type(h, "rhr") == [{"type": "rhr", "date": "2026-12-09", "bpm": 49}]


async def test_rhr_buttons_span_the_baseline_from_minus_4_to_plus_8(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        h.onboard(ANA, start=PLAN_START)
        with h.runtime.sessions() as session, session.begin():
            athlete = repo.get_athlete_by_telegram_id(session, ANA)
            assert athlete is not None and athlete.id is not None
            for back in range(1, 15):
                reading = RestingHR(date(2026, 12, 10) - timedelta(days=back), 50)
                repo.append_event(session, athlete.id, _payload(reading), None)
        text = await morning(h)
        assert "Tap it" in text
        shown = [int(b) for b in buttons(h) if b.isdigit()]
        assert min(shown) == 46 and max(shown) == 58 and 57 in shown
        await h.tap(ANA, "57")
        assert "resting heart rate of 57" in h.last(ANA).plain_text


def _payload(event: RestingHR) -> dict[str, Any]:
    from coach.history import event_to_dict

    return event_to_dict(event)


# --- 4. results everywhere ---------------------------------------------------------------------


async def test_trial_with_a_past_date_is_logged_on_that_day(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        h.onboard(ANA, start=PLAN_START)
        reply = await say(h, "/trial 5k 23:10 yesterday")
        assert "Tue 8 Dec" in reply and "23:10" in reply
        assert of_type(h, "time_trial")[-1]["date"] == "2026-12-08"
        await say(h, "/trial 5k 23:40 2026-12-01")
        assert sorted(t["date"] for t in of_type(h, "time_trial")) == ["2026-12-01", "2026-12-08"]
        assert "VDOT 41.9" in await say(h, "/paces")  # 23:10 is the latest result


async def test_trial_in_the_future_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        h.onboard(ANA, start=PLAN_START)
        reply = await say(h, "/trial 5k 23:10 2027-02-01")
        assert "hasn't happened yet" in reply
        assert "isn't a date" in await say(h, "/trial 5k 23:10 2027-02-30")
        assert of_type(h, "time_trial") == []


async def test_a_big_vdot_jump_asks_first(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        h.onboard(ANA, start=PLAN_START)  # a 22:30 5K: VDOT 43.4
        reply = await say(h, "/trial 5k 19:00")
        assert "more than 10 %" in reply
        assert of_type(h, "time_trial") == []
        await h.tap(ANA, "No")
        assert "haven't logged it" in h.last(ANA).plain_text
        await say(h, "/trial 5k 19:00")
        await h.tap(ANA, "Yes")
        assert of_type(h, "time_trial")[-1]["time_s"] == 1140
        assert "Every pace is recalibrated" in h.last(ANA).plain_text


async def test_a_marathon_in_3_30_at_trial_is_asked_then_logged(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        h.onboard(ANA, start=PLAN_START)
        await say(h, "/trial")
        assert "between 25 and 120" in await say(h, "rhr 300")  # named for what was typed
        assert "3 h 30 min?" in await say(h, "marathon 3:30")
        assert of_type(h, "time_trial") == []
        await say(h, "yes")
        trial = of_type(h, "time_trial")[-1]
        assert (trial["distance_m"], trial["time_s"]) == (42195, 12600)


# --- 3. niggles and life ---------------------------------------------------------------------


async def test_a_niggle_gets_a_caring_reply_and_its_missing_parts_asked(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        h.onboard(ANA, start=PLAN_START)
        reply = await say(h, "calf tight")
        assert "Sorry to hear about your calf" in reply and "How bad is it?" in reply
        assert of_type(h, "niggle") == [{"type": "niggle", "date": "2026-12-09", "where": "calf"}]
        await h.tap(ANA, "Moderate")
        assert "Does it hurt when you run?" in h.last(ANA).plain_text
        await h.tap(ANA, "Yes, when I run")
        assert "easy runs" in h.last(ANA).plain_text and "physio" in h.last(ANA).plain_text
        niggle = of_type(h, "niggle")
        assert niggle == [
            {
                "type": "niggle",
                "date": "2026-12-09",
                "where": "calf",
                "severity": 2,
                "hurts_running": True,
            }
        ]
        # Today's quality session becomes an easy run.
        today = await say(h, "/today")
        assert "Easy run" in today and "calf hurts when you run" in today


async def test_sore_achilles_is_a_niggle_not_general_soreness(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        h.onboard(ANA, start=PLAN_START)
        reply = await say(h, "sore achilles")
        assert "achilles" in reply
        assert of_type(h, "wellness") == []
        assert [n["where"] for n in of_type(h, "niggle")] == ["achilles"]
        reply = await say(h, "knee hurts when I run")
        assert "How bad is it?" in reply
        await h.tap(ANA, "Bad")
        assert "rest it for the next 3 days" in h.last(ANA).plain_text


async def test_a_niggle_that_does_not_hurt_running_leaves_the_plan(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        h.onboard(ANA, start=PLAN_START)
        await say(h, "calf a bit tight but not when running")
        assert "the plan stays" in h.last(ANA).plain_text
        assert "8×150 m controlled" in await say(h, "/today")


async def test_busy_week_is_the_stress_signal_of_the_busy_week_rule(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        h.onboard(ANA, start=PLAN_START)
        reply = await say(h, "busy week")
        assert "stress 4/5" in reply and "two stressed days" in reply
        await h.advance(timedelta(days=1))
        await say(h, "work is crazy this week")
        stress = [(w["date"], w["stress"]) for w in of_type(h, "wellness")]
        assert stress == [("2026-12-09", 4), ("2026-12-10", 4)]


# --- 5. small replies --------------------------------------------------------------------------


async def test_checkin_with_arguments_is_refused_like_every_command(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        h.onboard(ANA, start=PLAN_START)
        reply = await say(h, "/checkin 2027-02-30")
        assert "/checkin doesn't need anything after it" in reply
        assert "How did it go?" not in reply
        with h.runtime.sessions() as session:
            athlete = repo.get_athlete_by_telegram_id(session, ANA)
            assert athlete is not None and athlete.id is not None
            assert repo.get_conversation(session, athlete.id) is None


async def test_no_or_keep_typed_at_delete_keeps_everything(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        h.onboard(ANA, start=PLAN_START)
        await say(h, "rhr 50")
        for answer in ("no", "Keep"):
            await say(h, "/delete")
            assert "kept everything" in await say(h, answer)
        await say(h, "/delete")
        assert "tap Delete everything" in await say(h, "yes")  # typing is not enough
        assert of_type(h, "rhr") != []
        assert "kept everything" in await say(h, "nope")
        assert "Logged" in await say(h, "rhr 51")  # the question lapsed


async def test_cancel_at_delete_keeps_everything_and_the_checkin_carries_on(
    tmp_path: Path,
) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        h.onboard(ANA, start=PLAN_START)
        await say(h, "/checkin")
        await h.tap(ANA, "Done")
        await say(h, "/delete")
        assert "kept everything" in await say(h, "/cancel")
        await say(h, "6")  # the check-in's effort question, as before /delete
        assert of_type(h, "run")[-1]["rpe"] == 6


async def test_a_thumbs_up_gets_a_short_friendly_reply(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        h.onboard(ANA, start=PLAN_START)
        for text in ("👍", "thanks!"):
            reply = await say(h, text)
            assert "Anytime" in reply and "didn't catch" not in reply and "/deload" not in reply
        assert events(h) == []


async def test_cancel_during_a_checkin_says_what_was_kept(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        h.onboard(ANA, start=PLAN_START)
        await say(h, "/checkin")
        await h.tap(ANA, "Done")
        await h.tap(ANA, "7")
        reply = await say(h, "/cancel")
        assert "kept what you already told me for Wed 9 Dec" in reply
        assert "RPE 7" in reply and "Nothing half-finished" not in reply
        assert of_type(h, "run")[-1]["rpe"] == 7
        await h.advance(timedelta(days=2))  # Friday, the next run day
        await say(h, "/checkin")  # nothing answered yet: nothing begun to stop
        assert "nothing to cancel" in await say(h, "/cancel")


async def test_a_bot_gets_no_reply_and_no_row(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        other_bot = 3003
        h.emulator.register_user(other_bot, "Botty")
        h.emulator.users[other_bot] = _BotUser(other_bot, "Botty")
        await h.say(other_bot, "hello")
        assert h.emulator.bot_messages(other_bot) == []
        with h.runtime.sessions() as session:
            assert repo.get_athlete_by_telegram_id(session, other_bot) is None


async def test_a_refused_tap_from_a_stranger_leaves_no_row(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        h.onboard(ANA, start=PLAN_START)
        await say(h, "/deload")
        old = h.latest_with_buttons(ANA)
        await say(h, "/delete")
        await h.tap(ANA, "Delete everything")
        query = await h.tap(ANA, "Yes", old)  # a button from before the deletion
        assert h.emulator.callback_queries[query].answered
        with h.runtime.sessions() as session:
            assert repo.get_athlete_by_telegram_id(session, ANA) is None


class _BotUser(SimulatedUser):
    def to_api(self) -> dict[str, Any]:
        return {**super().to_api(), "is_bot": True}
