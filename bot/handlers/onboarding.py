"""Placeholder: being written."""

from __future__ import annotations

from typing import Any

from bot.handlers.common import Turn


def start(turn: Turn, update: Any) -> None:
    turn.say("Not ready yet.")


def on_text(turn: Turn, *args: Any) -> None:
    turn.say("Not ready yet.")


def on_callback(turn: Turn, parts: list[str], message_id: int) -> None:
    turn.refuse("Not ready yet.")
