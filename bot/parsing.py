"""Understanding what runners type: pure functions from a chat message to a value.

Every parser takes any string, reads it generously (labels, units, spacing, case, emoji,
decimal commas, full-width digits) and either returns a value inside its documented range or
raises `ParseError`, whose message comes from `bot.texts` and can be sent to the runner as is.
Nothing here touches Telegram, the database or the clock.

Conventions shared by the parsers:

* Durations: "45 min", "45'", "1h05", "7h30", "3 h 30", "22m30s", "1:05:30". A two-part clock
  means minutes:seconds for efforts ("45:30", races and runs) and hours:minutes for sleep and
  weekly volume ("7:30").
* Distances: "8.2 km", "8.2k", "5 mi", "800 m". A bare "m" means metres from 100 up and minutes
  below ("45m" is 45 minutes, "400m" is 400 metres): nobody logs a 45-metre run.
* Halves round up when a whole number is needed ("6.5" as an RPE is 7).
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from functools import cache
from typing import Literal, TypeAlias, TypeVar
from zoneinfo import ZoneInfo, available_timezones

from bot.texts import problems as texts
from coach.paces import MAX_RACE_S

__all__ = [
    "CROSS_SPORTS",
    "MAX_TEXT_CHARS",
    "WEEKDAYS",
    "CrossLog",
    "LogItem",
    "NeedsConfirmation",
    "NiggleLog",
    "ParseError",
    "RhrLog",
    "RunLog",
    "SleepLog",
    "TimeZoneChoice",
    "WellnessLog",
    "clean_text",
    "is_no",
    "is_yes",
    "parse_clock_time",
    "parse_duration_distance",
    "parse_free_text",
    "parse_log_day",
    "parse_quality",
    "parse_race",
    "parse_race_time",
    "parse_rhr",
    "parse_rpe",
    "parse_scale_1_5",
    "parse_sleep_hours",
    "parse_time_zone",
    "parse_weekday",
    "parse_weekdays",
    "parse_weekly_minutes",
]


class ParseError(ValueError):
    """A typed answer can't be used. `message` is the friendly text to send to the runner."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NeedsConfirmation(ParseError):
    """An answer with one sensible reading the runner should confirm ("marathon 3:30": 3 h 30
    min?). `answer` is that reading written so the same parser accepts it without asking
    again, with no ":" (it travels in callback data); `label` is the button's words."""

    def __init__(self, message: str, label: str, answer: str) -> None:
        super().__init__(message)
        self.label = label
        self.answer = answer


# --- results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeZoneChoice:
    name: str  # an IANA name that zoneinfo.ZoneInfo loads
    from_offset: bool  # True for a fixed UTC offset, which won't follow daylight saving time


@dataclass(frozen=True)
class RunLog:
    duration_min: float | None
    distance_m: float | None
    rpe: int | None


@dataclass(frozen=True)
class CrossLog:
    sport: str  # one of CROSS_SPORTS
    duration_min: float
    rpe: int | None


@dataclass(frozen=True)
class RhrLog:
    bpm: int


@dataclass(frozen=True)
class SleepLog:
    hours: float


@dataclass(frozen=True)
class WellnessLog:
    """Each 1-5: soreness 5 = very sore, stress 5 = very stressed, mood 1 = low and 5 = great."""

    soreness: int | None
    stress: int | None
    mood: int | None


@dataclass(frozen=True)
class NiggleLog:
    """A pain somewhere: "calf tight", "knee hurts when I run", "sore achilles"."""

    where: str  # one of _PLACE_WORDS' names: "calf", "knee", "achilles"
    severity: int | None  # 1 mild, 2 moderate, 3 bad; None when the message doesn't say
    hurts_running: bool | None  # None when the message doesn't say


LogItem: TypeAlias = RunLog | CrossLog | RhrLog | SleepLog | WellnessLog | NiggleLog

# --- limits (the texts quote them, so they live only here) --------------------------------

MAX_TEXT_CHARS = 500
RPE_RANGE = (1, 10)
QUALITY_RANGE = (1, 10)
RHR_RANGE = (25, 120)
SCALE_RANGE = (1, 5)
SLEEP_HOURS_RANGE = (0.0, 16.0)
WEEKLY_MINUTES_RANGE = (60, 900)
WEEKLY_BARE_HOURS_MAX = 15  # "3" is 3 hours a week: nobody plans 15 minutes or less
MAX_SESSION_MINUTES = 600.0
MAX_RUN_METRES = 250_000.0
RUN_PACE_RANGE = (150.0, 1200.0)  # seconds per km: 2:30/km to 20:00/km
# Races: distances the pace tables know (1500 m to the marathon, with room for "42.2 km"),
# efforts up to the coach's 5 h (coach.paces.MAX_RACE_S), and an average speed from 1.5 m/s
# (11:07/km, walking) to 7.5 m/s, just above the 1500 m and mile world records (about
# 7.3 m/s; the 5000 m record is 6.6 m/s).
RACE_DISTANCE_RANGE = (1500.0, 42_500.0)
MAX_RACE_SECONDS = MAX_RACE_S  # the coach's own limit
RACE_SPEED_RANGE = (1.5, 7.5)
BARE_M_METRES_FROM = 100.0

MILE_M = 1609.344

T = TypeVar("T")

# --- cleaning ----------------------------------------------------------------------------

_PUNCTUATION = str.maketrans(
    {"’": "'", "‘": "'", "′": "'", "″": '"', "“": '"', "”": '"', "–": "-", "—": "-", "−": "-"}
)


def _clean_char(char: str) -> str:
    """One character of a message: keep text, turn emoji, controls and odd spaces into spaces."""
    if char.isascii():
        return char if char.isprintable() or char == "\n" else " "
    category = unicodedata.category(char)
    if category == "Nd":  # digits of any script: "٥٢" is 52
        return str(unicodedata.decimal(char))
    if category in ("Zl", "Zp"):
        return "\n"
    if category[0] in "CMZ" or category in ("So", "Sk"):  # controls, marks, emoji, symbols
        return " "
    return char


def clean_text(text: str) -> str:
    """Strip, NFKC-normalise and drop emoji; reject anything longer than a chat answer."""
    if not isinstance(text, str):
        raise ParseError(texts.NOT_TEXT)
    stripped = text.strip()
    if len(stripped) > MAX_TEXT_CHARS:
        raise ParseError(texts.TOO_LONG.format(limit=MAX_TEXT_CHARS))
    normal = unicodedata.normalize("NFKC", stripped).translate(_PUNCTUATION)
    chars = "".join(map(_clean_char, normal))
    lines = (" ".join(line.split()) for line in chars.split("\n"))
    return "\n".join(line for line in lines if line)


def _prepare(text: str) -> str:
    """clean_text, casefolded, with "1,500" read as 1500, "7,5" as 7.5 and durations in
    words written as numbers ("5 and a half hours" as 5.5 hours)."""
    folded = clean_text(text).casefold()
    folded = re.sub(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))", "", folded)
    folded = re.sub(r"(?<=[0-9]),(?=[0-9])", ".", folded)
    return _spelled_durations(folded)


