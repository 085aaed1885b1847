"""The free-text log: "ran 8k in 42 min rpe 6", "rhr 52", "slept 6h", "legs sore".

It also holds what the check-in shares with it: the dedupe keys of a day's facts and how
a day's run and wellness are merged, so a run told in words and a run told with buttons
end up as one run, and a message is stored entirely or not at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session

from bot import coaching
from bot.handlers.common import Turn, esc
from bot.parsing import (
    MILE_M,
    RUN_PACE_RANGE,
    CrossLog,
    LogItem,
    ParseError,
    RhrLog,
    RunLog,
    SleepLog,
    WellnessLog,
    parse_free_text,
)
from bot.store import repo
from bot.store.models import Athlete
from bot.texts import checkin as texts
from bot.texts import problems
from coach.errors import CoachInputError
from coach.history import event_from_dict, event_to_dict
from coach.model import Session as PlannedSession

# Planned days on which there is no run to check in about.
NOT_RUNS = frozenset({"rest", "cross"})
WELLNESS_FIELDS = ("sleep_h", "soreness", "stress", "mood")


# --- a day's facts ----------------------------------------------------------------------


def run_key(day: date) -> str:
    return f"checkin:{day.isoformat()}:run"


def skipped_key(day: date) -> str:
    return f"checkin:{day.isoformat()}:skipped"


def rhr_key(day: date) -> str:
    return f"rhr:{day.isoformat()}"


def wellness_key(day: date) -> str:
    return f"wellness:{day.isoformat()}"


@dataclass(frozen=True)
class DayFacts:
    """What is stored for one local date, as coach event dicts."""

    run: dict[str, Any] | None
    skipped: dict[str, Any] | None
    rhr: int | None
    wellness: dict[str, Any] | None


def facts_on(session: Session, athlete_id: int, day: date) -> DayFacts:
    events = [e for e in repo.events_for(session, athlete_id) if e.local_date == day]
    keyed = {e.dedupe_key: dict(e.payload) for e in events if e.dedupe_key}
    # Any morning reading counts, whichever command stored it; the latest wins.
    readings = [int(e.payload["bpm"]) for e in events if e.type == "rhr"]
    return DayFacts(
        run=keyed.get(run_key(day)),
        skipped=keyed.get(skipped_key(day)),
        rhr=readings[-1] if readings else None,
        wellness=keyed.get(wellness_key(day)),
    )


def planned_run(session: Session, athlete: Athlete, day: date) -> PlannedSession | None:
    """The run planned for `day`, or None on a rest day or before the plan starts."""
    if athlete.profile is None:
        return None
    planned = coaching.session_on(session, athlete, day)
    return planned if planned is not None and planned.type not in NOT_RUNS else None


# --- checking and storing ---------------------------------------------------------------


@dataclass(frozen=True)
class Pending:
    """One fact, checked and ready to store."""

    event: dict[str, Any]
    key: str | None
    replace: bool = True


def checked(event: dict[str, Any]) -> dict[str, Any]:
    """The event as the coach reads it; ParseError for anything it would refuse."""
    try:
        return event_to_dict(event_from_dict(event))
    except CoachInputError:
        raise ParseError(texts.CANT_USE) from None


def store(turn: Turn, pending: list[Pending]) -> None:
    for fact in pending:
        coaching.record(
            turn.session,
            turn.athlete,
            fact.event,
            today=turn.today,
            dedupe_key=fact.key,
            replace=fact.replace and fact.key is not None,
        )
    # repo.replace_event expires every loaded row, the runner too; the replies are sent
    # after the session closes and read the runner's chat id, so load it again now.
    turn.session.refresh(turn.athlete)


def check_pace(duration_min: float, distance_m: float | None) -> None:
    """The same pace limits as the parser, for a time and distance told separately."""
    if not distance_m:
        return
    pace = duration_min * 60 / (distance_m / 1000)
    fastest, slowest = RUN_PACE_RANGE
    if not fastest <= pace <= slowest:
        raise ParseError(
            problems.PACE_IMPLAUSIBLE.format(
                pace=_clock(pace), fastest=_clock(fastest), slowest=_clock(slowest)
            )
        )


def _clock(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def merged_run(
    day: date,
    existing: dict[str, Any] | None,
    planned: PlannedSession | None,
    **answers: float | int | None,
) -> dict[str, Any]:
    """The day's run with new answers on top; the time defaults to the planned minutes."""
    run = dict(existing or {"type": "run", "date": day.isoformat()})
    run.update({name: value for name, value in answers.items() if value is not None})
    if run.get("duration_min") is None:
        if planned is None or planned.planned_min < 1:
            raise ParseError(texts.RUN_NEEDS_TIME)
        run["duration_min"] = planned.planned_min
    run["duration_min"] = round(float(run["duration_min"]), 2)
    check_pace(run["duration_min"], run.get("distance_m"))
    return checked(run)


def merged_wellness(day: date, existing: dict[str, Any] | None, **answers: Any) -> dict[str, Any]:
    wellness = dict(existing or {"type": "wellness", "date": day.isoformat()})
    wellness.update({name: value for name, value in answers.items() if value is not None})
    return checked(wellness)


# --- words ------------------------------------------------------------------------------


def minutes_text(minutes: float) -> str:
    return texts.MINUTES.format(value=f"{round(minutes, 1):g}")


def distance_text(metres: float, units: str) -> str:
    if units == "mi":
        return texts.MILES.format(value=f"{round(metres / MILE_M, 2):g}")
    return texts.KILOMETRES.format(value=f"{round(metres / 1000, 2):g}")


