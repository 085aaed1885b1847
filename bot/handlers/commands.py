"""Placeholder: being written."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.handlers.common import Turn
from bot.texts import common as texts


def help_command(turn: Turn, update: Update) -> None:
    lines = "\n".join(f"/{name} — {what}" for name, what in texts.COMMANDS)
    turn.say(texts.HELP.format(commands=lines))


def _todo(turn: Turn, *args: Any) -> None:
    turn.say("Not ready yet.")


today = week = rhr = deload = trial = paces = pause = resume = settings = _todo
on_deload_callback = on_pause_callback = on_rhr_callback = on_trial_text = _todo
