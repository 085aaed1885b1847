"""Activity files sent to the bot (.fit, .gpx): logged as the day's run or cross-training.

Two steps, because the download is I/O and handlers are synchronous:

  1. `receive_document` (async, registered with PTB) checks the document's name and size,
     downloads it and parses it (in a worker thread: a large FIT file takes a while and
     must not stall every other runner's updates). None of this touches the database, so
     no transaction is held open across the network or the parsing.
  2. It then runs `on_document` through the usual `common.handler` wrapper, with what step 1
     found bound in (`functools.partial`). So the logging gets everything every other
     handler gets: the update recorded once, one transaction, replies after the commit.
     Even a refusal (too big, unreadable) goes through step 2, so it is answered the same
     way as everything else and a redelivered update is not answered twice.

How a file is stored, and how sending the same file twice logs it once:
  * A run on a day with a planned run (or one the runner already checked in about) *is*
    that day's check-in run: stored under the check-in's key "checkin:<date>:run" with
    `replace=True`, merged with what's there, so RPE, quality and "changed" stay and the
    file's time and distance win. The check-in then asks only what a file can't know.
    The same file again produces the identical run, which is detected (nothing to change)
    and answered "already logged": replacing a row with itself is the idempotence here.
  * Any other activity (a ride, a swim, a run on a rest day) is a fact of its own, stored
    under "file:<sha256 of the file>": the events table's unique (athlete, dedupe key)
    makes a second copy of the same file a no-op, even when two copies race.
  * A file older than the plan's start or the last 14 days, whichever is later, is refused
    with a word: a session from weeks ago changes nothing the coach decides now, and a
    watch's whole archive sent by mistake would otherwise fill the history (and the CSV
    export) with years of runs.
  * A "run" slower than 12:00/km (`WALKING_PACE_S_PER_KM`: a brisk walk is about
    10-12 min/km, so slower than that is rarely a run) is asked about first: a walk is
    logged as walking (cross-training), a run as a run. Nothing is logged until the runner
    answers; the buttons carry what the file said (day, seconds, metres and a 96-bit
    prefix of its fingerprint, the dedupe key of what is logged), so nothing is kept
    meanwhile. Files that name another sport (a hike, a ride) are logged as that.
  * Known limit: two *different* run files on one planned day are read as the same run
    corrected, so the second replaces the first. Telling a double day from a better copy
    of one run needs the file's fingerprint kept next to the check-in run, which the
    events table (coach events only) has no place for.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, ClassVar

from telegram import Update
from telegram.error import TelegramError

from bot import coaching, views
from bot.activity_files import Activity, ActivityFileError, check_document, read_activity
from bot.checkin_view import MAX_AGE_DAYS, checkin_view
from bot.handlers.common import Turn, handler, owned_tap
from bot.journal import merged_run, run_key
from bot.parsing import RUN_PACE_RANGE, ParseError
from bot.runtime import RampContext
from bot.texts import checkin as checkin_texts
from bot.texts import common as common_texts
from bot.texts import files as texts
from bot.views import CallbackData, esc
from coach.decision import day_label
from coach.history import Cross
from coach.paces import format_duration, format_pace

log = logging.getLogger(__name__)

MIN_MINUTES, MAX_MINUTES = 1, 600  # what the coach accepts for one run or cross session
WALKING_PACE_S_PER_KM = 720.0  # slower than 12:00/km: a walk unless the runner says it ran
RECENT_DAYS = 14  # files older than this (or than the plan's start) are refused
FINGERPRINT_PREFIX = 24  # hex digits of the file's sha256 a button carries (96 bits)


@dataclass(frozen=True)
class WalkOrRunTap(CallbackData):
    """The answer to "a walk or a run?" about a slow file:
    "wr:<athlete id>:<yyyymmdd>:<fingerprint prefix>:<seconds>:<metres>:<walk|run>"."""

    prefix: ClassVar[str] = "wr"
    athlete_id: int
    day: date
    fingerprint: str
    seconds: int
    metres: int
    value: str


@dataclass(frozen=True)
class Received:
    """What the async step found: the activity, or the runner-facing reason there is none."""

    activity: Activity | None = None
    problem: str | None = None


# --- step 1: outside the transaction ----------------------------------------------------


async def receive_document(update: Update, context: RampContext) -> None:
    """The PTB callback for documents: fetch and read the file, then log it."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or chat.type != "private" or message is None or message.document is None:
        return  # Ramp talks one to one; `handler` would drop it too, after a download
    received = await receive(message.document, context.bot)
    await handler(functools.partial(on_document, received=received), needs_profile=True)(
        update, context
    )


