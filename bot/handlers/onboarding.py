"""/start: ten questions, one at a time, then a summary to confirm.

The answers so far are a typed `Draft`, stored with the conversation (flow "onboarding", the
step being asked), so a restart of the bot mid-way loses nothing; drafts saved by earlier
versions (a plain dict of the same answers) are read too. Every button is a shortcut for a
typed answer: its value goes through the same reader as text, so a forged button can do no
more than typing could. Nothing reaches the profile until Confirm.

An onboarded runner who sends /start again sees each current answer with a Keep button:
a tap (or typing "keep") keeps it, a typed answer changes it. Examples are in the runner's
units. The state diagram is `onboarding.mmd` beside this module.

Buttons are `OnboardingTap` payloads, "ob:<step>:<value>", e.g. "ob:days:mon.wed.fri",
"ob:morning:0630", "ob:race:none", "ob:zone:keep", "ob:confirm:yes". They carry no runner id:
a tap only ever answers the tapper's own open question.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import TypeAdapter, ValidationError
from telegram import Update

from bot import coaching
from bot.handlers.common import Turn
from bot.journal import profile_effective
from bot.parsing import (
    NeedsConfirmation,
    ParseError,
    clean_text,
    parse_clock_time,
    parse_race,
    parse_time_zone,
    parse_weekday,
    parse_weekdays,
    parse_weekly_minutes,
)
from bot.render import paces_html, race_label
from bot.store import repo
from bot.store.models import ConversationState
from bot.texts import common as common_texts
from bot.texts import onboarding as texts
from bot.texts import problems
from bot.views import Keyboard, OnboardingTap, esc
from coach.errors import CoachInputError
from coach.history import (
    MAX_WEEKLY_MINUTES,
    MIN_WEEKLY_MINUTES,
    WEEKDAYS,
    Event,
    GoalSet,
    History,
    Profile,
    ProfileChange,
    TimeTrial,
    profile_from_dict,
    profile_to_dict,
)
from coach.paces import Units, format_duration, training_paces, vdot_from_race
from coach.replay import plan

FLOW = "onboarding"
MIN_RUN_DAYS, MAX_RUN_DAYS = 2, 7
MAX_GOAL_YEARS = 2

DAY_PATTERNS: tuple[tuple[str, ...], ...] = (
    ("tue", "thu", "sun"),
    ("mon", "wed", "fri", "sun"),
    ("tue", "thu", "sat", "sun"),
    ("mon", "tue", "thu", "sat", "sun"),
)
WEEKLY_MINUTES_CHOICES = (120, 180, 240, 300)
MORNING_CHOICES = ("06:00", "06:30", "07:00", "07:30")
CHECKIN_CHOICES = ("18:00", "19:00", "20:00", "21:00")

NO_WORDS = frozenset({"no", "none", "nope", "skip", "n/a", "-"})
NO_GOAL_WORDS = frozenset({"no goal", texts.NO_GOAL.casefold(), texts.NO_NEW_GOAL.casefold()})
KEEP_WORDS = frozenset({"keep", "keep it", "same", "same as before", "no change", "unchanged"})
KEEP = "keep"  # the value of every Keep button
CONFIRM_WORDS = frozenset({"yes", "y", "ok", "okay", "confirm", "yes please", "looks good"})
RESTART_WORDS = frozenset({"start over", "restart", "again", "redo", "no"})


class Problem(ValueError):
    """An answer we can't use; `message` tells the runner why (Telegram HTML)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- the answers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RaceAnswer:
    """A recent race or time trial."""

    distance_m: float
    time_s: float


@dataclass(frozen=True)
class GoalAnswer:
    """A race to aim for."""

    distance_m: float
    race_day: date


@dataclass(frozen=True)
class Draft:
    """The answers so far. A question not answered yet is None (or no days); so is "no
    result" and "no goal race", which the step order tells apart."""

    race: RaceAnswer | None = None
    run_days: tuple[str, ...] = ()
    quality_day: str | None = None
    long_run_day: str | None = None
    weekly_minutes: int | None = None
    morning_time: time | None = None
    checkin_time: time | None = None
    time_zone: str | None = None
    units: Units | None = None
    goal: GoalAnswer | None = None


@dataclass(frozen=True)
class Answers:
    """All ten answers, as the summary shows them and Confirm saves them."""

    race: RaceAnswer | None
    run_days: tuple[str, ...]
    quality_day: str
    long_run_day: str
    weekly_minutes: int
    morning_time: time
    checkin_time: time
    time_zone: str
    units: Units
    goal: GoalAnswer | None


def complete(draft: Draft) -> Answers | None:
    """The draft with every answer in, or None when one is missing (a damaged draft)."""
    d = draft
    if (
        not d.run_days
        or d.quality_day is None
        or d.long_run_day is None
        or d.weekly_minutes is None
        or d.morning_time is None
        or d.checkin_time is None
        or d.time_zone is None
        or d.units is None
    ):
        return None
    return Answers(
        d.race,
        d.run_days,
        d.quality_day,
        d.long_run_day,
        d.weekly_minutes,
        d.morning_time,
        d.checkin_time,
        d.time_zone,
        d.units,
        d.goal,
    )


