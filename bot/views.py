"""What the runner sees, apart from the handlers: escaping, keyboards, button payloads and
the messages built from a journal. Nothing here changes the store.

Button payloads are small typed classes with `pack` and `unpack` (as aiogram's
`CallbackData` does): "<prefix>:<field>:<field>...", each field an int, a str or a date
(yyyymmdd), at most 64 bytes. `unpack` returns None for anything malformed, so a forged
or stale button never gets past it half-read.
"""

from __future__ import annotations

import dataclasses
import html
from datetime import date, datetime
from typing import Any, ClassVar, Self

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.texts import checkin as texts
from bot.texts import moves as move_texts
from coach.history import Cross, Event, RestingHR, Run, Wellness

Keyboard = list[list[tuple[str, str]]]  # rows of (label, callback data)

MILE_M = 1609.344
MAX_CALLBACK_BYTES = 64


def esc(value: object) -> str:
    """Anything the runner typed, made safe for Telegram HTML."""
    return html.escape(str(value), quote=False)


def markup(keyboard: Keyboard | None) -> InlineKeyboardMarkup | None:
    if not keyboard:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=data) for label, data in row]
            for row in keyboard
        ]
    )


# --- button payloads -------------------------------------------------------------------


class CallbackData:
    """Base of the typed button payloads; subclasses are frozen dataclasses with a prefix."""

    prefix: ClassVar[str]

    def pack(self) -> str:
        parts = [self.prefix]
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            parts.append(value.strftime("%Y%m%d") if isinstance(value, date) else str(value))
            if ":" in parts[-1]:
                raise ValueError(f"{f.name} may not contain ':'")
        packed = ":".join(parts)
        if len(packed.encode()) > MAX_CALLBACK_BYTES:
            raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {packed!r}")
        return packed

    @classmethod
    def unpack(cls, data: str) -> Self | None:
        parts = data.split(":")
        fields = dataclasses.fields(cls)  # type: ignore[arg-type]
        if parts[0] != cls.prefix or len(parts) != len(fields) + 1:
            return None
        values: dict[str, Any] = {}
        for f, raw in zip(fields, parts[1:], strict=True):
            value = _read(f.type, raw)
            if value is None:
                return None
            values[f.name] = value
        return cls(**values)


def _read(kind: Any, raw: str) -> int | str | date | None:
    name = kind if isinstance(kind, str) else getattr(kind, "__name__", "")
    if name == "int":
        return int(raw) if raw.isascii() and raw.isdigit() else None
    if name == "date":
        if not (len(raw) == 8 and raw.isascii() and raw.isdigit()):
            return None
        try:
            return datetime.strptime(raw, "%Y%m%d").date()
        except ValueError:
            return None
    return raw if raw else None


@dataclasses.dataclass(frozen=True)
class CheckinTap(CallbackData):
    """A check-in button: "ci:<athlete id>:<yyyymmdd>:<field>:<value>"."""

    prefix: ClassVar[str] = "ci"
    athlete_id: int
    day: date
    field: str
    value: str


@dataclasses.dataclass(frozen=True)
class SecondRunTap(CallbackData):
    """A second run, or a correction of the first: "fr:<athlete id>:<yyyymmdd>:<answer>"."""

    prefix: ClassVar[str] = "fr"
    athlete_id: int
    day: date
    answer: str


@dataclasses.dataclass(frozen=True)
class OnboardingTap(CallbackData):
    """An onboarding answer: "ob:<step>:<value>", the value as it would be typed (days
    joined by ".", times as hhmm) or "keep". No runner id: a tap only ever answers the
    tapper's own open question, through the same reader as typing."""

    prefix: ClassVar[str] = "ob"
    step: str
    value: str


@dataclasses.dataclass(frozen=True)
class DayTap(CallbackData):
    """A one-day answer of one runner: "<prefix>:<athlete id>:<yyyymmdd>:<value>"."""

    prefix: ClassVar[str] = ""
    athlete_id: int
    day: date
    value: str


@dataclasses.dataclass(frozen=True)
class DeloadTap(DayTap):
    prefix: ClassVar[str] = "dl"  # value: yes | no


@dataclasses.dataclass(frozen=True)
class PauseTap(DayTap):
    prefix: ClassVar[str] = "pz"  # value: the reason


@dataclasses.dataclass(frozen=True)
class MoveTap(DayTap):
    """Moving a session: the day is the session's; the value is "menu" (which session?),
    "pick" (which day?) or the day it goes to, as yyyymmdd."""

    prefix: ClassVar[str] = "mv"


@dataclasses.dataclass(frozen=True)
class RhrTap(DayTap):
    prefix: ClassVar[str] = "rhr"  # value: beats per minute


@dataclasses.dataclass(frozen=True)
class DeleteTap(DayTap):
    prefix: ClassVar[str] = "del"  # value: yes | no


# --- words -----------------------------------------------------------------------------


def minutes_text(minutes: float) -> str:
    return texts.MINUTES.format(value=f"{round(minutes, 1):g}")


def distance_text(metres: float, units: str) -> str:
    if units == "mi":
        return texts.MILES.format(value=f"{round(metres / MILE_M, 2):g}")
    return texts.KILOMETRES.format(value=f"{round(metres / 1000, 2):g}")


def wellness_parts(wellness: Wellness | None) -> list[str]:
    if wellness is None:
        return []
    parts = []
    if wellness.sleep_h is not None:
        parts.append(texts.SLEEP.format(value=f"{wellness.sleep_h:g}"))
    for value, template in (
        (wellness.soreness, texts.SORENESS),
        (wellness.stress, texts.STRESS),
        (wellness.mood, texts.MOOD),
    ):
        if value is not None:
            parts.append(template.format(score=value))
    return parts


def compared_to_target(rpe: int, target: int) -> str:
    """A warm line on how the effort compares with what was planned."""
    gap = rpe - target
    if gap <= -2:
        template = texts.WELL_UNDER_TARGET
    elif gap == -1:
        template = texts.UNDER_TARGET
    elif gap == 0:
        template = texts.ON_TARGET
    elif gap == 1:
        template = texts.OVER_TARGET
    else:
        template = texts.WELL_OVER_TARGET
    return template.format(rpe=rpe, target=target)


def logged_line(event: Event, units: str) -> str | None:
    """One line of a logging reply: what was just told, as stored."""
    if isinstance(event, Run):
        parts = [minutes_text(event.duration_min)]
        if event.distance_m:
            parts.append(distance_text(event.distance_m, units))
        if event.rpe is not None:
            parts.append(texts.RPE.format(rpe=event.rpe))
        return texts.LOG_RUN.format(details=texts.SEPARATOR.join(parts))
    if isinstance(event, Cross):
        sport = texts.SPORTS.get(event.sport, event.sport)
        parts = [minutes_text(event.duration_min)]
        if event.rpe is not None:
            parts.append(texts.RPE.format(rpe=event.rpe))
        return texts.LOG_CROSS.format(sport=esc(sport), details=texts.SEPARATOR.join(parts))
    if isinstance(event, RestingHR):
        return texts.LOG_RHR.format(bpm=event.bpm)
    if isinstance(event, Wellness):
        return texts.LOG_WELLNESS.format(details=texts.SEPARATOR.join(wellness_parts(event)))
    return None


def move_keyboard(athlete_id: int, today: date) -> Keyboard:
    """The Move button under /week."""
    return [[(move_texts.BUTTON_MOVE, MoveTap(athlete_id, today, "menu").pack())]]