async def receive(document: Any, bot: Any) -> Received:
    """Check, download and parse one Telegram document. Never raises for a bad file."""
    name = document.file_name or ""
    try:
        check_document(name, document.file_size)  # before downloading anything
        content = await _download(bot, document.file_id)
        activity = await asyncio.to_thread(read_activity, name, content)
    except ActivityFileError as problem:
        return Received(problem=problem.message)
    except TelegramError as error:
        log.warning("could not download a document: %s", error)
        return Received(problem=texts.DOWNLOAD_FAILED)
    except Exception:  # third-party parsers on untrusted bytes can fail in any way
        log.exception("could not read a document named %r", name)
        return Received(problem=texts.UNREADABLE)
    return Received(activity=activity)


async def _download(bot: Any, file_id: str) -> bytes:
    telegram_file = await bot.get_file(file_id)
    return bytes(await telegram_file.download_as_bytearray())


# --- step 2: inside the transaction -----------------------------------------------------


def on_document(turn: Turn, update: Update, *, received: Received) -> None:
    activity = received.activity
    if activity is None:
        turn.say(received.problem or texts.UNREADABLE)
        return
    day = coaching.local_today(turn.athlete, activity.start)
    refusal = _refusal(turn, activity, day)
    if refusal is not None:
        turn.say(refusal)
        return
    pace = activity.avg_pace_s_per_km
    if pace is not None and pace > WALKING_PACE_S_PER_KM:
        _ask_walk_or_run(turn, activity, day, pace)
        return
    _log(turn, activity, day)


def _log(turn: Turn, activity: Activity, day: date) -> None:
    try:
        if activity.sport == "running":
            _log_run(turn, activity, day)
        else:
            _log_cross(turn, activity, day)
    except ParseError as problem:  # a run the coach would refuse: nothing was stored
        turn.say(problem.message)


def _refusal(turn: Turn, activity: Activity, day: date) -> str | None:
    """Why this activity can't be logged, or None. Checked before anything is stored."""
    if activity.start > turn.now:
        starts = coaching.local_now(turn.athlete, activity.start)
        when = f"{_day_text(day, turn.today)} at {starts:%H:%M}"
        return texts.IN_THE_FUTURE.format(when=esc(when))
    oldest = max(turn.journal.start_date, turn.today - timedelta(days=RECENT_DAYS))
    if day < oldest:
        before_plan = oldest == turn.journal.start_date
        why = texts.TOO_OLD_BEFORE_PLAN if before_plan else texts.TOO_OLD_WEEKS_AGO
        return texts.TOO_OLD.format(day=esc(_day_text(day, turn.today)), why=why)
    minutes = _minutes(activity)
    if minutes < MIN_MINUTES:
        return texts.TOO_SHORT.format(duration=format_duration(activity.duration_s))
    if minutes > MAX_MINUTES:
        return texts.TOO_LONG.format(duration=format_duration(activity.duration_s))
    pace = activity.avg_pace_s_per_km
    if pace is not None and pace < RUN_PACE_RANGE[0]:  # slow ones are asked about instead
        return texts.PACE_OUT_OF_RANGE.format(
            pace=_pace_text(pace, turn.athlete.units), unit=turn.athlete.units
        )
    return None


def _ask_walk_or_run(turn: Turn, activity: Activity, day: date, pace: float) -> None:
    def tap(value: str) -> str:
        return WalkOrRunTap(
            turn.athlete_id,
            day,
            activity.sha256[:FINGERPRINT_PREFIX],
            round(activity.duration_s),
            round(activity.distance_m or 0),
            value,
        ).pack()

    turn.say(
        texts.WALK_OR_RUN.format(
            day=esc(_day_text(day, turn.today)),
            details=texts.SEPARATOR.join(_details(activity, turn.athlete.units)),
            pace=_pace_text(pace, turn.athlete.units),
            unit=turn.athlete.units,
        ),
        [[(texts.A_WALK, tap("walk")), (texts.A_RUN, tap("run"))]],
    )


