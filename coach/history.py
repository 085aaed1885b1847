"""A runner's history: the profile and the dated facts the plan is replayed from.

`history_from_dict` turns the JSON form (see docs/history-format.md) into typed, validated
values; `history_to_dict` is its inverse. Validation errors name the field and the problem
in one line, because that line is what a runner or a self-hoster will read.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal, TypeAlias

from coach.errors import CoachInputError
from coach.paces import Units, validate_race

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WeekdayName = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

# Skipping for these reasons says something about fatigue; anything else is life getting
# in the way, which the coach answers by repeating the week rather than backing off.
# Ramp is for runners coming off a base block: below 90 minutes a week a quality session
# alone would be most of the week.
MIN_WEEKLY_MINUTES, MAX_WEEKLY_MINUTES = 90, 900

# Inside classes with a field called `date`, the type needs another name.
Day: TypeAlias = date

# "quality": the planned quality session, done differently; the others are not it.
RUN_INSTEAD = ("quality", "easy", "long", "other")

HEALTH_REASONS = frozenset({"illness", "ill", "sick", "injury", "injured", "pain", "fatigue"})


@dataclass(frozen=True, slots=True)
class RaceResult:
    distance_m: float
    time_s: float
    date: date


@dataclass(frozen=True, slots=True)
class Goal:
    distance_m: float
    date: date


@dataclass(frozen=True, slots=True)
class Profile:
    start_date: date
    fitness: RaceResult | None
    run_days: tuple[int, ...]  # 0 = Monday, sorted
    quality_day: int
    long_run_day: int
    weekly_minutes: int
    units: Units
    goal: Goal | None = None


@dataclass(frozen=True, slots=True)
class Run:
    date: date
    duration_min: float
    distance_m: float | None = None
    rpe: int | None = None
    quality: int | None = None
    changed: bool = False  # the runner did something other than the planned session
    # With `changed`: what they ran instead, as they said it (see RUN_INSTEAD). A changed
    # quality session counts as the step's session only when this says "quality".
    instead: str | None = None
    type: Literal["run"] = "run"


@dataclass(frozen=True, slots=True)
class RestingHR:
    date: date
    bpm: int
    type: Literal["rhr"] = "rhr"


@dataclass(frozen=True, slots=True)
class Wellness:
    date: date
    sleep_h: float | None = None
    soreness: int | None = None  # 1-5, 5 worst
    stress: int | None = None  # 1-5, 5 worst
    mood: int | None = None  # 1-5, 5 best
    type: Literal["wellness"] = "wellness"


@dataclass(frozen=True, slots=True)
class Skipped:
    date: date
    reason: str = "other"
    type: Literal["skipped"] = "skipped"

    @property
    def for_health(self) -> bool:
        return self.reason.lower() in HEALTH_REASONS


@dataclass(frozen=True, slots=True)
class Cross:
    date: date
    sport: str
    duration_min: float
    rpe: int | None = None
    type: Literal["cross"] = "cross"


@dataclass(frozen=True, slots=True)
class TimeTrial:
    date: date
    distance_m: float
    time_s: float
    # Set for a result the runner has not confirmed yet (read from a check-in, free text or
    # a watch file): a jump of more than 10 % in VDOT then waits for confirmation, and a
    # slower trial is read as fatigue (coach.results). Not yet read from the JSON form.
    unconfirmed: bool = False
    type: Literal["time_trial"] = "time_trial"


NIGGLE_SEVERITIES = (1, 2, 3)  # mild, moderate, bad


@dataclass(frozen=True, slots=True)
class Niggle:
    """A pain or tightness the runner mentioned ("calf tight", "knee hurts")."""

    date: date
    where: str  # the body part, as a short word: "calf", "knee", "achilles"
    severity: int | None = None  # 1 mild, 2 moderate, 3 bad; None: not said yet
    hurts_running: bool | None = None  # does it hurt while running? None: not said yet
    type: Literal["niggle"] = "niggle"


@dataclass(frozen=True, slots=True)
class DeloadRequest:
    date: date
    type: Literal["deload_request"] = "deload_request"


@dataclass(frozen=True, slots=True)
class Pause:
    date: date
    until: Day | None = None  # None: until a `resume` event
    reason: str = "other"
    type: Literal["pause"] = "pause"


@dataclass(frozen=True, slots=True)
class Resume:
    date: date
    type: Literal["resume"] = "resume"


@dataclass(frozen=True, slots=True)
class GoalSet:
    date: date
    distance_m: float
    date_of_race: Day
    type: Literal["goal"] = "goal"


@dataclass(frozen=True, slots=True)
class ProfileChange:
    """The runner changed their days or volume: said on `date`, planned from `effective`.

    Dated like every fact, so the weeks before `effective` replay with the profile they
    had: re-onboarding never redraws the past.
    """

    date: date
    effective: Day
    run_days: tuple[int, ...]  # 0 = Monday, sorted
    quality_day: int
    long_run_day: int
    weekly_minutes: int
    units: Units = "km"
    type: Literal["profile"] = "profile"


@dataclass(frozen=True, slots=True)
class SessionMove:
    """The runner moved a session within the week they said it in: the sessions of
    `from_day` and `to_day` trade places (a rest day is a session too). coach.moves."""

    date: date
    from_day: Day
    to_day: Day
    type: Literal["session_move"] = "session_move"


Event: TypeAlias = (
    Run
    | RestingHR
    | Wellness
    | Skipped
    | Cross
    | TimeTrial
    | DeloadRequest
    | Pause
    | Resume
    | GoalSet
    | ProfileChange
    | Niggle
    | SessionMove
)

# Version 1 had no `format` field and no `profile` events; both are read.
FORMAT_VERSION = 2


@dataclass(frozen=True, slots=True)
class History:
    profile: Profile
    events: tuple[Event, ...] = field(default=())


def profile_on(history: History, day: date, known_by: date | None = None) -> Profile:
    """The profile in force on `day`: the first one, with every change effective by then
    (and said by `known_by`, when given) applied in order of taking effect."""
    profile = history.profile
    changes = [
        e
        for e in history.events
        if isinstance(e, ProfileChange)
        and e.effective <= day
        and (known_by is None or e.date <= known_by)
    ]
    for change in sorted(changes, key=lambda e: (e.effective, e.date)):
        profile = replace(
            profile,
            run_days=change.run_days,
            quality_day=change.quality_day,
            long_run_day=change.long_run_day,
            weekly_minutes=change.weekly_minutes,
            units=change.units,
        )
    return profile


def merge_runs(old: Run | None, new: Run) -> Run:
    """Two runs on one day (a double, or a watch file plus a check-in) count as one."""
    if old is None:
        return new
    distance = None
    if old.distance_m is not None or new.distance_m is not None:
        distance = (old.distance_m or 0) + (new.distance_m or 0)
    rpes = [r for r in (old.rpe, new.rpe) if r is not None]
    qualities = [q for q in (old.quality, new.quality) if q is not None]
    return Run(
        date=new.date,
        duration_min=old.duration_min + new.duration_min,
        distance_m=distance,
        rpe=max(rpes) if rpes else None,
        quality=min(qualities) if qualities else None,
        changed=old.changed or new.changed,
        instead=old.instead or new.instead,
    )


# --- reading the JSON form -------------------------------------------------------------


class _Reader:
    """Reads typed fields from one JSON object, naming the path in every error."""

    def __init__(self, obj: Any, path: str) -> None:
        if not isinstance(obj, Mapping):
            raise CoachInputError(f"{path}: expected an object")
        self.obj = obj
        self.path = path

    def _get(self, key: str, required: bool) -> Any:
        if key not in self.obj or self.obj[key] is None:
            if required:
                raise CoachInputError(f"{self.path}.{key}: missing")
            return None
        return self.obj[key]

    def date(self, key: str, required: bool = True) -> Any:
        value = self._get(key, required)
        if value is None:
            return None
        return parse_date(value, f"{self.path}.{key}")

    def number(self, key: str, lo: float, hi: float, required: bool = True, unit: str = "") -> Any:
        value = self._get(key, required)
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise CoachInputError(f"{self.path}.{key}: expected a number, got {value!r}")
        if not lo <= value <= hi:
            raise CoachInputError(
                f"{self.path}.{key}: {value:g}{unit} is outside {lo:g}-{hi:g}{unit}"
            )
        return value

    def integer(self, key: str, lo: int, hi: int, required: bool = True) -> Any:
        value = self.number(key, lo, hi, required)
        if value is None:
            return None
        if value != int(value):
            raise CoachInputError(f"{self.path}.{key}: expected a whole number, got {value!r}")
        return int(value)

    def text(self, key: str, required: bool = True, default: str | None = None) -> Any:
        value = self._get(key, required)
        if value is None:
            return default
        if not isinstance(value, str) or not value.strip() or len(value) > 200:
            raise CoachInputError(f"{self.path}.{key}: expected a short text, got {value!r}")
        return value.strip()

    def flag(self, key: str) -> bool:
        value = self._get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise CoachInputError(f"{self.path}.{key}: expected true or false, got {value!r}")
        return value

    def weekday(self, key: str) -> int:
        value = self._get(key, True)
        return parse_weekday(value, f"{self.path}.{key}")


def parse_date(value: Any, path: str) -> date:
    if not isinstance(value, str):
        raise CoachInputError(f"{path}: expected a date like 2026-11-02, got {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CoachInputError(f"{path}: {value!r} is not a real date (YYYY-MM-DD)") from None


def parse_weekday(value: Any, path: str) -> int:
    name = value.strip().lower()[:3] if isinstance(value, str) else None
    if name not in WEEKDAYS:
        raise CoachInputError(f"{path}: expected a weekday like 'mon', got {value!r}")
    return WEEKDAYS.index(name)


def _race_result(obj: Any, path: str) -> RaceResult:
    r = _Reader(obj, path)
    result = RaceResult(
        distance_m=r.number("distance_m", 1, 1e6, unit=" m"),
        time_s=r.number("time_s", 1, 1e6, unit=" s"),
        date=r.date("date"),
    )
    try:
        validate_race(result.distance_m, result.time_s)
    except CoachInputError as error:
        raise CoachInputError(f"{path}: {error}") from None
    return result


def _goal(obj: Any, path: str) -> Goal:
    r = _Reader(obj, path)
    return Goal(distance_m=r.number("distance_m", 1500, 42195, unit=" m"), date=r.date("date"))


def profile_from_dict(obj: Any, path: str = "profile") -> Profile:
    r = _Reader(obj, path)
    start = r.date("start_date")  # a day other than Monday: a short first week to Sunday
    run_days, quality_day, long_run_day = _week_shape(r)
    units = _units(r)
    fitness_raw = r._get("fitness", False)
    goal_raw = r._get("goal", False)
    return Profile(
        start_date=start,
        fitness=None if fitness_raw is None else _race_result(fitness_raw, f"{path}.fitness"),
        run_days=run_days,
        quality_day=quality_day,
        long_run_day=long_run_day,
        weekly_minutes=r.integer("weekly_minutes", MIN_WEEKLY_MINUTES, MAX_WEEKLY_MINUTES),
        units=units,
        goal=None if goal_raw is None else _goal(goal_raw, f"{path}.goal"),
    )


def _week_shape(r: _Reader) -> tuple[tuple[int, ...], int, int]:
    """Run days, quality day and long-run day, checked against each other."""
    days_raw = r._get("run_days", True)
    if not isinstance(days_raw, list) or not days_raw:
        raise CoachInputError(f"{r.path}.run_days: expected a list of weekdays like ['mon', 'wed']")
    run_days = tuple(sorted({parse_weekday(d, f"{r.path}.run_days") for d in days_raw}))
    if len(run_days) < 2:
        raise CoachInputError(f"{r.path}.run_days: at least two run days are needed")
    quality_day, long_run_day = r.weekday("quality_day"), r.weekday("long_run_day")
    for key, day in (("quality_day", quality_day), ("long_run_day", long_run_day)):
        if day not in run_days:
            raise CoachInputError(f"{r.path}.{key}: {WEEKDAYS[day]} is not one of the run days")
    if quality_day == long_run_day:
        raise CoachInputError(f"{r.path}.long_run_day: must differ from the quality day")
    return run_days, quality_day, long_run_day


def _units(r: _Reader) -> Units:
    units = r.text("units", required=False, default="km").lower()
    if units in ("mile", "miles", "mi"):
        return "mi"
    if units != "km":
        raise CoachInputError(f"{r.path}.units: expected 'km' or 'mi', got {units!r}")
    return "km"


def _profile_change(r: _Reader, day: date) -> ProfileChange:
    effective = r.date("effective")
    if effective < day:
        raise CoachInputError(f"{r.path}.effective: {effective} is before it was said ({day})")
    run_days, quality_day, long_run_day = _week_shape(r)
    return ProfileChange(
        date=day,
        effective=effective,
        run_days=run_days,
        quality_day=quality_day,
        long_run_day=long_run_day,
        weekly_minutes=r.integer("weekly_minutes", MIN_WEEKLY_MINUTES, MAX_WEEKLY_MINUTES),
        units=_units(r),
    )


def _run(r: _Reader, day: date) -> Run:
    return Run(
        date=day,
        duration_min=r.number("duration_min", 1, 600, unit=" min"),
        distance_m=r.number("distance_m", 0, 250_000, required=False, unit=" m"),
        rpe=r.integer("rpe", 1, 10, required=False),
        quality=r.integer("quality", 1, 10, required=False),
        changed=r.flag("changed"),
        instead=_instead(r),
    )


def _instead(r: _Reader) -> str | None:
    value = r.text("instead", required=False)
    if value is not None and value not in RUN_INSTEAD:
        known = ", ".join(RUN_INSTEAD)
        raise CoachInputError(f"{r.path}.instead: expected one of {known}, got {value!r}")
    return value  # type: ignore[no-any-return]


def _wellness(r: _Reader, day: date) -> Wellness:
    return Wellness(
        date=day,
        sleep_h=r.number("sleep_h", 0, 16, required=False, unit=" h"),
        soreness=r.integer("soreness", 1, 5, required=False),
        stress=r.integer("stress", 1, 5, required=False),
        mood=r.integer("mood", 1, 5, required=False),
    )


def _time_trial(r: _Reader, day: date) -> TimeTrial:
    trial = TimeTrial(
        date=day, distance_m=r.number("distance_m", 1, 1e6), time_s=r.number("time_s", 1, 1e6)
    )
    try:
        validate_race(trial.distance_m, trial.time_s)
    except CoachInputError as error:
        raise CoachInputError(f"{r.path}: {error}") from None
    return trial


def _niggle(r: _Reader, day: date) -> Niggle:
    hurts = r._get("hurts_running", False)
    if hurts is not None and not isinstance(hurts, bool):
        raise CoachInputError(f"{r.path}.hurts_running: expected true or false, got {hurts!r}")
    return Niggle(
        date=day,
        where=r.text("where"),
        severity=r.integer("severity", 1, 3, required=False),
        hurts_running=hurts,
    )


def _pause(r: _Reader, day: date) -> Pause:
    until = r.date("until", required=False)
    if until is not None and until < day:
        raise CoachInputError(f"{r.path}.until: {until} is before the pause starts ({day})")
    return Pause(date=day, until=until, reason=r.text("reason", required=False, default="other"))


def _session_move(r: _Reader, day: date) -> SessionMove:
    from_day, to_day = r.date("from_day"), r.date("to_day")
    for name, moved in (("from_day", from_day), ("to_day", to_day)):
        if moved < day:
            raise CoachInputError(f"{r.path}.{name}: {moved} is before it was said ({day})")
    if from_day == to_day or abs((to_day - from_day).days) > 6:
        raise CoachInputError(f"{r.path}: a move goes to another day of the same week")
    return SessionMove(date=day, from_day=from_day, to_day=to_day)


_EVENT_READERS: dict[str, Any] = {
    "run": _run,
    "rhr": lambda r, d: RestingHR(date=d, bpm=r.integer("bpm", 25, 120)),
    "wellness": _wellness,
    "skipped": lambda r, d: Skipped(
        date=d, reason=r.text("reason", required=False, default="other")
    ),
    "cross": lambda r, d: Cross(
        date=d,
        sport=r.text("sport", required=False, default="cross-training"),
        duration_min=r.number("duration_min", 1, 600, unit=" min"),
        rpe=r.integer("rpe", 1, 10, required=False),
    ),
    "time_trial": _time_trial,
    "deload_request": lambda r, d: DeloadRequest(date=d),
    "pause": _pause,
    "resume": lambda r, d: Resume(date=d),
    "goal": lambda r, d: GoalSet(
        date=d,
        distance_m=r.number("distance_m", 1500, 42195, unit=" m"),
        date_of_race=r.date("date_of_race"),
    ),
    "profile": _profile_change,
    "niggle": _niggle,
    "session_move": _session_move,
}


def event_from_dict(obj: Any, path: str = "event") -> Event:
    r = _Reader(obj, path)
    kind = r._get("type", True)
    reader = _EVENT_READERS.get(kind) if isinstance(kind, str) else None
    if reader is None:
        known = ", ".join(_EVENT_READERS)
        raise CoachInputError(f"{path}.type: unknown event type {kind!r} (known: {known})")
    event: Event = reader(r, r.date("date"))
    return event


def history_from_dict(obj: Any) -> History:
    """Validate and convert the JSON form of a history. Raises CoachInputError."""
    r = _Reader(obj, "history")
    version = r.integer("format", 1, 1_000_000, required=False)
    if version is not None and version > FORMAT_VERSION:
        raise CoachInputError(
            f"history.format: version {version} is newer than this coach reads ({FORMAT_VERSION})"
        )
    profile = profile_from_dict(r._get("profile", True))
    raw_events = r.obj.get("events") or []
    if not isinstance(raw_events, list):
        raise CoachInputError("history.events: expected a list")
    events = tuple(event_from_dict(e, f"events[{i}]") for i, e in enumerate(raw_events))
    return History(profile=profile, events=events)


# --- writing the JSON form -------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def event_to_dict(event: Event) -> dict[str, Any]:
    out: dict[str, Any] = {"date": event.date.isoformat(), "type": event.type}
    if isinstance(event, ProfileChange):
        out.update(
            effective=event.effective.isoformat(),
            run_days=[WEEKDAYS[d] for d in event.run_days],
            quality_day=WEEKDAYS[event.quality_day],
            long_run_day=WEEKDAYS[event.long_run_day],
            weekly_minutes=event.weekly_minutes,
            units=event.units,
        )
        return out
    if isinstance(event, Niggle) and event.hurts_running is not None:
        out["hurts_running"] = event.hurts_running  # False is an answer here, not unset
    for name in event.__slots__:
        if name in ("date", "type"):
            continue
        value = getattr(event, name)
        if value is not None and value is not False:  # flags are written only when set
            out[name] = _plain(value)
    return out


def profile_to_dict(profile: Profile) -> dict[str, Any]:
    fitness = profile.fitness
    goal = profile.goal
    return {
        "start_date": profile.start_date.isoformat(),
        "fitness": None
        if fitness is None
        else {
            "distance_m": _plain(fitness.distance_m),
            "time_s": _plain(fitness.time_s),
            "date": fitness.date.isoformat(),
        },
        "run_days": [WEEKDAYS[d] for d in profile.run_days],
        "quality_day": WEEKDAYS[profile.quality_day],
        "long_run_day": WEEKDAYS[profile.long_run_day],
        "weekly_minutes": profile.weekly_minutes,
        "units": profile.units,
        "goal": None
        if goal is None
        else {"distance_m": _plain(goal.distance_m), "date": goal.date.isoformat()},
    }


def history_to_dict(history: History) -> dict[str, Any]:
    return {
        "format": FORMAT_VERSION,
        "profile": profile_to_dict(history.profile),
        "events": [event_to_dict(e) for e in history.events],
    }
