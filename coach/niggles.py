"""Niggles: a pain the runner mentioned shapes the next days (docs/conversation.md, "Niggles").

Pain while running is the line a coach draws: running through it turns a niggle into an
injury. So a session on a day the runner's latest word on a body part says it hurts when
running becomes an easy run, or rest when they called it bad, for `NIGGLE_DAYS` days from
that word unless they say it no longer hurts. A niggle that keeps hurting when running over
`PERSISTS_DAYS` gets a suggestion to see a physiotherapist or doctor: the coach can ease the
plan, but not examine a knee.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from coach.history import Niggle
from coach.microcycle import easy_instead, rest_instead
from coach.model import Session

NIGGLE_DAYS = 3  # the day it was mentioned and the two after, until the runner says more
PERSISTS_DAYS = 7  # pain when running first and last mentioned this far apart
BAD = 3  # severity: rest rather than an easy run


def hurting(niggles: Sequence[Niggle], day: date) -> list[Niggle]:
    """Each body part whose latest word, in the `NIGGLE_DAYS` up to `day`, is that it hurts
    when running (or is bad), that word's niggle."""
    latest: dict[str, Niggle] = {}
    for niggle in sorted(niggles, key=lambda n: n.date):
        if day - timedelta(days=NIGGLE_DAYS - 1) <= niggle.date <= day:
            latest[niggle.where] = niggle
    return [n for n in latest.values() if n.hurts_running or (n.severity or 0) >= BAD]


def persists(niggles: Sequence[Niggle], where: str, day: date) -> bool:
    """The same place has hurt when running on days at least `PERSISTS_DAYS` apart lately."""
    window = day - timedelta(days=2 * PERSISTS_DAYS)
    days = [n.date for n in niggles if n.where == where and n.hurts_running]
    days = [d for d in days if window <= d <= day]
    return bool(days) and (max(days) - min(days)).days >= PERSISTS_DAYS - 1


def eased(session: Session, niggles: Sequence[Niggle]) -> tuple[Session, str] | None:
    """The session as a niggle allows it, and the change in words; None when it stays."""
    if session.type in ("rest", "race"):
        return None  # a race is the runner's call, made with the warning they already have
    pains = hurting(niggles, session.date)
    if not pains:
        return None
    worst = max(pains, key=lambda n: n.severity or 0)
    where = worst.where
    if (worst.severity or 0) >= BAD:
        note = f"Rest today: your {where} is bad, and running on it would make it worse."
        changed = rest_instead(session, note)
    else:
        note = f"Easy today: your {where} hurts when you run, so nothing hard on it."
        changed = easy_instead(session, note)
    if persists(niggles, where, session.date):
        note += f" It has hurt for a week now: please see a physio or doctor about your {where}."
        changed = replace(changed, note=note)
    return changed, note
