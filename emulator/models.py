"""Plain data records kept by the emulator and handed to tests."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from emulator.html import html_to_plain


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request, as the bot uploaded it."""

    filename: str
    content: bytes
    content_type: str | None = None


@dataclass
class StoredFile:
    """A file known to the emulator's file storage (sent by the user or by the bot)."""

    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    filename: str | None = None
    mime_type: str | None = None

    @property
    def file_size(self) -> int:
        return len(self.content)


@dataclass
class MessageRecord:
    """One message of a private chat transcript, as a test wants to look at it."""

    chat_id: int
    message_id: int
    from_bot: bool
    date: int
    text: str | None = None
    parse_mode: str | None = None
    entities: list[dict[str, Any]] | None = None
    reply_markup: dict[str, Any] | None = None
    caption: str | None = None
    document: StoredFile | None = None
    photo: StoredFile | None = None
    edited: bool = False
    edit_count: int = 0
    deleted: bool = False

    @property
    def plain_text(self) -> str:
        """Text (or caption) as the user sees it: HTML tags stripped, entities unescaped."""
        raw = self.text if self.text is not None else (self.caption or "")
        if (self.parse_mode or "").upper() == "HTML":
            return html_to_plain(raw)
        return raw

    @property
    def inline_keyboard(self) -> list[list[dict[str, Any]]]:
        if not self.reply_markup:
            return []
        rows = self.reply_markup.get("inline_keyboard") or []
        return [list(row) for row in rows]

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Inline buttons flattened in reading order (row by row)."""
        return [button for row in self.inline_keyboard for button in row]

    def callback_data(self, label: str) -> str:
        """The callback_data of the inline button whose text is (or contains) ``label``."""
        for button in self.buttons:
            if button.get("text") == label and "callback_data" in button:
                return str(button["callback_data"])
        for button in self.buttons:
            if label in str(button.get("text", "")) and "callback_data" in button:
                return str(button["callback_data"])
        labels = [b.get("text") for b in self.buttons]
        raise KeyError(f"no callback button {label!r} on message {self.message_id}: {labels}")


@dataclass
class RecordedRequest:
    method: str
    params: dict[str, Any]
    time: float = field(default_factory=time.time)


@dataclass
class RecordedError:
    """A non-ok answer the emulator gave (spec violation, semantic error or injected)."""

    method: str
    error_code: int
    description: str
    params: dict[str, Any]


@dataclass
class FailureRule:
    method: str
    error_code: int
    retry_after: int | None
    description: str | None
    times: int


@dataclass
class CallbackQueryRecord:
    id: str
    user_id: int
    message_id: int
    data: str
    answered: bool = False
    answer_text: str | None = None
    show_alert: bool = False
