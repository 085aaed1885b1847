"""Session rendering: short reps lead with the rep's time, then the pace in the runner's units."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from bot.render import rep_time, session_html
from coach.model import Rep, Session
from coach.paces import format_pace
from tests.bot.factories import onboard
from tests.bot.handlers.test_checkin import WEDNESDAY, move_to_next, planned
from tests.bot.harness import ANA, BotHarness

DAY = date(2026, 12, 9)


def quality(*reps: Rep) -> Session:
    return Session(DAY, "quality", "reps", 45, 6, reps=reps)


def main_set(html: str) -> str:
    line = next(line for line in html.splitlines() if "Main set:" in line)
    return re.sub(r"<[^>]+>", "", line)


def test_short_reps_show_each_reps_time_and_the_pace() -> None:
    session = quality(Rep(6, 200, 240.0, 150))
    assert main_set(session_html(session, "km")) == (
        "Main set: 6×200 m in 48 s each (4:00/km), 2:30 easy between."
    )
    assert main_set(session_html(session, "mi")) == (
        f"Main set: 6×200 m in 48 s each ({format_pace(240.0, 'mi')}), 2:30 easy between."
    )


def test_only_the_short_reps_change_and_400_m_reads_in_minutes() -> None:
    session = quality(Rep(2, 1000, 250.0, 120), Rep(1, 400, 240.0, 0), Rep(4, 150, None, 60))
    line = main_set(session_html(session, "km"))
    assert line == (
        "Main set: 2×1000 m at 4:10/km (about 4:10 each), 2:00 easy between; "
        "400 m in 1:36 (4:00/km); 4×150 m by feel, controlled, 1:00 easy between."
    )


def test_rep_time_under_and_over_a_minute() -> None:
    assert [rep_time(35.6), rep_time(59.4), rep_time(60), rep_time(96)] == [
        "36 s",
        "59 s",
        "1:00",
        "1:36",
    ]


async def test_the_morning_session_of_a_miles_runner_times_each_150_m_rep(
    tmp_path: Path,
) -> None:
    async with BotHarness.started(tmp_path) as h:
        today = await move_to_next(h, WEDNESDAY)
        monday = today - timedelta(days=today.weekday())
        onboard(
            h.runtime, ANA, start=monday - timedelta(days=7), onboarded_at=h.clock.now(), units="mi"
        )
        session = planned(h, ANA, today)
        rep = session.reps[0]
        assert rep.distance_m == 150 and rep.pace_s_per_km is not None
        await h.say(ANA, "/today")
        text = h.last(ANA).plain_text
        seconds = rep_time(rep.pace_s_per_km * 0.15)
        assert (
            f"{rep.count}×150 m in {seconds} each ({format_pace(rep.pace_s_per_km, 'mi')})" in text
        )
        assert "/km" not in text