_DRAFT = TypeAdapter(Draft)


def stored_draft(draft: Draft) -> dict[str, Any]:
    """The draft as the conversation row keeps it (JSON)."""
    stored: dict[str, Any] = _DRAFT.dump_python(draft, mode="json")
    return stored


def read_draft(data: Mapping[str, Any]) -> Draft | None:
    """A stored draft, or None when it can't be read. Earlier versions kept the same
    answers in a plain dict, times as "06:30" and the goal's day as "date"."""
    raw = dict(data)
    goal = raw.get("goal")
    if isinstance(goal, Mapping) and "date" in goal and "race_day" not in goal:
        raw["goal"] = {"distance_m": goal.get("distance_m"), "race_day": goal["date"]}
    try:
        return _DRAFT.validate_python(raw)
    except ValidationError:
        return None


@dataclass(frozen=True)
class Accepted:
    draft: Draft  # the draft with this answer in
    ack: str  # shown above the next question
    note: str | None = None  # a message of its own before the next question


Ask = Callable[[Turn, Draft], tuple[str, Keyboard]]
Read = Callable[[Turn, Draft, str], Accepted]


@dataclass(frozen=True)
class Step:
    name: str
    ask: Ask
    read: Read


# --- what an onboarded runner has now (what Keep keeps) -------------------------------------


def current_answers(turn: Turn) -> Answers | None:
    """The runner's answers as they stand, or None before they are set up. The result their
    paces come from and their goal are the latest told, at /start or since."""
    if turn.athlete.profile is None:
        return None
    profile = current_profile(turn)
    fitness = profile.fitness
    race = None if fitness is None else RaceAnswer(fitness.distance_m, fitness.time_s)
    goal = None if profile.goal is None else GoalAnswer(profile.goal.distance_m, profile.goal.date)
    for event in sorted(turn.journal.events(), key=lambda e: e.date):
        if isinstance(event, TimeTrial) and not event.unconfirmed:
            race = RaceAnswer(event.distance_m, event.time_s)
        elif isinstance(event, GoalSet):
            goal = GoalAnswer(event.distance_m, event.date_of_race)
    athlete = turn.athlete
    return Answers(
        race=race,
        run_days=tuple(WEEKDAYS[d] for d in profile.run_days),
        quality_day=WEEKDAYS[profile.quality_day],
        long_run_day=WEEKDAYS[profile.long_run_day],
        weekly_minutes=profile.weekly_minutes,
        morning_time=athlete.morning_time,
        checkin_time=athlete.checkin_time,
        time_zone=athlete.time_zone,
        units=turn.units,
        goal=goal,
    )


def current_profile(turn: Turn) -> Profile:
    """The profile in force from now on (the latest answers, not the one the plan began with)."""
    assert turn.athlete.profile is not None
    stored = {k: v for k, v in turn.athlete.profile.items() if k != repo.AS_STARTED}
    return profile_from_dict(stored)


def with_current(question: str, now: str, keep: tuple[str, str]) -> tuple[str, Keyboard]:
    """A question for an onboarded runner: what they have now, and a Keep button."""
    return f"{question}\n{texts.NOW.format(value=now)}", [[keep]]


def keep_button(label: str, step: str) -> tuple[str, str]:
    return texts.KEEP.format(value=label), OnboardingTap(step, KEEP).pack()


# --- small formatting helpers ---------------------------------------------------------------

FULL_DAY_NAMES = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}


def units_of(turn: Turn, draft: Draft) -> Units:
    """The units to write examples in: the answer given, or the runner's setting."""
    return draft.units or turn.units


def race_text(race: RaceAnswer, units: Units) -> str:
    return f"{race_label(race.distance_m, units)} in {format_duration(race.time_s)}"


def goal_text(goal: GoalAnswer, units: Units) -> str:
    return texts.GOAL_TEXT.format(
        race=race_label(goal.distance_m, units), day=long_date(goal.race_day)
    )


def day_name(day: str) -> str:
    return day.capitalize()


def full_day_name(day: str) -> str:
    return FULL_DAY_NAMES[day]


def days_text(days: tuple[str, ...]) -> str:
    return ", ".join(day_name(day) for day in days)


def long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B} {day.year}"


def clock_text(value: time) -> str:
    return f"{value:%H:%M}"


def units_text(units: str) -> str:
    return texts.MILES if units == "mi" else texts.KM


def name_of(turn: Turn) -> str:
    return esc(turn.athlete.first_name or "there")


def button(label: str, step: str, value: str) -> tuple[str, str]:
    return label, OnboardingTap(step, value).pack()


# --- dates in the runner's (possibly new) time zone --------------------------------------------


def today_for(turn: Turn, draft: Draft) -> date:
    """Today where the runner is: the time zone they just gave, once they have."""
    zone = draft.time_zone or turn.athlete.time_zone
    return turn.now.astimezone(ZoneInfo(zone)).date()


def plan_start(turn: Turn, draft: Draft) -> date:
    """An existing plan keeps its start date; a new one starts tomorrow (or today, a Monday)."""
    profile = turn.athlete.profile
    if profile is not None:
        return date.fromisoformat(profile["start_date"])
    return coaching.first_day(today_for(turn, draft))


