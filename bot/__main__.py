"""`python -m bot` (what `make run` starts): long polling by default, webhook mode when
`RAMP_WEBHOOK_URL` is set."""
# ruff: noqa: E402 (the collector goes off before the imports below)

from __future__ import annotations

import gc

# Start-up builds ~170,000 objects that live as long as the process: collecting them while
# importing is wasted work. bot.app.freeze_startup_objects turns the collector back on.
gc.disable()

import asyncio
import sys

from pydantic import ValidationError

from bot import metrics
from bot.app import (
    ALLOWED_UPDATES,
    build_application,
    build_runtime,
    configure_logging,
    database_engine,
    stop_sender,
)
from bot.config import Settings
from bot.texts.setup import NO_TOKEN


def main() -> int:
    try:
        settings = Settings()
    except ValidationError as error:
        # Say which setting is wrong, never its value (it may be a secret).
        problems = "; ".join(str(e["msg"]) for e in error.errors())
        print(f"Ramp cannot start: {problems}", file=sys.stderr)
        return 1
    configure_logging(settings)
    if settings.telegram_bot_token is None or not settings.telegram_bot_token.get_secret_value():
        print(NO_TOKEN, file=sys.stderr)
        return 1
    runtime = build_runtime(settings)
    application = build_application(runtime)
    if settings.webhook_url:
        # Only here: its aiohttp server is a tenth of start-up, and polling never needs it.
        from bot.webhook import database_check, run_webhook

        assert settings.webhook_secret is not None  # Settings refuses a URL without one
        asyncio.run(
            run_webhook(
                application,
                settings.webhook_url,
                settings.webhook_secret.get_secret_value(),
                settings.listen_host_port,
                database_check(database_engine(runtime)),
                stop_sender,
            )
        )
        return 0
    if settings.metrics_port is not None:
        metrics.serve(settings.metrics_port)
    application.run_polling(allowed_updates=ALLOWED_UPDATES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