def on_walk_or_run(turn: Turn, update: Update) -> None:
    """The runner's answer about a slow file: log it as they say."""
    query = update.callback_query
    data = "" if query is None or query.data is None else query.data
    tap = owned_tap(turn, WalkOrRunTap, data.split(":")[1:])
    if tap is None:
        return
    if tap.value not in ("walk", "run") or not 0 <= (turn.today - tap.day).days <= RECENT_DAYS:
        turn.refuse(common_texts.BUTTON_EXPIRED)
        return
    activity = Activity(
        # Only the day matters from here on; noon keeps it on that day in any time zone.
        start=datetime.combine(tap.day, time(12), tzinfo=UTC),
        sport="running" if tap.value == "run" else "walking",
        duration_s=float(tap.seconds),
        distance_m=float(tap.metres) or None,
        avg_hr=None,
        sha256=tap.fingerprint,
    )
    _log(turn, activity, tap.day)


def file_key(activity: Activity) -> str:
    return f"file:{activity.sha256}"


def _minutes(activity: Activity) -> float:
    return round(activity.duration_s / 60, 2)


def _metres(activity: Activity) -> float | None:
    return None if activity.distance_m is None else round(activity.distance_m, 1)


def _log_run(turn: Turn, activity: Activity, day: date) -> None:
    journal = turn.journal
    facts = journal.day(day)
    planned = journal.planned_run(day)
    minutes, metres = _minutes(activity), _metres(activity)
    if facts.run is None and planned is None:
        # No check-in for this day: a run of its own, kept once per file.
        run = merged_run(day, None, None, duration_min=minutes, distance_m=metres)
        stored = journal.record(run, file_key(activity))
        _confirm(turn, activity, day, texts.LOGGED if stored else texts.ALREADY_LOGGED)
        return
    # The watch's record of the check-in's run: it keeps RPE and quality.
    run = merged_run(day, facts.run, planned, duration_min=minutes, distance_m=metres)
    if run == facts.run:
        template = texts.ALREADY_LOGGED  # this very file, or the same numbers, came before
    else:
        journal.record(run, run_key(day), replace_key=True)
        template = texts.LOGGED if facts.run is None else texts.UPDATED
    _confirm(turn, activity, day, template)
    _ask_what_the_file_cannot_know(turn, day)


def _log_cross(turn: Turn, activity: Activity, day: date) -> None:
    event = Cross(date=day, sport=activity.sport, duration_min=_minutes(activity))
    stored = turn.journal.record(event, file_key(activity))
    _confirm(turn, activity, day, texts.LOGGED if stored else texts.ALREADY_LOGGED)


def _ask_what_the_file_cannot_know(turn: Turn, day: date) -> None:
    """The day's check-in, which now opens at "how hard did it feel?" (None once answered)."""
    if not timedelta(0) <= turn.today - day <= timedelta(days=MAX_AGE_DAYS):
        return  # its buttons would already have expired
    message = checkin_view(turn.journal, day)
    if message is not None:
        text, keyboard = message
        turn.say(text, keyboard)


# --- words --------------------------------------------------------------------------------


def _confirm(turn: Turn, activity: Activity, day: date, template: str) -> None:
    turn.say(
        template.format(
            day=esc(_day_text(day, turn.today)),
            sport=esc(_sport_label(activity.sport)),
            details=texts.SEPARATOR.join(_details(activity, turn.athlete.units)),
        )
    )


def _details(activity: Activity, units: str) -> list[str]:
    parts = [format_duration(activity.duration_s)]
    if activity.distance_m:
        parts.append(views.distance_text(activity.distance_m, units))
    if activity.avg_pace_s_per_km is not None:
        parts.append(
            texts.PACE.format(pace=_pace_text(activity.avg_pace_s_per_km, units), unit=units)
        )
    if activity.avg_hr is not None:
        parts.append(texts.AVERAGE_HR.format(bpm=activity.avg_hr))
    return parts


def _sport_label(sport: str) -> str:
    return checkin_texts.SPORTS.get(sport, sport.replace("_", " ").capitalize())


def _day_text(day: date, today: date) -> str:
    # The year only when it isn't this one: an old file's "Sat 15 Aug" would be ambiguous.
    label = day_label(day)
    return label if day.year == today.year else f"{label} {day.year}"


def _pace_text(seconds_per_km: float, units: str) -> str:
    """The pace number only ("4:15"); the texts add the unit."""
    return format_pace(seconds_per_km, "mi" if units == "mi" else "km").split("/")[0]