def wellness_parts(wellness: dict[str, Any]) -> list[str]:
    parts = []
    if wellness.get("sleep_h") is not None:
        parts.append(texts.SLEEP.format(value=f"{wellness['sleep_h']:g}"))
    for name, template in (
        ("soreness", texts.SORENESS),
        ("stress", texts.STRESS),
        ("mood", texts.MOOD),
    ):
        if wellness.get(name) is not None:
            parts.append(template.format(score=wellness[name]))
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


def _run_line(run: dict[str, Any], units: str) -> str:
    parts = [minutes_text(run["duration_min"])]
    if run.get("distance_m"):
        parts.append(distance_text(run["distance_m"], units))
    if run.get("rpe") is not None:
        parts.append(texts.RPE.format(rpe=run["rpe"]))
    return texts.LOG_RUN.format(details=texts.SEPARATOR.join(parts))


def _cross_line(event: dict[str, Any]) -> str:
    sport = texts.SPORTS.get(event["sport"], event["sport"])
    parts = [minutes_text(event["duration_min"])]
    if event.get("rpe") is not None:
        parts.append(texts.RPE.format(rpe=event["rpe"]))
    return texts.LOG_CROSS.format(sport=esc(sport), details=texts.SEPARATOR.join(parts))


# --- logging a message ------------------------------------------------------------------


@dataclass
class Logged:
    """What one message adds to a day, checked but not stored yet."""

    pending: list[Pending] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    run: dict[str, Any] | None = None
    wellness: dict[str, Any] = field(default_factory=dict)


def plan_items(turn: Turn, items: list[LogItem], day: date) -> Logged:
    """Turn parsed items into checked facts for `day`. Raises ParseError; stores nothing."""
    facts = facts_on(turn.session, turn.athlete_id, day)
    planned = planned_run(turn.session, turn.athlete, day)
    logged = Logged()
    existing_run = facts.run
    for item in items:
        if isinstance(item, RunLog):
            existing_run = _plan_run(logged, item, day, existing_run, planned, turn.athlete.units)
        elif isinstance(item, CrossLog):
            _plan_cross(logged, item, day)
        elif isinstance(item, RhrLog):
            event = checked({"type": "rhr", "date": day.isoformat(), "bpm": item.bpm})
            logged.pending.append(Pending(event, rhr_key(day)))
            logged.lines.append(texts.LOG_RHR.format(bpm=item.bpm))
        elif isinstance(item, SleepLog):
            logged.wellness["sleep_h"] = item.hours
        elif isinstance(item, WellnessLog):
            answers = {"soreness": item.soreness, "stress": item.stress, "mood": item.mood}
            logged.wellness.update({k: v for k, v in answers.items() if v is not None})
    if logged.wellness:
        event = merged_wellness(day, facts.wellness, **logged.wellness)
        logged.pending.append(Pending(event, wellness_key(day)))
        parts = texts.SEPARATOR.join(wellness_parts(logged.wellness))
        logged.lines.append(texts.LOG_WELLNESS.format(details=parts))
    return logged


def _plan_run(
    logged: Logged,
    item: RunLog,
    day: date,
    existing: dict[str, Any] | None,
    planned: PlannedSession | None,
    units: str,
) -> dict[str, Any] | None:
    """Plan one run; returns the day's check-in run as it will be after this one."""
    # On a run day (or once the day has a check-in run) words and buttons share one run;
    # an extra run on a rest day is a fact of its own.
    shared = existing is not None or planned is not None
    run = merged_run(
        day,
        existing if shared else None,
        planned if shared else None,
        duration_min=item.duration_min,
        distance_m=item.distance_m,
        rpe=item.rpe,
    )
    logged.pending.append(Pending(run, run_key(day) if shared else None))
    logged.lines.append(_run_line(run, units))
    logged.run = run
    return run if shared else existing


def _plan_cross(logged: Logged, item: CrossLog, day: date) -> None:
    event: dict[str, Any] = {
        "type": "cross",
        "date": day.isoformat(),
        "sport": item.sport,
        "duration_min": round(item.duration_min, 2),
    }
    if item.rpe is not None:
        event["rpe"] = item.rpe
    event = checked(event)
    logged.pending.append(Pending(event, None))
    logged.lines.append(_cross_line(event))


YESTERDAY = re.compile(r"\byesterday\b", re.IGNORECASE)


def reads_as_a_log(text: str) -> bool:
    """Whether a message is plainly something to log ("rhr 52"), not an answer."""
    try:
        return bool(parse_free_text(text))
    except ParseError:
        return False


def on_text(turn: Turn, text: str) -> None:
    # "ran 8k yesterday in 40 min" belongs to yesterday, not to today's planned session.
    day = turn.today - timedelta(days=1) if YESTERDAY.search(text) else turn.today
    try:
        items = parse_free_text(text)
        if not items:
            turn.say(problems.FREE_TEXT_HINT)
            return
        logged = plan_items(turn, items, day)
    except ParseError as problem:
        turn.say(problem.message)
        return
    store(turn, logged.pending)
    turn.say(_confirmation(turn, logged, day))


def _confirmation(turn: Turn, logged: Logged, day: date) -> str:
    lines = "\n".join(texts.LOGGED_LINE.format(item=line) for line in logged.lines)
    reply = texts.LOGGED.format(lines=lines)
    planned = planned_run(turn.session, turn.athlete, day) if logged.run else None
    if planned is None or planned.target_rpe is None or logged.run is None:
        return reply
    rpe = logged.run.get("rpe")
    if rpe is None:
        return f"{reply}\n\n{texts.TARGET_TODAY.format(target=planned.target_rpe)}"
    return f"{reply}\n\n{compared_to_target(int(rpe), planned.target_rpe)}"
