"""One update, one transaction: idempotent inbound, replies sent after the commit.

`handler(fn)` adapts a plain function to python-telegram-bot:
  1. opens a transaction and records the update id; a redelivered update stops here;
  2. loads the runner (creating the row on first contact);
  3. runs `fn(turn)`, which changes the store and queues replies;
  4. commits, then sends the replies. If anything raises before the commit, nothing is
     stored and the runner gets a short apology; the update can safely come again.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from sqlmodel import Session
from telegram import Update
from telegram.error import BadRequest, Forbidden

from bot.coaching import local_today
from bot.journal import Journal
from bot.runtime import RampContext, Runtime
from bot.store import repo
from bot.store.models import Athlete
from bot.texts import common as texts
from bot.views import CallbackData, Keyboard, markup
from coach.decision import day_label
from coach.paces import Units

log = logging.getLogger(__name__)


@dataclass
class Reply:
    """Something to say. `edit` names a message of ours to change in place instead."""

    text: str
    keyboard: Keyboard | None = None
    edit: int | None = None
    # Called after sending with the message id, in a second short transaction: e.g. to
    # remember which message a check-in edits from now on.
    on_sent: Callable[[Session, int], None] | None = None
    document: tuple[str, bytes] | None = None  # (file name, content) sent as a file
    photo: bytes | None = None  # a picture (PNG) sent as a photo, `text` its caption
    # A picture drawn after the commit, off the event loop (charts take a few hundred ms):
    # the transaction, and SQLite's write lock, are not held while it draws.
    draw: Callable[[], Awaitable[bytes]] | None = None


@dataclass
class Turn:
    """One update being handled: the store, the runner, the time, and what to say."""

    session: Session
    athlete: Athlete
    now: datetime  # UTC
    runtime: Runtime
    # Read while the session is open: replies are sent after it closes.
    chat_id: int = 0
    replies: list[Reply] = field(default_factory=list)
    answer: str | None = None  # a short notice on the tapped button (callback queries)
    alert: bool = False
    _journal: Journal | None = None

    @property
    def journal(self) -> Journal:
        """The runner's history for this update: read once, and the only way to add to it."""
        if self._journal is None:
            self._journal = Journal(self.session, self.athlete, self.today)
        return self._journal

    @property
    def today(self) -> date:
        return local_today(self.athlete, self.now)

    @property
    def units(self) -> Units:
        return "mi" if self.athlete.units == "mi" else "km"

    @property
    def athlete_id(self) -> int:
        assert self.athlete.id is not None
        return self.athlete.id

    @property
    def onboarded(self) -> bool:
        return self.athlete.profile is not None

    def say(self, text: str, keyboard: Keyboard | None = None, **kwargs: Any) -> None:
        self.replies.append(Reply(text=text, keyboard=keyboard, **kwargs))

    def refuse(self, text: str) -> None:
        """A tap we can't accept: a notice on the button, nothing changed."""
        self.answer, self.alert = text, True


TurnHandler = Callable[[Turn, Update], None]


def handler(
    fn: TurnHandler, *, needs_profile: bool = False
) -> Callable[[Update, RampContext], Coroutine[Any, Any, None]]:
    async def run(update: Update, context: RampContext) -> None:
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None or chat.type != "private" or user.is_bot:
            return  # Ramp talks one to one, with people
        rt = context.runtime
        now = rt.clock.now()
        try:
            with rt.sessions() as session, session.begin():
                if not repo.mark_update_processed(session, update.update_id):
                    log.info("update %s seen before; skipped", update.update_id)
                    return
                # A tap from someone Ramp never met can only be forged (no message of ours
                # carries it), so it is refused and leaves no row behind.
                stranger_tap = update.callback_query is not None and (
                    repo.get_athlete_by_telegram_id(session, user.id) is None
                )
                athlete = repo.get_or_create_athlete(
                    session, user.id, chat.id, first_name=user.first_name or ""
                )
                if not athlete.active:
                    repo.set_active(session, athlete.id or 0, True)  # they came back
                turn = Turn(
                    session=session, athlete=athlete, now=now, runtime=rt, chat_id=athlete.chat_id
                )
                if needs_profile and not turn.onboarded:
                    turn.say(texts.NOT_SET_UP)
                    turn.answer = texts.NOT_SET_UP_SHORT
                else:
                    fn(turn, update)
                if stranger_tap and repo.get_athlete(session, athlete.id or 0) is not None:
                    repo.delete_athlete(session, athlete.id or 0)
        except Exception:
            log.exception("update %s failed; nothing was stored", update.update_id)
            await _apologise(update, context)
            return
        await deliver(context, update, turn)

    return run


