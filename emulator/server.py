"""A local, in-process Telegram Bot API server for private chats.

The real bot (python-telegram-bot) talks HTTP to it exactly as it would to
api.telegram.org; tests and the terminal UI play the users through the Python API.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import re
import struct
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import web

from emulator.html import HtmlParseError, parse_html_cached
from emulator.models import (
    CallbackQueryRecord,
    FailureRule,
    MessageRecord,
    RecordedError,
    RecordedRequest,
    StoredFile,
    UploadedFile,
)
from emulator.spec import BotApiSpec

T = TypeVar("T")
JsonDict = dict[str, Any]
Handler = Callable[[JsonDict], Awaitable[Any]]

_TOKEN_RE = re.compile(r"\d+:[A-Za-z0-9_-]+")
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
# Telegram's default when allowed_updates was never set (or set to []).
_NOT_DELIVERED_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_MAX_UPLOAD = 50 * 1024 * 1024


class ApiError(Exception):
    """An error answer in Telegram's format."""

    def __init__(
        self, error_code: int, description: str, parameters: JsonDict | None = None
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    @classmethod
    def bad_request(cls, detail: str) -> ApiError:
        return cls(400, f"Bad Request: {detail}")


@dataclass
class Violation:
    """A request Telegram would have rejected; tests assert there are none."""

    method: str
    problems: list[str]
    params: JsonDict

    def __str__(self) -> str:
        return f"{self.method}: {'; '.join(self.problems)}"


# Methods that put a message into a chat (limited overall and per chat) and edits
# (limited overall), for the limits mode.
_SENDING_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendAudio",
        "sendVideo",
        "sendAnimation",
        "sendVoice",
        "sendVideoNote",
        "sendMediaGroup",
        "sendLocation",
        "sendVenue",
        "sendContact",
        "sendPoll",
        "sendDice",
        "sendSticker",
        "copyMessage",
        "forwardMessage",
    }
)
_EDITING_METHODS = frozenset(
    {"editMessageText", "editMessageCaption", "editMessageMedia", "editMessageReplyMarkup"}
)


@dataclass(frozen=True)
class TelegramLimits:
    """Telegram's flood control, as the emulator enforces it in limits mode.

    At most `overall_per_s` messages (sends and edits) in any one-second window, or
    `paid_per_s` for sends with `allow_paid_broadcast`; at most one send per
    `per_chat_s` seconds in a chat. Beyond that: HTTP 429 with `retry_after`.
    """

    overall_per_s: int = 30
    paid_per_s: int = 1000
    per_chat_s: float = 1.0


@dataclass
class _LimitState:
    limits: TelegramLimits
    free: deque[float] = field(default_factory=deque)
    paid: deque[float] = field(default_factory=deque)
    last_in_chat: dict[int, float] = field(default_factory=dict)

    def check(self, method: str, params: JsonDict, now: float) -> None:
        """Raise a 429 if this request is over a limit; otherwise count it."""
        sending = method in _SENDING_METHODS
        if not sending and method not in _EDITING_METHODS:
            return
        paid = sending and bool(params.get("allow_paid_broadcast"))
        window, ceiling = (
            (self.paid, self.limits.paid_per_s) if paid else (self.free, self.limits.overall_per_s)
        )
        while window and now - window[0] >= 1.0:
            window.popleft()
        waits: list[float] = []
        if len(window) >= ceiling:
            waits.append(window[0] + 1.0 - now)
        chat_id = params.get("chat_id")
        chat = chat_id if sending and isinstance(chat_id, int) else None
        if chat is not None and chat in self.last_in_chat:
            since = now - self.last_in_chat[chat]
            if since < self.limits.per_chat_s:
                waits.append(self.limits.per_chat_s - since)
        if waits:
            retry_after = max(1, math.ceil(max(waits)))
            raise ApiError(
                429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
            )
        window.append(now)
        if chat is not None:
            self.last_in_chat[chat] = now


