"""Activity files over the emulator: downloaded, read, logged once on the runner's local date.

bot/app.py doesn't register the file handler yet, so each test adds it to the running
application itself: in group -1, ahead of the catch-all "can't read that" handler of group
0, and stopping there as it will once it sits before the catch-all in group 0.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bot import coaching
from bot.activity_files import MAX_DOWNLOAD_BYTES
from bot.store import repo
from bot.texts import common
from bot.texts import files as texts
from tests.bot.harness import ANA, BotHarness

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "activities"
FENIX_2_RUN = "activity-small-fenix2-run.fit"  # Sat 2015-08-15 14:45 UTC, 9,008 m in 47:12
FENIX_5_BIKE = "garmin-fenix-5-bike.fit"  # Mon 2017-06-12 16:09 UTC, 459.5 m in 1:00
RUN_DAY = date(2015, 8, 15)  # a Saturday: the long run in the default plan


@asynccontextmanager
async def bot_at(
    tmp_path: Path, now: datetime, plan_start: date | None, time_zone: str = "Europe/Berlin"
) -> AsyncIterator[BotHarness]:
    """The bot at `now`, with Ana onboarded on a plan from `plan_start` (None: not at all)."""
    async with BotHarness.started(tmp_path, start_at=now) as h:
        if plan_start is None:
            h.emulator.register_user(ANA, "Ana")
        else:
            h.onboard(ANA, start=plan_start, time_zone=time_zone)
        yield h


async def send_file(
    h: BotHarness, name: str, content: bytes | None = None, replies: int = 1
) -> list[str]:
    """Ana sends a file; returns the texts of the bot's replies to it."""
    before = len(h.emulator.bot_messages(ANA))
    body = (SAMPLES / name).read_bytes() if content is None else content
    h.emulator.user_sends_document(ANA, name, body, "application/octet-stream")
    # Parsing runs in a thread and can outlast the harness's quiet period: wait for replies.
    await h.emulator.wait_for_bot_messages(ANA, before + replies)
    await h.settle()
    return h.texts(ANA)[before:]


def stored(h: BotHarness) -> list[tuple[str | None, dict[str, Any]]]:
    with h.runtime.sessions() as session:
        athlete = repo.get_athlete_by_telegram_id(session, ANA)
        assert athlete is not None and athlete.id is not None
        return [(e.dedupe_key, dict(e.payload)) for e in repo.events_for(session, athlete.id)]


def fingerprint_key(name: str) -> str:
    return f"file:{hashlib.sha256((SAMPLES / name).read_bytes()).hexdigest()}"


# --- runs ---------------------------------------------------------------------------------


async def test_a_fit_run_becomes_the_days_check_in_run_and_asks_only_for_effort(
    tmp_path: Path,
) -> None:
    async with bot_at(tmp_path, datetime(2015, 8, 16, 10, 0, tzinfo=UTC), date(2015, 8, 10)) as h:
        logged, question = await send_file(h, FENIX_2_RUN, replies=2)

        assert stored(h) == [
            (
                "checkin:2015-08-15:run",
                {"type": "run", "date": "2015-08-15", "duration_min": 47.2, "distance_m": 9008.2},
            )
        ]
        assert "Logged from your file · Sat 15 Aug" in logged
        assert "Run: 47:12 · 9.01 km · 5:14 /km" in logged
        # The day's check-in, already past "how did it go?": what the file can't know.
        assert "Check-in · Sat 15 Aug" in question
        assert "How hard did it feel?" in question

        await h.tap(ANA, "6")
        await h.tap(ANA, "8")
        assert [run for _, run in stored(h)] == [
            {
                "type": "run",
                "date": "2015-08-15",
                "duration_min": 47.2,
                "distance_m": 9008.2,
                "rpe": 6,
                "quality": 8,
            }
        ]


async def test_a_file_keeps_the_check_in_answers_already_given(tmp_path: Path) -> None:
    async with bot_at(tmp_path, datetime(2015, 8, 16, 10, 0, tzinfo=UTC), date(2015, 8, 10)) as h:
        with h.runtime.sessions() as session, session.begin():
            athlete = repo.get_athlete_by_telegram_id(session, ANA)
            assert athlete is not None
            told = {"type": "run", "date": "2015-08-15", "duration_min": 45, "rpe": 7, "quality": 8}
            coaching.record(
                session,
                athlete,
                told,
                today=date(2015, 8, 16),
                dedupe_key="checkin:2015-08-15:run",
                replace=True,
            )

        (reply,) = await send_file(h, FENIX_2_RUN)

        assert "Updated Sat 15 Aug's run with your file" in reply
        assert stored(h) == [
            (
                "checkin:2015-08-15:run",
                {
                    "type": "run",
                    "date": "2015-08-15",
                    "duration_min": 47.2,  # the watch's time wins over the time told
                    "distance_m": 9008.2,
                    "rpe": 7,
                    "quality": 8,
                },
            )
        ]


