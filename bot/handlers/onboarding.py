"""/start: ten questions, one at a time, then a summary to confirm.

The answers so far live in the stored conversation (flow "onboarding", the step being
asked, a data dict), so a restart of the bot mid-way loses nothing. Every button is a
shortcut for a typed answer: its value goes through the same reader as text, so a forged
button can do no more than typing could. Nothing reaches the profile until Confirm.

Callback data: "ob:<step>:<value>", e.g. "ob:days:mon.wed.fri", "ob:morning:0630",
"ob:race:none", "ob:confirm:yes".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

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
from bot.views import Keyboard, esc
from coach.errors import CoachInputError
from coach.history import (
    MAX_WEEKLY_MINUTES,
    MIN_WEEKLY_MINUTES,
    ProfileChange,
    event_from_dict,
    profile_from_dict,
)
from coach.paces import format_duration, training_paces, vdot_from_race

FLOW = "onboarding"
MIN_RUN_DAYS, MAX_RUN_DAYS = 2, 7
MAX_GOAL_YEARS = 2
MAX_CALLBACK_BYTES = 64

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
CONFIRM_WORDS = frozenset({"yes", "y", "ok", "okay", "confirm", "yes please", "looks good"})
RESTART_WORDS = frozenset({"start over", "restart", "again", "redo", "no"})


class Problem(ValueError):
    """An answer we can't use; `message` tells the runner why (Telegram HTML)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Accepted:
    changes: dict[str, Any]
    ack: str  # shown above the next question
    note: str | None = None  # a message of its own before the next question


Ask = Callable[[Turn, dict[str, Any]], tuple[str, Keyboard]]
Read = Callable[[Turn, dict[str, Any], str], Accepted]


@dataclass(frozen=True)
class Step:
    name: str
    ask: Ask
    read: Read


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


def race_text(race: dict[str, Any]) -> str:
    return f"{race_label(race['distance_m'])} in {format_duration(race['time_s'])}"


def day_name(day: str) -> str:
    return day.capitalize()


def full_day_name(day: str) -> str:
    return FULL_DAY_NAMES[day]


def days_text(days: list[str]) -> str:
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
    return label, f"ob:{step}:{value}"


def fits(data: str) -> bool:
    return len(data.encode()) <= MAX_CALLBACK_BYTES


# --- dates in the runner's (possibly new) time zone --------------------------------------------


def today_for(turn: Turn, data: dict[str, Any]) -> date:
    """Today where the runner is: the time zone they just gave, once they have."""
    zone = data.get("time_zone") or turn.athlete.time_zone
    return turn.now.astimezone(ZoneInfo(zone)).date()


def plan_start(turn: Turn, data: dict[str, Any]) -> date:
    """An existing plan keeps its start date; a new one starts next Monday."""
    profile = turn.athlete.profile
    if profile is not None:
        return date.fromisoformat(profile["start_date"])
    return coaching.next_monday(today_for(turn, data))


# --- 1. race ----------------------------------------------------------------------------------


def ask_race(turn: Turn, data: dict[str, Any]) -> tuple[str, Keyboard]:
    if turn.onboarded:
        return texts.ASK_RACE_AGAIN, [[button(texts.NO_NEW_RESULT, "race", "none")]]
    return texts.ASK_RACE, [[button(texts.NO_RECENT_RESULT, "race", "none")]]


def read_race(turn: Turn, data: dict[str, Any], text: str) -> Accepted:
    if is_no(text):
        ack = texts.GOT_NO_NEW_RESULT if turn.onboarded else texts.GOT_NO_RESULT
        return Accepted({"race": None}, ack)
    distance_m, time_s = parse_race(text)
    try:
        vdot_from_race(distance_m, time_s)  # the coach's own limits are stricter in places
    except CoachInputError as error:
        raise Problem(texts.RACE_NOT_PLAUSIBLE.format(problem=esc(error))) from None
    race = {"distance_m": distance_m, "time_s": time_s}
    return Accepted({"race": race}, texts.GOT_RACE.format(race=f"<b>{race_text(race)}</b>"))


# --- 2-4. days ----------------------------------------------------------------------------------