# --- 1. race ----------------------------------------------------------------------------------


def ask_race(turn: Turn, draft: Draft) -> tuple[str, Keyboard]:
    example = texts.RACE_EXAMPLES[units_of(turn, draft)]
    current = current_answers(turn)
    if current is None:
        question = texts.ASK_RACE.format(example=example)
        return question, [[button(texts.NO_RECENT_RESULT, "race", "none")]]
    question = texts.ASK_RACE_AGAIN.format(example=example)
    now = (
        texts.PACES_FROM.format(race=race_text(current.race, current.units))
        if current.race is not None
        else texts.NO_RESULT_YET
    )
    return with_current(question, now, keep_button(texts.KEEP_PACES, "race"))


def read_race(turn: Turn, draft: Draft, text: str) -> Accepted:
    if is_no(text) or (turn.onboarded and is_keep(text)):
        ack = texts.GOT_NO_NEW_RESULT if turn.onboarded else texts.GOT_NO_RESULT
        return Accepted(replace(draft, race=None), ack)
    distance_m, time_s = parse_race(text)
    try:
        vdot_from_race(distance_m, time_s)  # the coach's own limits are stricter in places
    except CoachInputError as error:
        example = texts.RACE_EXAMPLES[units_of(turn, draft)]
        problem = texts.RACE_NOT_PLAUSIBLE.format(problem=esc(error), example=example)
        raise Problem(problem) from None
    race = RaceAnswer(distance_m, time_s)
    got = texts.GOT_RACE.format(race=f"<b>{race_text(race, units_of(turn, draft))}</b>")
    return Accepted(replace(draft, race=race), got)


# --- 2-4. days ----------------------------------------------------------------------------------


def ask_run_days(turn: Turn, draft: Draft) -> tuple[str, Keyboard]:
    keyboard: Keyboard = [
        [button(" · ".join(map(day_name, pattern)), "days", ".".join(pattern))]
        for pattern in DAY_PATTERNS
    ]
    current = current_answers(turn)
    if current is None:
        return texts.ASK_RUN_DAYS, keyboard
    keep = keep_button(" · ".join(map(day_name, current.run_days)), "days")
    question, keep_row = with_current(texts.ASK_RUN_DAYS, days_text(current.run_days), keep)
    return question, keep_row + keyboard


def read_run_days(turn: Turn, draft: Draft, text: str) -> Accepted:
    days = tuple(parse_weekdays(text))
    if not MIN_RUN_DAYS <= len(days) <= MAX_RUN_DAYS:
        raise Problem(texts.RUN_DAYS_COUNT.format(low=MIN_RUN_DAYS, high=MAX_RUN_DAYS))
    return Accepted(replace(draft, run_days=days), texts.GOT_RUN_DAYS.format(days=days_text(days)))


def day_keyboard(step: str, days: tuple[str, ...]) -> Keyboard:
    buttons = [button(day_name(day), step, day) for day in days]
    return [buttons[i : i + 4] for i in range(0, len(buttons), 4)]


def keep_day(question: str, step: str, day: str | None) -> tuple[str, Keyboard]:
    """A day question with the runner's current day to keep, when it is still a choice."""
    if day is None:
        return question, []
    return with_current(question, full_day_name(day), keep_button(day_name(day), step))


def ask_quality_day(turn: Turn, draft: Draft) -> tuple[str, Keyboard]:
    current = current_answers(turn)
    day = current.quality_day if current is not None else None
    question, keep = keep_day(
        texts.ASK_QUALITY_DAY, "quality", day if day in draft.run_days else None
    )
    return question, keep + day_keyboard("quality", draft.run_days)


def read_run_day(draft: Draft, text: str) -> str:
    day = parse_weekday(text)
    if day not in draft.run_days:
        raise Problem(
            texts.NOT_A_RUN_DAY.format(day=full_day_name(day), days=days_text(draft.run_days))
        )
    return day


def read_quality_day(turn: Turn, draft: Draft, text: str) -> Accepted:
    day = read_run_day(draft, text)
    ack = texts.GOT_QUALITY_DAY.format(day=full_day_name(day))
    return Accepted(replace(draft, quality_day=day), ack)


def ask_long_run_day(turn: Turn, draft: Draft) -> tuple[str, Keyboard]:
    days = tuple(day for day in draft.run_days if day != draft.quality_day)
    current = current_answers(turn)
    day = current.long_run_day if current is not None else None
    question, keep = keep_day(texts.ASK_LONG_RUN_DAY, "long", day if day in days else None)
    return question, keep + day_keyboard("long", days)


def read_long_run_day(turn: Turn, draft: Draft, text: str) -> Accepted:
    day = read_run_day(draft, text)
    if day == draft.quality_day:
        raise Problem(texts.SAME_AS_QUALITY_DAY.format(day=full_day_name(day)))
    ack = texts.GOT_LONG_RUN_DAY.format(day=full_day_name(day))
    return Accepted(replace(draft, long_run_day=day), ack)


# --- 5. weekly minutes --------------------------------------------------------------------------


