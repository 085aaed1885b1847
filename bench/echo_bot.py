"""The floor for bench/interaction.py: a bare python-telegram-bot 22 bot doing the least a
bot can do for each kind of interaction Ramp is measured on.

Text gets its echo with a button; a tap is answered and its message edited, as Ramp's
check-in does; any command gets a one-line reply. Run as its own process, like Ramp, so
neither bot's garbage collector or event loop slows the other.

    TELEGRAM_BOT_TOKEN=... TELEGRAM_API_BASE_URL=http://127.0.0.1:PORT python bench/echo_bot.py
"""

from __future__ import annotations

import os

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

BUTTON = InlineKeyboardMarkup([[InlineKeyboardButton("Done", callback_data="done")]])


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text, reply_markup=BUTTON)


async def command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    await update.message.reply_text("This week: 4 runs, 180 minutes.")


async def tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text("Noted.")


def main() -> None:
    base = os.environ["TELEGRAM_API_BASE_URL"].rstrip("/")
    application = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        .build()
    )
    application.add_handler(MessageHandler(filters.COMMAND, command))
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.add_handler(CallbackQueryHandler(tap))
    application.run_polling(allowed_updates=["message", "callback_query"], poll_interval=0.0)


if __name__ == "__main__":
    main()
