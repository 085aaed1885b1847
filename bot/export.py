"""The runner's data as files: the history JSON the coach replays, and a spreadsheet log.

Pure functions from stored facts to bytes; the /export handler only gathers the inputs.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from coach.history import (
    Cross,
    DeloadRequest,
    Event,
    GoalSet,
    History,
    Pause,
    RestingHR,
    Resume,
    Run,
    Skipped,
    TimeTrial,
    Wellness,
    merge_runs,
)
from coach.model import Plan
from coach.paces import METRES_PER_MILE, Units, format_distance, format_duration

# The same merge the replay applies, so the log shows the run the coach counted.

# Spreadsheets run a cell starting with one of these as a formula (OWASP "CSV injection");
# tab and carriage return also start formulas in some of them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def history_json(history: dict[str, Any]) -> bytes:
    """`repo.history_for` as a file: exactly the dict, so the coach CLI replays it as is."""
    return (json.dumps(history, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def csv_header(units: Units) -> list[str]:
    return [
        "date",
        "planned session",
        "planned minutes",
        "target RPE",
        "logged minutes",
        f"distance ({units})",
        "RPE",
        "quality",
        "skipped reason",
        "resting HR",
        "sleep (h)",
        "soreness",
        "stress",
        "mood",
        "other",
    ]


@dataclass
class _Day:
    """What the runner told the coach about one day, merged the way the replay merges it."""

    run: Run | None = None
    rhr: int | None = None
    sleep_h: float | None = None
    soreness: int | None = None
    stress: int | None = None
    mood: int | None = None
    skipped: str | None = None
    other: list[str] = field(default_factory=list)


def _collect(events: Iterable[Event], units: Units) -> dict[date, _Day]:
    """Events are in replay order (date, then as stored), so a later answer wins."""
    days: dict[date, _Day] = {}
    for event in events:
        day = days.setdefault(event.date, _Day())
        if isinstance(event, Run):
            day.run = merge_runs(day.run, event)
        elif isinstance(event, RestingHR):
            day.rhr = event.bpm
        elif isinstance(event, Wellness):
            _merge_wellness(day, event)
        elif isinstance(event, Skipped):
            day.skipped = event.reason
        else:
            day.other.append(_note(event, units))
    return days


def _merge_wellness(day: _Day, event: Wellness) -> None:
    # Each check-in answer is its own event: keep the latest value of each field.
    day.sleep_h = event.sleep_h if event.sleep_h is not None else day.sleep_h
    day.soreness = event.soreness if event.soreness is not None else day.soreness
    day.stress = event.stress if event.stress is not None else day.stress
    day.mood = event.mood if event.mood is not None else day.mood


def _note(event: Event, units: Units) -> str:
    """Facts without a column of their own, in a few words."""
    if isinstance(event, Cross):
        rpe = f" RPE {event.rpe}" if event.rpe is not None else ""
        return f"{event.sport} {_number(event.duration_min)} min{rpe}"
    if isinstance(event, TimeTrial):
        distance = format_distance(event.distance_m, units)
        return f"time trial {distance} in {format_duration(event.time_s)}"
    if isinstance(event, Pause):
        until = f" until {event.until.isoformat()}" if event.until else ""
        return f"paused ({event.reason}){until}"
    if isinstance(event, Resume):
        return "resumed"
    if isinstance(event, DeloadRequest):
        return "asked for a deload"
    if isinstance(event, GoalSet):
        distance = format_distance(event.distance_m, units)
        return f"goal race {distance} on {event.date_of_race.isoformat()}"
    return event.type


def _number(value: float | None, digits: int = 2) -> str:
    """Plain decimals a spreadsheet reads as numbers: 42, 7.5, 8.05 (never 8.0500)."""
    if value is None:
        return ""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _distance(metres: float | None, units: Units) -> str:
    if metres is None:
        return ""
    return _number(metres / (METRES_PER_MILE if units == "mi" else 1000))


def log_rows(history: History, plan: Plan, today: date) -> list[list[str]]:
    """One row per day from the plan's start (or the first fact, if earlier) to today.

    `plan` must be replayed as of `today`, so past days show the session as it stood.
    """
    units = history.profile.units
    days = _collect(history.events, units)
    first = min([history.profile.start_date, *days])
    last = max([today, *days])
    rows: list[list[str]] = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        rows.append(_row(day, plan, days.get(day, _Day()), units))
    return rows


def _row(day: date, plan: Plan, facts: _Day, units: Units) -> list[str]:
    session = plan.session_on(day)
    run = facts.run
    return [
        day.isoformat(),
        "" if session is None else session.title,
        "" if session is None or not session.planned_min else str(session.planned_min),
        "" if session is None or session.target_rpe is None else str(session.target_rpe),
        "" if run is None else _number(run.duration_min),
        "" if run is None else _distance(run.distance_m, units),
        "" if run is None or run.rpe is None else str(run.rpe),
        "" if run is None or run.quality is None else str(run.quality),
        facts.skipped or "",
        "" if facts.rhr is None else str(facts.rhr),
        _number(facts.sleep_h),
        "" if facts.soreness is None else str(facts.soreness),
        "" if facts.stress is None else str(facts.stress),
        "" if facts.mood is None else str(facts.mood),
        "; ".join(facts.other),
    ]


def safe_cell(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs: '=1+1' becomes "'=1+1"."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """UTF-8 with a byte-order mark, which is how Excel knows it is not in Latin-1."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180 line ends
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")
