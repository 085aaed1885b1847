"""Moving a session over the emulator: typed, or with the buttons under /week."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from bot.texts import moves as texts
from bot.views import MoveTap
from tests.bot.handlers.test_checkin import (
    athlete_of,
    move_to_next,
    of_type,
    planned,
    runner,
)
from tests.bot.harness import ANA, BEN, BotHarness

TUESDAY = 1  # the default plan: Mon easy, Wed quality, Fri easy, Sat long


def week_days(today: date) -> list[date]:
    monday = today - timedelta(days=today.weekday())
    return [monday + timedelta(days=n) for n in range(7)]


async def test_swap_thursday_and_friday_moves_fridays_run(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        today = await move_to_next(h, TUESDAY)
        runner(h, ANA, today)
        _, _, wed, thu, fri, _, _ = week_days(today)
        assert (planned(h, ANA, thu).type, planned(h, ANA, fri).type) == ("rest", "strides")

        await h.say(ANA, "swap Thursday and Friday")
        assert h.last(ANA).plain_text.startswith("Done: ")
        assert "Easy run with strides is now on Thu" in h.last(ANA).plain_text
        assert of_type(h, ANA, "session_move") == [
            {
                "type": "session_move",
                "date": today.isoformat(),
                "from_day": fri.isoformat(),
                "to_day": thu.isoformat(),
            }
        ]
        assert planned(h, ANA, thu).type == "strides" and planned(h, ANA, fri).type == "rest"
        assert planned(h, ANA, thu).note == "Moved from Friday."
        await h.say(ANA, "/week")
        assert "Thu" in h.last(ANA).plain_text and planned(h, ANA, wed).type == "quality"


async def test_a_move_against_the_48h_rule_says_why_and_offers_days(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        today = await move_to_next(h, TUESDAY)
        runner(h, ANA, today)
        _, tue, wed, thu, _, sat, _ = week_days(today)

        await h.say(ANA, "move Wednesday's session to Friday")
        reply = h.last(ANA)
        assert "long run right next to a hard day" in reply.plain_text
        assert of_type(h, ANA, "session_move") == []
        offered = [b["text"] for row in reply.inline_keyboard or [] for b in row]
        assert [label.split(":")[0] for label in offered] == [
            f"{d:%a} {d.day} {d:%b}" for d in (tue, thu, sat)
        ]
        await h.tap(ANA, f"{thu:%a} {thu.day}")
        assert planned(h, ANA, thu).type == "quality" and planned(h, ANA, wed).type == "rest"
        assert len(of_type(h, ANA, "session_move")) == 1


async def test_cant_run_offers_the_days_that_work(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        today = await move_to_next(h, TUESDAY)
        runner(h, ANA, today)
        mon, _, _, thu, *_ = week_days(today)

        await h.say(ANA, "can't run Thursday")
        assert (
            h.last(ANA).plain_text
            == f"{thu:%a} {thu.day} {thu:%b} is a rest day already, so there's nothing to move."
        )
        await h.say(ANA, "I can't run on Monday")
        assert "already behind us" in h.last(ANA).plain_text
        await h.say(ANA, "I can't make Wednesday")
        assert "can go on one of these days" in h.last(ANA).plain_text
        await h.tap(ANA, f"{thu:%a} {thu.day}")
        assert planned(h, ANA, thu).type == "quality"
        assert h.last(ANA).plain_text.startswith("Done: ")
        assert of_type(h, ANA, "session_move")[0]["to_day"] == thu.isoformat()
        assert planned(h, ANA, mon).type == "strides"  # days already gone stay as they were


async def test_the_move_button_under_week(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        today = await move_to_next(h, TUESDAY)
        runner(h, ANA, today)
        _, tue, wed, *_ = week_days(today)

        await h.say(ANA, "/week")
        await h.tap(ANA, "Move a session")
        menu = h.last(ANA)
        assert texts.WHICH_SESSION in menu.plain_text
        labels = [b["text"] for row in menu.inline_keyboard or [] for b in row]
        assert all(not label.startswith("Mon") for label in labels)  # Monday is gone
        await h.tap(ANA, f"{wed:%a} {wed.day}")
        assert "These days keep the week safe" in h.last(ANA).plain_text
        await h.tap(ANA, f"{tue:%a} {tue.day}")
        assert planned(h, ANA, tue).type == "quality" and planned(h, ANA, wed).type == "rest"


async def test_other_weeks_forged_and_stale_taps_change_nothing(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path) as h:
        today = await move_to_next(h, TUESDAY)
        runner(h, ANA, today)
        runner(h, BEN, today)
        _, _, wed, thu, *_ = week_days(today)

        await h.say(ANA, "move Thursday to Friday next week")
        assert "only move sessions within this week" in h.last(ANA).plain_text
        await h.say(ANA, "/week")
        message = h.latest_with_buttons(ANA).message_id
        with h.runtime.sessions() as db:
            ben = athlete_of(db, BEN).id
            ana = athlete_of(db, ANA).id
        assert ben is not None and ana is not None
        move = MoveTap(ben, wed, thu.strftime("%Y%m%d")).pack()
        await h.tap_data(ANA, move, message)  # another runner's button
        next_week = MoveTap(ana, wed + timedelta(days=7), "pick").pack()
        await h.tap_data(ANA, next_week, message)
        await h.tap_data(ANA, f"mv:{ana}:{wed:%Y%m%d}:99999999", message)
        assert of_type(h, ANA, "session_move") == [] and of_type(h, BEN, "session_move") == []
        assert planned(h, ANA, wed).type == "quality"
