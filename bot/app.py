"""The composition root: settings, database, clock, scheduler and handlers, built once.

`build_application` is what `python -m bot`, `make play` and the end-to-end tests run, so
all three exercise the same bot.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import uuid
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from telegram import BotCommand
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    filters,
)

from bot import metrics, outbox
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.direct_send import DirectSender
from bot.drain import DrainOptions
from bot.handlers import checkin, commands, data, files, insight, onboarding, router
from bot.handlers.common import handler
from bot.pacer import Pacer
from bot.runtime import CONTEXT_TYPES, RUNTIME_KEY, RampContext, Runtime
from bot.sender import Sender, lock_for
from bot.store.db import checkpoint_wal, make_engine, migrate, session_factory
from bot.texts.common import COMMANDS

log = logging.getLogger(__name__)

SENDER_KEY = "ramp.sender"
ALLOWED_UPDATES = ["message", "callback_query"]  # what the handlers below take
FREE_RATE = 30  # messages/s Telegram allows without paid broadcast
# At ~5 pages a commit, a few seconds keep SQLite's log well under its 1,000-page
# checkpoint at commit (bot.store.db.checkpoint_wal).
WAL_CHECKPOINT_S = 2.0

# (command, function, needs a finished profile)
COMMAND_HANDLERS: tuple[tuple[str, Any, bool], ...] = (
    ("start", onboarding.start, False),
    ("help", commands.help_command, False),
    ("cancel", router.on_cancel, False),
    ("today", commands.today, True),
    ("week", commands.week, True),
    ("checkin", checkin.start, True),
    ("rhr", commands.rhr, True),
    ("deload", commands.deload, True),
    ("trial", commands.trial, True),
    ("paces", commands.paces, True),
    ("pause", commands.pause, True),
    ("resume", commands.resume, True),
    ("settings", commands.settings, True),
    ("stats", insight.stats, True),
    ("progress", insight.progress, True),
    ("export", data.export, True),
    ("calendar", data.calendar, True),
    ("delete", data.delete, False),  # also for runners who never finished /start
)


def build_runtime(settings: Settings, clock: Clock | None = None) -> Runtime:
    engine = make_engine(settings.database_url.get_secret_value())
    migrate(engine)
    return Runtime(
        settings=settings, sessions=session_factory(engine), clock=clock or SystemClock()
    )


def build_application(runtime: Runtime) -> Application[Any, Any, Any, Any, Any, Any]:
    settings = runtime.settings
    token = settings.telegram_bot_token
    if token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    base = settings.telegram_api_base_url.rstrip("/")
    if settings.send_rate > FREE_RATE and not settings.paid_broadcast:
        log.warning(
            "RAMP_SEND_RATE is %g/s without RAMP_PAID_BROADCAST: Telegram will answer with "
            "flood control beyond about %d/s",
            settings.send_rate,
            FREE_RATE,
        )
    # One pacer for every call that sends something (`bot.pacer`).
    pacer = Pacer(settings.send_rate)
    metrics.track_send_rate(pacer.recent_rate)
    application = (
        ApplicationBuilder()
        .application_class(TimedApplication)
        .token(token.get_secret_value())
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        .rate_limiter(pacer)
        .post_init(_publish_commands)
        .post_stop(stop_sender)
        .context_types(CONTEXT_TYPES)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .build()
    )
    application.bot_data[RUNTIME_KEY] = runtime
    # New messages only: an edited message is the same message, already handled once.
    new = filters.UpdateType.MESSAGE
    for name, function, needs_profile in COMMAND_HANDLERS:
        application.add_handler(
            CommandHandler(name, handler(function, needs_profile=needs_profile), filters=new)
        )
    # "A walk or a run?" about a slow watch file (bot/handlers/files.py), before the router.
    application.add_handler(
        CallbackQueryHandler(
            handler(files.on_walk_or_run), pattern=f"^{files.WalkOrRunTap.prefix}:"
        )
    )
    application.add_handler(CallbackQueryHandler(handler(router.on_callback)))
    application.add_handler(
        MessageHandler(new & filters.TEXT & ~filters.COMMAND, handler(router.on_text))
    )
    application.add_handler(
        MessageHandler(new & filters.COMMAND, handler(router.on_unknown_command))
    )
    application.add_handler(MessageHandler(new & filters.Document.ALL, files.receive_document))
    application.add_handler(MessageHandler(new, handler(router.on_other_message)))
    application.add_error_handler(_log_error)

    worker = f"worker-{uuid.uuid4().hex[:8]}"
    drain_options = DrainOptions.for_rate(
        settings.send_rate, paid_broadcast=settings.paid_broadcast
    )
    # Scheduled messages take their own path, through the same pacer (`bot.direct_send`).
    outbox_bot = DirectSender(
        f"{base}/bot{token.get_secret_value()}", pacer, drain_options.in_flight
    )
    application.bot_data[SENDER_KEY] = Sender(
        outbox_bot,
        runtime.sessions,
        outbox.message_for,
        runtime.clock.now,
        worker,
        drain_options,
        lock_for(database_engine(runtime)),
    )
    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("python-telegram-bot was installed without its job-queue extra")
    # The job only starts a drain (which may run for minutes), so it never overlaps itself.
    job_queue.run_repeating(_tick, interval=settings.tick_seconds, first=1.0, name="outbox")
    if database_engine(runtime).dialect.name == "sqlite":
        job_queue.run_repeating(
            _checkpoint_wal, interval=WAL_CHECKPOINT_S, first=WAL_CHECKPOINT_S, name="wal"
        )
    return application


def database_engine(runtime: Runtime) -> Engine:
    engine = runtime.sessions.kw["bind"]
    assert isinstance(engine, Engine)
    return engine


class TimedApplication(Application[Any, Any, Any, Any, Any, Any]):
    """The application, timing each update it handles (`ramp_update_handling_seconds`)."""

    async def process_update(self, update: object) -> None:
        with metrics.UPDATE_SECONDS.time():
            await super().process_update(update)


def sender_of(application: Application[Any, Any, Any, Any, Any, Any]) -> Sender:
    sender: Sender = application.bot_data[SENDER_KEY]
    return sender


async def run_tick_now(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """One scheduler pass, outside the JobQueue: `make play` calls it after moving time."""
    await sender_of(application).tick_now()


async def _tick(context: RampContext) -> None:
    sender_of(context.application).start_tick()


async def _checkpoint_wal(context: RampContext) -> None:
    # Off the event loop: its fsync would otherwise sit inside a runner's reply.
    await asyncio.to_thread(checkpoint_wal, database_engine(context.runtime))


async def stop_sender(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    await sender_of(application).stop()


async def _publish_commands(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    try:
        await application.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])
    finally:  # `python -m bot` starts with the collector off: it must come back on
        freeze_startup_objects()


def freeze_startup_objects() -> None:
    """Hide what start-up built (modules, classes, handlers: ~117,000 objects that live as
    long as the process) from the garbage collector: a full collection walked them all,
    70-120 ms in the middle of a reply, and takes well under 1 ms after."""
    # No gc.collect() first: it would free ~60 objects for 50-100 ms more start-up.
    gc.freeze()
    # `python -m bot` imports with the collector off (bot/__main__.py), since collecting
    # objects that all live on is wasted work (~200 collections, a fifth of the imports'
    # time); it is needed from here on.
    gc.enable()


async def _log_error(update: object, context: RampContext) -> None:
    # PTB's own error path (e.g. a network error while polling). The token is never in
    # these messages: PTB redacts it, and we log the exception type and text only.
    error = context.error
    log.warning("telegram error: %s: %s", type(error).__name__, error)


class RedactSecrets(logging.Filter):
    """Replace secrets in every log line, whatever library wrote it."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in self.secrets):
            for secret in self.secrets:
                message = message.replace(secret, "[redacted]")
            record.msg, record.args = message, None
        return True


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # httpx logs every request URL, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    token = settings.telegram_bot_token
    password = make_url_password(settings.database_url.get_secret_value())
    # PTB logs setWebhook's parameters, secret token included, at DEBUG.
    secret = settings.webhook_secret
    redact = RedactSecrets(
        [
            token.get_secret_value() if token else "",
            password,
            secret.get_secret_value() if secret else "",
        ]
    )
    for log_handler in logging.getLogger().handlers:
        log_handler.addFilter(redact)


def make_url_password(url: str) -> str:
    try:
        return make_url(url).password or ""
    except Exception:  # an unparsable URL fails later, with a clear message
        return ""


async def start_in_background(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Start polling without taking over the event loop (what `run_polling` does inside),
    for `make play` and the end-to-end tests."""
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(
        poll_interval=0.0, timeout=1, allowed_updates=ALLOWED_UPDATES
    )


async def stop_in_background(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    await stop_sender(application)
    if application.running:
        await application.stop()
    await application.shutdown()
    # A process that starts many bots (the tests) must not keep each one's objects for good.
    gc.unfreeze()
