"""`python -m bot` (what `make run` starts): the bot in long-polling mode."""

from __future__ import annotations

import sys

from bot.app import build_application, build_runtime, configure_logging
from bot.config import Settings
from bot.texts.setup import NO_TOKEN


def main() -> int:
    settings = Settings()
    configure_logging(settings)
    if settings.telegram_bot_token is None or not settings.telegram_bot_token.get_secret_value():
        print(NO_TOKEN, file=sys.stderr)
        return 1
    application = build_application(build_runtime(settings))
    application.run_polling(allowed_updates=["message", "callback_query"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
