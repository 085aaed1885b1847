"""The free-text log: "ran 8k in 42 min rpe 6", "rhr 52", "slept 6h", "ran 5k on 2026-11-04".

Parse, ask the journal, store through it, reply with the date used. A message is stored
entirely or not at all. A run typed on a day that already has one asks first whether it is a
second run or a correction of the first (buttons "fr:<athlete id>:<yyyymmdd>:second|fix");
the message waits in the conversation state until the runner answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.handlers.common import Turn
from bot.journal import (
    DayFacts,
    Journal,
    merged_run,
    merged_wellness,
    rhr_key,
    run_key,
    wellness_key,
)
from bot.journal import check as checked_event
from bot.parsing import (
    CrossLog,
    LogItem,
    ParseError,
    RhrLog,
    RunLog,
    SleepLog,
    WellnessLog,
    parse_free_text,
    parse_log_day,
)
from bot.store import repo
from bot.store.models import ConversationState
from bot.texts import checkin as texts
from bot.texts import common as common_texts
from bot.texts import problems
from bot.views import (
    Keyboard,
    SecondRunTap,
    compared_to_target,
    distance_text,
    esc,
    minutes_text,
    wellness_parts,
)
from coach.decision import day_label
from coach.history import Cross, Event, RestingHR, Run, Wellness
from coach.model import Session as PlannedSession

PREFIX = "fr"
FLOW = "second_run"
ANSWERS = ("second", "fix")


# --- words ------------------------------------------------------------------------------


def _run_line(run: Run, units: str) -> str:
    parts = [minutes_text(run.duration_min)]
    if run.distance_m:
        parts.append(distance_text(run.distance_m, units))
    if run.rpe is not None:
        parts.append(texts.RPE.format(rpe=run.rpe))
    return texts.LOG_RUN.format(details=texts.SEPARATOR.join(parts))


def _cross_line(event: Cross) -> str:
    sport = texts.SPORTS.get(event.sport, event.sport)
    parts = [minutes_text(event.duration_min)]
    if event.rpe is not None:
        parts.append(texts.RPE.format(rpe=event.rpe))
    return texts.LOG_CROSS.format(sport=esc(sport), details=texts.SEPARATOR.join(parts))


# --- turning a message into facts -------------------------------------------------------


@dataclass(frozen=True)
class Pending:
    """One fact, checked and ready to store: a keyed one replaces its earlier answer."""

    event: Event
    key: str | None


@dataclass
class Logged:
    """What one message adds to a day, checked but not stored yet."""

    pending: list[Pending] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    run: Run | None = None


RunMode = str  # "first" (the day has no run yet), "second" or "fix"


def plan_items(journal: Journal, items: list[LogItem], day: date, mode: RunMode) -> Logged:
    """Turn parsed items into checked facts for `day`. Raises ParseError; stores nothing."""
    facts = journal.day(day)
    logged = Logged()
    wellness: dict[str, float | int] = {}
    first = facts.run
    for item in items:
        if isinstance(item, RunLog):
            first = _plan_run(journal, logged, item, day, first, mode)
        elif isinstance(item, CrossLog):
            cross = checked_event(
                Cross(
                    date=day,
                    sport=item.sport,
                    duration_min=round(item.duration_min, 2),
                    rpe=item.rpe,
                )
            )
            assert isinstance(cross, Cross)
            logged.pending.append(Pending(cross, None))
            logged.lines.append(_cross_line(cross))
        elif isinstance(item, RhrLog):
            rhr = checked_event(RestingHR(date=day, bpm=item.bpm))
            logged.pending.append(Pending(rhr, rhr_key(day)))
            logged.lines.append(texts.LOG_RHR.format(bpm=item.bpm))
        elif isinstance(item, SleepLog):
            wellness["sleep_h"] = item.hours
        elif isinstance(item, WellnessLog):
            for name, value in (
                ("soreness", item.soreness),
                ("stress", item.stress),
                ("mood", item.mood),
            ):
                if value is not None:
                    wellness[name] = value
    if wellness:
        event = merged_wellness(
            day,
            facts.wellness,
            sleep_h=wellness.get("sleep_h"),
            soreness=_int(wellness.get("soreness")),
            stress=_int(wellness.get("stress")),
            mood=_int(wellness.get("mood")),
        )
        logged.pending.append(Pending(event, wellness_key(day)))
        just_told = Wellness(
            date=day,
            sleep_h=wellness.get("sleep_h"),
            soreness=_int(wellness.get("soreness")),
            stress=_int(wellness.get("stress")),
            mood=_int(wellness.get("mood")),
        )
        logged.lines.append(
            texts.LOG_WELLNESS.format(details=texts.SEPARATOR.join(wellness_parts(just_told)))
        )
    return logged


def _int(value: float | int | None) -> int | None:
    return None if value is None else int(value)


def _plan_run(
    journal: Journal, logged: Logged, item: RunLog, day: date, first: Run | None, mode: RunMode
) -> Run | None:
    """One run: the day's first (the check-in's), a correction of it, or a run of its own."""
    if first is None or mode == "fix":
        # The first run of a day is its check-in's; on a planned day the time may default
        # to the planned minutes, a correction keeps what it doesn't change.
        run = merged_run(
            day,
            first,
            journal.planned_run(day),
            duration_min=item.duration_min,
            distance_m=item.distance_m,
            rpe=item.rpe,
        )
        logged.pending.append(Pending(run, run_key(day)))
        logged.lines.append(_run_line(run, journal.athlete.units))
        logged.run = run
        return run
    # A run of its own needs its own time.
    run = merged_run(
        day, None, None, duration_min=item.duration_min, distance_m=item.distance_m, rpe=item.rpe
    )
    logged.pending.append(Pending(run, None))
    logged.lines.append(_run_line(run, journal.athlete.units))
    logged.run = run
    return first


def store(journal: Journal, pending: list[Pending]) -> None:
    for fact in pending:
        journal.record(fact.event, fact.key, replace_key=fact.key is not None)


def reads_as_a_log(text: str) -> bool:
    """Whether a message is plainly something to log ("rhr 52"), not an answer."""
    try:
        return bool(parse_free_text(text))
    except ParseError:
        return False


# --- the message ------------------------------------------------------------------------


def on_text(turn: Turn, text: str, correcting: date | None = None) -> None:
    """Log a message. `correcting`: the day of the check-in being answered, whose run a
    whole sentence typed mid-check-in corrects without asking."""
    journal = turn.journal
    try:
        day, rest = parse_log_day(text, turn.today)
        if day > turn.today:
            raise ParseError(problems.DATE_IN_FUTURE.format(day=esc(day_label(day))))
        items = parse_free_text(rest)
        if not items:
            turn.say(problems.FREE_TEXT_HINT)
            return
        facts = journal.day(day)
        has_run = any(isinstance(i, RunLog) for i in items)
        if facts.run is not None and has_run and day != correcting:
            plan_items(journal, items, day, "second")  # check it all before asking
            _ask_second_or_fix(turn, facts, day, text)
            return
        logged = plan_items(journal, items, day, "fix" if day == correcting else "first")
        planned = journal.planned_run(day)  # as planned before this log: its target
        store(journal, logged.pending)
    except ParseError as problem:
        turn.say(problem.message)
        return
    turn.say(_confirmation(logged, day, planned))


def _ask_second_or_fix(turn: Turn, facts: DayFacts, day: date, text: str) -> None:
    assert facts.run is not None
    data = {"date": day.isoformat(), "text": text}
    repo.save_conversation(turn.session, turn.athlete_id, FLOW, "ask", data)
    first = _run_line(facts.run, turn.athlete.units)
    turn.say(
        texts.SECOND_OR_FIX.format(day=esc(day_label(day)), first=first),
        _second_or_fix_keyboard(turn.athlete_id, day),
    )


def _second_or_fix_keyboard(athlete_id: int, day: date) -> Keyboard:
    return [
        [
            (texts.BUTTON_SECOND_RUN, SecondRunTap(athlete_id, day, "second").pack()),
            (texts.BUTTON_CORRECTION, SecondRunTap(athlete_id, day, "fix").pack()),
        ]
    ]


def on_callback(turn: Turn, parts: list[str], message_id: int) -> None:
    tap = SecondRunTap.unpack(":".join([PREFIX, *parts]))
    if tap is None:
        turn.refuse(common_texts.BUTTON_EXPIRED)
        return
    if tap.athlete_id != turn.athlete_id:
        turn.refuse(common_texts.BUTTON_NOT_YOURS)
        return
    day, answer = tap.day, tap.answer
    conversation = repo.get_conversation(turn.session, turn.athlete_id)
    if (
        answer not in ANSWERS
        or conversation is None
        or conversation.flow != FLOW
        or conversation.data.get("date") != day.isoformat()
    ):
        turn.refuse(common_texts.BUTTON_EXPIRED)
        return
    text = str(conversation.data.get("text", ""))
    repo.clear_conversation(turn.session, turn.athlete_id)
    try:
        _, rest = parse_log_day(text, turn.today)
        logged = plan_items(turn.journal, parse_free_text(rest), day, answer)
        planned = turn.journal.planned_run(day)
        store(turn.journal, logged.pending)
    except ParseError as problem:
        turn.say(problem.message)
        return
    turn.say(_confirmation(logged, day, planned), edit=message_id)


def on_text_while_asked(turn: Turn, conversation: ConversationState, text: str) -> None:
    """Typing instead of tapping: the question lapses and the new message is read afresh."""
    repo.clear_conversation(turn.session, turn.athlete_id)
    on_text(turn, text)


def _confirmation(logged: Logged, day: date, planned: PlannedSession | None) -> str:
    lines = "\n".join(texts.LOGGED_LINE.format(item=line) for line in logged.lines)
    reply = texts.LOGGED.format(day=esc(day_label(day)), lines=lines)
    if planned is None or planned.target_rpe is None or logged.run is None:
        return reply
    rpe = logged.run.rpe
    if rpe is None:
        return f"{reply}\n\n{texts.TARGET_TODAY.format(target=planned.target_rpe)}"
    return f"{reply}\n\n{compared_to_target(rpe, planned.target_rpe)}"
