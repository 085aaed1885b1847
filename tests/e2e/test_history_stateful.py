"""Random runners through the real handlers on the emulator: the history stays the truth.

A hypothesis state machine plays a runner: check-ins, free-text logs with and without a
date, second runs and corrections, /start with new run days, /pause and /resume, /deload,
restarts, redelivered updates, time moving on. After every step:

1. every finished week's decision, step and sessions are what they were before the step,
   unless the step explicitly told the bot about a day of that week (or an earlier one);
2. every fact the bot stored is still in /export: appended facts exactly, keyed answers
   (a check-in's run, a morning reading) changed only by a step about that day;
3. the replay of /export is what /week shows.

Few examples, short runs: each step is a real round trip (about 0.3 s).
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from contextlib import AsyncExitStack
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from bot.store import repo
from coach.decision import day_label
from coach.history import history_from_dict
from coach.replay import plan
from tests.bot.harness import ANA, BotHarness

PLAN_START = date(2027, 1, 4)
FIRST_MORNING = datetime(2027, 1, 18, 8, 0, tzinfo=UTC)  # Monday of week 3
DAY_SETS = (  # each differs from the first profile's mon/wed/fri/sat
    ("tue thu sat sun", "tue", "sun"),
    ("mon tue thu sat", "tue", "sat"),
    ("mon wed fri sun", "fri", "sun"),
)

Stored = list[tuple[str | None, dict[str, Any]]]
WeekView = tuple[str, int, str, tuple[tuple[date, str, str, int], ...]]


class RunnerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.stack = AsyncExitStack()
        self.tmp = tempfile.TemporaryDirectory()
        self.h: BotHarness = self.run(
            self.stack.enter_async_context(
                BotHarness.started(Path(self.tmp.name), start_at=FIRST_MORNING)
            )
        )
        self.h.onboard(ANA, start=PLAN_START, time_zone="UTC")
        self.touched: date | None = None  # the earliest day the last step told us about
        self.weeks: dict[int, WeekView] = {}
        self.stored: Stored = []

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    def teardown(self) -> None:
        try:
            self.run(self.stack.aclose())
        finally:
            self.loop.close()
            self.tmp.cleanup()

    # --- reading the store and the replay ------------------------------------------------

    @property
    def today(self) -> date:
        return self.h.clock.now().date()

    def events(self) -> Stored:
        with self.h.runtime.sessions() as session:
            athlete = repo.get_athlete_by_telegram_id(session, ANA)
            assert athlete is not None and athlete.id is not None
            return [(e.dedupe_key, dict(e.payload)) for e in repo.events_for(session, athlete.id)]

    def finished_weeks(self) -> dict[int, WeekView]:
        with self.h.runtime.sessions() as session:
            athlete = repo.get_athlete_by_telegram_id(session, ANA)
            assert athlete is not None
            history = history_from_dict(repo.history_for(session, athlete))
        return {
            w.index: (
                w.decision.action,
                w.step,
                w.kind,
                tuple((s.date, s.type, s.title, s.planned_min) for s in w.sessions),
            )
            for w in plan(history, self.today, 0).history
        }

    def before_step(self, touched: date | None = None) -> None:
        self.weeks = self.finished_weeks()
        self.stored = self.events()
        self.touched = touched

    # --- the runner's actions --------------------------------------------------------------

    @initialize()
    def snapshot(self) -> None:
        self.before_step()

    @rule(rpe=st.integers(1, 10), quality=st.integers(1, 10), changed=st.booleans())
    def check_in(self, rpe: int, quality: int, changed: bool) -> None:
        self.before_step(self.today)
        self.run(self.h.say(ANA, "/checkin"))
        message = self.h.last(ANA)
        labels = [b.get("text", "") for row in message.inline_keyboard or [] for b in row]
        if not any("Done" in label for label in labels):
            return  # a rest day, or a check-in answered already
        self.run(self.h.tap(ANA, "Changed" if changed else "Done"))
        if changed:
            self.run(self.h.tap(ANA, "An easy run"))
        self.run(self.h.tap(ANA, str(rpe)))  # the first label with it: 1 before 10
        self.run(self.h.tap(ANA, str(quality)))

    @rule(
        minutes=st.integers(20, 90),
        pace=st.sampled_from([5.0, 6.0, 7.0]),
        days_back=st.sampled_from([0, 0, 1, 3, 9]),
        dated=st.booleans(),
        answer=st.sampled_from(["A second run", "A correction"]),
    )
    def log_a_run(
        self, minutes: int, pace: float, days_back: int, dated: bool, answer: str
    ) -> None:
        day = max(self.today - timedelta(days=days_back), PLAN_START)
        self.before_step(day)
        km = round(minutes / pace, 1)
        when = ""
        if day == self.today - timedelta(days=1) and not dated:
            when = " yesterday"
        elif day != self.today:
            when = f" on {day.isoformat()}"
        reply = self.run(self.h.say(ANA, f"ran {km:g}k in {minutes} min{when}"))
        if reply is not None and "already has a run" in reply.plain_text:
            self.run(self.h.tap(ANA, answer))

    @rule(days=st.sampled_from(DAY_SETS))
    def start_with_new_days(self, days: tuple[str, str, str]) -> None:
        self.before_step()
        run_days, quality, long_run = days
        for answer in (
            "/start",
            "no",
            run_days,
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
            self.run(self.h.say(ANA, answer))

    @rule()
    def pause_then_maybe_resume(self) -> None:
        self.before_step()
        self.run(self.h.say(ANA, "/pause"))
        if "paused since" not in self.h.last(ANA).plain_text.lower():
            message = self.h.latest_with_buttons(ANA)
            self.run(self.h.tap(ANA, "Illness", message))

    @rule()
    def resume(self) -> None:
        self.before_step()
        self.run(self.h.say(ANA, "/resume"))

    @rule()
    def deload(self) -> None:
        self.before_step()
        self.run(self.h.say(ANA, "/deload"))
        message = self.h.last(ANA)
        if message.inline_keyboard:
            self.run(self.h.tap(ANA, "Yes", message))

    @rule()
    def restart(self) -> None:
        self.before_step()
        self.run(self.h.restart())

    @rule()
    def redeliver_the_last_update(self) -> None:
        self.before_step()
        log = self.h.emulator._update_log  # every update ever created, by id
        if log:
            self.h.emulator.redeliver(max(log))
            self.run(self.h.settle())

    @rule(hours=st.sampled_from([5, 12, 24, 40]))
    def time_passes(self, hours: int) -> None:
        self.before_step()
        self.run(self.h.advance(timedelta(hours=hours)))

    # --- what must hold after every step -------------------------------------------------

    @invariant()
    def past_weeks_stay_as_they_were(self) -> None:
        after = self.finished_weeks()
        for index, week in self.weeks.items():
            start = PLAN_START + timedelta(weeks=index)
            if self.touched is not None and self.touched < start + timedelta(days=7):
                continue  # the step told us about a day of this week or before it
            assert after[index] == week, f"week {index + 1} changed"

    @invariant()
    def stored_facts_are_kept(self) -> None:
        now = self.events()
        appended = [p for key, p in self.stored if key is None]
        remaining = [p for key, p in now if key is None]
        for payload in appended:
            assert payload in remaining, payload
            remaining.remove(payload)
        keyed = {key: p for key, p in now if key is not None}
        for key, payload in self.stored:
            if key is None:
                continue
            assert key in keyed, key  # a keyed answer is corrected, never dropped
            if keyed[key] != payload:
                day = date.fromisoformat(payload["date"])
                assert self.touched is not None and day >= self.touched, (key, payload)

    @invariant()
    def export_replays_to_what_week_shows(self) -> None:
        if self.today < PLAN_START:
            return
        documents = len([m for m in self.h.emulator.bot_messages(ANA) if m.document])
        self.run(self.h.say(ANA, "/export"))
        exported = [m for m in self.h.emulator.bot_messages(ANA) if m.document]
        assert len(exported) == documents + 2
        json_doc = exported[-2]
        assert json_doc.document is not None
        raw = json.loads(json_doc.document.content)
        stored_payloads = [p for _, p in self.events()]
        assert all(p in raw["events"] for p in stored_payloads)
        replayed = plan(history_from_dict(raw), self.today, 1)
        self.run(self.h.say(ANA, "/week"))
        week_text = self.h.last(ANA).plain_text
        for s in replayed.week.sessions:
            minutes = f" · {s.planned_min} min" if s.planned_min else ""
            assert f"{day_label(s.date)}: {s.title}{minutes}" in week_text, (s, week_text)


RunnerMachine.TestCase.settings = settings(
    max_examples=5,
    stateful_step_count=8,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
test_the_runners_history_is_the_truth = RunnerMachine.TestCase