def ask_weekly_minutes(turn: Turn, draft: Draft) -> tuple[str, Keyboard]:
    row = [button(f"{minutes} min", "minutes", str(minutes)) for minutes in WEEKLY_MINUTES_CHOICES]
    current = current_answers(turn)
    if current is None:
        return texts.ASK_WEEKLY_MINUTES, [row]
    value = f"{current.weekly_minutes} min"
    question, keep = with_current(texts.ASK_WEEKLY_MINUTES, value, keep_button(value, "minutes"))
    return question, [*keep, row]


def read_weekly_minutes(turn: Turn, draft: Draft, text: str) -> Accepted:
    minutes = parse_weekly_minutes(text)
    if minutes < MIN_WEEKLY_MINUTES:
        raise Problem(texts.WEEKLY_MINUTES_TOO_LOW.format(low=MIN_WEEKLY_MINUTES))
    if minutes > MAX_WEEKLY_MINUTES:
        raise Problem(
            problems.WEEKLY_MINUTES_INVALID.format(low=MIN_WEEKLY_MINUTES, high=MAX_WEEKLY_MINUTES)
        )
    ack = texts.GOT_WEEKLY_MINUTES.format(minutes=minutes)
    return Accepted(replace(draft, weekly_minutes=minutes), ack)


# --- 6-7. times of day --------------------------------------------------------------------------


def ask_time(
    turn: Turn, question: str, step: str, choices: tuple[str, ...], current: time | None
) -> tuple[str, Keyboard]:
    row = [button(choice, step, choice.replace(":", "")) for choice in choices]
    if current is None:
        return question, [row]
    value = clock_text(current)
    question, keep = with_current(question, value, keep_button(value, step))
    return question, [*keep, row]


def ask_morning_time(turn: Turn, draft: Draft) -> tuple[str, Keyboard]:
    current = current_answers(turn)
    at = current.morning_time if current is not None else None
    return ask_time(turn, texts.ASK_MORNING_TIME, "morning", MORNING_CHOICES, at)


def read_morning_time(turn: Turn, draft: Draft, text: str) -> Accepted:
    value = parse_clock_time(text)
    ack = texts.GOT_MORNING_TIME.format(time=clock_text(value))
    return Accepted(replace(draft, morning_time=value), ack)


def ask_checkin_time(turn: Turn, draft: Draft) -> tuple[str, Keyboard]:
    current = current_answers(turn)
    at = current.checkin_time if current is not None else None
    return ask_time(turn, texts.ASK_CHECKIN_TIME, "checkin", CHECKIN_CHOICES, at)


def read_checkin_time(turn: Turn, draft: Draft, text: str) -> Accepted:
    value = parse_clock_time(text)
    ack = texts.GOT_CHECKIN_TIME.format(time=clock_text(value))
    return Accepted(replace(draft, checkin_time=value), ack)


# --- 8-9. time zone and units -------------------------------------------------------------------


def ask_time_zone(turn: Turn, draft: Draft) -> tuple[str, Keyboard]:
    current = current_answers(turn)
    if current is None:
        return texts.ASK_TIME_ZONE, []
    zone = esc(current.time_zone)
    return with_current(texts.ASK_TIME_ZONE, zone, keep_button(current.time_zone, "zone"))


def read_time_zone(turn: Turn, draft: Draft, text: str) -> Accepted:
    choice = parse_time_zone(text)
    note = problems.TIME_ZONE_FIXED_OFFSET_NOTE if choice.from_offset else None
    ack = texts.GOT_TIME_ZONE.format(zone=esc(choice.name))
    return Accepted(replace(draft, time_zone=choice.name), ack, note)


UNIT_WORDS: dict[str, Units] = {
    **dict.fromkeys(
        ["km", "k", "kms", "kilometre", "kilometres", "kilometer", "kilometers", "metric"], "km"
    ),
    **dict.fromkeys(["mi", "mile", "miles", "imperial"], "mi"),
}


def ask_units(turn: Turn, draft: Draft) -> tuple[str, Keyboard]:
    row = [button(texts.KM, "units", "km"), button(texts.MILES, "units", "mi")]
    current = current_answers(turn)
    if current is None:
        return texts.ASK_UNITS, [row]
    value = units_text(current.units)
    question, keep = with_current(texts.ASK_UNITS, value, keep_button(value, "units"))
    return question, [*keep, row]


def read_units(turn: Turn, draft: Draft, text: str) -> Accepted:
    units = UNIT_WORDS.get(clean_text(text).casefold().strip(" ."))
    if units is None:
        raise Problem(texts.UNITS_INVALID)
    return Accepted(replace(draft, units=units), texts.GOT_UNITS.format(units=units_text(units)))


# --- 10. goal race ------------------------------------------------------------------------------

