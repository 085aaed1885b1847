"""The check-in after a run day: one message, edited in place as the answers come.

This module applies taps and typed answers; the message itself is `bot.checkin_view`. The
message is a function of the facts stored for its local date (`DayLog`), so a restart,
a double tap or a redelivered update changes nothing twice. The only other state is which
optional questions the runner passed over, kept with the date and the message being edited
in the conversation state; losing it just asks an optional question again.

Order: Done / Changed / Skipped; then RPE, quality, time and distance (optional; on a
time-trial day a distance and time there is offered as the result first), this
morning's resting HR (if not given yet, only on the day itself), then sleep, soreness and
stress (optional). Skipped asks why instead of RPE, quality and distance.

Callback data "ci:<athlete id>:<yyyymmdd>:<field>:<value>" with fields
    status   done | changed | skipped
    rpe      1-10
    quality  1-10
    reason   work | family | travel | illness | injury | other
    skip     dist | rhr | wellness    (pass over an optional typed question)
    note     done | changed | skipped (the next morning's note; it sits inside another
                                       message, so the check-in opens as a new message)
    trial    yes | no                 (a time-trial day: is the distance and time typed at
                                       "how long and how far?" the trial's result?)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import date, datetime, timedelta

from sqlmodel import Session
from telegram import Update

from bot.checkin_view import (
    FLOW,
    MAX_AGE_DAYS,
    OPTIONAL,
    SCORES,
    STATUSES,
    DayLog,
    TrialResult,
    day_trial,
    finished_once,
    load,
    passed_over,
    pending_trial,
    render,
)
from bot.handlers import freetext
from bot.handlers.common import Turn, takes_nothing
from bot.journal import merged_run, rhr_key, run_key, skipped_key
from bot.parsing import (
    LogItem,
    ParseError,
    SleepLog,
    labelled_problem,
    parse_duration_distance,
    parse_free_text,
    parse_quality,
    parse_race,
    parse_rhr,
    parse_rpe,
    parse_sleep_hours,
    reads_as_a_log,
)
from bot.store import repo
from bot.store.models import ConversationState
from bot.texts import checkin as texts
from bot.texts import common
from bot.views import CheckinTap, esc
from coach import results
from coach.decision import day_label
from coach.errors import CoachInputError
from coach.history import RUN_INSTEAD, Event, RestingHR, Skipped, TimeTrial
from coach.paces import vdot_from_race

PREFIX = "ci"
OPEN_BACK_DAYS = 2  # /checkin reaches back this far for an unanswered run day
# A typed answer this long after the last one is not an answer to the check-in any more.
STALE_AFTER = timedelta(hours=12)

FIELDS: dict[str, tuple[str, ...]] = {
    "status": STATUSES,
    "rpe": SCORES,
    "quality": SCORES,
    "reason": tuple(texts.REASONS),
    "instead": RUN_INSTEAD,
    "skip": OPTIONAL,
    "note": STATUSES,
    "trial": ("yes", "no"),
}
SKIP_WORDS = frozenset({"skip", "pass", "no", "none", "nope", "-", "n/a", "na"})
YES_WORDS = frozenset({"yes", "y", "yep", "yeah", "correct", "right", "ok", "okay"})
NO_WORDS = frozenset({"no", "n", "nope", "wrong"})
# Steps that only take a tap; typed text then goes to the free-text log.
TAP_ONLY = ("status", "reason", "instead", "finished")


# --- taps ------------------------------------------------------------------------------


def read_tap(data: str) -> CheckinTap | None:
    """The tapped button, or None for anything malformed or a value it never carries."""
    tap = CheckinTap.unpack(data)
    if tap is None or tap.value not in FIELDS.get(tap.field, ()):
        return None
    return tap


def on_callback(turn: Turn, parts: list[str], message_id: int) -> None:
    tap = read_tap(":".join([PREFIX, *parts]))
    if tap is None:
        turn.refuse(common.BUTTON_EXPIRED)
        return
    if tap.athlete_id != turn.athlete_id:
        turn.refuse(common.BUTTON_NOT_YOURS)
        return
    log = _open(turn, tap.day) if _recent(tap.day, turn.today) else None
    if log is None:
        turn.refuse(common.BUTTON_EXPIRED)
        return
    edit: int | None = message_id
    if tap.field == "note":
        if log.answered:
            turn.answer = texts.ALREADY_ANSWERED  # the check-in was opened already
            return
        tap, edit = replace(tap, field="status"), None  # leave the message it sits in alone
    try:
        _show(turn, _apply_tap(turn, log, tap), edit)
    except ParseError as problem:  # a planned run without minutes to default to
        turn.say(problem.message)


def _recent(day: date, today: date) -> bool:
    return timedelta(0) <= today - day <= timedelta(days=MAX_AGE_DAYS)


def _open(turn: Turn, day: date) -> DayLog | None:
    if not turn.onboarded:
        return None
    conversation = repo.get_conversation(turn.session, turn.athlete_id)
    passed = passed_over(conversation, day)
    log = load(turn.journal, day, frozenset())
    if log is None:
        return None
    return replace(finished_once(log, passed), trial=pending_trial(conversation, day))


def _apply_tap(turn: Turn, log: DayLog, tap: CheckinTap) -> DayLog:
    """Store what the tap says (once) and return the day as it is now."""
    run, skipped, passed = log.facts.run, log.facts.skipped, set(log.passed)
    if tap.field == "status":
        if log.answered:
            turn.answer = texts.ALREADY_ANSWERED  # a double tap or an old message
        elif tap.value == "skipped":
            _record(turn, Skipped(date=log.day, reason="other"), skipped_key(log.day))
        else:
            changed = tap.value == "changed"
            run_event = merged_run(log.day, None, log.planned, changed=changed or None)
            if changed:
                turn.answer = texts.CHANGED_NOTICE
            _record(turn, run_event, run_key(log.day))
    elif tap.field in ("rpe", "quality") and run is not None:
        value = int(tap.value)
        if tap.field == "rpe":
            _record(turn, replace(run, rpe=value), run_key(log.day))
        else:
            _record(turn, replace(run, quality=value), run_key(log.day))
    elif tap.field == "instead" and run is not None and run.changed:
        _record(turn, replace(run, instead=tap.value), run_key(log.day))
    elif tap.field == "reason" and skipped is not None:
        _record(turn, replace(skipped, reason=tap.value), skipped_key(log.day))
        passed.add("reason")  # "other" is an answer too
    elif tap.field == "trial" and log.trial is not None:
        return _settle_trial(turn, log, tap.value == "yes")
    elif tap.field == "skip":
        passed.add(tap.value)
    else:
        turn.answer = texts.ALREADY_ANSWERED  # a tap for a question this day never had
    return _reload(turn, log, frozenset(passed))


def _settle_trial(turn: Turn, log: DayLog, confirmed: bool) -> DayLog:
    """Yes: the day's time trial, which every pace then follows (the runner has confirmed
    it, big jump or not). No: the distance and time of the run, as any other day."""
    trial, run = log.trial, log.facts.run
    assert trial is not None
    if confirmed:
        _record(turn, TimeTrial(log.day, trial.distance_m, trial.time_s), trial_key(log.day))
    else:
        updated = merged_run(
            log.day, run, log.planned, duration_min=trial.time_s / 60, distance_m=trial.distance_m
        )
        _record(turn, updated, run_key(log.day))
    return replace(_reload(turn, log, log.passed | {"dist"}), trial=None)


def trial_key(day: date) -> str:
    return f"trial:{day.isoformat()}"  # the key /trial stores a day's result under


def _trial_result(turn: Turn, text: str) -> TrialResult | None:
    """A race distance and time, read as the trial's result; None for anything else."""
    try:
        distance, seconds = parse_race(text)
        vdot = round(vdot_from_race(distance, seconds), 1)
    except (ParseError, CoachInputError):
        return None
    was = turn.journal.plan(0).vdot
    was_vdot = None if was is None else round(was, 1)
    return TrialResult(
        distance, seconds, vdot, was_vdot, results.needs_confirmation(was_vdot, vdot)
    )


