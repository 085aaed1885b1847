"""The runner's data: /export (history JSON and a CSV log), /calendar (.ics), /delete.

/delete asks first. The confirmation is remembered as the runner's conversation state, so
a "Delete everything" button only works while that question is open: a stale button
cannot delete a newer profile, even where SQLite hands a deleted runner's id to the next
newcomer. Whatever conversation was open before is put back if they keep their data.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from telegram import Update

from bot import calendar_file
from bot import export as files
from bot.handlers.common import Turn, takes_nothing
from bot.parsing import is_no, is_yes
from bot.store import repo
from bot.store.models import ConversationState
from bot.texts import common
from bot.texts import data as texts
from bot.views import DeleteTap, esc
from coach.history import history_to_dict

CALENDAR_DAYS = 28
# Weeks after the current one the replay must build to cover CALENDAR_DAYS from any day.
CALENDAR_WEEKS_AHEAD = 4
DELETE_FLOW, DELETE_STEP = "delete", "confirm"


# --- /export ----------------------------------------------------------------------------


def export(turn: Turn, update: Update) -> None:
    if not takes_nothing(turn, update, "export"):
        return
    history = turn.journal.history
    raw = history_to_dict(history)
    today = turn.today
    replayed = turn.journal.plan()
    json_name = f"ramp-history-{today.isoformat()}.json"
    turn.say(
        texts.EXPORT_JSON_CAPTION.format(filename=json_name, today=today.isoformat()),
        document=(json_name, files.history_json(raw)),
    )
    rows = files.log_rows(history, replayed, today)
    turn.say(
        texts.EXPORT_CSV_CAPTION,
        document=(
            f"ramp-log-{today.isoformat()}.csv",
            files.csv_bytes(files.csv_header(history.profile.units), rows),
        ),
    )


# --- /calendar --------------------------------------------------------------------------


def calendar(turn: Turn, update: Update) -> None:
    if not takes_nothing(turn, update, "calendar"):
        return
    today = turn.today
    upcoming = turn.journal.plan(CALENDAR_WEEKS_AHEAD)
    sessions = calendar_file.upcoming_sessions(upcoming, today, CALENDAR_DAYS)
    if not sessions:
        turn.say(texts.CALENDAR_EMPTY)
        return
    athlete = turn.athlete
    content = calendar_file.calendar_bytes(
        sessions,
        athlete_id=turn.athlete_id,
        time_zone=athlete.time_zone,
        morning=athlete.morning_time,
        units=turn.units,
        now=turn.now,
    )
    caption = texts.CALENDAR_CAPTION.format(
        count=len(sessions),
        morning=athlete.morning_time.strftime("%H:%M"),
        time_zone=esc(athlete.time_zone),
    )
    turn.say(caption, document=(f"ramp-sessions-{today.isoformat()}.ics", content))


# --- /delete ----------------------------------------------------------------------------


def delete(turn: Turn, update: Update) -> None:
    if not takes_nothing(turn, update, "delete"):
        return
    repo.save_conversation(
        turn.session,
        turn.athlete_id,
        DELETE_FLOW,
        DELETE_STEP,
        {"previous": _conversation_to_restore(turn)},
    )
    yes, no = (DeleteTap(turn.athlete_id, turn.today, v).pack() for v in ("yes", "no"))
    turn.say(texts.DELETE_CONFIRM, [[(texts.DELETE_YES, yes), (texts.DELETE_NO, no)]])


def _conversation_to_restore(turn: Turn) -> dict[str, Any] | None:
    """The conversation /delete interrupts (a check-in, onboarding), to resume on "keep"."""
    state = repo.get_conversation(turn.session, turn.athlete_id)
    if state is None:
        return None
    if state.flow == DELETE_FLOW:  # /delete twice: keep what the first one interrupted
        previous: dict[str, Any] | None = state.data.get("previous")
        return previous
    return {
        "flow": state.flow,
        "step": state.step,
        "data": dict(state.data),
        "message_id": state.message_id,
    }


def on_delete_callback(turn: Turn, parts: list[str], message_id: int) -> None:
    """ "del:<athlete id>:<yyyymmdd>:yes|no" from the /delete question."""
    request = _delete_request(parts)
    if request is None:
        turn.refuse(common.BUTTON_EXPIRED)
        return
    owner, day, answer = request
    if owner != turn.athlete_id and repo.get_athlete(turn.session, owner) is not None:
        turn.refuse(common.BUTTON_NOT_YOURS)
        return
    pending = _pending_confirmation(turn)
    if owner != turn.athlete_id or pending is None:
        _stale_tap(turn)
        return
    if day != turn.today:
        turn.refuse(common.BUTTON_EXPIRED)  # an old question: ask again with /delete
        return
    if answer == "no":
        _restore(turn, pending.get("previous"))
        turn.say(texts.DELETE_KEPT, edit=message_id)
        return
    # Nothing may read turn.athlete after this: its row is gone. The reply goes to
    # turn.chat_id, captured when the update came in.
    repo.delete_athlete(turn.session, turn.athlete_id)
    turn.answer = texts.DELETE_DONE_SHORT
    turn.say(texts.DELETE_DONE, edit=message_id)


def on_delete_text(turn: Turn, conversation: ConversationState, text: str) -> bool:
    """A typed answer to "Delete everything?": "no" or "keep" keeps everything (True); a
    typed "yes" is not enough for something this final, so it points at the button (True).
    Anything else (False): the question lapses and the message is read as usual."""
    if is_no(text):
        keep_everything(turn, conversation)
        return True
    if is_yes(text):
        turn.say(common.DELETE_TAP_TO_CONFIRM.format(button=texts.DELETE_YES))
        return True
    _restore(turn, conversation.data.get("previous"))
    return False


def keep_everything(turn: Turn, conversation: ConversationState) -> None:
    """No to "Delete everything?" (typed, or /cancel): what it interrupted carries on."""
    _restore(turn, conversation.data.get("previous"))
    turn.say(texts.DELETE_KEPT)


def _delete_request(parts: list[str]) -> tuple[int, date, str] | None:
    tap = DeleteTap.unpack(":".join([DeleteTap.prefix, *parts]))
    if tap is None or tap.value not in ("yes", "no"):
        return None
    return tap.athlete_id, tap.day, tap.value


def _pending_confirmation(turn: Turn) -> dict[str, Any] | None:
    state = repo.get_conversation(turn.session, turn.athlete_id)
    if state is None or state.flow != DELETE_FLOW:
        return None
    return dict(state.data)


def _stale_tap(turn: Turn) -> None:
    """A tap after the deletion (a double tap, or the old button later).

    The handler wrapper has already re-created a bare row for whoever writes; if that is
    all there is, remove it again so "everything is gone" stays true.
    """
    if _is_bare(turn):
        repo.delete_athlete(turn.session, turn.athlete_id)
        turn.refuse(texts.ALREADY_DELETED)
    else:
        turn.refuse(common.BUTTON_EXPIRED)


def _is_bare(turn: Turn) -> bool:
    """Only the row the wrapper creates on contact: no profile, no facts, no conversation."""
    return (
        turn.athlete.profile is None
        and not repo.events_for(turn.session, turn.athlete_id)
        and repo.get_conversation(turn.session, turn.athlete_id) is None
    )


def _restore(turn: Turn, previous: dict[str, Any] | None) -> None:
    if previous is None:
        repo.clear_conversation(turn.session, turn.athlete_id)
        return
    repo.save_conversation(
        turn.session,
        turn.athlete_id,
        previous["flow"],
        previous["step"],
        previous.get("data") or {},
        previous.get("message_id"),
    )