MONTHS = {
    name: number
    for number, full in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
    for name in (full, full[:3], "sept" if full == "september" else full[:3])
}
_ISO_DATE = re.compile(r"(?<![0-9])(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})(?![0-9])")
_DAY_MONTH = re.compile(
    r"(?<![\w.])(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?\s+(?P<month>[a-z]+)\.?(?:,?\s+(?P<y>[0-9]{4}))?\b"
)
_MONTH_DAY = re.compile(
    r"\b(?P<month>[a-z]+)\.?\s+(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<y>[0-9]{4}))?\b"
)
_GOAL_DISTANCE = re.compile(
    r"(?<![\w.])(?P<value>[0-9]+(?:\.[0-9]+)?)\s*"
    r"(?P<unit>km|k|kilomet(?:er|re)s?|mi|miles?|m|met(?:er|re)s?)(?![a-z])"
)
_GOAL_NAME = re.compile(r"\b(?:half[\s-]*marathon|half|marathon|mile|parkrun)\b")
GOAL_NAMES = {"half": 21097.5, "marathon": 42195.0, "mile": 1609.344, "parkrun": 5000.0}
GOAL_DISTANCE_RANGE = (1500.0, 42195.0)


def _race_day(text: str, today: date) -> tuple[date | None, str]:
    """The race date in the text, and the text without it. A date without a year is the
    next one to come."""
    match = _ISO_DATE.search(text)
    if match is not None:
        day = date(int(match["y"]), int(match["m"]), int(match["d"]))
        return day, text[: match.start()] + " " + text[match.end() :]
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        for match in pattern.finditer(text):
            month = MONTHS.get(match["month"])
            if month is None:
                continue
            year = int(match["y"]) if match["y"] else today.year
            day = date(year, month, int(match["d"]))
            if not match["y"] and day <= today:
                day = day.replace(year=year + 1)
            return day, text[: match.start()] + " " + text[match.end() :]
    return None, text


def _goal_distance(text: str) -> tuple[float | None, str]:
    found: list[float] = []
    for match in _GOAL_DISTANCE.finditer(text):
        unit, value = match["unit"], float(match["value"])
        found.append(value * (1000 if unit[0] == "k" else 1609.344 if unit[:2] == "mi" else 1))
    text = _GOAL_DISTANCE.sub(" ", text)
    for match in _GOAL_NAME.finditer(text):
        found.append(GOAL_NAMES[match[0].split()[0].split("-")[0]])
    text = _GOAL_NAME.sub(" ", text)
    if len(found) != 1:
        return None, text
    # "42.2 km" and "21.1k" are how runners write the marathon and the half.
    distance = found[0]
    for metres in (21097.5, 42195.0):
        if abs(distance - metres) <= 150:
            distance = metres
    return distance, text


def parse_goal(text: str, today: date, units: Units = "km") -> tuple[float, date]:
    """(distance_m, race day) from "10k 2027-03-14", "half 14 March 2027", "marathon oct 4"."""
    example = texts.GOAL_EXAMPLES[units]
    prepared = clean_text(text).casefold().replace(",", " ")
    try:
        day, rest = _race_day(prepared, today)
    except ValueError:  # 2027-02-30
        raise Problem(texts.GOAL_INVALID.format(example=example)) from None
    distance, rest = _goal_distance(rest)
    if day is None or distance is None or re.search(r"[0-9]", rest):
        raise Problem(texts.GOAL_INVALID.format(example=example))
    low, high = GOAL_DISTANCE_RANGE
    if not low <= distance <= high:
        raise Problem(texts.GOAL_DISTANCE_OUT_OF_RANGE.format(example=example))
    return distance, day


def ask_goal(turn: Turn, draft: Draft) -> tuple[str, Keyboard]:
    question = texts.ASK_GOAL.format(example=texts.GOAL_EXAMPLES[units_of(turn, draft)])
    current = current_answers(turn)
    if current is None:
        return question, [[button(texts.NO_GOAL, "goal", "none")]]
    if current.goal is None:
        now, label = texts.NO_GOAL_YET, texts.KEEP_NO_GOAL
    else:
        now, label = goal_text(current.goal, units_of(turn, draft)), texts.KEEP_GOAL
    return with_current(question, now, (label, OnboardingTap("goal", KEEP).pack()))


def read_goal(turn: Turn, draft: Draft, text: str) -> Accepted:
    if is_no(text) or clean_text(text).casefold() in NO_GOAL_WORDS:
        return Accepted(replace(draft, goal=None), "")
    if turn.onboarded and is_keep(text):
        return Accepted(replace(draft, goal=None), "")  # no new goal: the current one stays
    today = today_for(turn, draft)
    distance_m, day = parse_goal(text, today, units_of(turn, draft))
    start = plan_start(turn, draft)
    if day <= today:
        raise Problem(texts.GOAL_DATE_PASSED.format(day=long_date(day)))
    if day <= start:
        raise Problem(texts.GOAL_BEFORE_START.format(start=long_date(start), day=long_date(day)))
    if day > today + timedelta(days=365 * MAX_GOAL_YEARS):
        raise Problem(texts.GOAL_TOO_FAR.format(years=MAX_GOAL_YEARS))
    return Accepted(replace(draft, goal=GoalAnswer(distance_m, day)), "")


# --- summary ------------------------------------------------------------------------------------


