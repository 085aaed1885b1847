"""The free-text log: "ran 8k in 42 min rpe 6", "rhr 52", "slept 6h", "ran 5k on 2026-11-04".

Parse, ask the journal, store through it, reply with the date used. A message is stored
entirely or not at all. A run typed on a day that already has one asks first whether it is a
second run or a correction of the first (buttons "fr:<athlete id>:<yyyymmdd>:second|fix");
the message waits in the conversation state until the runner answers.
"""

from __future__ import annotations

from datetime import date

from bot.handlers import moves, niggles
from bot.handlers.common import Turn
from bot.journal import DayFacts, LogPlan, RunMode
from bot.parsing import (
    ParseError,
    RunLog,
    parse_free_text,
    parse_log_day,
)
from bot.store import repo
from bot.store.models import ConversationState
from bot.texts import checkin as texts
from bot.texts import common as common_texts
from bot.texts import niggles as niggle_texts
from bot.texts import problems
from bot.views import Keyboard, SecondRunTap, compared_to_target, esc, logged_line
from coach.decision import day_label
from coach.history import Niggle, Wellness
from coach.model import Session as PlannedSession

PREFIX = "fr"
FLOW = "second_run"
ANSWERS = ("second", "fix")
BUSY_STRESS = 4  # stress the weekly review counts towards a busy week (coach.replay)


# A thumbs-up, a thank-you, a hello: a short friendly word back, not the logging hint.
_SMALL_TALK = frozenset({"", "thanks", "thank you", "thanks a lot", "thx", "ty", "cheers", "ok"})
_SMALL_TALK |= {"okay", "cool", "great", "nice", "awesome", "perfect", "good", "lol", "haha"}
_SMALL_TALK |= {"hi", "hello", "hey", "morning", "good morning", "yay", "sweet", "got it"}


def is_small_talk(text: str) -> bool:
    """ "👍" (emoji only, which cleaning leaves empty), "thanks!", "hi"."""
    return text.casefold().strip(" .!?,") in _SMALL_TALK


# --- the message ------------------------------------------------------------------------


def on_text(turn: Turn, text: str, correcting: date | None = None) -> None:
    """Log a message. `correcting`: the day of the check-in being answered, whose run a
    whole sentence typed mid-check-in corrects without asking."""
    if correcting is None and moves.on_text(turn, text):
        return  # "can't run Thursday", "swap Thursday and Friday": bot.handlers.moves
    journal = turn.journal
    try:
        day, rest = parse_log_day(text, turn.today)
        if day > turn.today:
            raise ParseError(problems.DATE_IN_FUTURE.format(day=esc(day_label(day))))
        items = parse_free_text(rest)
        if not items:
            turn.say(common_texts.SMALL_TALK if is_small_talk(text) else problems.FREE_TEXT_HINT)
            return
        facts = journal.day(day)
        has_run = any(isinstance(i, RunLog) for i in items)
        if facts.run is not None and has_run and day != correcting:
            journal.plan_log(items, day, "second")  # check it all before asking
            _ask_second_or_fix(turn, facts, day, text)
            return
        logged = journal.plan_log(items, day, "fix" if day == correcting else "first")
        planned = journal.planned_run(day)  # as planned before this log: its target
        journal.store(logged)
    except ParseError as problem:
        turn.say(problem.message)
        return
    _reply(turn, logged, day, planned)


def _reply(turn: Turn, logged: LogPlan, day: date, planned: PlannedSession | None) -> None:
    """What was logged; a niggle gets its own caring reply, a busy week a word on the rule."""
    niggle = next((e for e in logged.told if isinstance(e, Niggle)), None)
    if any(not isinstance(e, Niggle) for e in logged.told):
        reply = _confirmation(logged, day, planned, turn.athlete.units)
        if any(isinstance(e, Wellness) and (e.stress or 0) >= BUSY_STRESS for e in logged.told):
            reply += "\n\n" + niggle_texts.BUSY
        turn.say(reply)
    if niggle is not None:
        turn.say(*niggles.follow_up(turn, niggle, first=True))


def _ask_second_or_fix(turn: Turn, facts: DayFacts, day: date, text: str) -> None:
    assert facts.run is not None
    data = {"date": day.isoformat(), "text": text}
    repo.save_conversation(turn.session, turn.athlete_id, FLOW, "ask", data)
    first = logged_line(facts.run, turn.athlete.units)
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
        mode: RunMode = "fix" if answer == "fix" else "second"
        logged = turn.journal.plan_log(parse_free_text(rest), day, mode)
        planned = turn.journal.planned_run(day)
        turn.journal.store(logged)
    except ParseError as problem:
        turn.say(problem.message)
        return
    turn.say(_confirmation(logged, day, planned, turn.athlete.units), edit=message_id)


def on_text_while_asked(turn: Turn, conversation: ConversationState, text: str) -> None:
    """Typing instead of tapping: the question lapses and the new message is read afresh."""
    repo.clear_conversation(turn.session, turn.athlete_id)
    on_text(turn, text)


def _confirmation(logged: LogPlan, day: date, planned: PlannedSession | None, units: str) -> str:
    lines = "\n".join(
        texts.LOGGED_LINE.format(item=line)
        for line in (logged_line(event, units) for event in logged.told)
        if line is not None
    )
    reply = texts.LOGGED.format(day=esc(day_label(day)), lines=lines)
    if planned is None or planned.target_rpe is None or logged.run is None:
        return reply
    rpe = logged.run.rpe
    if rpe is None:
        return f"{reply}\n\n{texts.TARGET_TODAY.format(target=planned.target_rpe)}"
    return f"{reply}\n\n{compared_to_target(rpe, planned.target_rpe)}"
