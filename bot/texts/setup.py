"""What a self-hoster reads in the terminal."""

NO_TOKEN = """Ramp needs a Telegram bot token to run.

  1. In Telegram, open a chat with @BotFather and send /newbot.
  2. Pick a name; BotFather replies with a token like 123456:ABC-DEF...
  3. Put it in a file called .env next to the Makefile:
         TELEGRAM_BOT_TOKEN=123456:ABC-DEF...
     (see .env.example for every setting), then run `make run` again.

No token yet? Try Ramp offline right now with `make play`: the real bot against a local
Telegram emulator, with you as the runner in this terminal."""
