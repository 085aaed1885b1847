"""Issue 8, through the emulator: `/pause` on a Tuesday keeps Monday's done run a run."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tests.bot.harness import ANA, BotHarness
from tests.e2e.test_history_defects import log_as_planned, plan_now

MON_WED_FRI_SAT = {
    "run_days": ["mon", "wed", "fri", "sat"],
    "quality_day": "wed",
    "long_run_day": "sat",
}


async def test_pause_on_tuesday_keeps_mondays_run(tmp_path: Path) -> None:
    tuesday = datetime(2027, 1, 19, 9, 0, tzinfo=UTC)  # week 3 of a plan from 4 Jan
    async with BotHarness.started(tmp_path, start_at=tuesday) as h:
        h.onboard(ANA, start=date(2027, 1, 4), time_zone="UTC", **MON_WED_FRI_SAT)
        today = tuesday.date()
        log_as_planned(h, today)  # Monday's run is done
        monday = today - timedelta(days=1)
        before = plan_now(h, today).week.session_on(monday)
        assert before.type != "rest"

        await h.say(ANA, "/pause")
        if "paused since" not in h.last(ANA).plain_text.lower():
            await h.tap(ANA, "Travel", h.latest_with_buttons(ANA))

        after = plan_now(h, today + timedelta(days=3)).week
        assert after.kind == "paused"
        assert after.session_on(monday) == before
        assert all(s.type == "rest" for s in after.sessions[(today - after.start).days :])
