"""/stats and /progress: the text paths through the emulator, the chart paths on a Turn."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session
from telegram import Update

from bot import charts, coaching
from bot.handlers import insight
from bot.handlers.common import Turn
from bot.store.models import Athlete
from bot.texts import common
from bot.texts import insight as texts
from bot.views import Keyboard, esc
from coach.history import RestingHR, Run, TimeTrial
from coach.replay import plan
from emulator.models import MessageRecord
from tests.bot.conftest import MakeAthlete
from tests.bot.factories import onboard, profile_dict
from tests.bot.harness import ANA, BotHarness

# Wednesday 2 Dec 2026, 09:00 in Berlin.
WEDNESDAY = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# --- through the emulator: everything that answers in words ---------------------------


async def test_stats_in_the_first_week_says_it_is_too_early(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        onboard(h.runtime, ANA, start=date(2026, 11, 30))
        reply = await h.say(ANA, "/stats")
        assert reply is not None and "Not much to chart yet" in reply.plain_text
        assert len(h.texts(ANA)) == 1  # one answer, not a second "unknown command"


async def test_stats_and_progress_refuse_junk_after_the_command(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        onboard(h.runtime, ANA, start=date(2026, 11, 23))
        for command in ("stats", "progress"):
            reply = await h.say(ANA, f"/{command} please")
            assert reply is not None
            assert reply.plain_text == common.COMMAND_TAKES_NO_ARGUMENTS.format(command=command)


async def test_before_the_plan_starts_both_say_when_it_does(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        onboard(h.runtime, ANA, start=date(2026, 12, 7))
        for command in ("/stats", "/progress"):
            reply = await h.say(ANA, command)
            assert reply is not None and "Your plan starts on Mon 7 Dec" in reply.plain_text


async def test_progress_without_any_result_points_to_trial(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        onboard(h.runtime, ANA, start=date(2026, 11, 23), fitness=None)
        reply = await h.say(ANA, "/progress")
        assert reply is not None and "No race or time trial yet" in reply.plain_text
        assert "/trial" in reply.plain_text


async def test_not_set_up_gets_the_start_prompt(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        h.emulator.register_user(ANA, "Ana")
        reply = await h.say(ANA, "/stats")
        assert reply is not None and reply.plain_text == common.NOT_SET_UP


# --- on a Turn: the chart replies, whatever Reply looks like today ---------------------


@dataclass
class RecordingTurn(Turn):
    """A Turn that keeps what was said with every keyword, so the photo path can be
    tested before Reply grows its `photo` field."""

    said: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def say(self, text: str, keyboard: Keyboard | None = None, **kwargs: Any) -> None:
        self.said.append((text, kwargs))


def command(text: str) -> Update:
    return cast(Update, SimpleNamespace(effective_message=SimpleNamespace(text=text)))


def turn_for(session: Session, athlete: Athlete, today: date) -> RecordingTurn:
    now = datetime.combine(today, datetime.min.time(), tzinfo=UTC) + timedelta(hours=10)
    return RecordingTurn(session=session, athlete=athlete, now=now, runtime=cast(Any, None))


def log_weeks(session: Session, athlete: Athlete, start: date, weeks: int) -> date:
    """Every planned session run at its target RPE, and a resting HR of 50 each morning."""
    today = start + timedelta(weeks=weeks, days=-1)
    for offset in range(weeks * 7):
        day = start + timedelta(days=offset)
        planned = plan(coaching.history_of(session, athlete), day, 0).session_on(day)
        assert planned is not None
        coaching.record(session, athlete, RestingHR(day, 50), today=today)
        if planned.type != "rest":
            run = Run(day, planned.planned_min, rpe=planned.target_rpe or 3)
            coaching.record(session, athlete, run, today=today)
    return today


def test_stats_sends_the_chart_as_a_photo_with_the_headline(
    sessions: sessionmaker[Session], make_athlete: MakeAthlete
) -> None:
    start = date(2026, 11, 2)
    athlete = make_athlete(profile=profile_dict(start))
    with sessions() as session, session.begin():
        today = log_weeks(session, athlete, start, 3)
        turn = turn_for(session, athlete, today)
        insight.stats(turn, command("/stats"))
    [(caption, extra)] = turn.said
    assert caption.startswith("<b>Load is")  # the computed headline leads the caption
    assert "resting HR is normal" in caption
    assert "photo" not in extra  # drawn after the commit, off the event loop
    assert asyncio.run(extra["draw"]())[:8] == PNG_SIGNATURE


def test_stats_reads_the_journals_replay_not_a_cold_one_of_its_own(
    sessions: sessionmaker[Session], make_athlete: MakeAthlete, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = date(2026, 11, 2)
    athlete = make_athlete(profile=profile_dict(start))
    with sessions() as session, session.begin():
        today = log_weeks(session, athlete, start, 3)
        turn = turn_for(session, athlete, today)
        expected = charts.stats_data(turn.journal.history, today)  # the cold replay's numbers

        def no_cold_replay(*args: object, **kwargs: object) -> None:
            raise AssertionError("/stats replayed the history itself")

        monkeypatch.setattr(charts, "plan", no_cold_replay)
        insight.stats(turn, command("/stats"))
        shared = turn.journal._plan  # what the journal replayed for this update
        assert shared is not None and turn.journal.plan() is shared  # no second replay
    [(caption, _)] = turn.said
    assert expected is not None and esc(expected.headline) in caption


def test_progress_sends_the_chart_as_a_photo(
    sessions: sessionmaker[Session], make_athlete: MakeAthlete
) -> None:
    start = date(2026, 11, 2)
    athlete = make_athlete(profile=profile_dict(start))
    with sessions() as session, session.begin():
        today = start + timedelta(days=16)
        coaching.record(session, athlete, TimeTrial(today, 5000, 1300), today=today)
        turn = turn_for(session, athlete, today)
        insight.progress(turn, command("/progress"))
    [(caption, extra)] = turn.said
    assert caption.startswith("<b>VDOT up 2.0 since 2 Nov: a 21:40 5K now</b>")
    assert caption.endswith(texts.PROGRESS_CAPTION.split("\n")[1])
    assert asyncio.run(extra["draw"]())[:8] == PNG_SIGNATURE


async def photo_reply(h: BotHarness, command: str) -> MessageRecord:
    """The chart is drawn on a worker thread after the commit, longer than the harness's
    quiet spell: wait for the photo itself."""
    before = len(h.emulator.bot_messages(ANA))
    h.emulator.user_sends_text(ANA, command)
    return await h.emulator.wait_for(
        lambda: next((m for m in h.emulator.bot_messages(ANA)[before:] if m.photo), None), 20.0
    )


async def test_stats_arrives_as_a_photo_through_telegram(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        athlete = h.onboard(ANA, start=date(2026, 11, 9))
        with h.runtime.sessions() as session, session.begin():
            log_weeks(session, athlete, date(2026, 11, 9), 3)
        reply = await photo_reply(h, "/stats")
        assert reply.photo is not None
        assert reply.photo.content[:8] == PNG_SIGNATURE
        assert len(reply.plain_text) <= 1024  # a caption's limit


async def test_progress_arrives_as_a_photo_after_a_trial(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        h.onboard(ANA, start=date(2026, 11, 9))
        await h.say(ANA, "/trial 5k 21:40")
        reply = await photo_reply(h, "/progress")
        assert reply.photo is not None
        assert reply.photo.content[:8] == PNG_SIGNATURE