def ask_run_days(turn: Turn, data: dict[str, Any]) -> tuple[str, Keyboard]:
    keyboard: Keyboard = [
        [button(" · ".join(map(day_name, pattern)), "days", ".".join(pattern))]
        for pattern in DAY_PATTERNS
    ]
    current = current_profile_value(turn, "run_days")
    if current and tuple(current) not in DAY_PATTERNS:
        label = texts.KEEP.format(value=" · ".join(map(day_name, current)))
        keyboard.append([button(label, "days", ".".join(current))])
    return texts.ASK_RUN_DAYS, keyboard


def read_run_days(turn: Turn, data: dict[str, Any], text: str) -> Accepted:
    days = parse_weekdays(text)
    if not MIN_RUN_DAYS <= len(days) <= MAX_RUN_DAYS:
        raise Problem(texts.RUN_DAYS_COUNT.format(low=MIN_RUN_DAYS, high=MAX_RUN_DAYS))
    return Accepted({"run_days": days}, texts.GOT_RUN_DAYS.format(days=days_text(days)))


def day_keyboard(step: str, days: list[str]) -> Keyboard:
    buttons = [button(day_name(day), step, day) for day in days]
    return [buttons[i : i + 4] for i in range(0, len(buttons), 4)]


def ask_quality_day(turn: Turn, data: dict[str, Any]) -> tuple[str, Keyboard]:
    return texts.ASK_QUALITY_DAY, day_keyboard("quality", data["run_days"])


def read_run_day(data: dict[str, Any], text: str) -> str:
    day = parse_weekday(text)
    if day not in data["run_days"]:
        raise Problem(
            texts.NOT_A_RUN_DAY.format(day=full_day_name(day), days=days_text(data["run_days"]))
        )
    return day


def read_quality_day(turn: Turn, data: dict[str, Any], text: str) -> Accepted:
    day = read_run_day(data, text)
    return Accepted({"quality_day": day}, texts.GOT_QUALITY_DAY.format(day=full_day_name(day)))


def ask_long_run_day(turn: Turn, data: dict[str, Any]) -> tuple[str, Keyboard]:
    days = [day for day in data["run_days"] if day != data["quality_day"]]
    return texts.ASK_LONG_RUN_DAY, day_keyboard("long", days)


def read_long_run_day(turn: Turn, data: dict[str, Any], text: str) -> Accepted:
    day = read_run_day(data, text)
    if day == data["quality_day"]:
        raise Problem(texts.SAME_AS_QUALITY_DAY.format(day=full_day_name(day)))
    return Accepted({"long_run_day": day}, texts.GOT_LONG_RUN_DAY.format(day=full_day_name(day)))


# --- 5. weekly minutes --------------------------------------------------------------------------


def ask_weekly_minutes(turn: Turn, data: dict[str, Any]) -> tuple[str, Keyboard]:
    choices = list(WEEKLY_MINUTES_CHOICES)
    current = current_profile_value(turn, "weekly_minutes")
    row = [button(f"{minutes} min", "minutes", str(minutes)) for minutes in choices]
    keyboard: Keyboard = [row]
    if current and current not in choices:
        keyboard.append(
            [button(texts.KEEP.format(value=f"{current} min"), "minutes", str(current))]
        )
    return texts.ASK_WEEKLY_MINUTES, keyboard


def read_weekly_minutes(turn: Turn, data: dict[str, Any], text: str) -> Accepted:
    minutes = parse_weekly_minutes(text)
    if minutes < MIN_WEEKLY_MINUTES:
        raise Problem(texts.WEEKLY_MINUTES_TOO_LOW.format(low=MIN_WEEKLY_MINUTES))
    if minutes > MAX_WEEKLY_MINUTES:
        raise Problem(
            problems.WEEKLY_MINUTES_INVALID.format(low=MIN_WEEKLY_MINUTES, high=MAX_WEEKLY_MINUTES)
        )
    return Accepted({"weekly_minutes": minutes}, texts.GOT_WEEKLY_MINUTES.format(minutes=minutes))


# --- 6-7. times of day --------------------------------------------------------------------------