def summary_lines(turn: Turn, answers: Answers) -> list[str]:
    race, goal, units = answers.race, answers.goal, answers.units
    if race is not None:
        race_line = texts.SUMMARY_RACE.format(race=race_text(race, units))
    else:
        race_line = texts.SUMMARY_NO_NEW_RACE if turn.onboarded else texts.SUMMARY_NO_RACE
    if goal is not None:
        goal_line = texts.SUMMARY_GOAL.format(goal=goal_text(goal, units))
    else:
        goal_line = texts.SUMMARY_NO_NEW_GOAL if turn.onboarded else texts.SUMMARY_NO_GOAL
    return [
        race_line,
        texts.SUMMARY_RUN_DAYS.format(days=days_text(answers.run_days)),
        texts.SUMMARY_QUALITY_DAY.format(day=full_day_name(answers.quality_day)),
        texts.SUMMARY_LONG_RUN_DAY.format(day=full_day_name(answers.long_run_day)),
        texts.SUMMARY_WEEKLY_MINUTES.format(minutes=answers.weekly_minutes),
        texts.SUMMARY_TIMES.format(
            morning=clock_text(answers.morning_time), checkin=clock_text(answers.checkin_time)
        ),
        texts.SUMMARY_TIME_ZONE.format(zone=esc(answers.time_zone)),
        texts.SUMMARY_UNITS.format(units=units_text(units)),
        goal_line,
    ]


def ask_confirm(turn: Turn, draft: Draft) -> tuple[str, Keyboard]:
    answers = complete(draft)
    keyboard: Keyboard = [
        [button(texts.CONFIRM, "confirm", "yes"), button(texts.START_OVER, "confirm", "restart")]
    ]
    if answers is None:  # never shown: the confirm step is reached with every answer in
        return texts.CONFIRM_PLEASE, keyboard
    lines = "\n".join(f"• {line}" for line in summary_lines(turn, answers))
    return texts.SUMMARY.format(lines=lines), keyboard


def read_confirm(turn: Turn, draft: Draft, text: str) -> Accepted:
    # Confirm ends the conversation rather than advancing it: see on_text and on_callback.
    raise Problem(texts.CONFIRM_PLEASE)


STEPS: tuple[Step, ...] = (
    Step("race", ask_race, read_race),
    Step("days", ask_run_days, read_run_days),
    Step("quality", ask_quality_day, read_quality_day),
    Step("long", ask_long_run_day, read_long_run_day),
    Step("minutes", ask_weekly_minutes, read_weekly_minutes),
    Step("morning", ask_morning_time, read_morning_time),
    Step("checkin", ask_checkin_time, read_checkin_time),
    Step("zone", ask_time_zone, read_time_zone),
    Step("units", ask_units, read_units),
    Step("goal", ask_goal, read_goal),
    Step("confirm", ask_confirm, read_confirm),
)
STEP_BY_NAME = {step.name: step for step in STEPS}


def words_of(text: str) -> str:
    return clean_text(text).casefold().strip(" .!")


def is_no(text: str) -> bool:
    words = words_of(text)
    return words in NO_WORDS or words in (
        texts.NO_RECENT_RESULT.casefold(),
        texts.NO_NEW_RESULT.casefold(),
    )


def is_keep(text: str) -> bool:
    return words_of(text) in KEEP_WORDS


def kept_answer(turn: Turn, step: str) -> str | None:
    """What "keep" stands for at a step, as the runner would type it; None when there is
    nothing to keep. Race and goal keep by adding nothing new: their readers take "keep"."""
    current = current_answers(turn)
    if current is None:
        return None
    kept = {
        "race": KEEP,
        "days": " ".join(current.run_days),
        "quality": current.quality_day,
        "long": current.long_run_day,
        "minutes": str(current.weekly_minutes),
        "morning": clock_text(current.morning_time),
        "checkin": clock_text(current.checkin_time),
        "zone": current.time_zone,
        "units": current.units,
        "goal": KEEP,
    }
    return kept.get(step)


# --- the conversation ---------------------------------------------------------------------------


def start(turn: Turn, update: Update) -> None:
    """/start: a new runner begins; one mid-way resumes; an onboarded one edits their profile."""
    conversation = repo.get_conversation(turn.session, turn.athlete_id)
    if conversation is not None and conversation.flow == FLOW:
        step = STEP_BY_NAME.get(conversation.step)
        draft = read_draft(conversation.data)
        if step is not None and draft is not None:
            text, keyboard = step.ask(turn, draft)
            turn.say(f"{texts.RESUMING}\n\n{text}", keyboard)
            return
    intro = texts.WELCOME_BACK if turn.onboarded else texts.WELCOME
    begin(turn, intro.format(name=name_of(turn)))


def begin(turn: Turn, intro: str, edit: int | None = None) -> None:
    draft = Draft()
    repo.save_conversation(turn.session, turn.athlete_id, FLOW, STEPS[0].name, stored_draft(draft))
    text, keyboard = STEPS[0].ask(turn, draft)
    turn.say(f"{intro}\n\n{text}" if intro else text, keyboard, edit=edit)


def open_step(turn: Turn, conversation: ConversationState) -> tuple[Step, Draft] | None:
    """The question being asked and the answers so far; None (after starting over) for a
    step or draft no version of this conversation would have saved."""
    step = STEP_BY_NAME.get(conversation.step)
    draft = read_draft(conversation.data)
    if step is None or draft is None or (step.name == "confirm" and complete(draft) is None):
        begin(turn, texts.RESUMING_FROM_SCRATCH)
        return None
    return step, draft