def _record(turn: Turn, event: Event, key: str) -> None:
    turn.journal.record(event, key, replace_key=True)


def _reload(turn: Turn, log: DayLog, passed: frozenset[str]) -> DayLog:
    return replace(
        log,
        facts=turn.journal.day(log.day),
        passed=passed,
        trial_logged=day_trial(turn.journal, log.day),
    )


def _show(turn: Turn, log: DayLog, message_id: int | None) -> None:
    """Edit the check-in message (or send it) and remember where typed answers go."""
    text, keyboard = render(log, turn.athlete.units)
    step = log.step
    if step in ("status", "finished"):
        _forget(turn)
        turn.say(text, keyboard, edit=message_id)
        return
    # The time comes from the bot's clock (the row's updated_at is bookkeeping wall time).
    data: dict[str, object] = {
        "date": log.day.isoformat(),
        "passed": sorted(log.passed),
        "at": turn.now.isoformat(),
    }
    if log.trial is not None:
        data["trial"] = asdict(log.trial)
    repo.save_conversation(turn.session, turn.athlete_id, FLOW, step, data, message_id)
    turn.say(text, keyboard, edit=message_id, on_sent=_remember(turn.athlete_id, log.day))


def _forget(turn: Turn) -> None:
    conversation = repo.get_conversation(turn.session, turn.athlete_id)
    if conversation is not None and conversation.flow == FLOW:
        repo.clear_conversation(turn.session, turn.athlete_id)