def time_keyboard(step: str, choices: tuple[str, ...], current: time | None) -> Keyboard:
    keyboard: Keyboard = [[button(choice, step, choice.replace(":", "")) for choice in choices]]
    if current is not None and clock_text(current) not in choices:
        label = texts.KEEP.format(value=clock_text(current))
        keyboard.append([button(label, step, f"{current:%H%M}")])
    return keyboard


def ask_morning_time(turn: Turn, data: dict[str, Any]) -> tuple[str, Keyboard]:
    current = turn.athlete.morning_time if turn.onboarded else None
    return texts.ASK_MORNING_TIME, time_keyboard("morning", MORNING_CHOICES, current)


def read_morning_time(turn: Turn, data: dict[str, Any], text: str) -> Accepted:
    value = parse_clock_time(text)
    ack = texts.GOT_MORNING_TIME.format(time=clock_text(value))
    return Accepted({"morning_time": clock_text(value)}, ack)


def ask_checkin_time(turn: Turn, data: dict[str, Any]) -> tuple[str, Keyboard]:
    current = turn.athlete.checkin_time if turn.onboarded else None
    return texts.ASK_CHECKIN_TIME, time_keyboard("checkin", CHECKIN_CHOICES, current)


def read_checkin_time(turn: Turn, data: dict[str, Any], text: str) -> Accepted:
    value = parse_clock_time(text)
    ack = texts.GOT_CHECKIN_TIME.format(time=clock_text(value))
    return Accepted({"checkin_time": clock_text(value)}, ack)


# --- 8-9. time zone and units -------------------------------------------------------------------


def ask_time_zone(turn: Turn, data: dict[str, Any]) -> tuple[str, Keyboard]:
    keyboard: Keyboard = []
    if turn.onboarded:
        current = button(
            texts.KEEP.format(value=turn.athlete.time_zone), "zone", turn.athlete.time_zone
        )
        if fits(current[1]):
            keyboard.append([current])
    return texts.ASK_TIME_ZONE, keyboard


def read_time_zone(turn: Turn, data: dict[str, Any], text: str) -> Accepted:
    choice = parse_time_zone(text)
    note = problems.TIME_ZONE_FIXED_OFFSET_NOTE if choice.from_offset else None
    ack = texts.GOT_TIME_ZONE.format(zone=esc(choice.name))
    return Accepted({"time_zone": choice.name}, ack, note)


UNIT_WORDS = {
    **dict.fromkeys(
        ["km", "k", "kms", "kilometre", "kilometres", "kilometer", "kilometers", "metric"], "km"
    ),
    **dict.fromkeys(["mi", "mile", "miles", "imperial"], "mi"),
}


def ask_units(turn: Turn, data: dict[str, Any]) -> tuple[str, Keyboard]:
    return texts.ASK_UNITS, [[button(texts.KM, "units", "km"), button(texts.MILES, "units", "mi")]]


def read_units(turn: Turn, data: dict[str, Any], text: str) -> Accepted:
    units = UNIT_WORDS.get(clean_text(text).casefold().strip(" ."))
    if units is None:
        raise Problem(texts.UNITS_INVALID)
    return Accepted({"units": units}, texts.GOT_UNITS.format(units=units_text(units)))


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


def parse_goal(text: str, today: date) -> tuple[float, date]:
    """(distance_m, race day) from "10k 2027-03-14", "half 14 March 2027", "marathon oct 4"."""
    prepared = clean_text(text).casefold().replace(",", " ")
    try:
        day, rest = _race_day(prepared, today)
    except ValueError:  # 2027-02-30
        raise Problem(texts.GOAL_INVALID) from None
    distance, rest = _goal_distance(rest)
    if day is None or distance is None or re.search(r"[0-9]", rest):
        raise Problem(texts.GOAL_INVALID)
    low, high = GOAL_DISTANCE_RANGE
    if not low <= distance <= high:
        raise Problem(texts.GOAL_DISTANCE_OUT_OF_RANGE)
    return distance, day


def ask_goal(turn: Turn, data: dict[str, Any]) -> tuple[str, Keyboard]:
    label = texts.NO_NEW_GOAL if turn.onboarded else texts.NO_GOAL
    return texts.ASK_GOAL, [[button(label, "goal", "none")]]