def on_text(turn: Turn, conversation: ConversationState, text: str) -> None:
    asked = open_step(turn, conversation)
    if asked is None:
        return
    step, draft = asked
    if step.name == "confirm":
        answer_confirm_typed(turn, draft, text)
        return
    kept = kept_answer(turn, step.name) if is_keep(text) else None
    try:
        accepted = step.read(turn, draft, kept or text)
    except (Problem, ParseError) as problem:
        keyboard = step.ask(turn, draft)[1]
        if isinstance(problem, NeedsConfirmation):  # "marathon 3:30": a button for 3 h 30 min
            yes = button(problem.label, step.name, problem.answer.replace(" ", "."))
            keyboard = [[yes], *keyboard]
        turn.say(problem.message, keyboard)
        return
    advance(turn, step, accepted, edit=None)


def on_callback(turn: Turn, parts: list[str], message_id: int) -> None:
    tap = OnboardingTap.unpack(":".join([OnboardingTap.prefix, *parts]))
    conversation = repo.get_conversation(turn.session, turn.athlete_id)
    if (
        tap is None
        or conversation is None
        or conversation.flow != FLOW
        or tap.step != conversation.step
        or tap.step not in STEP_BY_NAME
    ):
        # A button from a question already answered, or data we never sent.
        turn.refuse(common_texts.BUTTON_EXPIRED)
        return
    asked = open_step(turn, conversation)
    if asked is None:
        return
    step, draft = asked
    if step.name == "confirm":
        answer_confirm_button(turn, draft, tap.value, message_id)
        return
    answer = kept_answer(turn, step.name) if tap.value == KEEP else tap.value.replace(".", " ")
    try:  # None: a Keep with nothing to keep
        accepted = None if answer is None else step.read(turn, draft, answer)
    except (Problem, ParseError):
        accepted = None  # a value no button of this question carries
    if accepted is None:
        turn.refuse(common_texts.BUTTON_EXPIRED)
        return
    advance(turn, step, accepted, edit=None if accepted.note else message_id)


def advance(turn: Turn, step: Step, accepted: Accepted, edit: int | None) -> None:
    """Keep the answer, then ask the next question (in place of the old one when tapped)."""
    following = STEPS[STEPS.index(step) + 1]
    repo.save_conversation(
        turn.session, turn.athlete_id, FLOW, following.name, stored_draft(accepted.draft)
    )
    if accepted.note:
        turn.say(f"{accepted.ack}\n\n{accepted.note}" if accepted.ack else accepted.note)
        ack = ""
    else:
        ack = accepted.ack
    text, keyboard = following.ask(turn, accepted.draft)
    turn.say(f"{ack}\n\n{text}" if ack else text, keyboard, edit=edit)


def answer_confirm_typed(turn: Turn, draft: Draft, text: str) -> None:
    words = words_of(text)
    if words in CONFIRM_WORDS:
        finish(turn, draft, edit=None)
    elif words in RESTART_WORDS:
        begin(turn, "")
    else:
        turn.say(texts.CONFIRM_PLEASE, ask_confirm(turn, draft)[1])


def answer_confirm_button(turn: Turn, draft: Draft, value: str, message_id: int) -> None:
    if value == "yes":
        finish(turn, draft, edit=message_id)
    elif value == "restart":
        begin(turn, "", edit=message_id)
    else:
        turn.refuse(common_texts.BUTTON_EXPIRED)


# --- saving -------------------------------------------------------------------------------------


def week_shape(answers: Answers) -> dict[str, Any]:
    """The answers the profile keeps, in its JSON form."""
    return {
        "run_days": list(answers.run_days),
        "quality_day": answers.quality_day,
        "long_run_day": answers.long_run_day,
        "weekly_minutes": answers.weekly_minutes,
        "units": answers.units,
    }


def new_profile(turn: Turn, answers: Answers, today: date) -> Profile:
    """The coach profile for this runner; an existing plan keeps its start, fitness and goal
    (new results and goals become dated events, so past weeks replay as they were)."""
    if turn.athlete.profile is not None:
        return profile_from_dict({**profile_to_dict(current_profile(turn)), **week_shape(answers)})
    race, goal = answers.race, answers.goal
    return profile_from_dict(
        {
            "start_date": coaching.first_day(today).isoformat(),
            "fitness": None
            if race is None
            else {"distance_m": race.distance_m, "time_s": race.time_s, "date": today.isoformat()},
            **week_shape(answers),
            "goal": None
            if goal is None
            else {"distance_m": goal.distance_m, "date": goal.race_day.isoformat()},
        }
    )


def new_events(turn: Turn, answers: Answers, today: date) -> list[Event]:
    """A new result and a new goal of an onboarded runner, dated today."""
    if turn.athlete.profile is None:
        return []
    events: list[Event] = []
    if answers.race is not None:
        events.append(TimeTrial(today, answers.race.distance_m, answers.race.time_s))
    if answers.goal is not None:
        events.append(GoalSet(today, answers.goal.distance_m, answers.goal.race_day))
    return events


