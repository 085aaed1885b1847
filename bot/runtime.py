"""What every handler needs, built once by the composition root (`bot.app`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session
from telegram.ext import CallbackContext

from bot.clock import Clock
from bot.config import Settings

RUNTIME_KEY = "ramp.runtime"


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    sessions: sessionmaker[Session]
    clock: Clock


def runtime_of(context: CallbackContext[Any, Any, Any, Any]) -> Runtime:
    value: Runtime = context.application.bot_data[RUNTIME_KEY]
    return value