@dataclass
class SimulatedUser:
    id: int
    first_name: str
    username: str | None = None
    language_code: str | None = "en"

    def to_api(self) -> JsonDict:
        user: JsonDict = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user


@dataclass
class _PollState:
    queue: list[JsonDict] = field(default_factory=list)
    redeliveries: list[JsonDict] = field(default_factory=list)
    duplicate_ids: set[int] = field(default_factory=set)
    duplicate_next: bool = False
    allowed_updates: list[str] = field(default_factory=list)
    generation: int = 0


class BotApiEmulator:
    """Emulates the Bot API for one bot and any number of users in private chats."""

    def __init__(
        self,
        spec: BotApiSpec | None = None,
        *,
        bot_first_name: str = "Ramp",
        bot_username: str = "ramp_coach_bot",
    ) -> None:
        self.spec = spec or BotApiSpec.load()
        self.bot_first_name = bot_first_name
        self.bot_username = bot_username
        self.bot_id: int | None = None

        self.requests: list[RecordedRequest] = []
        self.violations: list[Violation] = []
        self.errors: list[RecordedError] = []
        self.chat_actions: list[tuple[int, str]] = []
        self.commands: dict[str, list[JsonDict]] = {}
        self.menu_buttons: dict[int | None, JsonDict] = {}
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.users: dict[int, SimulatedUser] = {}
        self.blocked_users: set[int] = set()

        self._chats: dict[int, list[MessageRecord]] = {}
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._files: dict[str, StoredFile] = {}
        self._file_counter = itertools.count(1)
        self._update_counter = itertools.count(1)
        self._update_log: dict[int, JsonDict] = {}
        self._callback_counter = itertools.count(1)
        self._failures: list[FailureRule] = []
        self._limits: _LimitState | None = None
        # (monotonic time, chat id) of every message the bot sent, for benchmarks.
        self.sent_log: list[tuple[float, int]] = []
        # Called the moment a bot message is accepted, before the bot gets the answer
        # (a crash test kills the bot right there).
        self.on_bot_message: Callable[[MessageRecord], None] | None = None
        self._poll = _PollState()
        self._updates_changed = asyncio.Event()
        self._transcript_changed = asyncio.Event()
        self._closing = False

        self._runner: web.AppRunner | None = None
        self._host = "127.0.0.1"
        self._port: int | None = None
        self._handlers: dict[str, Handler] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setChatMenuButton": self._set_chat_menu_button,
            "getChatMenuButton": self._get_chat_menu_button,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendChatAction": self._send_chat_action,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "getFile": self._get_file,
        }

    # == lifecycle =============================================================================

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        app = web.Application(client_max_size=_MAX_UPLOAD)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._handle_file)
        # Pending long polls are woken by stop(), so a short shutdown timeout is enough.
        self._runner = web.AppRunner(app, shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self._host = host
        self._port = int(self._runner.addresses[0][1])
        self._closing = False

    async def stop(self) -> None:
        self._closing = True
        self._notify_updates()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("emulator not started")
        return self._port

    @property
    def base_url(self) -> str:
        """What PTB's ``base_url`` takes; PTB appends the token."""
        return f"http://{self._host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self._host}:{self.port}/file/bot"

    # == test controls =========================================================================

    def fail_next(
        self,
        method: str,
        error_code: int = 429,
        retry_after: int | None = None,
        description: str | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` ("*" for any) fail with ``error_code``."""
        canonical = "*" if method == "*" else self.spec.canonical_method(method)
        if canonical is None:
            raise ValueError(f"unknown Bot API method {method!r}")
        self._failures.append(FailureRule(canonical, error_code, retry_after, description, times))

    def enable_limits(self, limits: TelegramLimits | None = None) -> None:
        """Enforce Telegram's flood control (see `TelegramLimits`) from now on."""
        self._limits = _LimitState(limits or TelegramLimits())

    def disable_limits(self) -> None:
        self._limits = None

    @property
    def rate_limited(self) -> list[RecordedError]:
        """Every request refused with a 429 (by the limits mode or `fail_next`)."""
        return [error for error in self.errors if error.error_code == 429]

    def block_user(self, user_id: int) -> None:
        self.blocked_users.add(user_id)

    def unblock_user(self, user_id: int) -> None:
        self.blocked_users.discard(user_id)

    def duplicate_next_update(self) -> None:
        """Deliver the next user update twice (the second time in the following getUpdates)."""
        self._poll.duplicate_next = True

    def redeliver(self, update_id: int) -> None:
        """Deliver an earlier update again, as Telegram does after a bot crashed mid-batch."""
        try:
            update = self._update_log[update_id]
        except KeyError:
            raise KeyError(f"no update {update_id} was ever created") from None
        self._poll.redeliveries.append(update)
        self._notify_updates()

    @property
    def pending_updates(self) -> list[JsonDict]:
        """Updates not yet confirmed by the bot (plus queued redeliveries)."""
        return [*self._poll.redeliveries, *self._poll.queue]

    def requests_for(self, method: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method.lower() == method.lower()]

    # == simulated users =======================================================================

    def register_user(
        self, user_id: int, first_name: str = "Ana", username: str | None = None
    ) -> SimulatedUser:
        user = self.users.get(user_id)
        if user is None:
            user = SimulatedUser(user_id, first_name, username)
            self.users[user_id] = user
            self._chats[user_id] = []
            self._message_ids[user_id] = itertools.count(1)
        return user

    def user_sends_text(self, user_id: int, text: str, first_name: str = "Ana") -> int:
        """The user types ``text``; returns the update_id."""
        self.register_user(user_id, first_name)
        self.blocked_users.discard(user_id)  # writing to the bot again means unblocking it
        record = self._new_record(user_id, from_bot=False, text=text)
        message = self._message_json(record)
        if entities := _command_entities(text):
            message["entities"] = entities
        return self._enqueue({"message": message})

    def user_sends_document(
        self,
        user_id: int,
        filename: str,
        content: bytes,
        mime_type: str | None = None,
        caption: str | None = None,
        first_name: str = "Ana",
    ) -> int:
        """The user sends a file; the bot can getFile and download it. Returns the update_id."""
        self.register_user(user_id, first_name)
        stored = self._store_file(content, filename, mime_type, folder="documents")
        record = self._new_record(user_id, from_bot=False, caption=caption, document=stored)
        return self._enqueue({"message": self._message_json(record)})

    def user_taps(
        self, user_id: int, message_id: int, callback_data: str, *, strict: bool = True
    ) -> str:
        """The user taps an inline button; returns the callback query id.

        With ``strict`` the button must currently be on the message, which catches tests
        (and bots) that rely on keyboards the user can no longer see.
        """
        record = self._find_message(user_id, message_id)
        if record is None:
            raise LookupError(f"message {message_id} not found in chat {user_id}")
        available = [b.get("callback_data") for b in record.buttons]
        if strict and callback_data not in available:
            raise LookupError(
                f"message {message_id} has no button with callback_data {callback_data!r}; "
                f"available: {available}"
            )
        user = self.users[user_id]
        query_id = f"{user_id}{next(self._callback_counter):08d}"
        self.callback_queries[query_id] = CallbackQueryRecord(
            query_id, user_id, message_id, callback_data
        )
        query = {
            "id": query_id,
            "from": user.to_api(),
            "message": self._message_json(record),
            "chat_instance": f"ci{user_id}",
            "data": callback_data,
        }
        self._enqueue({"callback_query": query})
        return query_id

    def transcript(self, chat_id: int, *, include_deleted: bool = False) -> list[MessageRecord]:
        """All messages of a private chat, user's and bot's, oldest first."""
        records = self._chats.get(chat_id, [])
        return [r for r in records if include_deleted or not r.deleted]

    def bot_messages(self, chat_id: int) -> list[MessageRecord]:
        return [r for r in self.transcript(chat_id) if r.from_bot]

    def last_bot_message(self, chat_id: int) -> MessageRecord | None:
        messages = self.bot_messages(chat_id)
        return messages[-1] if messages else None

    async def wait_for(self, predicate: Callable[[], T | None], timeout: float = 5.0) -> T:
        """Wait until ``predicate()`` is truthy (re-checked on every chat or update change)."""
        try:
            async with asyncio.timeout(timeout):
                while not (result := predicate()):
                    await self._transcript_changed.wait()
                return result
        except TimeoutError:
            raise TimeoutError(
                f"condition not met within {timeout}s; recent bot calls: "
                f"{[r.method for r in self.requests[-10:]]}; violations: "
                f"{[str(v) for v in self.violations]}"
            ) from None

    async def wait_for_change(self, timeout: float) -> bool:
        """Wait for the next change of any chat, update queue or request log; False on timeout."""
        try:
            await asyncio.wait_for(self._transcript_changed.wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def wait_for_bot_messages(
        self, chat_id: int, count: int, timeout: float = 5.0
    ) -> list[MessageRecord]:
        """Wait until the bot has sent at least ``count`` (non-deleted) messages in total."""

        def enough() -> list[MessageRecord] | None:
            messages = self.bot_messages(chat_id)
            return messages if len(messages) >= count else None

        return await self.wait_for(enough, timeout)

    async def wait_for_bot_text(
        self, chat_id: int, needle: str, timeout: float = 5.0
    ) -> MessageRecord:
        """Wait until a bot message (new or edited) shows ``needle``; returns the latest one."""

        def find() -> MessageRecord | None:
            matches = [m for m in self.bot_messages(chat_id) if needle in m.plain_text]
            return matches[-1] if matches else None

        return await self.wait_for(find, timeout)

    async def wait_for_answer(self, query_id: str, timeout: float = 5.0) -> CallbackQueryRecord:
        query = self.callback_queries[query_id]
        await self.wait_for(lambda: query.answered, timeout)
        return query

    # == HTTP layer ============================================================================

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        token, method = request.match_info["token"], request.match_info["method"]
        if not _TOKEN_RE.fullmatch(token):
            return _error_response(ApiError(404, "Not Found"))
        self.bot_id = self.bot_id or int(token.split(":", 1)[0])
        try:
            raw = await _read_params(request)
        except ValueError as error:
            return _error_response(ApiError.bad_request(str(error)))
        canonical = self.spec.canonical_method(method)
        params = self.spec.decode_params(canonical or method, raw)
        self.requests.append(RecordedRequest(canonical or method, params))
        try:
            result = await self._dispatch(canonical or method, raw, params)
        except ApiError as error:
            self.errors.append(
                RecordedError(canonical or method, error.error_code, error.description, params)
            )
            return _error_response(error)
        except _PlainHttpError as error:
            self.errors.append(RecordedError(canonical or method, error.status, error.body, params))
            return web.Response(status=error.status, text=error.body)
        finally:
            self._notify_transcript()  # so wait_for() predicates on requests/errors re-run
        return web.json_response({"ok": True, "result": result})

    async def _dispatch(self, method: str, raw: JsonDict, params: JsonDict) -> Any:
        if not self.spec.has_method(method):
            raise ApiError(404, "Not Found")
        if problems := self.spec.check_request(method, raw):
            self.violations.append(Violation(method, problems, params))
            raise ApiError.bad_request("; ".join(problems))
        self._raise_injected_failure(method)
        if self._limits is not None:
            self._limits.check(method, params, time.monotonic())
        chat_id = params.get("chat_id")
        if isinstance(chat_id, int) and chat_id in self.blocked_users:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        handler = self._handlers.get(method, self._generic)
        return await handler(params)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["file_path"]
        for stored in self._files.values():
            if stored.file_path == path:
                return web.Response(
                    body=stored.content,
                    content_type=stored.mime_type or "application/octet-stream",
                )
        return _error_response(ApiError(404, "Not Found"))

    def _raise_injected_failure(self, method: str) -> None:
        for rule in self._failures:
            if rule.method not in (method, "*") or rule.times <= 0:
                continue
            rule.times -= 1
            self._failures = [r for r in self._failures if r.times > 0]
            raise _injected_error(rule)

    # == Bot API methods =======================================================================

    async def _generic(self, params: JsonDict) -> Any:
        return True

    async def _get_me(self, params: JsonDict) -> JsonDict:
        return {
            **self._bot_user(),
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, params: JsonDict) -> list[JsonDict]:
        poll = self._poll
        poll.generation += 1
        generation = poll.generation
        self._notify_updates()  # wakes (and so terminates) an older pending long poll
        self._confirm(params.get("offset"))
        if (allowed := params.get("allowed_updates")) is not None:
            poll.allowed_updates = list(allowed)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = float(params.get("timeout") or 0)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if generation != poll.generation:
                raise ApiError(409, _CONFLICT)
            batch = self._take_batch(limit)
            remaining = deadline - loop.time()
            if batch or remaining <= 0 or self._closing:
                return batch
            changed = self._updates_changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    async def _delete_webhook(self, params: JsonDict) -> bool:
        if params.get("drop_pending_updates"):
            self._poll.queue.clear()
            self._poll.redeliveries.clear()
        return True

    async def _get_webhook_info(self, params: JsonDict) -> JsonDict:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}

    async def _set_my_commands(self, params: JsonDict) -> bool:
        self.commands[_commands_key(params)] = list(params["commands"])
        return True

    async def _get_my_commands(self, params: JsonDict) -> list[JsonDict]:
        return self.commands.get(_commands_key(params), [])

    async def _delete_my_commands(self, params: JsonDict) -> bool:
        self.commands.pop(_commands_key(params), None)
        return True

    async def _set_chat_menu_button(self, params: JsonDict) -> bool:
        self.menu_buttons[params.get("chat_id")] = params.get("menu_button") or {"type": "default"}
        return True

    async def _get_chat_menu_button(self, params: JsonDict) -> JsonDict:
        chat_id = params.get("chat_id")
        return self.menu_buttons.get(chat_id) or self.menu_buttons.get(None) or {"type": "default"}

    async def _send_message(self, params: JsonDict) -> JsonDict:
        chat_id = self._private_chat(params)
        record = self._new_record(
            chat_id,
            from_bot=True,
            text=params["text"],
            parse_mode=params.get("parse_mode"),
            entities=params.get("entities"),
            reply_markup=_inline_markup(params.get("reply_markup")),
        )
        return self._message_json(record)

    async def _edit_message_text(self, params: JsonDict) -> JsonDict | bool:
        if params.get("inline_message_id"):
            return True
        record = self._editable_message(params)
        if record.text is None:
            raise ApiError.bad_request("there is no text in the message to edit")
        new_text = params["text"]
        new_markup = _inline_markup(params.get("reply_markup"))
        before = _rendered(record.text, record.parse_mode, record.entities)
        after = _rendered(new_text, params.get("parse_mode"), params.get("entities"))
        if before == after and record.reply_markup == new_markup:
            raise ApiError.bad_request(_NOT_MODIFIED)
        record.text, record.parse_mode = new_text, params.get("parse_mode")
        record.entities = params.get("entities")
        # Like Telegram: an edit without reply_markup removes the inline keyboard.
        record.reply_markup = new_markup
        self._mark_edited(record)
        return self._message_json(record)

    async def _edit_message_reply_markup(self, params: JsonDict) -> JsonDict | bool:
        if params.get("inline_message_id"):
            return True
        record = self._editable_message(params)
        new_markup = _inline_markup(params.get("reply_markup"))
        if record.reply_markup == new_markup:
            raise ApiError.bad_request(_NOT_MODIFIED)
        record.reply_markup = new_markup
        self._mark_edited(record)
        return self._message_json(record)

    async def _delete_message(self, params: JsonDict) -> bool:
        chat_id = self._private_chat(params)
        record = self._find_message(chat_id, int(params["message_id"]))
        if record is None:
            raise ApiError.bad_request("message to delete not found")
        record.deleted = True
        self._notify_transcript()
        return True

    async def _answer_callback_query(self, params: JsonDict) -> bool:
        query = self.callback_queries.get(str(params["callback_query_id"]))
        if query is None or query.answered:
            raise ApiError.bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        query.answered = True
        query.answer_text = params.get("text")
        query.show_alert = bool(params.get("show_alert"))
        self._notify_transcript()
        return True

    async def _send_chat_action(self, params: JsonDict) -> bool:
        chat_id = self._private_chat(params)
        self.chat_actions.append((chat_id, str(params["action"])))
        return True

    async def _send_document(self, params: JsonDict) -> JsonDict:
        chat_id = self._private_chat(params)
        stored = self._file_from_param(params["document"], "documents")
        record = self._new_record(
            chat_id,
            from_bot=True,
            caption=params.get("caption"),
            parse_mode=params.get("parse_mode"),
            document=stored,
            reply_markup=_inline_markup(params.get("reply_markup")),
        )
        return self._message_json(record)

    async def _send_photo(self, params: JsonDict) -> JsonDict:
        chat_id = self._private_chat(params)
        stored = self._file_from_param(params["photo"], "photos")
        record = self._new_record(
            chat_id,
            from_bot=True,
            caption=params.get("caption"),
            parse_mode=params.get("parse_mode"),
            photo=stored,
            reply_markup=_inline_markup(params.get("reply_markup")),
        )
        return self._message_json(record)

    async def _get_file(self, params: JsonDict) -> JsonDict:
        stored = self._files.get(str(params["file_id"]))
        if stored is None:
            raise ApiError.bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "file_path": stored.file_path,
        }

    # == internals =============================================================================

    def _bot_user(self) -> JsonDict:
        return {
            "id": self.bot_id or 1,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def _private_chat(self, params: JsonDict) -> int:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int) or chat_id not in self.users:
            raise ApiError.bad_request("chat not found")
        return chat_id

    def _find_message(self, chat_id: int, message_id: int) -> MessageRecord | None:
        for record in self._chats.get(chat_id, []):
            if record.message_id == message_id and not record.deleted:
                return record
        return None

    def _editable_message(self, params: JsonDict) -> MessageRecord:
        if params.get("chat_id") is None or params.get("message_id") is None:
            raise ApiError.bad_request("message identifier is not specified")
        chat_id = self._private_chat(params)
        record = self._find_message(chat_id, int(params["message_id"]))
        if record is None:
            raise ApiError.bad_request("message to edit not found")
        if not record.from_bot:
            raise ApiError.bad_request("message can't be edited")
        return record

    def _mark_edited(self, record: MessageRecord) -> None:
        record.edited = True
        record.edit_count += 1
        self._notify_transcript()

    def _new_record(self, chat_id: int, *, from_bot: bool, **fields: Any) -> MessageRecord:
        record = MessageRecord(
            chat_id=chat_id,
            message_id=next(self._message_ids[chat_id]),
            from_bot=from_bot,
            date=int(time.time()),
            **fields,
        )
        self._chats[chat_id].append(record)
        if from_bot:
            self.sent_log.append((time.monotonic(), chat_id))
            if self.on_bot_message is not None:
                self.on_bot_message(record)
        self._notify_transcript()
        return record

    def _message_json(self, record: MessageRecord) -> JsonDict:
        user = self.users[record.chat_id]
        chat: JsonDict = {"id": user.id, "type": "private", "first_name": user.first_name}
        if user.username:
            chat["username"] = user.username
        message: JsonDict = {
            "message_id": record.message_id,
            "from": self._bot_user() if record.from_bot else user.to_api(),
            "chat": chat,
            "date": record.date,
        }
        if record.edited:
            message["edit_date"] = int(time.time())
        if record.text is not None:
            text, entities = _rendered(record.text, record.parse_mode, record.entities)
            message["text"] = text
            if entities:
                message["entities"] = entities
        if record.caption:
            caption, entities = _rendered(record.caption, record.parse_mode, None)
            message["caption"] = caption
            if entities:
                message["caption_entities"] = entities
        if record.document is not None:
            message["document"] = _document_json(record.document)
        if record.photo is not None:
            message["photo"] = [_photo_json(record.photo)]
        if record.reply_markup:
            message["reply_markup"] = record.reply_markup
        return message

    def _store_file(
        self, content: bytes, filename: str | None, mime_type: str | None, folder: str
    ) -> StoredFile:
        number = next(self._file_counter)
        suffix = f".{filename.rsplit('.', 1)[1]}" if filename and "." in filename else ""
        stored = StoredFile(
            file_id=f"EMUFILE{number:06d}",
            file_unique_id=f"EMUUNIQ{number:06d}",
            file_path=f"{folder}/file_{number}{suffix}",
            content=content,
            filename=filename,
            mime_type=mime_type,
        )
        self._files[stored.file_id] = stored
        return stored

    def _file_from_param(self, value: Any, folder: str) -> StoredFile:
        if isinstance(value, UploadedFile):
            return self._store_file(value.content, value.filename, value.content_type, folder)
        if isinstance(value, str) and value in self._files:
            return self._files[value]
        # No internet here, so URLs cannot be fetched; unknown file_ids are Telegram's error too.
        raise ApiError.bad_request("wrong file identifier/HTTP URL specified")

    def _enqueue(self, body: JsonDict) -> int:
        update_id = next(self._update_counter)
        update = {"update_id": update_id, **body}
        self._update_log[update_id] = update
        self._poll.queue.append(update)
        if self._poll.duplicate_next:
            self._poll.duplicate_next = False
            self._poll.duplicate_ids.add(update_id)
        self._notify_updates()
        return update_id

    def _confirm(self, offset: Any) -> None:
        """getUpdates' offset permanently forgets older updates (negative: keep the last N)."""
        if not isinstance(offset, int) or offset == 0:
            return
        queue = self._poll.queue
        if offset > 0:
            self._poll.queue = [u for u in queue if u["update_id"] >= offset]
        else:
            self._poll.queue = queue[offset:]

    def _take_batch(self, limit: int) -> list[JsonDict]:
        poll = self._poll
        allowed = set(poll.allowed_updates)
        candidates = [*poll.redeliveries, *poll.queue]
        batch = [u for u in candidates if _update_type(u) in allowed or not allowed][:limit]
        if not allowed:
            batch = [u for u in batch if _update_type(u) not in _NOT_DELIVERED_BY_DEFAULT]
        poll.redeliveries = [u for u in poll.redeliveries if u not in batch]
        for update in batch:
            if update["update_id"] in poll.duplicate_ids:
                poll.duplicate_ids.discard(update["update_id"])
                poll.redeliveries.append(update)
        return batch

    def _notify_updates(self) -> None:
        self._updates_changed.set()
        self._updates_changed = asyncio.Event()
        self._notify_transcript()

    def _notify_transcript(self) -> None:
        self._transcript_changed.set()
        self._transcript_changed = asyncio.Event()


# == module helpers ===========================================================================


class _PlainHttpError(Exception):
    """A non-JSON server error, like the nginx pages Telegram serves for 5xx."""

    def __init__(self, status: int, body: str) -> None:
        super().__init__(body)
        self.status = status
        self.body = body


def _injected_error(rule: FailureRule) -> Exception:
    if rule.error_code == 429:
        retry_after = rule.retry_after if rule.retry_after is not None else 1
        description = rule.description or f"Too Many Requests: retry after {retry_after}"
        return ApiError(429, description, {"retry_after": retry_after})
    if rule.error_code >= 500:
        reason = {500: "Internal Server Error", 502: "Bad Gateway", 504: "Gateway Timeout"}
        text = rule.description or reason.get(rule.error_code, "Server Error")
        return _PlainHttpError(
            rule.error_code, f"<html><body>{rule.error_code} {text}</body></html>"
        )
    defaults = {
        400: "Bad Request: injected failure",
        403: "Forbidden: bot was blocked by the user",
        409: "Conflict: injected failure",
    }
    description = rule.description or defaults.get(rule.error_code, f"Error {rule.error_code}")
    return ApiError(rule.error_code, description)


def _error_response(error: ApiError) -> web.Response:
    body: JsonDict = {"ok": False, "error_code": error.error_code, "description": error.description}
    if error.parameters:
        body["parameters"] = error.parameters
    return web.json_response(body, status=error.error_code)


async def _read_params(request: web.Request) -> JsonDict:
    """Query string plus a JSON, urlencoded or multipart body, files as UploadedFile."""
    params: JsonDict = dict(request.query)
    if not request.body_exists:
        return params
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError as error:
            raise ValueError("can't parse JSON body") from error
        if not isinstance(body, dict):
            raise ValueError("JSON body must be an object")
        params.update(body)
        return params
    form = await request.post()
    uploads: dict[str, UploadedFile] = {}
    for name, value in form.items():
        if isinstance(value, web.FileField):
            uploads[name] = UploadedFile(value.filename, value.file.read(), value.content_type)
        elif isinstance(value, bytes | bytearray):
            params[name] = bytes(value).decode("utf-8", errors="replace")
        else:
            params[name] = value
    return _attach_uploads(params, uploads)


def _attach_uploads(params: JsonDict, uploads: dict[str, UploadedFile]) -> JsonDict:
    """Put uploaded parts where they belong: a field of their own or an attach:// reference."""
    for name, upload in uploads.items():
        reference = f"attach://{name}"
        holders = [key for key, value in params.items() if value == reference]
        if holders:
            for key in holders:
                params[key] = upload
        elif not any(isinstance(v, str) and reference in v for v in params.values()):
            params[name] = upload
        # else: referenced from inside a JSON value (e.g. InputMedia); not a field of its own
    return params


def _command_entities(text: str) -> list[JsonDict]:
    if not text.startswith("/"):
        return []
    command = text.split(maxsplit=1)[0]
    return [{"type": "bot_command", "offset": 0, "length": len(command.encode("utf-16-le")) // 2}]


def _rendered(
    text: str, parse_mode: str | None, entities: list[JsonDict] | None
) -> tuple[str, list[JsonDict]]:
    """What a client receives: parsed text and entities (the spec check already ran)."""
    if entities is not None or (parse_mode or "").upper() != "HTML":
        return text, list(entities or [])
    try:
        parsed = parse_html_cached(text)
    except HtmlParseError:
        return text, []
    return parsed.text, [e.to_api(parsed.text) for e in parsed.entities]


def _inline_markup(markup: Any) -> JsonDict | None:
    """Only inline keyboards stay attached to a message; other markups act on the client."""
    if isinstance(markup, str):
        markup = json.loads(markup)
    if isinstance(markup, Mapping) and "inline_keyboard" in markup:
        return {"inline_keyboard": [list(row) for row in markup["inline_keyboard"]]}
    return None


def _commands_key(params: JsonDict) -> str:
    scope = params.get("scope") or {"type": "default"}
    return json.dumps([scope, params.get("language_code") or ""], sort_keys=True)


def _update_type(update: JsonDict) -> str:
    return next(key for key in update if key != "update_id")


def _document_json(stored: StoredFile) -> JsonDict:
    document: JsonDict = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.file_size,
    }
    if stored.filename:
        document["file_name"] = stored.filename
    if stored.mime_type:
        document["mime_type"] = stored.mime_type
    return document


def _photo_json(stored: StoredFile) -> JsonDict:
    width, height = _image_size(stored.content)
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.file_size,
        "width": width,
        "height": height,
    }


def _image_size(content: bytes) -> tuple[int, int]:
    """PNG dimensions when recognisable; other formats get a nominal size."""
    if content.startswith(b"\x89PNG\r\n\x1a\n") and len(content) >= 24:
        width, height = struct.unpack(">II", content[16:24])
        return int(width), int(height)
    return 1, 1