def reshaped(turn: Turn, profile: Profile) -> bool:
    """Whether the new profile plans weeks differently from the current one: keeping every
    answer adds no profile event (units only change how paces are written)."""
    current = current_profile(turn)
    return (
        profile.run_days,
        profile.quality_day,
        profile.long_run_day,
        profile.weekly_minutes,
    ) != (
        current.run_days,
        current.quality_day,
        current.long_run_day,
        current.weekly_minutes,
    )


def profile_change(profile: Profile, today: date) -> ProfileChange:
    return ProfileChange(
        date=today,
        effective=profile_effective(today),
        run_days=profile.run_days,
        quality_day=profile.quality_day,
        long_run_day=profile.long_run_day,
        weekly_minutes=profile.weekly_minutes,
        units=profile.units,
    )


def finish(turn: Turn, draft: Draft, edit: int | None) -> None:
    """Confirm: check everything with the coach first, then save it all in this transaction.

    A running plan keeps its past: new days and volume become a dated `profile` event,
    so the weeks before it replay exactly as they were.
    """
    answers = complete(draft)
    if answers is None:
        begin(turn, texts.RESUMING_FROM_SCRATCH)
        return
    editing = turn.onboarded
    today = today_for(turn, draft)
    started = editing and today >= plan_start(turn, draft)
    try:
        profile = new_profile(turn, answers, today)
    except CoachInputError as error:
        begin(turn, texts.PROFILE_INVALID.format(problem=esc(error)))
        return
    events = new_events(turn, answers, today)
    change = profile_change(profile, today) if started and reshaped(turn, profile) else None
    repo.update_settings(
        turn.session,
        turn.athlete,
        time_zone=answers.time_zone,
        morning_time=answers.morning_time,
        checkin_time=answers.checkin_time,
        units=answers.units,
    )
    journal = turn.journal  # first read now, in the time zone just saved
    if change is not None:
        repo.change_profile(turn.session, turn.athlete, week_shape(answers))
        journal.change_profile(change)
    elif not started:
        repo.save_profile(turn.session, turn.athlete, profile_to_dict(profile), turn.now)
    for event in events:
        journal.record(event)
    repo.clear_conversation(turn.session, turn.athlete_id)
    text = welcome(turn, answers, profile, today, editing)
    if change is not None:
        day = long_date(change.effective)
        tomorrow = change.effective == today + timedelta(days=1)
        note = texts.CHANGE_FROM_TOMORROW if tomorrow else texts.CHANGE_FROM_MONDAY
        text += "\n\n" + note.format(day=day)
    turn.say(text, edit=edit)


def lead_in_first_run(profile: Profile, today: date) -> str | None:
    """A new plan that starts mid-week: the lead-in week's first run and the first Monday,
    read from the coach's own plan so the words match what the morning message sends."""
    if profile.start_date.weekday() == 0:
        return None
    lead_in = plan(History(profile), today, weeks_ahead=0).weeks[0]
    monday = lead_in.start + timedelta(days=7)
    first = next((s for s in lead_in.sessions if s.planned_min > 0), None)
    if first is None:
        return common_texts.PLAN_STARTS_ON.format(day=long_date(monday))
    when = (
        texts.FIRST_RUN_TOMORROW
        if first.date == today + timedelta(days=1)
        else texts.FIRST_RUN_ON.format(day=long_date(first.date))
    )
    what = (
        texts.FIRST_RUN_TRIAL
        if first.type == "time_trial"
        else texts.FIRST_RUN_EASY.format(minutes=first.planned_min)
    )
    return texts.LEAD_IN_STARTS.format(when=when, what=what, monday=long_date(monday))


def welcome(turn: Turn, answers: Answers, profile: Profile, today: date, editing: bool) -> str:
    name = name_of(turn)
    parts = [
        texts.PROFILE_UPDATED.format(name=name) if editing else texts.ALL_SET.format(name=name)
    ]
    first_run = None if editing else lead_in_first_run(profile, today)
    if first_run is not None:
        parts.append(first_run)
    elif profile.start_date > today:
        parts.append(common_texts.PLAN_STARTS_ON.format(day=long_date(profile.start_date)))
    elif editing:
        parts.append(texts.PLAN_RUNNING.format(day=long_date(profile.start_date)))
    else:
        parts.append(texts.PLAN_STARTS_TODAY)
    race = answers.race
    if race is not None:
        vdot = vdot_from_race(race.distance_m, race.time_s)
        paces = paces_html(training_paces(round(vdot, 1)), vdot, answers.units)
        parts.append(texts.PACES.format(race=race_text(race, answers.units), paces=paces))
    elif not editing:
        parts.append(texts.FIRST_SESSION_TRIAL)
    if answers.goal is not None:
        parts.append(texts.GOAL_SET.format(goal=goal_text(answers.goal, answers.units)))
    parts.append(
        texts.DAILY_RHYTHM.format(
            morning=clock_text(answers.morning_time), checkin=clock_text(answers.checkin_time)
        )
    )
    return "\n\n".join(parts)