def read_goal(turn: Turn, data: dict[str, Any], text: str) -> Accepted:
    if is_no(text) or clean_text(text).casefold() in NO_GOAL_WORDS:
        return Accepted({"goal": None}, "")
    today = today_for(turn, data)
    distance_m, day = parse_goal(text, today)
    start = plan_start(turn, data)
    if day <= today:
        raise Problem(texts.GOAL_DATE_PASSED.format(day=long_date(day)))
    if day <= start:
        raise Problem(texts.GOAL_BEFORE_START.format(start=long_date(start), day=long_date(day)))
    if day > today + timedelta(days=365 * MAX_GOAL_YEARS):
        raise Problem(texts.GOAL_TOO_FAR.format(years=MAX_GOAL_YEARS))
    return Accepted({"goal": {"distance_m": distance_m, "date": day.isoformat()}}, "")


# --- summary ------------------------------------------------------------------------------------


def summary_lines(turn: Turn, data: dict[str, Any]) -> list[str]:
    race, goal = data["race"], data["goal"]
    if race is not None:
        race_line = texts.SUMMARY_RACE.format(race=race_text(race))
    else:
        race_line = texts.SUMMARY_NO_NEW_RACE if turn.onboarded else texts.SUMMARY_NO_RACE
    if goal is not None:
        goal_line = texts.SUMMARY_GOAL.format(
            race=race_label(goal["distance_m"]), day=long_date(date.fromisoformat(goal["date"]))
        )
    else:
        goal_line = texts.SUMMARY_NO_NEW_GOAL if turn.onboarded else texts.SUMMARY_NO_GOAL
    return [
        race_line,
        texts.SUMMARY_RUN_DAYS.format(days=days_text(data["run_days"])),
        texts.SUMMARY_QUALITY_DAY.format(day=full_day_name(data["quality_day"])),
        texts.SUMMARY_LONG_RUN_DAY.format(day=full_day_name(data["long_run_day"])),
        texts.SUMMARY_WEEKLY_MINUTES.format(minutes=data["weekly_minutes"]),
        texts.SUMMARY_TIMES.format(morning=data["morning_time"], checkin=data["checkin_time"]),
        texts.SUMMARY_TIME_ZONE.format(zone=esc(data["time_zone"])),
        texts.SUMMARY_UNITS.format(units=units_text(data["units"])),
        goal_line,
    ]


def ask_confirm(turn: Turn, data: dict[str, Any]) -> tuple[str, Keyboard]:
    lines = "\n".join(f"• {line}" for line in summary_lines(turn, data))
    keyboard: Keyboard = [
        [button(texts.CONFIRM, "confirm", "yes"), button(texts.START_OVER, "confirm", "restart")]
    ]
    return texts.SUMMARY.format(lines=lines), keyboard


def read_confirm(turn: Turn, data: dict[str, Any], text: str) -> Accepted:
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


def is_no(text: str) -> bool:
    words = clean_text(text).casefold().strip(" .!")
    return words in NO_WORDS or words in (
        texts.NO_RECENT_RESULT.casefold(),
        texts.NO_NEW_RESULT.casefold(),
    )


def current_profile_value(turn: Turn, key: str) -> Any:
    profile = turn.athlete.profile
    return None if profile is None else profile.get(key)


# --- the conversation ---------------------------------------------------------------------------


def start(turn: Turn, update: Update) -> None:
    """/start: a new runner begins; one mid-way resumes; an onboarded one edits their profile."""
    conversation = repo.get_conversation(turn.session, turn.athlete_id)
    if conversation is not None and conversation.flow == FLOW:
        step = STEP_BY_NAME.get(conversation.step)
        if step is not None:
            text, keyboard = step.ask(turn, dict(conversation.data))
            turn.say(f"{texts.RESUMING}\n\n{text}", keyboard)
            return
    intro = texts.WELCOME_BACK if turn.onboarded else texts.WELCOME
    begin(turn, intro.format(name=name_of(turn)))


def begin(turn: Turn, intro: str, edit: int | None = None) -> None:
    repo.save_conversation(turn.session, turn.athlete_id, FLOW, STEPS[0].name, {})
    text, keyboard = STEPS[0].ask(turn, {})
    turn.say(f"{intro}\n\n{text}" if intro else text, keyboard, edit=edit)