_SPELLED_NUMBERS = {
    word: value
    for value, word in enumerate(
        ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"), start=1
    )
}
_HOUR_WORD = r"(?:hours?|hrs?|h)\b"
_HOURS_AND_A_HALF = re.compile(
    rf"""
    (?<![0-9.]) (?P<n> [0-9]+ | {"|".join(_SPELLED_NUMBERS)} ) \s+
    (?: and \s+ a \s+ half \s+ {_HOUR_WORD} | {_HOUR_WORD} \s+ and \s+ a \s+ half \b )
    """,
    re.VERBOSE,
)
# Order matters: "an hour and a half" before "an hour", "half an hour" before both.
_SPELLED_DURATIONS = (
    (re.compile(r"\b(?:an?|one)\s+hour\s+and\s+a\s+half\b"), "90 min"),
    (re.compile(r"\b(?:half\s+an|a\s+half)\s+hour\b|\bhalf\s+hour\b"), "30 min"),
    (re.compile(r"\b(?:a\s+)?quarter\s+of\s+an\s+hour\b"), "15 min"),
    (re.compile(r"\b(?:an|one)\s+hour\b"), "1 hour"),
)


def _spelled_durations(text: str) -> str:
    """ "5 and a half hours" → "5.5 hours", "half an hour" → "30 min", "an hour" → "1 hour"."""

    def half_more(match: re.Match[str]) -> str:
        whole = match["n"]
        number = _SPELLED_NUMBERS[whole] if whole in _SPELLED_NUMBERS else int(whole)
        return f"{number}.5 hours"

    text = _HOURS_AND_A_HALF.sub(half_more, text)
    for pattern, written in _SPELLED_DURATIONS:
        text = pattern.sub(written, text)
    return text


def _blank(text: str, start: int, end: int) -> str:
    """Mark a span as used. Same length keeps positions; ';' stops patterns reaching across."""
    return text[:start] + ";" * (end - start) + text[end:]


def _has_digit(text: str) -> bool:
    return re.search(r"[0-9]", text) is not None


# --- numbers and scales --------------------------------------------------------------------

_NUM = r"[0-9]+(?:\.[0-9]+)?"

_NUMBER = re.compile(
    r"""
    (?: (?<![\w.]) (?P<minus> - ) )?   # a minus only at the start of a word: "7-8" isn't -8
    (?<![0-9.])                        # a whole number, not the middle of one
    (?P<value> [0-9]+ (?: \.[0-9]+ )? )
    (?! [0-9] | \.[0-9] )              # "7." at the end of a sentence is still 7
    """,
    re.VERBOSE,
)

_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    )
}
_NUMBER_WORD = re.compile(r"\b(?:" + "|".join(_NUMBER_WORDS) + r")\b")


def _numbers(text: str) -> list[float]:
    return [-float(m["value"]) if m["minus"] else float(m["value"]) for m in _NUMBER.finditer(text)]


def _round_half_up(value: float) -> int | None:
    return math.floor(value + 0.5) if math.isfinite(value) else None


def _whole_in(value: float, low: int, high: int, error: str) -> int:
    whole = _round_half_up(value)
    if whole is None or not low <= whole <= high:
        raise ParseError(error)
    return whole


def _bounded_int(text: str, low: int, high: int, error: str) -> int:
    """The one number in the text, as a whole number in [low, high]. "7/10" means 7."""
    prepared = _NUMBER_WORD.sub(lambda m: _NUMBER_WORDS[m[0]], _prepare(text))
    prepared = re.sub(rf"(?:/|\bout\s+of)\s*{high}(?![0-9.])", " ", prepared)
    found = _numbers(prepared)
    if len(found) != 1:
        raise ParseError(error)
    return _whole_in(found[0], low, high, error)


def parse_rpe(text: str) -> int:
    """Session effort 1-10: "7", "7/10", "rpe 7", "seven"."""
    low, high = RPE_RANGE
    return _bounded_int(text, low, high, texts.RPE_INVALID.format(low=low, high=high))


def parse_quality(text: str) -> int:
    """A 1-10 rating: "8", "8/10"."""
    low, high = QUALITY_RANGE
    return _bounded_int(text, low, high, texts.QUALITY_INVALID.format(low=low, high=high))


def parse_rhr(text: str) -> int:
    """Resting heart rate in bpm, 25-120: "52", "52 bpm", "rhr 52"."""
    low, high = RHR_RANGE
    return _bounded_int(text, low, high, texts.RHR_INVALID.format(low=low, high=high))


def parse_scale_1_5(text: str, what: str) -> int:
    """A 1-5 score for `what` ("soreness", "stress", "mood"): "3", "3/5", "three"."""
    low, high = SCALE_RANGE
    error = texts.SCALE_1_5_INVALID.format(what=html.escape(str(what)), low=low, high=high)
    return _bounded_int(text, low, high, error)


# --- durations and distances ---------------------------------------------------------------

_KM = r"k(?:ms?|ilomet(?:er|re)s?)?"  # k, km, kms, kilometres, kilometers
_MI = r"mi(?:les?)?"
_M = r"m(?:et(?:er|re)s?)?"  # m, metres, meters
_HOURS = r"h(?:ours?|rs?)?"  # h, hr, hrs, hour, hours
_MINUTES = r"min(?:ute)?s?|m|'(?!')"  # 45 min, 45m, 45'
_SECONDS = r"sec(?:ond)?s?|s|\"|''"  # 30 s, 30", 30'' (NFKC turns ″ into two primes)
_ANY_UNIT = rf"(?:{_KM}|{_MI}|{_M}|{_HOURS}|{_MINUTES}|{_SECONDS})(?![a-z])"

_DISTANCE = re.compile(
    rf"""
    (?<![\w.:])                          # a number of its own, not the "30" of "1:05:30"
    (?P<value> {_NUM} ) \s*
    (?P<unit> {_KM} | {_MI} | {_M} )
    (?![a-z])                            # a whole unit: "5 min" is not "5 m" + "in"
    """,
    re.VERBOSE,
)

# A pace: "5:30/km", "at 8:10/mi", "5:30 min/km", "5:30 per km", "@ 4:45 a mile".
_PACE = re.compile(
    rf"""
    (?: \b at \s+ | @ \s* )?
    (?<![\w.:]) (?P<min> [0-9]{{1,2}} ) : (?P<sec> [0-5][0-9] ) \s*
    (?: min(?:utes?)? \s* )? (?: / | \b per \s+ | \b a \s+ ) \s* (?P<unit> {_KM} | {_MI} ) (?![a-z])
    """,
    re.VERBOSE,
)


def _take_paces(text: str) -> tuple[list[float], str]:
    """All paces in the text, in seconds per km, and the text with them blanked out."""
    found: list[float] = []
    for match in _PACE.finditer(text):
        per_unit = int(match["min"]) * 60 + int(match["sec"])
        found.append(per_unit / (MILE_M / 1000) if match["unit"].startswith("mi") else per_unit)
        text = _blank(text, *match.span())
    return found, text


