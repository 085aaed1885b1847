"""What every handler needs, built once by the composition root (`bot.app`).

Handlers get it from their context: `context.runtime` on `RampContext`, PTB's
`CallbackContext` with the runtime typed (as in PTB's `contexttypesbot.py` example).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session
from telegram.ext import CallbackContext, ContextTypes, ExtBot

from bot.clock import Clock
from bot.config import Settings

# The key inside bot_data, still read by code that predates RampContext (the scheduler tick).
RUNTIME_KEY = "ramp.runtime"


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    sessions: sessionmaker[Session]
    clock: Clock


class BotData(dict[str, Any]):
    """The application's bot_data, with the runtime as a typed attribute."""

    @property
    def runtime(self) -> Runtime:
        value = self[RUNTIME_KEY]
        assert isinstance(value, Runtime)
        return value

    @runtime.setter
    def runtime(self, value: Runtime) -> None:
        self[RUNTIME_KEY] = value


class RampContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    @property
    def runtime(self) -> Runtime:
        return self.bot_data.runtime


CONTEXT_TYPES: ContextTypes[RampContext, dict[Any, Any], dict[Any, Any], BotData] = ContextTypes(
    context=RampContext, bot_data=BotData
)


def runtime_of(context: CallbackContext[Any, Any, Any, Any]) -> Runtime:
    """For callbacks typed with PTB's default context."""
    value: Runtime = context.application.bot_data[RUNTIME_KEY]
    return value
