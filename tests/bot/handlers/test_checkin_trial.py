"""A time trial's result typed at the trial day's check-in: confirmed once, then it sets paces."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from tests.bot.factories import onboard
from tests.bot.handlers.test_checkin import (
    WEDNESDAY,
    bot_count,
    move_to_next,
    of_type,
    planned,
)
from tests.bot.harness import ANA, BotHarness


def new_runner(h: BotHarness, today: date, **profile: object) -> None:
    """No result yet: the first week's quality session (Wednesday) is the 5K time trial."""
    monday = today - timedelta(days=today.weekday())
    onboard(h.runtime, ANA, start=monday, onboarded_at=h.clock.now(), fitness=None, **profile)


async def to_distance_step(h: BotHarness) -> None:
    await h.say(ANA, "/checkin")
    await h.tap(ANA, "Done")
    await h.tap(ANA, "9")
    await h.tap(ANA, "8")


async def test_a_result_at_the_trial_checkin_sets_the_paces(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        today = await move_to_next(h, WEDNESDAY)
        new_runner(h, today)
        assert planned(h, ANA, today).title.startswith("5K time trial")
        await to_distance_step(h)
        count = bot_count(h, ANA)

        await h.say(ANA, "5k 23:10")
        asked = h.last(ANA).plain_text
        assert "Your 5K time trial: 23:10? That sets your paces." in asked
        assert of_type(h, ANA, "time_trial") == []  # nothing before the tap
        await h.tap(ANA, "Yes")

        assert of_type(h, ANA, "time_trial") == [
            {"type": "time_trial", "date": today.isoformat(), "distance_m": 5000, "time_s": 1390}
        ]
        assert bot_count(h, ANA) == count  # still the one check-in message
        assert "resting heart rate" in h.last(ANA).plain_text
        await h.say(ANA, "/paces")
        assert "VDOT" in h.last(ANA).plain_text and "23:10 5K" in h.last(ANA).plain_text


async def test_a_big_jump_says_so_and_no_logs_a_run(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        today = await move_to_next(h, WEDNESDAY)
        new_runner(h, today)
        await h.say(ANA, "/trial 5k 30:00")  # VDOT about 31 before the trial
        await to_distance_step(h)

        await h.say(ANA, "5k 23:10")
        asked = h.last(ANA).plain_text
        assert "Your 5K time trial: 23:10?" in asked
        assert "big jump" in asked and "more than 10 %" in asked
        await h.tap(ANA, "No")

        trials = of_type(h, ANA, "time_trial")
        assert [t["time_s"] for t in trials] == [1800]  # only the /trial result
        run = of_type(h, ANA, "run")[0]
        assert run["distance_m"] == 5000 and round(run["duration_min"] * 60) == 1390
        assert "resting heart rate this morning" in h.last(ANA).plain_text


async def test_typed_yes_confirms_and_other_text_asks_again(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        today = await move_to_next(h, WEDNESDAY)
        new_runner(h, today, units="mi")
        await to_distance_step(h)
        await h.say(ANA, "3.1 mi 24:00")
        assert "time trial: 24:00?" in h.last(ANA).plain_text

        await h.say(ANA, "maybe")
        assert (
            h.last(ANA).plain_text
            == "Tap Yes if that was your time trial, or No to log it as a run."
        )
        assert of_type(h, ANA, "time_trial") == []
        await h.say(ANA, "yes")
        trial = of_type(h, ANA, "time_trial")
        assert len(trial) == 1 and trial[0]["time_s"] == 1440
        checkin = h.latest_with_buttons(ANA)  # edited in place, after the "Tap Yes" reply
        assert "⏱ Time trial: 3.1 mi in 24:00" in checkin.plain_text


async def test_a_plain_run_day_never_asks_about_a_trial(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        today = await move_to_next(h, WEDNESDAY)
        monday = today - timedelta(days=today.weekday())
        onboard(h.runtime, ANA, start=monday - timedelta(days=7), onboarded_at=h.clock.now())
        assert planned(h, ANA, today).type != "time_trial"
        await to_distance_step(h)
        await h.say(ANA, "5k 23:10")
        assert "time trial" not in h.last(ANA).plain_text
        assert of_type(h, ANA, "time_trial") == []
        assert of_type(h, ANA, "run")[0]["distance_m"] == 5000