def _with_pace(
    duration_min: float | None, distance_m: float | None, pace_s_per_km: float
) -> tuple[float | None, float | None]:
    """The time or distance a pace works out, from the other one; a pace alone is not a run."""
    if duration_min is None and distance_m is not None:
        return round(pace_s_per_km * distance_m / 1000 / 60, 2), distance_m
    if distance_m is None and duration_min is not None:
        return duration_min, round(duration_min * 60 / pace_s_per_km * 1000, 1)
    if duration_min is None:
        raise ParseError(texts.PACE_NEEDS_MORE)
    return duration_min, distance_m  # both typed: those are what happened


# The duration pattern's source is reused inside the sleep patterns, so it keeps its groups.
_DURATION_SRC = rf"""
    (?<![\w.:])
    (?:
        # 45:30 or 1:05:30 (what a two-part clock means depends on the question)
        (?P<c1> [0-9]{{1,3}} ) : (?P<c2> [0-5][0-9] ) (?: : (?P<c3> [0-5][0-9] ) )? (?![0-9:])
      |
        (?=[0-9])                        # hours, minutes, seconds in order, each optional
        (?: (?P<h> {_NUM} ) \s* (?:{_HOURS}) (?![a-z]) \s*
            # minutes without a unit right after the hours: 7h30, 3 h 30
            (?: (?P<hmin> [0-5]?[0-9] ) (?![0-9.:]) (?!\s*{_ANY_UNIT}) )?
        )?
        \s*
        (?: (?P<m> {_NUM} ) \s* (?:{_MINUTES}) (?![a-z]) \s* )?
        (?: (?P<s> {_NUM} ) \s* (?:{_SECONDS}) (?![a-z]) )?
    )
"""
_DURATION = re.compile(_DURATION_SRC, re.VERBOSE)

TwoPart = Literal["hm", "ms"]  # what "7:30" means: 7 h 30 min, or 7 min 30 s


def _duration_seconds(match: re.Match[str], two_part: TwoPart) -> float | None:
    """Seconds in a _DURATION match, or None when it matched no duration at all."""
    if match["c1"] is not None:
        first, second = float(match["c1"]), float(match["c2"])
        if match["c3"] is not None:
            return first * 3600 + second * 60 + float(match["c3"])
        return first * 3600 + second * 60 if two_part == "hm" else first * 60 + second
    parts = [match[name] for name in ("h", "hmin", "m", "s")]
    if all(part is None for part in parts):
        return None
    hours, minutes_after_h, minutes, seconds = (float(p) if p else 0.0 for p in parts)
    return hours * 3600 + (minutes_after_h + minutes) * 60 + seconds


def _take_durations(text: str, two_part: TwoPart) -> tuple[list[float], str]:
    """All durations in the text, in seconds, and the text with them blanked out."""
    found: list[float] = []
    for match in _DURATION.finditer(text):
        seconds = _duration_seconds(match, two_part)
        if seconds is not None:
            found.append(seconds)
            text = _blank(text, *match.span())
    return found, text


def _take_distances(text: str) -> tuple[list[float], str]:
    """All distances in the text, in metres, and the text with them blanked out."""
    found: list[float] = []
    for match in _DISTANCE.finditer(text):
        value, unit = float(match["value"]), match["unit"]
        if unit == "m" and value < BARE_M_METRES_FROM:
            continue  # "45m" is minutes; _take_durations reads it
        factor = 1000.0 if unit[0] == "k" else MILE_M if unit.startswith("mi") else 1.0
        found.append(round(value * factor, 3))
        text = _blank(text, *match.span())
    return found, text


def _one_duration(text: str, two_part: TwoPart, error: str) -> tuple[float, bool]:
    """(seconds, False) for the one duration in text, or (number, True) for one bare number."""
    durations, rest = _take_durations(_prepare(text), two_part)
    if durations:
        if len(durations) > 1 or _has_digit(rest):
            raise ParseError(error)
        return durations[0], False
    numbers = _numbers(rest)
    if len(numbers) != 1:
        raise ParseError(error)
    return numbers[0], True


def _format_pace(seconds_per_km: float) -> str:
    whole = round(seconds_per_km)
    return f"{whole // 60}:{whole % 60:02d}"


def _check_session(duration_min: float | None, distance_m: float | None) -> None:
    if duration_min is not None and not 0 < duration_min <= MAX_SESSION_MINUTES:
        max_hours = round(MAX_SESSION_MINUTES / 60)
        raise ParseError(texts.DURATION_OUT_OF_RANGE.format(max_hours=max_hours))
    if distance_m is not None and not 0 < distance_m <= MAX_RUN_METRES:
        max_km = round(MAX_RUN_METRES / 1000)
        raise ParseError(texts.DISTANCE_OUT_OF_RANGE.format(max_km=max_km))
    if duration_min is not None and distance_m is not None:
        pace = duration_min * 60 / (distance_m / 1000)
        fastest, slowest = RUN_PACE_RANGE
        if not fastest <= pace <= slowest:
            raise ParseError(
                texts.PACE_IMPLAUSIBLE.format(
                    pace=_format_pace(pace),
                    fastest=_format_pace(fastest),
                    slowest=_format_pace(slowest),
                )
            )


# A minus at the start of a number ("-5 km"), not a range ("7-8") or a date.
_NEGATIVE = re.compile(r"(?<![\w.:-])-(?=[0-9])")


def _refuse_negative(prepared: str) -> None:
    """The patterns read "-5 km" as 5 km: refuse it instead of storing the wrong sign."""
    if _NEGATIVE.search(prepared):
        raise ParseError(texts.NO_NEGATIVE)


def parse_duration_distance(text: str) -> tuple[float | None, float | None]:
    """(minutes, metres) of a run, either may be None: "45 min 8.2 km", "1:05:30 12k"."""
    prepared = _prepare(text)
    _refuse_negative(prepared)
    paces, rest = _take_paces(prepared)
    distances, rest = _take_distances(rest)
    durations, rest = _take_durations(rest, "ms")
    if len(distances) > 1 or len(durations) > 1 or len(paces) > 1:
        raise ParseError(texts.DURATION_DISTANCE_UNCLEAR)
    if not (distances or durations or paces):
        raise ParseError(texts.DURATION_DISTANCE_UNCLEAR)
    if _has_digit(rest):  # a number without a unit: "45 min 8.2" - km? miles?
        raise ParseError(texts.DURATION_DISTANCE_UNCLEAR)
    duration = durations[0] / 60 if durations else None
    distance = distances[0] if distances else None
    if paces:
        duration, distance = _with_pace(duration, distance, paces[0])
    _check_session(duration, distance)
    return duration, distance


