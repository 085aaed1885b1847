"""Where a typed message or a tapped button goes.

Typed text goes to the conversation the runner is in (stored, so it survives restarts),
otherwise to the free-text log. Buttons carry a short prefix naming their module.
"""

from __future__ import annotations

from datetime import date

from telegram import Update

from bot.checkin_view import FLOW as CHECKIN_FLOW
from bot.handlers import checkin, commands, data, freetext, moves, niggles, onboarding
from bot.handlers.common import Turn
from bot.parsing import ParseError, clean_text
from bot.store import repo
from bot.store.models import ConversationState
from bot.texts import common as texts
from bot.views import esc, logged_line
from coach.decision import day_label

CALLBACKS = {
    "ob": onboarding.on_callback,
    "ci": checkin.on_callback,
    "dl": commands.on_deload_callback,
    "pz": commands.on_pause_callback,
    "rhr": commands.on_rhr_callback,
    "del": data.on_delete_callback,
    "fr": freetext.on_callback,
    "tr": commands.on_trial_callback,
    "ng": niggles.on_callback,
    "mv": moves.on_callback,
}
TEXT_FLOWS = {
    "onboarding": onboarding.on_text,
    "checkin": checkin.on_text,
    "trial": commands.on_trial_text,
    "second_run": freetext.on_text_while_asked,
    "rhr": commands.on_rhr_text,
}


def on_text(turn: Turn, update: Update) -> None:
    message = update.effective_message
    raw = message.text if message is not None else None
    try:
        text = clean_text(raw or "")
    except ParseError as problem:
        turn.say(problem.message)
        return
    conversation = repo.get_conversation(turn.session, turn.athlete_id)
    if conversation is not None and conversation.flow == data.DELETE_FLOW:
        if data.on_delete_text(turn, conversation, text):
            return
        conversation = repo.get_conversation(turn.session, turn.athlete_id)  # as it was before
    if conversation is not None and conversation.flow in TEXT_FLOWS:
        TEXT_FLOWS[conversation.flow](turn, conversation, text)
    elif not turn.onboarded:
        turn.say(texts.NOT_SET_UP)
    elif commands.answers_the_morning_rhr(turn, text):
        commands.answer_rhr(turn, text)
    else:
        freetext.on_text(turn, text)


def on_callback(turn: Turn, update: Update) -> None:
    query = update.callback_query
    if query is None or not query.data or query.message is None:
        turn.refuse(texts.BUTTON_EXPIRED)
        return
    parts = query.data.split(":")
    route = CALLBACKS.get(parts[0])
    if route is None:
        turn.refuse(texts.BUTTON_EXPIRED)
        return
    route(turn, parts[1:], query.message.message_id)


def on_other_message(turn: Turn, update: Update) -> None:
    turn.say(texts.NOT_A_FILE_I_READ)


def on_unknown_command(turn: Turn, update: Update) -> None:
    turn.say(texts.UNKNOWN_COMMAND)


# Questions that only wait for an answer: cancelling them stops nothing the runner began.
_NOTHING_BEGUN = frozenset({"rhr"})


def on_cancel(turn: Turn, update: Update) -> None:
    conversation = repo.get_conversation(turn.session, turn.athlete_id)
    if conversation is None or conversation.flow in _NOTHING_BEGUN:
        if conversation is not None:
            repo.clear_conversation(turn.session, turn.athlete_id)
        turn.say(texts.NOTHING_TO_CANCEL)
        return
    if conversation.flow == data.DELETE_FLOW:
        data.keep_everything(turn, conversation)
        return
    repo.clear_conversation(turn.session, turn.athlete_id)
    if conversation.flow == CHECKIN_FLOW:
        turn.say(_kept_from_checkin(turn, conversation))
    else:
        turn.say(texts.CANCELLED)


def _kept_from_checkin(turn: Turn, conversation: ConversationState) -> str:
    """A check-in stores each answer as it comes: say exactly which ones stay."""
    try:
        day = date.fromisoformat(str(conversation.data.get("date")))
    except ValueError:
        return texts.CANCELLED
    lines = [
        line
        for event in turn.journal.events()
        if event.date == day and (line := logged_line(event, turn.athlete.units)) is not None
    ]
    if not lines:
        return texts.CANCELLED_NOTHING_KEPT.format(day=esc(day_label(day)))
    kept = "\n".join(f"• {line}" for line in lines)
    return texts.CANCELLED_KEPT.format(day=esc(day_label(day)), kept=kept)