async def test_the_local_date_is_the_runners_not_utc(tmp_path: Path) -> None:
    # 14:45 UTC on Saturday is 02:45 on Sunday in Auckland: a rest day in the plan, so the
    # run is a fact of its own, kept under the file's fingerprint, and there's no check-in.
    now = datetime(2015, 8, 17, 0, 0, tzinfo=UTC)
    async with bot_at(tmp_path, now, date(2015, 8, 10), time_zone="Pacific/Auckland") as h:
        (reply,) = await send_file(h, FENIX_2_RUN)

        assert stored(h) == [
            (
                fingerprint_key(FENIX_2_RUN),
                {"type": "run", "date": "2015-08-16", "duration_min": 47.2, "distance_m": 9008.2},
            )
        ]
        assert "Sun 16 Aug" in reply


async def test_the_same_run_file_twice_is_logged_once(tmp_path: Path) -> None:
    async with bot_at(tmp_path, datetime(2015, 8, 16, 10, 0, tzinfo=UTC), date(2015, 8, 10)) as h:
        await send_file(h, FENIX_2_RUN, replies=2)
        again = await send_file(h, FENIX_2_RUN, replies=2)

        assert len(stored(h)) == 1
        assert "I already have this one (Sat 15 Aug), so nothing changed." in again[0]
        assert "How hard did it feel?" in again[1]  # still unanswered, so asked again


# --- other sports -------------------------------------------------------------------------


async def test_a_bike_ride_is_cross_training_logged_once(tmp_path: Path) -> None:
    async with bot_at(tmp_path, datetime(2017, 6, 13, 10, 0, tzinfo=UTC), date(2017, 6, 5)) as h:
        (reply,) = await send_file(h, FENIX_5_BIKE)
        (again,) = await send_file(h, FENIX_5_BIKE)

        assert stored(h) == [
            (
                fingerprint_key(FENIX_5_BIKE),
                {"type": "cross", "date": "2017-06-12", "sport": "cycling", "duration_min": 1.01},
            )
        ]
        assert "Logged from your file · Mon 12 Jun" in reply
        assert "Cycling: 1:00 · 0.46 km · avg HR 101" in reply
        assert "/km" not in reply  # a ride's pace isn't one
        assert "I already have this one" in again


# --- refusals: nothing stored -------------------------------------------------------------


async def test_a_broken_file_gets_its_message_and_stores_nothing(tmp_path: Path) -> None:
    async with bot_at(tmp_path, datetime(2015, 8, 16, 10, 0, tzinfo=UTC), date(2015, 8, 10)) as h:
        (corrupt,) = await send_file(h, "activity-settings-corruptheader.fit")
        (cut,) = await send_file(h, "activity-unexpected-eof.fit")
        (no_times,) = await send_file(h, "cerknicko-without-times.gpx")

        assert stored(h) == []
        assert corrupt.startswith("That file is named .fit but isn't a FIT file")
        assert cut.startswith("That FIT file stops part-way through")
        assert no_times.startswith("That GPX file has the route but not the times")


async def test_a_file_over_20_mb_is_refused_before_downloading(tmp_path: Path) -> None:
    async with bot_at(tmp_path, datetime(2015, 8, 16, 10, 0, tzinfo=UTC), date(2015, 8, 10)) as h:
        (reply,) = await send_file(h, "huge.fit", content=b"\0" * (MAX_DOWNLOAD_BYTES + 1))

        assert "Telegram only lets me fetch files up to 20 MB" in reply
        assert h.emulator.requests_for("getFile") == []
        assert stored(h) == []


async def test_an_activity_in_the_future_is_refused(tmp_path: Path) -> None:
    # Noon UTC on the run's own day: the watch says it starts at 16:45 Berlin time.
    async with bot_at(tmp_path, datetime(2015, 8, 15, 12, 0, tzinfo=UTC), date(2015, 8, 10)) as h:
        (reply,) = await send_file(h, FENIX_2_RUN)

        assert reply == texts.IN_THE_FUTURE.format(when="Sat 15 Aug at 16:45")
        assert stored(h) == []