def _remember(athlete_id: int, day: date) -> Callable[[Session, int], None]:
    """After sending: typed answers edit the message that was actually sent."""

    def remember(session: Session, message_id: int) -> None:
        state = repo.get_conversation(session, athlete_id)
        if state is None or state.flow != FLOW or state.data.get("date") != day.isoformat():
            return
        repo.save_conversation(session, athlete_id, FLOW, state.step, state.data, message_id)

    return remember


# --- /checkin ---------------------------------------------------------------------------


def start(turn: Turn, update: Update) -> None:
    if not takes_nothing(turn, update, "checkin"):  # "/checkin 2027-02-30": refused, as all
        return
    day = _day_to_open(turn)
    if day is None:
        turn.say(_no_run_today(turn))
        return
    log = _open(turn, day)
    assert log is not None  # _day_to_open only returns run days
    _show(turn, log, None)


def _day_to_open(turn: Turn) -> date | None:
    """Today if it is a run day, else the latest recent run day still unanswered."""
    today = turn.today
    if turn.journal.planned_run(today) is not None:
        return today
    for back in range(1, OPEN_BACK_DAYS + 1):
        log = _open(turn, today - timedelta(days=back))
        if log is not None and not log.answered:
            return log.day
    return None


def _no_run_today(turn: Turn) -> str:
    start_date = turn.journal.start_date
    if turn.today < start_date:
        return common.PLAN_STARTS_ON.format(day=esc(day_label(start_date)))
    return texts.REST_DAY


# --- typed answers ----------------------------------------------------------------------