async def _apologise(update: Update, context: RampContext) -> None:
    if update.callback_query is not None:
        await _quietly(update.callback_query.answer(texts.SOMETHING_WENT_WRONG, show_alert=True))
    elif update.effective_chat is not None:
        await _quietly(
            context.bot.send_message(update.effective_chat.id, texts.SOMETHING_WENT_WRONG)
        )


async def _quietly(call: Awaitable[Any]) -> None:
    try:
        await call
    except Exception:  # the apology itself failing must not hide the first error
        log.warning("could not apologise", exc_info=True)


async def deliver(context: RampContext, update: Update, turn: Turn) -> None:
    """Answer the tapped button, then send or edit every reply, in order."""
    bot = context.bot
    if update.callback_query is not None:
        await _quietly(update.callback_query.answer(turn.answer, show_alert=turn.alert))
    chat_id = turn.chat_id
    for reply in turn.replies:
        try:
            message_id = await _send(bot, chat_id, reply)
        except Forbidden:
            log.info("chat %s blocked the bot", chat_id)
            return
        if reply.on_sent is not None and message_id is not None:
            with turn.runtime.sessions() as session, session.begin():
                reply.on_sent(session, message_id)


async def _send(bot: Any, chat_id: int, reply: Reply) -> int | None:
    photo = reply.photo if reply.draw is None else await reply.draw()
    if photo is not None:
        sent = await bot.send_photo(chat_id, photo=photo, caption=reply.text)
        return int(sent.message_id)
    if reply.document is not None:
        name, content = reply.document
        sent = await bot.send_document(chat_id, document=content, filename=name, caption=reply.text)
        return int(sent.message_id)
    if reply.edit is not None:
        try:
            await bot.edit_message_text(
                reply.text,
                chat_id=chat_id,
                message_id=reply.edit,
                reply_markup=markup(reply.keyboard),
            )
            return reply.edit
        except BadRequest as error:
            if "not modified" in str(error).lower():
                return reply.edit  # the same tap twice: nothing to change
            log.info("could not edit message %s (%s); sending a new one", reply.edit, error)
    # Telegram HTML throughout: the application's Defaults set the parse mode.
    sent = await bot.send_message(chat_id, reply.text, reply_markup=markup(reply.keyboard))
    return int(sent.message_id)


# --- what every command needs --------------------------------------------------------


def argument_of(update: Update) -> str:
    """What follows the command: '/rhr 52' → '52'."""
    message = update.effective_message
    text = message.text if message is not None and message.text else ""
    parts = text.split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


def takes_nothing(turn: Turn, update: Update, command: str) -> bool:
    """Junk after a command that takes nothing: say so and do nothing (False)."""
    if argument_of(update):
        turn.say(texts.COMMAND_TAKES_NO_ARGUMENTS.format(command=command))
        return False
    return True


def not_started(turn: Turn) -> bool:
    """Before the plan's first Monday there is nothing to show yet: say when it starts."""
    assert turn.athlete.profile is not None
    start = date.fromisoformat(turn.athlete.profile["start_date"])
    if turn.today < start:
        turn.say(texts.PLAN_STARTS_ON.format(day=day_label(start)))
        return True
    return False


TapT = TypeVar("TapT", bound=CallbackData)


def owned_tap(turn: Turn, kind: type[TapT], parts: list[str]) -> TapT | None:
    """The typed payload of a tapped button if it is well formed and this runner's; None
    (and a notice on the button) otherwise: a forged or malformed one changes nothing."""
    tap = kind.unpack(":".join([kind.prefix, *parts]))
    if tap is None:
        turn.refuse(texts.BUTTON_EXPIRED)
        return None
    if getattr(tap, "athlete_id", None) != turn.athlete_id:
        turn.refuse(texts.BUTTON_NOT_YOURS)
        return None
    return tap