async def test_a_run_too_short_to_count_is_refused(tmp_path: Path) -> None:
    async with bot_at(tmp_path, datetime(2017, 6, 12, 10, 0, tzinfo=UTC), date(2017, 6, 5)) as h:
        (reply,) = await send_file(h, "garmin-fenix-5-run.fit")  # 56.9 s

        assert reply == texts.TOO_SHORT.format(duration="0:57")
        assert stored(h) == []


async def test_a_runner_not_set_up_yet_is_asked_to_start(tmp_path: Path) -> None:
    async with bot_at(tmp_path, datetime(2015, 8, 16, 10, 0, tzinfo=UTC), None) as h:
        (reply,) = await send_file(h, FENIX_2_RUN)

        assert reply == common.NOT_SET_UP


async def test_a_redelivered_update_logs_and_answers_nothing_twice(tmp_path: Path) -> None:
    async with bot_at(tmp_path, datetime(2017, 6, 13, 10, 0, tzinfo=UTC), date(2017, 6, 5)) as h:
        content = (SAMPLES / FENIX_5_BIKE).read_bytes()
        update_id = h.emulator.user_sends_document(ANA, FENIX_5_BIKE, content)
        await h.emulator.wait_for_bot_messages(ANA, 1)
        await h.settle()

        h.emulator.redeliver(update_id)
        await h.emulator.wait_for(lambda: len(h.emulator.requests_for("getFile")) == 2)
        await h.settle()

        assert len(h.emulator.bot_messages(ANA)) == 1
        assert len(stored(h)) == 1


# --- old files and walks (issue 10) -------------------------------------------------------

HIKE_GPX = "cerknicko-jezero.gpx"  # Thu 2010-08-05 14:23 UTC, 4,580 m in 1:10:39: 15:26/km
AFTER_THE_HIKE = datetime(2010, 8, 6, 10, 0, tzinfo=UTC)


async def test_a_file_older_than_two_weeks_is_refused_with_a_word(tmp_path: Path) -> None:
    async with bot_at(tmp_path, datetime(2015, 9, 10, 10, 0, tzinfo=UTC), date(2015, 8, 10)) as h:
        (reply,) = await send_file(h, FENIX_2_RUN)

        assert reply.startswith("That activity is from Sat 15 Aug, more than two weeks ago")
        assert stored(h) == []


async def test_a_file_from_before_the_plan_started_is_refused(tmp_path: Path) -> None:
    async with bot_at(tmp_path, datetime(2015, 8, 18, 10, 0, tzinfo=UTC), date(2015, 8, 17)) as h:
        (reply,) = await send_file(h, FENIX_2_RUN)

        assert "before your plan started" in reply
        assert stored(h) == []


async def test_a_gpx_at_walking_pace_is_asked_about_and_logged_as_a_walk(tmp_path: Path) -> None:
    async with bot_at(tmp_path, AFTER_THE_HIKE, date(2010, 8, 2)) as h:
        (question,) = await send_file(h, HIKE_GPX)

        assert "15:26 per km that looks like a walk to me" in question
        assert stored(h) == []  # nothing until the runner answers
        await h.tap(ANA, "A walk")
        await h.tap(ANA, "A walk")  # twice: logged once
        walk_key = fingerprint_key(HIKE_GPX)[: len("file:") + 24]
        assert stored(h) == [
            (
                walk_key,
                {"type": "cross", "date": "2010-08-05", "sport": "walking", "duration_min": 70.65},
            )
        ]
        assert any("Walking: 1:10:39 · 4.58 km" in text for text in h.texts(ANA))
        assert "I already have this one" in h.texts(ANA)[-1]


async def test_a_slow_file_the_runner_says_was_a_run_is_logged_as_a_run(tmp_path: Path) -> None:
    async with bot_at(tmp_path, AFTER_THE_HIKE, date(2010, 8, 2)) as h:
        await send_file(h, HIKE_GPX)
        await h.tap(ANA, "A run")

        runs = [payload for _, payload in stored(h) if payload["type"] == "run"]
        assert [(r["date"], r["duration_min"], r["distance_m"]) for r in runs] == [
            ("2010-08-05", 70.65, 4580.0)
        ]
        assert not any(payload["type"] == "cross" for _, payload in stored(h))


async def test_someone_elses_walk_or_run_button_changes_nothing(tmp_path: Path) -> None:
    async with bot_at(tmp_path, AFTER_THE_HIKE, date(2010, 8, 2)) as h:
        await send_file(h, HIKE_GPX)
        question = h.latest_with_buttons(ANA)
        data = next(b["callback_data"] for b in question.buttons if "walk" in b["text"].lower())
        forged = data.replace("wr:", "wr:9", 1)  # another athlete id
        await h.tap_data(ANA, forged, question.message_id)

        assert stored(h) == []