def on_text(turn: Turn, conversation: ConversationState, text: str) -> None:
    step = STEP_BY_NAME.get(conversation.step)
    if step is None:  # a step from an older version of this conversation
        begin(turn, texts.RESUMING)
        return
    data = dict(conversation.data)
    if step.name == "confirm":
        answer_confirm_typed(turn, data, text)
        return
    try:
        accepted = step.read(turn, data, text)
    except (Problem, ParseError) as problem:
        keyboard = step.ask(turn, data)[1]
        if isinstance(problem, NeedsConfirmation):  # "marathon 3:30": a button for 3 h 30 min
            yes = button(problem.label, step.name, problem.answer.replace(" ", "."))
            keyboard = [[yes], *keyboard]
        turn.say(problem.message, keyboard)
        return
    advance(turn, step, data, accepted, edit=None)


def on_callback(turn: Turn, parts: list[str], message_id: int) -> None:
    conversation = repo.get_conversation(turn.session, turn.athlete_id)
    if (
        conversation is None
        or conversation.flow != FLOW
        or len(parts) != 2
        or parts[0] != conversation.step
        or parts[0] not in STEP_BY_NAME
    ):
        # A button from a question already answered, or data we never sent.
        turn.refuse(common_texts.BUTTON_EXPIRED)
        return
    step, value, data = STEP_BY_NAME[parts[0]], parts[1], dict(conversation.data)
    if step.name == "confirm":
        answer_confirm_button(turn, data, value, message_id)
        return
    try:
        accepted = step.read(turn, data, value.replace(".", " "))
    except (Problem, ParseError):
        turn.refuse(common_texts.BUTTON_EXPIRED)
        return
    advance(turn, step, data, accepted, edit=None if accepted.note else message_id)


def advance(
    turn: Turn, step: Step, data: dict[str, Any], accepted: Accepted, edit: int | None
) -> None:
    """Keep the answer, then ask the next question (in place of the old one when tapped)."""
    data = {**data, **accepted.changes}
    following = STEPS[STEPS.index(step) + 1]
    repo.save_conversation(turn.session, turn.athlete_id, FLOW, following.name, data)
    if accepted.note:
        turn.say(f"{accepted.ack}\n\n{accepted.note}" if accepted.ack else accepted.note)
        ack = ""
    else:
        ack = accepted.ack
    text, keyboard = following.ask(turn, data)
    turn.say(f"{ack}\n\n{text}" if ack else text, keyboard, edit=edit)


def answer_confirm_typed(turn: Turn, data: dict[str, Any], text: str) -> None:
    words = clean_text(text).casefold().strip(" .!")
    if words in CONFIRM_WORDS:
        finish(turn, data, edit=None)
    elif words in RESTART_WORDS:
        begin(turn, "")
    else:
        turn.say(texts.CONFIRM_PLEASE, ask_confirm(turn, data)[1])


def answer_confirm_button(turn: Turn, data: dict[str, Any], value: str, message_id: int) -> None:
    if value == "yes":
        finish(turn, data, edit=message_id)
    elif value == "restart":
        begin(turn, "", edit=message_id)
    else:
        turn.refuse(common_texts.BUTTON_EXPIRED)


# --- saving -------------------------------------------------------------------------------------


PROFILE_ANSWERS = ("run_days", "quality_day", "long_run_day", "weekly_minutes", "units")


def new_profile(turn: Turn, data: dict[str, Any], today: date) -> dict[str, Any]:
    """The coach profile for this runner; an existing plan keeps its start, fitness and goal
    (new results and goals become dated events, so past weeks replay as they were)."""
    answers = {key: data[key] for key in PROFILE_ANSWERS}
    if turn.athlete.profile is not None:
        current = {k: v for k, v in turn.athlete.profile.items() if k != repo.AS_STARTED}
        return {**current, **answers}
    race, goal = data["race"], data["goal"]
    return {
        "start_date": coaching.next_monday(today).isoformat(),
        "fitness": None if race is None else {**race, "date": today.isoformat()},
        **answers,
        "goal": goal,
    }


