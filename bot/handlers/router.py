"""Where a typed message or a tapped button goes.

Typed text goes to the conversation the runner is in (stored, so it survives restarts),
otherwise to the free-text log. Buttons carry a short prefix naming their module.
"""

from __future__ import annotations

from telegram import Update

from bot.handlers import checkin, commands, data, freetext, moves, onboarding
from bot.handlers.common import Turn
from bot.parsing import ParseError, clean_text
from bot.store import repo
from bot.texts import common as texts

CALLBACKS = {
    "ob": onboarding.on_callback,
    "ci": checkin.on_callback,
    "dl": commands.on_deload_callback,
    "pz": commands.on_pause_callback,
    "rhr": commands.on_rhr_callback,
    "del": data.on_delete_callback,
    "fr": freetext.on_callback,
    "mv": moves.on_callback,
}
TEXT_FLOWS = {
    "onboarding": onboarding.on_text,
    "checkin": checkin.on_text,
    "trial": commands.on_trial_text,
    "second_run": freetext.on_text_while_asked,
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
    if conversation is not None and conversation.flow in TEXT_FLOWS:
        TEXT_FLOWS[conversation.flow](turn, conversation, text)
    elif not turn.onboarded:
        turn.say(texts.NOT_SET_UP)
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


def on_cancel(turn: Turn, update: Update) -> None:
    if repo.get_conversation(turn.session, turn.athlete_id) is None:
        turn.say(texts.NOTHING_TO_CANCEL)
        return
    repo.clear_conversation(turn.session, turn.athlete_id)
    turn.say(texts.CANCELLED)
