"""Moving a session to another day of its week: whether the week's shape allows it.

A move is a swap: the sessions of two days trade places, a rest day being a session too,
so the week keeps every session and every minute (and the long run stays the longest).
What a swap can break is spacing: hard days need 48 h between them (the next week's and
the last week's hard days count), and the long run is never the day before or after a hard
day. A move stays inside the week it is said in, on days still ahead, so a past week is
never redrawn by it (docs/moving-sessions.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from itertools import pairwise
from typing import Literal

from coach.history import History, SessionMove
from coach.model import Session

# Why a move does not fit, for the bot to put into words.
MoveProblem = Literal[
    "not_this_week",  # a day outside the week
    "past",  # a day already gone (or already run)
    "same_day",
    "nothing_to_move",  # two rest days
    "race",  # a race keeps its date
    "hard_48h",  # two hard days closer than 48 h
    "long_next_to_hard",  # the long run beside a hard day
]
HARD_GAP_DAYS = 2


def swapped(sessions: Sequence[Session], from_day: date, to_day: date) -> tuple[Session, ...]:
    """The week with the sessions of the two days traded, each noting where it came from."""
    out: list[Session] = []
    for s in sessions:
        if s.date == from_day:
            other = next(o for o in sessions if o.date == to_day)
            out.append(_moved(other, from_day))
        elif s.date == to_day:
            other = next(o for o in sessions if o.date == from_day)
            out.append(_moved(other, to_day))
        else:
            out.append(s)
    return tuple(out)


def _moved(session: Session, day: date) -> Session:
    if session.type == "rest":
        return replace(session, date=day)  # a rest day needs no explanation
    note = f"Moved from {session.date:%A}."
    return replace(session, date=day, note=f"{note} {session.note}" if session.note else note)


def check_move(
    sessions: Sequence[Session],
    from_day: date,
    to_day: date,
    first_open: date,
    hard_outside: Iterable[date] = (),
) -> MoveProblem | None:
    """None when the move fits; otherwise why not. `first_open` is the first day still
    ahead of the runner; `hard_outside` the hard days of the weeks either side."""
    days = {s.date: s for s in sessions}
    if from_day not in days or to_day not in days:
        return "not_this_week"
    if from_day == to_day:
        return "same_day"
    if min(from_day, to_day) < first_open:
        return "past"
    types = (days[from_day].type, days[to_day].type)
    if types == ("rest", "rest"):
        return "nothing_to_move"
    if "race" in types:
        return "race"
    week = swapped(sessions, from_day, to_day)
    hard = sorted({s.date for s in week if s.hard} | set(hard_outside))
    if any((b - a).days < HARD_GAP_DAYS for a, b in pairwise(hard)):
        return "hard_48h"
    hard_in_week = {s.date for s in week if s.hard}
    for s in week:
        if s.type == "long" and any(abs((s.date - h).days) == 1 for h in hard_in_week):
            return "long_next_to_hard"
    return None


def days_that_work(
    sessions: Sequence[Session],
    from_day: date,
    first_open: date,
    hard_outside: Iterable[date] = (),
) -> list[date]:
    """Every day the session of `from_day` could move to, nearest first (earlier on a tie)."""
    outside = tuple(hard_outside)
    fits = [
        s.date
        for s in sessions
        if check_move(sessions, from_day, s.date, first_open, outside) is None
    ]
    return sorted(fits, key=lambda d: (abs((d - from_day).days), d))


def apply_moves(sessions: tuple[Session, ...], moves: Sequence[SessionMove]) -> tuple[Session, ...]:
    """The week with the moves of its days, in order. Both days of a move lie on or after
    the day it was said (the history's reader checks), so a week already over can never
    hold one. The bot checked each move against the week as the runner saw it; the
    replay's own 48 h check still runs after."""
    if not sessions:
        return sessions
    first, last = sessions[0].date, sessions[-1].date
    for move in moves:
        if first <= move.from_day <= last and first <= move.to_day <= last:
            sessions = swapped(sessions, move.from_day, move.to_day)
    return sessions


def moves_said_by(history: History, today: date) -> tuple[SessionMove, ...]:
    return tuple(e for e in history.events if isinstance(e, SessionMove) and e.date <= today)
