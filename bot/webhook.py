"""Webhook mode, for deployments behind a load balancer: Telegram POSTs each update to
`RAMP_WEBHOOK_URL`, and any of the bot's processes may receive it.

PTB's built-in webhook server serves only the webhook path, so this is a small aiohttp
server of our own (the pattern of PTB's `customwebhookbot.py` example) that feeds
`Application.update_queue`, and also answers `GET /healthz` (200 while the database is
reachable) and `GET /metrics` (Prometheus). An update without the right
`X-Telegram-Bot-Api-Secret-Token` header gets 403 and is never looked at.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import signal
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import Engine, text
from telegram import Update
from telegram.ext import Application

from bot.app import ALLOWED_UPDATES

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_TIMEOUT_S = 3.0

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
HealthCheck = Callable[[], Awaitable[bool]]


def webhook_path(url: str) -> str:
    return urlsplit(url).path or "/"


def database_check(engine: Engine) -> HealthCheck:
    """`SELECT 1`, in a worker thread, with a timeout."""

    def ping() -> None:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    async def check() -> bool:
        try:
            await asyncio.wait_for(asyncio.to_thread(ping), HEALTH_TIMEOUT_S)
        except Exception as error:
            log.warning("health check: database unreachable (%s)", type(error).__name__)
            return False
        return True

    return check


def build_web_app(
    application: AnyApplication, secret: str, path: str, healthy: HealthCheck
) -> web.Application:
    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("webhook: update refused (missing or wrong secret token)")
            return web.Response(status=403, text="forbidden")
        try:
            data = await request.json()
            update = Update.de_json(data, application.bot)
        except (json.JSONDecodeError, ValueError, TypeError, KeyError):
            return web.Response(status=400, text="not an update")
        if update is None:
            return web.Response(status=400, text="not an update")
        await application.update_queue.put(update)
        return web.Response(text="ok")

    async def health(_request: web.Request) -> web.Response:
        if await healthy():
            return web.Response(text="ok")
        return web.Response(status=503, text="database unreachable")

    async def metrics(_request: web.Request) -> web.Response:
        return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    app = web.Application()
    app.router.add_post(path, receive)
    app.router.add_get("/healthz", health)
    app.router.add_get("/metrics", metrics)
    return app


async def run_webhook(
    application: AnyApplication,
    url: str,
    secret: str,
    listen: tuple[str, int],
    healthy: HealthCheck,
    on_stop: Callable[[AnyApplication], Awaitable[None]],
) -> None:
    """Register the webhook, serve until SIGTERM or SIGINT, then stop cleanly.

    The webhook stays registered on exit: in a multi-process deployment the other
    processes are still serving it.
    """
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.start()
    runner = web.AppRunner(build_web_app(application, secret, webhook_path(url), healthy))
    try:
        await application.bot.set_webhook(url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)
        await runner.setup()
        await web.TCPSite(runner, *listen).start()
        log.info("webhook mode: listening on %s:%d", *listen)
        await stop.wait()
    finally:
        with contextlib.suppress(Exception):
            await runner.cleanup()
        await on_stop(application)
        await application.stop()
        await application.shutdown()
