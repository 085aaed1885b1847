"""The one way the bot reads time, so tests and `make play` can move it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class ShiftedClock:
    """Real time plus an offset that only ever grows: `make play` and the tests use it to
    jump to tomorrow morning without waiting for it."""

    offset: timedelta = field(default_factory=timedelta)

    @classmethod
    def starting_at(cls, instant: datetime) -> ShiftedClock:
        """A clock that reads `instant` now and runs on from there."""
        return cls(offset=instant - datetime.now(UTC))

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        if delta < timedelta(0):
            raise ValueError("time only moves forward")
        self.offset += delta

    def advance_to(self, instant: datetime) -> None:
        self.advance(max(instant - self.now(), timedelta(0)))
