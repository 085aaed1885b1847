"""A terminal chat with the bot, played against the emulator (used by ``make play``).

Type text or /commands to send them as the user, a number to tap the inline button with
that number on the latest message that has buttons, and ``:something`` for commands of the
host program (``command_hook``). ``:quit`` ends the chat.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TextIO

from emulator.html import HtmlParseError, parse_html
from emulator.models import MessageRecord
from emulator.server import BotApiEmulator

CommandHook = Callable[[str], Awaitable[str | None]]

BOLD, ITALIC, UNDERLINE, DIM, RESET = "\033[1m", "\033[3m", "\033[4m", "\033[2m", "\033[0m"
_STYLES = {"bold": BOLD, "italic": ITALIC, "underline": UNDERLINE}
_QUIT = (":quit", ":q", ":exit")
BUILTIN_HELP = """\
  text or /command   send it to the bot
  1, 2, ...          tap that button of the latest message with buttons
                     (a number with no such button is sent as text)
  :file PATH         send a file as a document
  :quit              leave"""


class TerminalChat:
    """Line-based chat UI; streams are parameters so tests can use StringIO."""

    def __init__(
        self,
        emulator: BotApiEmulator,
        user_id: int,
        command_hook: CommandHook,
        *,
        input_stream: TextIO | None = None,
        output: TextIO | None = None,
        first_name: str = "Ana",
        color: bool | None = None,
        settle_timeout: float = 10.0,
        quiet_period: float = 0.3,
    ) -> None:
        self.emulator = emulator
        self.user_id = user_id
        self.command_hook = command_hook
        self.first_name = first_name
        self._input = input_stream if input_stream is not None else sys.stdin
        self._out = output if output is not None else sys.stdout
        self.color = color if color is not None else self._out.isatty()
        # After each input, wait until the bot has taken the update and gone quiet, so that
        # scripted input (and a human) sees the reply before typing the next line.
        self.settle_timeout = settle_timeout
        self.quiet_period = quiet_period
        self._seen_versions: dict[int, int] = {}
        self._seen_answers: set[str] = set()

    # -- main loop -----------------------------------------------------------------------

    async def run(self) -> None:
        """Chat until :quit or end of input."""
        self.emulator.register_user(self.user_id, self.first_name)
        lines: asyncio.Queue[str | None] = asyncio.Queue()
        self._start_reader(lines)
        printer = asyncio.create_task(self._print_loop())
        self._write(f"Chatting as {self.first_name} (:help for help, :quit to leave)")
        try:
            while (line := await lines.get()) is not None:
                if not await self.handle_line(line):
                    break
        finally:
            self.print_updates()
            printer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await printer

    async def handle_line(self, line: str) -> bool:
        """Act on one input line; False means the chat should end."""
        line = line.strip()
        if not line:
            return True
        if line.startswith(":"):
            return await self._handle_command(line)
        if line.isdigit() and self._tappable(int(line)):
            self._tap(int(line))
        else:
            # A number with no button of that number is an answer: "180" minutes, "52" bpm.
            self.emulator.user_sends_text(self.user_id, line, self.first_name)
        await self._settle()
        return True

    def _start_reader(self, lines: asyncio.Queue[str | None]) -> None:
        # A daemon thread, not asyncio.to_thread: a blocked stdin read must not keep the
        # process alive at exit.
        loop = asyncio.get_running_loop()

        def read() -> None:
            for line in iter(self._input.readline, ""):
                loop.call_soon_threadsafe(lines.put_nowait, line)
            loop.call_soon_threadsafe(lines.put_nowait, None)

        threading.Thread(target=read, name="terminal-chat-input", daemon=True).start()

    async def _handle_command(self, line: str) -> bool:
        answer = await self.command_hook(line)
        if answer:
            self._write(answer)
        command, _, argument = line.partition(" ")
        if command in _QUIT:
            return False
        if command == ":help":
            self._write(BUILTIN_HELP)
        elif command == ":file" and answer is None:
            self._send_file(argument.strip())
        await self._settle()
        return True

    def _send_file(self, argument: str) -> None:
        path = Path(argument).expanduser()
        try:
            content = path.read_bytes()
        except OSError as error:
            self._write(f"! cannot read {argument!r}: {error}")
            return
        self.emulator.user_sends_document(
            self.user_id, path.name, content, first_name=self.first_name
        )

    def _tappable(self, number: int) -> bool:
        message = self._latest_with_buttons()
        return message is not None and 1 <= number <= len(message.buttons)

    def _tap(self, number: int) -> None:
        message = self._latest_with_buttons()
        if message is None:
            self._write("! no message with buttons to tap")
            return
        buttons = message.buttons
        if not 1 <= number <= len(buttons):
            self._write(f"! choose a button between 1 and {len(buttons)}")
            return
        button = buttons[number - 1]
        if "callback_data" in button:
            self.emulator.user_taps(self.user_id, message.message_id, button["callback_data"])
        elif "url" in button:
            self._write(f"(opens {button['url']})")
        else:
            self._write("! this kind of button is not supported in the terminal")

    def _latest_with_buttons(self) -> MessageRecord | None:
        with_buttons = [m for m in self.emulator.bot_messages(self.user_id) if m.buttons]
        return with_buttons[-1] if with_buttons else None

    async def _settle(self) -> None:
        """Wait until the bot fetched our update and then stayed quiet for a moment."""
        emulator = self.emulator
        try:
            await emulator.wait_for(lambda: not emulator.pending_updates, self.settle_timeout)
        except TimeoutError:
            self._write("! the bot has not picked up the message (is it running?)")
            return
        while await emulator.wait_for_change(self.quiet_period):
            pass
        self.print_updates()

    # -- output --------------------------------------------------------------------------

    async def _print_loop(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):  # idle for an hour is fine; keep watching
                await self.emulator.wait_for(self._has_unseen, timeout=3600)
                self.print_updates()

    def _has_unseen(self) -> bool:
        return bool(self._unseen_messages() or self._unseen_answers())

    def _unseen_messages(self) -> list[MessageRecord]:
        return [
            m
            for m in self.emulator.bot_messages(self.user_id)
            if self._seen_versions.get(m.message_id) != m.edit_count
        ]

    def _unseen_answers(self) -> list[str]:
        return [
            q.id
            for q in self.emulator.callback_queries.values()
            if q.user_id == self.user_id and q.answered and q.id not in self._seen_answers
        ]

    def print_updates(self) -> None:
        """Print bot messages that are new or edited since last time, and popup answers."""
        for message in self._unseen_messages():
            edited = message.message_id in self._seen_versions
            self._seen_versions[message.message_id] = message.edit_count
            self._write(self.render(message, edited=edited))
        for query_id in self._unseen_answers():
            self._seen_answers.add(query_id)
            if text := self.emulator.callback_queries[query_id].answer_text:
                self._write(f"  ({text})")

    def render(self, message: MessageRecord, *, edited: bool = False) -> str:
        header = f"bot (edited #{message.message_id})>" if edited else "bot>"
        parts = [self._render_text(message)]
        if message.document is not None:
            doc = message.document
            parts.insert(0, f"[file {doc.filename or doc.file_id}, {doc.file_size} bytes]")
        if message.photo is not None:
            parts.insert(0, f"[photo, {message.photo.file_size} bytes]")
        body = "\n".join(p for p in parts if p)
        lines = [f"{header} {body}".rstrip()]
        lines += self._render_buttons(message)
        return "\n".join(lines)

    def _render_text(self, message: MessageRecord) -> str:
        raw = message.text if message.text is not None else (message.caption or "")
        if (message.parse_mode or "").upper() != "HTML":
            return raw
        try:
            parsed = parse_html(raw)
        except HtmlParseError:
            return raw
        text = parsed.text
        # Insert from the end so earlier offsets stay valid.
        inserts: list[tuple[int, int, str]] = []
        for entity in parsed.entities:
            end = entity.offset + entity.length
            if entity.type == "text_link" and entity.url:
                inserts.append((end, 0, f" ({entity.url})"))
            if self.color and (style := _STYLES.get(entity.type)):
                inserts.append((entity.offset, 1, style))
                inserts.append((end, -1, RESET))
        for position, _, snippet in sorted(inserts, key=lambda item: (item[0], item[1]))[::-1]:
            text = text[:position] + snippet + text[position:]
        return text

    def _render_buttons(self, message: MessageRecord) -> list[str]:
        lines: list[str] = []
        number = 0
        for row in message.inline_keyboard:
            cells = []
            for button in row:
                number += 1
                cells.append(f"[{number}] {button.get('text', '?')}")
            lines.append("    " + "   ".join(cells))
        return lines

    def _write(self, text: str) -> None:
        self._out.write(text + "\n")
        self._out.flush()