def parse_sleep_hours(text: str) -> float:
    """Hours slept, 0-16: "7.5", "7h30", "7 h", "7:30", "450 min"."""
    low, high = SLEEP_HOURS_RANGE
    error = texts.SLEEP_INVALID.format(low=f"{low:g}", high=f"{high:g}")
    value, bare = _one_duration(text, "hm", error)
    return _sleep_hours(value if bare else value / 3600, error)


def _sleep_hours(hours: float, error: str) -> float:
    low, high = SLEEP_HOURS_RANGE
    if not low <= hours <= high:
        raise ParseError(error)
    return round(hours, 2) + 0.0  # + 0.0 turns "-0" into 0.0


def parse_weekly_minutes(text: str) -> int:
    """Planned running per week in minutes, 60-900: "180", "3h", "3 h 30", "210 min"."""
    low, high = WEEKLY_MINUTES_RANGE
    error = texts.WEEKLY_MINUTES_INVALID.format(low=low, high=high)
    value, bare = _one_duration(text, "hm", error)
    if not bare:
        minutes = value / 60
    elif value <= WEEKLY_BARE_HOURS_MAX:
        minutes = value * 60
    else:
        minutes = value
    return _whole_in(minutes, low, high, error)


# --- races ---------------------------------------------------------------------------------

_RACE_NAME = re.compile(r"\b(?:(?:half[\s-]*|full\s+)?marathon|half|mile|parkrun)\b")


def _race_name_metres(name: str) -> float:
    if name.startswith("half"):
        return 21_097.5
    if name.endswith("marathon"):
        return 42_195.0
    return MILE_M if name == "mile" else 5000.0  # parkrun


def _check_race_time(seconds: float) -> None:
    if not seconds > 0:
        raise ParseError(texts.RACE_TIME_INVALID)
    if seconds > MAX_RACE_SECONDS:
        raise ParseError(texts.RACE_TOO_LONG.format(max_hours=round(MAX_RACE_SECONDS / 3600)))


def parse_race_time(text: str) -> float:
    """Finish time in seconds: "22:30", "1:45:00", "45 min", "22m30s"; a bare number is minutes."""
    value, bare = _one_duration(text, "ms", texts.RACE_TIME_INVALID)
    seconds = round(value * 60 if bare else value, 3)
    _check_race_time(seconds)
    return seconds


def parse_race(text: str) -> tuple[float, float]:
    """(distance_m, time_s) of a race: "5k 22:30", "half 1:45:00", "1500 5:20", "mile 6:10".

    A number without a unit is the distance when a time is given (below 100 it's km, from 100
    metres: "10 48:10", "1500 5:20"), or the time in minutes when a distance is ("5k 25").
    """
    distances, rest = _take_distances(_prepare(text))
    for match in _RACE_NAME.finditer(rest):
        distances.append(_race_name_metres(match[0]))
        rest = _blank(rest, *match.span())
    untimed = rest  # read again as hours:minutes when minutes:seconds is too fast
    times, rest = _take_durations(rest, "ms")
    bare = _numbers(rest)
    if len(bare) == 1 and times and not distances:
        distances, bare = [bare[0] * 1000 if bare[0] < 100 else bare[0]], []
    elif len(bare) == 1 and distances and not times:
        times, bare = [bare[0] * 60], []
    if len(distances) != 1 or len(times) != 1 or bare:
        raise ParseError(texts.RACE_INVALID)
    distance, seconds = distances[0], round(times[0], 3)
    as_hours = _take_durations(untimed, "hm")[0]
    if as_hours and as_hours[0] != seconds and distance / seconds > RACE_SPEED_RANGE[1]:
        _confirm_hours(distance, seconds, as_hours[0])
    _check_race(distance, seconds)
    return distance, seconds