def on_text(turn: Turn, conversation: ConversationState, text: str) -> None:
    log = _typed_for(turn, conversation)
    if log is not None and log.day != turn.today and reads_as_a_log(text):
        log = None  # "rhr 52" typed this morning is this morning's, not the check-in's day
    if log is None or log.step in TAP_ONLY:
        if log is None or log.step != "reason":
            _forget(turn)
        freetext.on_text(turn, text)  # not an answer to the check-in: nothing is lost
        return
    try:
        now = _answer(turn, log, text)
    except ParseError as problem:
        if not _logged_in_words(turn, log, text):
            # Nothing stored; the question stays. "rhr 300" gets the heart-rate range.
            turn.say(labelled_problem(text) or problem.message)
            return
        now = _reload(turn, log, log.passed)
        asking = repo.get_conversation(turn.session, turn.athlete_id)
        if asking is not None and asking.flow == freetext.FLOW:
            return  # it asked "a second run, or a correction?": that question goes first
    _show(turn, now, conversation.message_id)


def _logged_in_words(turn: Turn, log: DayLog, text: str) -> bool:
    """Not an answer to the question, but a whole sentence ("ran 8k in 42 min rpe 6"):
    logged like any free text (today, or yesterday if it says so), with its own reply."""
    if not reads_as_a_log(text):
        return False  # the question's own problem says best what to send
    freetext.on_text(turn, text, correcting=log.day)
    return True


def _typed_for(turn: Turn, conversation: ConversationState) -> DayLog | None:
    """The check-in a typed message answers, or None when the conversation went stale."""
    try:
        day = date.fromisoformat(str(conversation.data.get("date")))
        asked_at = datetime.fromisoformat(str(conversation.data.get("at")))
    except ValueError:
        return None
    if asked_at.tzinfo is None or turn.now - asked_at > STALE_AFTER:
        return None
    if not _recent(day, turn.today):
        return None
    return _open(turn, day)


def _answer(turn: Turn, log: DayLog, text: str) -> DayLog:
    """Store a typed answer to the current question; returns the day as it is now."""
    step = log.step
    if step == "trial":
        word = text.casefold().strip(" .!")
        if word in YES_WORDS or word in NO_WORDS:
            return _settle_trial(turn, log, word in YES_WORDS)
        raise ParseError(texts.ASK_TRIAL_TAP)
    if step == "dist" and log.trial_day:
        trial = _trial_result(turn, text)
        if trial is not None:
            return replace(log, trial=trial)  # asked first: nothing stored until Yes
    return _reload(turn, log, _store_answer(turn, log, text))


def _store_answer(turn: Turn, log: DayLog, text: str) -> frozenset[str]:
    """Store a typed answer to the current question; returns the steps passed over."""
    step, passed = log.step, set(log.passed)
    run = log.facts.run
    if step in OPTIONAL and text.casefold().strip(" .!") in SKIP_WORDS:
        return frozenset(passed | {step})
    if step in ("rpe", "quality") and run is not None:
        if step == "rpe":
            _record(turn, replace(run, rpe=parse_rpe(text)), run_key(log.day))
        else:
            _record(turn, replace(run, quality=parse_quality(text)), run_key(log.day))
    elif step == "dist":
        minutes, metres = parse_duration_distance(text)
        updated = merged_run(log.day, run, log.planned, duration_min=minutes, distance_m=metres)
        _record(turn, updated, run_key(log.day))
    elif step == "rhr":
        _record(turn, RestingHR(date=log.day, bpm=parse_rhr(text)), rhr_key(log.day))
    elif step == "wellness":
        _answer_wellness(turn, log, text)
    return frozenset(passed | {step}) if step in OPTIONAL else frozenset(passed)


def _answer_wellness(turn: Turn, log: DayLog, text: str) -> None:
    items: list[LogItem] = parse_free_text(text)
    if not items:
        items = [_bare_sleep(text)]  # "7h" or "7.5" asked about sleep means hours slept
    # Whatever else came with it (a resting HR, say) is logged for the same day.
    turn.journal.store(turn.journal.plan_log(items, log.day, "fix"))


def _bare_sleep(text: str) -> SleepLog:
    try:
        return SleepLog(parse_sleep_hours(text))
    except ParseError:
        raise ParseError(texts.WELLNESS_UNCLEAR) from None
