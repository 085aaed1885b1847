"""A real PTB Application, long polling against the emulator, and the terminal chat UI."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from emulator import BotApiEmulator, MessageRecord
from emulator.terminal import TerminalChat

TOKEN = "123:TEST"
USER_ID = 4242


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.effective_user is not None
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Yes", callback_data="ready:yes"),
                InlineKeyboardButton("Later", callback_data="ready:later"),
            ]
        ]
    )
    await update.message.reply_html(
        f"<b>Welcome</b>, {update.effective_user.first_name}! Ready?", reply_markup=keyboard
    )


async def tapped(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer("Saved")
    await query.edit_message_text(
        f"You chose <i>{query.data.split(':')[1]}</i>", parse_mode=ParseMode.HTML
    )


async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.document is not None
    file = await update.message.document.get_file()
    content = await file.download_as_bytearray()
    await update.message.reply_text(f"Got {len(content)} bytes")


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(f"echo: {update.message.text}")


def build_app(emu: BotApiEmulator) -> Application:  # type: ignore[type-arg]
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(emu.base_url)
        .base_file_url(emu.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(tapped))
    app.add_handler(MessageHandler(filters.Document.ALL, document))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return app


@asynccontextmanager
async def polling(emu: BotApiEmulator) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """What Application.run_polling does, minus signal handling and loop ownership."""
    app = build_app(emu)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=5)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()


async def test_application_conversation(emu: BotApiEmulator) -> None:
    async with polling(emu):
        emu.user_sends_text(USER_ID, "/start", first_name="Ana")
        [welcome] = await emu.wait_for_bot_messages(USER_ID, 1)
        assert welcome.plain_text == "Welcome, Ana! Ready?"
        assert welcome.parse_mode == "HTML"

        query_id = emu.user_taps(USER_ID, welcome.message_id, welcome.callback_data("Yes"))
        assert (await emu.wait_for_answer(query_id)).answer_text == "Saved"
        await emu.wait_for(lambda: welcome.edited)
        assert welcome.plain_text == "You chose yes" and welcome.buttons == []

        emu.user_sends_document(USER_ID, "runs.csv", b"date,km\n2025-01-01,5\n", "text/csv")
        await emu.wait_for_bot_text(USER_ID, "Got 21 bytes")

        # Telegram redelivers after a crash; the bot sees the same update twice.
        emu.duplicate_next_update()
        emu.user_sends_text(USER_ID, "tempo run")
        await emu.wait_for(
            lambda: len([m for m in emu.bot_messages(USER_ID) if m.text == "echo: tempo run"]) == 2
        )

    methods = {r.method for r in emu.requests}
    assert {"getMe", "deleteWebhook", "getUpdates", "getFile"} <= methods
    assert emu.violations == []


async def test_terminal_chat_session(emu: BotApiEmulator) -> None:
    hook_calls: list[str] = []

    async def hook(line: str) -> str | None:
        hook_calls.append(line)
        return "pong" if line == ":ping" else None

    script = io.StringIO("/start\n1\n:ping\n9\nhello there\n:help\n:quit\nignored\n")
    output = io.StringIO()
    chat = TerminalChat(
        emu, USER_ID, hook, input_stream=script, output=output, color=False, quiet_period=0.1
    )
    async with polling(emu):
        await chat.run()

    text = output.getvalue()
    assert "bot> Welcome, Ana! Ready?\n    [1] Yes   [2] Later" in text
    assert "bot (edited #2)> You chose yes" in text
    assert "  (Saved)" in text
    assert "pong" in text
    assert "! choose a button between 1 and 2" not in text  # keyboard was removed by the edit
    # "9" matches no button (the keyboard is gone), so it goes to the bot as text.
    assert "! no message with buttons to tap" not in text and "echo: 9" in text
    assert "bot> echo: hello there" in text
    assert ":file PATH" in text  # built-in help after the hook's (empty) answer
    assert hook_calls == [":ping", ":help", ":quit"]
    assert [m.text for m in emu.transcript(USER_ID) if not m.from_bot] == [
        "/start",
        "9",
        "hello there",
    ]
    assert emu.violations == []


def test_terminal_renders_html_with_ansi_bold(emu: BotApiEmulator) -> None:
    async def hook(line: str) -> str | None:
        return None

    chat = TerminalChat(emu, USER_ID, hook, output=io.StringIO(), color=True)
    message = MessageRecord(
        chat_id=USER_ID,
        message_id=3,
        from_bot=True,
        date=0,
        text='<b>6 x 400 m</b> at <a href="https://x.org">5k pace</a> &amp; rest',
        parse_mode="HTML",
    )
    rendered = chat.render(message)
    assert rendered == "bot> \033[1m6 x 400 m\033[0m at 5k pace (https://x.org) & rest"