def _confirm_hours(distance_m: float, typed_s: float, hours_s: float) -> None:
    """ "marathon 3:30" can only be 3 h 30 min: ask, when that reading is a possible race."""
    try:
        _check_race(distance_m, hours_s)
    except ParseError:
        return  # neither reading works: the usual problem says why
    minutes, seconds = divmod(round(typed_s), 60)
    hours, rest_min = divmod(round(hours_s) // 60, 60)
    duration = (
        texts.HOURS_MINUTES.format(hours=hours, minutes=rest_min)
        if hours
        else texts.MINUTES_ONLY.format(minutes=rest_min)
    )
    raise NeedsConfirmation(
        texts.RACE_HOURS_CONFIRM.format(
            clock=f"{minutes}:{seconds:02d}",
            race=_race_words(distance_m),
            duration=duration,
            example=f"{hours}:{rest_min:02d}:00",
        ),
        label=texts.RACE_HOURS_YES.format(duration=duration),
        answer=f"{_race_typed(distance_m)} {hours}h{rest_min:02d}m",
    )


def _race_words(distance_m: float) -> str:
    """How a coach names the race in a sentence: "a marathon", "a half marathon", "10 km"."""
    names = {42_195.0: texts.A_MARATHON, 21_097.5: texts.A_HALF_MARATHON, MILE_M: texts.A_MILE}
    return names.get(distance_m, texts.KM_RACE.format(km=f"{distance_m / 1000:g}"))


def _race_typed(distance_m: float) -> str:
    """The race's distance written so parse_race reads it back, without "." or ":"."""
    names = {42_195.0: "marathon", 21_097.5: "half", MILE_M: "mile"}
    return names.get(distance_m, f"{round(distance_m)}m")


def _check_race(distance_m: float, seconds: float) -> None:
    shortest, longest = RACE_DISTANCE_RANGE
    if not shortest <= distance_m <= longest:
        raise ParseError(texts.RACE_DISTANCE_OUT_OF_RANGE.format(min_m=round(shortest)))
    _check_race_time(seconds)
    slowest, fastest = RACE_SPEED_RANGE
    if not slowest <= distance_m / seconds <= fastest:
        raise ParseError(
            texts.RACE_IMPLAUSIBLE.format(
                pace=_format_pace(seconds / distance_m * 1000),
                fastest=_format_pace(1000 / fastest),
                slowest=_format_pace(1000 / slowest),
            )
        )


# --- time of day -------------------------------------------------------------------------------

_CLOCK = re.compile(
    r"""
    ^ (?: (?: at | around | about | by ) \s+ | ~ \s* )?
    (?:
        (?P<h> [0-9]{1,2} ) (?: (?: [:.] | \s* h \s* ) (?P<m> [0-9]{2} )? )?  # 6:30 6.30 19h30
      | (?P<hhmm> [0-9]{3,4} )                                                 # 630, 0630, 1830
    )
    \s* (?: o'? \s* clock )? \s*
    (?P<ampm> [ap] \.? \s* m \.? | [ap] )?                                     # 7am, 7 p.m., 7p
    $
    """,
    re.VERBOSE,
)
_CLOCK_WORDS = {"noon": time(12), "midday": time(12), "midnight": time(0)}


def parse_clock_time(text: str) -> time:
    """A time of day: "6:30", "06:30", "18:00", "7am", "7:30 pm", "7", "noon"."""
    prepared = _prepare(text)
    if prepared in _CLOCK_WORDS:
        return _CLOCK_WORDS[prepared]
    match = _CLOCK.match(prepared)
    if match is None:
        raise ParseError(texts.CLOCK_TIME_INVALID)
    if match["hhmm"]:
        hour, minute = int(match["hhmm"][:-2]), int(match["hhmm"][-2:])
    else:
        hour, minute = int(match["h"]), int(match["m"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            raise ParseError(texts.CLOCK_TIME_INVALID)
        hour = hour % 12 + (12 if match["ampm"].startswith("p") else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ParseError(texts.CLOCK_TIME_INVALID)
    return time(hour, minute)


# --- time zones ------------------------------------------------------------------------------

_OFFSET = re.compile(
    r"""
    ^ (?: (?P<base> utc | gmt ) \s* )?
    (?: (?P<sign> [+-] ) \s* )?
    (?: (?P<h> [0-9]{1,2} ) (?: :? (?P<m> [0-9]{2} ) )? (?: \s* h(?:ours?|rs?)? )? )?  # 2, 05:30
    $
    """,
    re.VERBOSE,
)

# Offsets that aren't whole hours have no Etc/ zone; these places use them.
_ODD_OFFSET_ZONES = {
    3 * 60 + 30: "Asia/Tehran",
    -(3 * 60 + 30): "America/St_Johns",
    5 * 60 + 30: "Asia/Kolkata",
    5 * 60 + 45: "Asia/Kathmandu",
    6 * 60 + 30: "Asia/Yangon",
    8 * 60 + 45: "Australia/Eucla",
    9 * 60 + 30: "Australia/Darwin",
    -(9 * 60 + 30): "Pacific/Marquesas",
    10 * 60 + 30: "Australia/Lord_Howe",
    12 * 60 + 45: "Pacific/Chatham",
}

# Big cities (and a few nicknames) whose zone is named after another place. IANA names
# and the cities they're named after come first, so these never shadow a real zone.
_ZONE_ALIASES = {
    **dict.fromkeys(["munich", "frankfurt", "hamburg"], "Europe/Berlin"),
    "geneva": "Europe/Zurich",
    "barcelona": "Europe/Madrid",
    "milan": "Europe/Rome",
    **dict.fromkeys(["manchester", "edinburgh", "glasgow", "uk"], "Europe/London"),
    **dict.fromkeys(["lyon", "marseille"], "Europe/Paris"),
    "krakow": "Europe/Warsaw",
    **dict.fromkeys(["st petersburg", "saint petersburg"], "Europe/Moscow"),
    **dict.fromkeys(["san francisco", "seattle", "la", "san diego", "pst"], "America/Los_Angeles"),
    **dict.fromkeys(
        ["new york city", "nyc", "boston", "washington", "washington dc", "miami", "atlanta"],
        "America/New_York",
    ),
    **dict.fromkeys(["houston", "dallas", "austin"], "America/Chicago"),
    "ottawa": "America/Toronto",
    **dict.fromkeys(["delhi", "new delhi", "mumbai", "bangalore", "bengaluru"], "Asia/Kolkata"),
    **dict.fromkeys(["beijing", "shenzhen", "guangzhou"], "Asia/Shanghai"),
    "osaka": "Asia/Tokyo",
    "cape town": "Africa/Johannesburg",
    **dict.fromkeys(["rio", "rio de janeiro"], "America/Sao_Paulo"),
}

# Legacy names for fixed offsets, like Etc/*: they never follow daylight saving time.
_FIXED_ZONES = frozenset({"UTC", "UCT", "GMT", "GMT0", "Greenwich", "Universal", "Zulu"})
_FIXED_ZONES |= {"EST", "MST", "HST"}

_MAIN_AREAS = frozenset(
    {"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe"}
    | {"Indian", "Pacific"}
)

# "I'm in Berlin", "I live in Berlin", "time zone: Berlin"
_ZONE_FILLER = re.compile(
    r"""
    ^ (?: i'?\s*a?m \s+ in | i \s+ live \s+ in | living \s+ in | in | near
        | time \s* zone | tz ) \b :?
    """,
    re.VERBOSE,
)


def _fold(name: str) -> str:
    """Compare zone names loosely: "São Paulo", "sao_paulo" and "Sao-Paulo" are alike."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = re.sub(r"[.'’]", "", plain)
    plain = re.sub(r"\s*/\s*", "/", plain)
    return re.sub(r"[\s_-]+", " ", plain).strip()


@cache
def _zone_index() -> dict[str, str]:
    """Folded full names ("europe/berlin") and cities ("berlin") to IANA names."""

    def rank(name: str) -> tuple[bool, str]:  # real regions win over legacy links like US/...
        return name.split("/")[0] not in _MAIN_AREAS, name

    index: dict[str, str] = {}
    for name in sorted(available_timezones() - {"Factory", "localtime"}, key=rank):
        index.setdefault(_fold(name), name)
        if "/" in name and not name.startswith("Etc/"):  # Etc/GMT+2 as a "city" would mislead
            index.setdefault(_fold(name.rsplit("/", 1)[1]), name)
    return index


def _offset_zone(text: str) -> TimeZoneChoice | None:
    """A zone for "UTC+2", "GMT-5", "+05:30", "utc"; None if the text isn't an offset."""
    match = _OFFSET.match(text)
    if match is None or not (match["base"] or match["sign"]):
        return None
    if match["sign"] and match["h"] is None:  # "utc+"
        return None
    if match["h"] is None:
        return TimeZoneChoice("UTC", from_offset=True)
    sign = -1 if match["sign"] == "-" else 1
    hours, minutes = int(match["h"]), int(match["m"] or 0)
    total = sign * (hours * 60 + minutes)
    if minutes == 0 and -12 * 60 <= total <= 14 * 60:
        if total == 0:
            return TimeZoneChoice("UTC", from_offset=True)
        # Etc zones count the POSIX way, with the sign inverted: UTC+2 is Etc/GMT-2.
        return TimeZoneChoice(f"Etc/GMT{-sign * hours:+d}", from_offset=True)
    if total in _ODD_OFFSET_ZONES:
        return TimeZoneChoice(_ODD_OFFSET_ZONES[total], from_offset=True)
    raise ParseError(texts.TIME_ZONE_UNKNOWN)


def _named_zone(text: str) -> TimeZoneChoice | None:
    key = _fold(text)
    name = _zone_index().get(key) or _ZONE_ALIASES.get(key)
    if name is None:
        return None
    return TimeZoneChoice(name, from_offset=name.startswith("Etc/") or name in _FIXED_ZONES)


def _zone_candidates(text: str) -> Iterator[str]:
    """The whole answer, then without "I'm in", then each comma-separated part."""
    yield text
    without_filler = _ZONE_FILLER.sub("", text).strip()
    yield without_filler
    yield from (part.strip() for part in without_filler.split(","))


def _loads(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (KeyError, ValueError, OSError):
        return False
    return True


def parse_time_zone(text: str) -> TimeZoneChoice:
    """An IANA zone from "Europe/Berlin", a city ("new york", "São Paulo"), or "UTC+2"."""
    for candidate in _zone_candidates(_prepare(text)):
        if not candidate:
            continue
        choice = _offset_zone(candidate) or _named_zone(candidate)
        if choice is not None and _loads(choice.name):
            return choice
    raise ParseError(texts.TIME_ZONE_UNKNOWN)


# --- weekdays ----------------------------------------------------------------------------------

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_WORDS: dict[str, tuple[int, ...]] = {
    **{word: (i,) for i, name in enumerate(_FULL_DAY_NAMES) for word in (name, name + "s")},
    **{word: (i,) for i, short in enumerate(WEEKDAYS) for word in (short, short + "s")},
    **{"tues": (1,), "weds": (2,), "thur": (3,), "thurs": (3,)},
    **dict.fromkeys(["weekday", "weekdays"], (0, 1, 2, 3, 4)),
    **dict.fromkeys(["weekend", "weekends"], (5, 6)),
    **dict.fromkeys(["daily", "everyday"], tuple(range(7))),
}
_RANGE_WORDS = frozenset({"-", "to", "through", "thru", "till", "until"})
_FILLER_WORDS = frozenset({"and", "or", "on", "plus", "the", "also"})


def _day_indexes(text: str, error: str) -> list[int]:
    prepared = re.sub(r"\bevery\s*day\b|\ball\s+week\b", "everyday", _prepare(text))
    tokens = [t for t in re.findall(r"[^\W_]+|-", prepared) if t not in _FILLER_WORDS]
    days: set[int] = set()
    i = 0
    while i < len(tokens):
        if tokens[i] not in _DAY_WORDS:
            raise ParseError(error)
        group = _DAY_WORDS[tokens[i]]
        if i + 2 < len(tokens) and tokens[i + 1] in _RANGE_WORDS and len(group) == 1:
            end = _DAY_WORDS.get(tokens[i + 2], ())
            if len(end) != 1:
                raise ParseError(error)
            length = (end[0] - group[0]) % 7 + 1  # "fri-mon" wraps over the weekend
            group = tuple((group[0] + k) % 7 for k in range(length))
            i += 2
        days.update(group)
        i += 1
    if not days:
        raise ParseError(error)
    return sorted(days)


def parse_weekdays(text: str) -> list[str]:
    """Days in week order, unique: "mon wed fri sat", "Mon, Wed", "tue-thu", "weekends"."""
    return [WEEKDAYS[i] for i in _day_indexes(text, texts.WEEKDAYS_INVALID)]


def parse_weekday(text: str) -> str:
    """Exactly one day: "sun", "Saturday"."""
    days = _day_indexes(text, texts.WEEKDAY_INVALID)
    if len(days) != 1:
        raise ParseError(texts.WEEKDAY_INVALID)
    return WEEKDAYS[days[0]]


# --- free-text log -----------------------------------------------------------------------------

_RUN = "running"
_SPORT_WORDS = {
    _RUN: "ran run runs running jog jogged jogging raced",
    "cycling": "cycled cycle cycling bike biked biking ride rode",
    "swimming": "swim swam swum swimming",
    "rowing": "row rowed rowing",
    "hiking": "hike hiked hiking",
    "walking": "walk walked walking",
    "strength": "gym weights lifted lifting strength",
    "yoga": "yoga",
    "elliptical": "elliptical",
}
CROSS_SPORTS = tuple(sport for sport in _SPORT_WORDS if sport != _RUN)
_ACTIVITY_WORDS = {word: sport for sport, words in _SPORT_WORDS.items() for word in words.split()}
_ACTIVITY = re.compile(r"\b(?:" + "|".join(_ACTIVITY_WORDS) + r")\b")

_LINK = r"\s* (?: was | is | of | at | about | around | : | = | ~ )? \s*"  # "rhr was 52", "rpe: 6"

_RHR = re.compile(
    rf"""
    \b (?: rhr | resting \s* (?: hr | heart \s* rate | pulse ) ) \b {_LINK}
    (?P<value> -?{_NUM} ) (?: \s* bpm \b )?
    """,
    re.VERBOSE,
)
_RPE = re.compile(
    rf"""
    \b (?: rpe | effort | felt (?: \s+ like )? (?: \s+ an? )? ) \b {_LINK}
    (?P<value> -?{_NUM} ) (?!\s*{_ANY_UNIT})               # not "felt 5k was easy"
    (?: \s* (?: / | out \s+ of ) \s* 10 (?![0-9]) )?
  | (?<![\w.]) (?P<score> {_NUM} ) \s* (?: / | out \s+ of ) \s* 10 (?![0-9])   # 6/10
    """,
    re.VERBOSE,
)
_WELLNESS_NUMBER = re.compile(
    rf"""
    \b (?P<what> soreness | sore | stress(?:ed)? | mood ) \b \s* (?: level )? {_LINK}
    (?P<value> -?{_NUM} ) (?: \s* (?: / | out \s+ of ) \s* 5 (?![0-9]) )?
    """,
    re.VERBOSE,
)
_SLEEP_WORD = r"\b (?: slept | sleep | sleeping ) \b"
_SLEEP_BEFORE = re.compile(  # "slept 6h", "sleep 7.5" (a bare number is hours)
    rf"""
    {_SLEEP_WORD} \s* (?: for | was | about | around | : | = | ~ )? \s*
    (?: (?P<bare> {_NUM} ) (?![0-9.:]) (?!\s*{_ANY_UNIT}) | {_DURATION_SRC} )
    """,
    re.VERBOSE,
)
_SLEEP_AFTER = re.compile(  # "6h sleep", "7 hours of sleep"
    rf"{_DURATION_SRC} \s* (?: of \s+ )? {_SLEEP_WORD}", re.VERBOSE
)

_WELLNESS_WORDS: dict[str, tuple[str, int]] = {
    **dict.fromkeys(["sore", "achy", "aching", "doms"], ("soreness", 4)),
    "stiff": ("soreness", 3),
    **dict.fromkeys(["stressed", "anxious"], ("stress", 4)),
    "relaxed": ("stress", 2),
    **dict.fromkeys(["tired", "sad", "drained"], ("mood", 2)),
    **dict.fromkeys(["exhausted", "knackered", "wrecked"], ("mood", 1)),
    **dict.fromkeys(["happy", "motivated"], ("mood", 4)),
}
_STRONGER = frozenset({"very", "really", "super", "so", "extremely", "totally", "seriously"})
_MILDER = frozenset({"bit", "slightly", "little", "mildly", "somewhat", "kinda", "fairly"})
_NEGATIONS = frozenset({"not", "no", "never", "isn't", "isnt", "aren't", "arent"})


@dataclass
class _Session:
    """What one part of a message says about a session; checked and turned into a LogItem."""

    sport: str | None  # None: text before any activity word
    durations: list[float]  # seconds
    distances: list[float]  # metres
    rpes: list[int]
    paces: list[float] = field(default_factory=list)  # seconds per km

    @property
    def has_numbers(self) -> bool:
        return bool(self.durations or self.distances or self.paces)

    @property
    def is_complete_run(self) -> bool:
        return bool(self.durations and self.distances)

    def merged_into(self, other: _Session) -> _Session:
        return _Session(
            other.sport,
            self.durations + other.durations,
            self.distances + other.distances,
            self.rpes + other.rpes,
            self.paces + other.paces,
        )


def _rpe_value(raw: str) -> int:
    low, high = RPE_RANGE
    return _whole_in(float(raw), low, high, texts.RPE_INVALID.format(low=low, high=high))


def _scale_value(raw: str, what: str) -> int:
    low, high = SCALE_RANGE
    error = texts.SCALE_1_5_INVALID.format(what=what, low=low, high=high)
    return _whole_in(float(raw), low, high, error)


def _wellness_score(match: re.Match[str]) -> tuple[str, int]:
    field = {"sore": "soreness", "stressed": "stress"}.get(match["what"], match["what"])
    return field, _scale_value(match["value"], field)


def _rhr_value(raw: str) -> int:
    low, high = RHR_RANGE
    return _whole_in(float(raw), low, high, texts.RHR_INVALID.format(low=low, high=high))


def _sleep_value(match: re.Match[str]) -> float | None:
    low, high = SLEEP_HOURS_RANGE
    error = texts.SLEEP_INVALID.format(low=f"{low:g}", high=f"{high:g}")
    if match.groupdict().get("bare"):
        return _sleep_hours(float(match["bare"]), error)
    seconds = _duration_seconds(match, "hm")
    return None if seconds is None else _sleep_hours(seconds / 3600, error)


def _take(
    pattern: re.Pattern[str], text: str, read: Callable[[re.Match[str]], T | None]
) -> tuple[list[tuple[int, T]], str]:
    """(position, value) for each match `read` understands, and the text with those blanked."""
    found: list[tuple[int, T]] = []
    for match in pattern.finditer(text):
        value = read(match)
        if value is not None:
            found.append((match.start(), value))
            text = _blank(text, *match.span())
    return found, text


def _wellness_words(text: str) -> list[tuple[int, str, int]]:
    """(position, field, score) for words like "sore", "very stressed", "not tired"."""
    found: list[tuple[int, str, int]] = []
    words = list(re.finditer(r"[a-z']+", text))
    for i, word in enumerate(words):
        if word[0] not in _WELLNESS_WORDS:
            continue
        field, score = _WELLNESS_WORDS[word[0]]
        before = {w[0] for w in words[max(0, i - 2) : i]}
        if before & _NEGATIONS:
            score = 6 - score
        elif before & _STRONGER:
            score = min(5, score + 1) if score >= 3 else max(1, score - 1)
        elif before & _MILDER:
            score += (score < 3) - (score > 3)  # one step towards the middle
        found.append((word.start(), field, score))
    return found


def _read_session(text: str, sport: str | None) -> _Session:
    rpes, rest = _take(_RPE, text, lambda m: _rpe_value(m["value"] or m["score"]))
    paces, rest = _take_paces(rest)
    distances, rest = _take_distances(rest)
    durations, _ = _take_durations(rest, "ms")
    return _Session(sport, durations, distances, [value for _, value in rpes], paces)


def _sessions(text: str) -> list[tuple[int, _Session]]:
    """Split at activity words; text before the first one joins it unless it's a whole run."""
    starts = [(m.start(), _ACTIVITY_WORDS[m[0]]) for m in _ACTIVITY.finditer(text)]
    preamble = _read_session(text[: starts[0][0]] if starts else text, None)
    bounds = [start for start, _ in starts] + [len(text)]
    sessions = [
        (start, _read_session(text[start:end], sport))
        for (start, sport), end in zip(starts, bounds[1:], strict=True)
    ]
    if preamble.is_complete_run or (not sessions and preamble.rpes and preamble.has_numbers):
        return [(0, preamble), *sessions]  # "8 km 42 min felt 6/10", "42 min rpe 6"
    if sessions and (preamble.has_numbers or preamble.rpes):
        return [(0, preamble.merged_into(sessions[0][1])), *sessions[1:]]
    if preamble.rpes:
        raise ParseError(texts.RPE_WITHOUT_SESSION)
    if preamble.paces and not sessions:
        raise ParseError(texts.PACE_NEEDS_MORE)  # "8:10/mi": a run, with its length missing
    return sessions  # a lone "10k" with no activity word is chat, not a log


def _session_item(session: _Session) -> LogItem | None:
    counts = (session.durations, session.distances, session.rpes, session.paces)
    if any(len(found) > 1 for found in counts):
        raise ParseError(texts.SESSION_AMBIGUOUS)
    if not session.has_numbers:
        if session.rpes:
            raise ParseError(texts.SESSION_NEEDS_NUMBERS)
        return None  # "after my run": an activity word, nothing to log
    duration = session.durations[0] / 60 if session.durations else None
    rpe = session.rpes[0] if session.rpes else None
    if session.sport in (None, _RUN):
        distance = session.distances[0] if session.distances else None
        if session.paces:
            duration, distance = _with_pace(duration, distance, session.paces[0])
        _check_session(duration, distance)
        return RunLog(duration, distance, rpe)
    if duration is None:
        raise ParseError(texts.CROSS_NEEDS_DURATION.format(sport=session.sport))
    _check_session(duration, None)
    return CrossLog(session.sport, duration, rpe)


# --- niggles and life ---------------------------------------------------------------------

# Body parts runners name, as they write them, to the one word a niggle is stored under.
_PLACE_WORDS = {
    "calf": "calf calves calfs",
    "knee": "knee knees",
    "achilles": "achilles achille achilles' achilles's",
    "shin": "shin shins",
    "hamstring": "hamstring hamstrings hammy hammies",
    "quad": "quad quads quadriceps thigh thighs",
    "hip": "hip hips",
    "ankle": "ankle ankles",
    "foot": "foot feet arch arches plantar",
    "heel": "heel heels",
    "glute": "glute glutes butt",
    "groin": "groin",
    "back": "back",
    "it band": "itb",
    "toe": "toe toes",
}
_PLACES = {word: place for place, words in _PLACE_WORDS.items() for word in words.split()}
_PLACE = re.compile(r"\b(?:it\s*band|" + "|".join(map(re.escape, _PLACES)) + r")(?![\w'])")
_PAIN = re.compile(
    r"\b(?:tight(?:ness)?|hurts?|hurting|sore(?:ness)?|pain(?:ful|s)?|ach(?:y|es?|ing)"
    r"|niggl(?:e|y|ing)|twinge|tweaked|pulled|strained|injured|stiff|throbbing|sharp)\b"
)
_MILD = re.compile(r"\b(?:a\s+(?:little|bit)|bit|slightly|mild(?:ly)?|little)\b")
_BAD = re.compile(r"\b(?:very|really|badly|bad|sharp|severe|can'?t\s+run|cannot\s+run)\b")
_MODERATE = re.compile(r"\b(?:quite|moderate(?:ly)?|pretty)\b")
_WHEN_RUNNING = re.compile(r"\b(?:when|while|during|on)\s+(?:i\s+)?(?:run|running|runs|jogging)\b")
_NOT_RUNNING = re.compile(
    r"\b(?:not|doesn'?t|does\s+not|never|only)\b[^,.;]*\b(?:run|running|runs)\b"
    r"|\b(?:after|before)\s+(?:the\s+|my\s+)?(?:run|running|runs)\b"
)
_CANT_RUN = re.compile(r"\bcan'?t\s+run\b|\bcannot\s+run\b")
# Life stress said in words: the busy-week signal the method reads from stress 4/5 or more.
_LIFE_STRESS = re.compile(
    r"\b(?:busy|hectic|swamped|overwhelmed|stressful)\b"
    r"|\b(?:work|job|life|week|day)\b[^,.;]*\bcrazy\b|\bcrazy\s+(?:busy|week|day)\b"
)


def _take_niggle(text: str) -> tuple[list[tuple[int, NiggleLog]], str]:
    """A pain in a named place, and the text without its words (so "sore achilles" is a
    niggle, not general soreness). One per message: a second place is asked about later."""
    for clause in re.finditer(r"[^,.;!?\n]+", text):
        part = clause[0]
        place, pain = _PLACE.search(part), _PAIN.search(part)
        if place is None or pain is None:
            continue
        where = "it band" if place[0].startswith("it") else _PLACES[place[0]]
        severity = 3 if _BAD.search(part) else 1 if _MILD.search(part) else None
        if severity is None and _MODERATE.search(part):
            severity = 2
        hurts: bool | None = None
        if _CANT_RUN.search(text):
            hurts = True
        elif _NOT_RUNNING.search(part):
            hurts = False
        elif _WHEN_RUNNING.search(part):
            hurts = True
        start = clause.start()
        # Only its own words go: "ran 8k calf tight" still logs the run.
        for word in (place, pain):
            text = _blank(text, start + word.start(), start + word.end())
        return [(start, NiggleLog(where, severity, hurts))], text
    return [], text


def _life_stress(text: str) -> str:
    """ "busy week", "work is crazy this week": written as "stressed" for the wellness words,
    keeping positions (and a "not" before it still turns it round)."""
    return _LIFE_STRESS.sub(lambda m: "stressed".ljust(len(m[0])), text)


def parse_free_text(text: str) -> list[LogItem]:
    """Everything a chat message logs, in message order; [] when it logs nothing.

    Understands runs ("ran 8k in 42 min rpe 6", "8 km 42 min felt 6/10"), cross-training
    ("cycled 40 min rpe 3"), "rhr 52", "slept 7.5 hours", and how the runner feels ("legs
    sore", "very stressed", "tired", "mood 2"), several in one message. An out-of-range value
    anywhere raises ParseError, so a message is logged entirely or not at all.
    """
    prepared = _prepare(text)
    _refuse_negative(prepared)
    rhrs, rest = _take(_RHR, prepared, lambda m: _rhr_value(m["value"]))
    sleeps, rest = _take(_SLEEP_BEFORE, rest, _sleep_value)
    more_sleeps, rest = _take(_SLEEP_AFTER, rest, _sleep_value)
    scores, rest = _take(_WELLNESS_NUMBER, rest, _wellness_score)
    niggles, rest = _take_niggle(rest)
    rest = _life_stress(rest)
    items: list[tuple[int, LogItem]] = [(pos, RhrLog(bpm)) for pos, bpm in rhrs]
    items += niggles
    items += [(pos, SleepLog(hours)) for pos, hours in sleeps + more_sleeps]
    for pos, session in _sessions(rest):
        item = _session_item(session)
        if item is not None:
            items.append((pos, item))
    wellness = [(pos, field, score) for pos, (field, score) in scores]
    wellness += _wellness_words(rest)
    if wellness:
        fields = {field: score for _, field, score in sorted(wellness)}  # the last mention wins
        log = WellnessLog(fields.get("soreness"), fields.get("stress"), fields.get("mood"))
        items.append((min(pos for pos, _, _ in wellness), log))
    return [item for _, item in sorted(items, key=lambda pair: pair[0])]


# --- yes and no ---------------------------------------------------------------------------

_YES_WORDS = frozenset({"yes", "y", "yep", "yeah", "yup", "sure", "ok", "okay", "correct"})
_YES_WORDS |= {"right", "that's right", "yes please", "confirm", "do it", "go ahead"}
# "keep" answers "delete everything?" and "log this?" alike: leave things as they are.
_NO_WORDS = frozenset({"no", "n", "nope", "nah", "no thanks", "keep", "keep it", "don't"})
_NO_WORDS |= {"dont", "keep my data", "cancel", "stop", "leave it", "wrong", "not right"}


def _answer_words(text: str) -> str:
    try:
        return clean_text(text).casefold().strip(" .!?👍")
    except ParseError:
        return ""


def is_yes(text: str) -> bool:
    """A typed yes to a yes-or-no question: "yes", "ok", "Yes!"."""
    return _answer_words(text) in _YES_WORDS


def is_no(text: str) -> bool:
    """A typed no to a yes-or-no question: "no", "nope", "keep"."""
    return _answer_words(text) in _NO_WORDS


# --- the day a log is about ---------------------------------------------------------------

_LOG_DAY = re.compile(
    r"""
    (?: \b on \s+ )?
    (?:
        (?P<iso> (?<![0-9-]) [0-9]{4} - [0-9]{1,2} - [0-9]{1,2} (?![0-9-]) )
      | \b (?P<word> yesterday | today ) \b
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)


def parse_log_day(text: str, today: date) -> tuple[date, str]:
    """The day a log is about ("on 2026-11-04", "yesterday"; today when it doesn't say),
    and the text without it. ParseError for a date that doesn't exist; a future date is
    returned as it is, for the caller to refuse with the day in its reply."""
    match = _LOG_DAY.search(text)
    if match is None:
        return today, text
    rest = (text[: match.start()] + " " + text[match.end() :]).strip()
    if match["word"] is not None:
        word = match["word"].casefold()
        return (today - timedelta(days=1) if word == "yesterday" else today), rest
    try:
        year, month, day = (int(part) for part in match["iso"].split("-"))
        return date(year, month, day), rest
    except ValueError:
        raise ParseError(texts.DATE_NOT_REAL.format(text=match["iso"])) from None


def reads_as_a_log(text: str) -> bool:
    """Whether a message is plainly something to log ("rhr 52"), not an answer."""
    try:
        return bool(parse_free_text(text))
    except ParseError:
        return False


def labelled_problem(text: str) -> str | None:
    """What is wrong with a labelled value in the message ("rhr 300": the heart-rate range),
    so an answer to another question is refused for the quantity the runner typed."""
    try:
        parse_free_text(text)
    except ParseError as problem:
        return problem.message
    return None
