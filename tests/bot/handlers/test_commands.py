"""The command family, driven through the emulator like a runner would."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot import coaching
from bot.store import repo
from coach.history import Run
from tests.bot.factories import onboard
from tests.bot.harness import ANA, BEN, BotHarness

# Wednesday 2 Dec 2026, 09:00 in Berlin: a quality day in the factory's profile.
WEDNESDAY = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
PLAN_START = date(2026, 11, 23)


def events(h: BotHarness, user: int = ANA) -> list[dict[str, object]]:
    with h.runtime.sessions() as session:
        athlete = repo.get_athlete_by_telegram_id(session, user)
        assert athlete is not None and athlete.id is not None
        return [e.payload for e in repo.events_for(session, athlete.id)]


async def test_today_shows_the_session_with_paces_and_asks_the_rhr(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        onboard(h.runtime, ANA, start=PLAN_START)
        reply = await h.say(ANA, "/today")
        assert reply is not None
        text = reply.plain_text
        assert "Today: 8×150 m controlled" in text  # held: week 1 was never reported
        assert "/km" in text and "Warm-up" in text and "Target RPE 6/10" in text
        assert not reply.inline_keyboard  # no baseline yet: typed once, not guessed buttons
        await h.say(ANA, "52")
        assert events(h) == [{"date": "2026-12-02", "type": "rhr", "bpm": 52}]
        assert "Logged a resting heart rate of 52" in h.last(ANA).plain_text
        reply = await h.say(ANA, "/today")
        assert reply is not None and "resting heart rate this morning" not in reply.plain_text


async def test_week_marks_what_was_done_and_gives_the_decision(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        athlete = onboard(h.runtime, ANA, start=PLAN_START)
        with h.runtime.sessions() as session, session.begin():
            coaching.record(
                session, athlete, Run(date(2026, 11, 30), 40, rpe=3), today=date(2026, 12, 2)
            )
        reply = await h.say(ANA, "/week")
        assert reply is not None
        text = reply.plain_text
        assert "Week 2" in text and "✅ Mon 30 Nov" in text
        assert "Decision: hold" in text  # week 1's quality session was never reported
        assert "Next week" in text


async def test_deload_asks_then_lightens_and_a_second_tap_changes_nothing(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        onboard(h.runtime, ANA, start=PLAN_START)
        await h.say(ANA, "/deload")
        confirm = h.latest_with_buttons(ANA)
        yes = next(b["callback_data"] for b in confirm.buttons if "Yes" in b["text"])
        await h.tap(ANA, "Yes")
        summary = h.last(ANA).plain_text
        assert "the rest of this week is lighter" in summary
        assert "Wed 2 Dec: 8×150 m controlled" in summary and "Technique run" in summary
        assert "Next week:" in summary and "deload" in summary
        assert [e["type"] for e in events(h)] == ["deload_request"]
        await h.tap_data(ANA, yes, confirm.message_id)  # the same button again
        assert [e["type"] for e in events(h)] == ["deload_request"]
        reply = await h.say(ANA, "/week")
        assert reply is not None and "You asked for a deload on Wed 2 Dec" in reply.plain_text


async def test_forged_and_malformed_buttons_change_nothing(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        onboard(h.runtime, ANA, start=PLAN_START)
        ben = onboard(h.runtime, BEN, start=PLAN_START)
        await h.say(ANA, "/deload")
        message = h.latest_with_buttons(ANA)
        for data in (
            f"dl:{ben.id}:20261202:yes",
            "dl:x:y",
            "dl:",
            "zz:1:2",
            "rhr:1:20261202:999",
            "pz:1:20261202:holiday",
        ):
            query = await h.tap_data(ANA, data, message.message_id)
            answer = h.emulator.callback_queries[query]
            assert answer.answered and answer.answer_text  # a polite notice on the button
        assert events(h) == [] and events(h, BEN) == []


async def test_rhr_command_validates(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        onboard(h.runtime, ANA, start=PLAN_START)
        for bad in ("/rhr 300", "/rhr 20", "/rhr abc", "/rhr"):
            reply = await h.say(ANA, bad)
            assert (reply is not None and "/rhr 52" in reply.plain_text) or "25" in reply.plain_text
        assert events(h) == []
        await h.say(ANA, "/rhr 49 ❤️")
        assert events(h) == [{"date": "2026-12-02", "type": "rhr", "bpm": 49}]


async def test_trial_recalibrates_and_shows_old_and_new(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        onboard(h.runtime, ANA, start=PLAN_START)
        await h.say(ANA, "/trial")
        reply = await h.say(ANA, "5k in 5:00")
        assert reply is not None and events(h) == []  # a 5K in 5 minutes is refused
        reply = await h.say(ANA, "5k 21:40")
        assert reply is not None
        assert "Before" in reply.plain_text and "Now" in reply.plain_text
        assert events(h) == [
            {"date": "2026-12-02", "type": "time_trial", "distance_m": 5000, "time_s": 1300}
        ]
        reply = await h.say(ANA, "/paces")
        assert reply is not None and "VDOT 45.3" in reply.plain_text


async def test_pause_and_resume(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        onboard(h.runtime, ANA, start=PLAN_START)
        await h.say(ANA, "/pause")
        await h.tap(ANA, "Illness")
        assert "Paused (illness)" in h.last(ANA).plain_text
        reply = await h.say(ANA, "/today")
        assert reply is not None and "You're paused" in reply.plain_text
        reply = await h.say(ANA, "/pause")
        assert reply is not None and "already paused" in reply.plain_text
        await h.advance(timedelta(days=2))
        reply = await h.say(ANA, "/resume")
        assert reply is not None and "Welcome back" in reply.plain_text
        reply = await h.say(ANA, "/resume")
        assert reply is not None and "not paused" in reply.plain_text
        assert [e["type"] for e in events(h)] == ["pause", "resume"]


async def test_commands_with_junk_and_before_set_up(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        reply = await h.say(ANA, "/week")
        assert reply is not None and "/start" in reply.plain_text
        onboard(h.runtime, ANA, start=PLAN_START)
        reply = await h.say(ANA, "/week please now")
        assert reply is not None and "doesn't need anything" in reply.plain_text
        reply = await h.say(ANA, "/dance")
        assert reply is not None and "don't know that command" in reply.plain_text
        reply = await h.say(ANA, "/settings")
        assert reply is not None and "Europe/Berlin" in reply.plain_text


async def test_a_redelivered_update_changes_nothing_twice(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        onboard(h.runtime, ANA, start=PLAN_START)
        await h.say(ANA, "/pause")
        h.emulator.duplicate_next_update()  # Telegram delivers the tap twice
        await h.tap(ANA, "Travel")
        assert [e["type"] for e in events(h)] == ["pause"]
        paused = [t for t in h.texts(ANA) if t.startswith("Paused (travel)")]
        assert len(paused) == 1


async def test_resume_shows_the_restart_decision(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        onboard(h.runtime, ANA, start=PLAN_START)
        await h.say(ANA, "/pause")
        await h.tap(ANA, "Illness")
        await h.advance(timedelta(days=12))  # the following Monday
        reply = await h.say(ANA, "/resume")
        assert reply is not None and "Decision: resume" in reply.plain_text
        assert "days off" in reply.plain_text


async def test_a_log_typed_while_a_trial_is_asked_is_logged_not_refused(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        onboard(h.runtime, ANA, start=PLAN_START)
        await h.say(ANA, "/trial")
        reply = await h.say(ANA, "rhr 52")
        assert reply is not None and "Resting HR 52" in reply.plain_text
        assert events(h) == [{"date": "2026-12-02", "type": "rhr", "bpm": 52}]
        reply = await h.say(ANA, "5k 21:40")  # the trial question was left behind
        assert reply is not None and "Before" not in reply.plain_text


async def test_trial_names_the_race_and_pairs_paces_consistently(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        onboard(h.runtime, ANA, start=PLAN_START)
        await h.say(ANA, "/trial 5k 30:00")
        reply = await h.say(ANA, "/trial 5k 30:00")
        assert reply is not None and "Logged: 5K in 30:00" in reply.plain_text
        before, now = reply.plain_text.split("Now")
        assert before.split("VDOT", 1)[1].strip() == now.split("VDOT", 1)[1].strip()