def new_events(turn: Turn, data: dict[str, Any], today: date) -> list[dict[str, Any]]:
    if turn.athlete.profile is None:
        return []
    race, goal = data["race"], data["goal"]
    events: list[dict[str, Any]] = []
    if race is not None:
        events.append({"type": "time_trial", "date": today.isoformat(), **race})
    if goal is not None:
        events.append(
            {
                "type": "goal",
                "date": today.isoformat(),
                "distance_m": goal["distance_m"],
                "date_of_race": goal["date"],
            }
        )
    return events


def profile_change(data: dict[str, Any], today: date) -> ProfileChange:
    change = event_from_dict(
        {
            "type": "profile",
            "date": today.isoformat(),
            "effective": profile_effective(today).isoformat(),
            "run_days": data["run_days"],
            "quality_day": data["quality_day"],
            "long_run_day": data["long_run_day"],
            "weekly_minutes": data["weekly_minutes"],
            "units": data["units"],
        }
    )
    assert isinstance(change, ProfileChange)
    return change


def finish(turn: Turn, data: dict[str, Any], edit: int | None) -> None:
    """Confirm: check everything with the coach first, then save it all in this transaction.

    A running plan keeps its past: new days and volume become a dated `profile` event,
    so the weeks before it replay exactly as they were.
    """
    editing = turn.onboarded
    today = today_for(turn, data)
    started = editing and today >= plan_start(turn, data)
    profile = new_profile(turn, data, today)
    events = new_events(turn, data, today)
    try:
        profile_from_dict(profile)
        typed = [event_from_dict(event) for event in events]
        change = profile_change(data, today) if started else None
    except CoachInputError as error:
        begin(turn, texts.PROFILE_INVALID.format(problem=esc(error)))
        return
    repo.update_settings(
        turn.session,
        turn.athlete,
        time_zone=data["time_zone"],
        morning_time=time.fromisoformat(data["morning_time"]),
        checkin_time=time.fromisoformat(data["checkin_time"]),
        units=data["units"],
    )
    journal = turn.journal  # first read now, in the time zone just saved
    if change is not None:
        repo.change_profile(turn.session, turn.athlete, {k: data[k] for k in PROFILE_ANSWERS})
        journal.change_profile(change)
    else:
        repo.save_profile(turn.session, turn.athlete, profile, turn.now)
    for event in typed:
        journal.record(event)
    repo.clear_conversation(turn.session, turn.athlete_id)
    text = welcome(turn, data, profile, today, editing)
    if change is not None:
        day = long_date(change.effective)
        note = (
            texts.CHANGE_FROM_TOMORROW
            if change.effective == today + timedelta(days=1)
            else (texts.CHANGE_FROM_MONDAY)
        )
        text += "\n\n" + note.format(day=day)
    turn.say(text, edit=edit)


def welcome(
    turn: Turn, data: dict[str, Any], profile: dict[str, Any], today: date, editing: bool
) -> str:
    name = name_of(turn)
    parts = [
        texts.PROFILE_UPDATED.format(name=name) if editing else texts.ALL_SET.format(name=name)
    ]
    start_date = date.fromisoformat(profile["start_date"])
    if start_date > today:
        parts.append(common_texts.PLAN_STARTS_ON.format(day=long_date(start_date)))
    elif editing:
        parts.append(texts.PLAN_RUNNING.format(day=long_date(start_date)))
    else:
        parts.append(texts.PLAN_STARTS_TODAY)
    race = data["race"]
    if race is not None:
        vdot = vdot_from_race(race["distance_m"], race["time_s"])
        paces = paces_html(training_paces(round(vdot, 1)), vdot, data["units"])
        parts.append(texts.PACES.format(race=race_text(race), paces=paces))
    elif not editing:
        parts.append(texts.FIRST_SESSION_TRIAL)
    goal = data["goal"]
    if goal is not None:
        day = long_date(date.fromisoformat(goal["date"]))
        parts.append(texts.GOAL_SET.format(race=race_label(goal["distance_m"]), day=day))
    parts.append(
        texts.DAILY_RHYTHM.format(morning=data["morning_time"], checkin=data["checkin_time"])
    )
    return "\n\n".join(parts)
