"""The bridge between stored facts and the pure coach: local dates, histories, plans.

Every fact the bot stores goes through `record`, which validates it with the coach's own
reader first, so nothing half-valid is ever stored.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.store import repo
from bot.store.models import Athlete
from coach.errors import CoachInputError
from coach.history import Event, History, event_from_dict, event_to_dict, history_from_dict
from coach.model import Plan
from coach.model import Session as PlannedSession
from coach.replay import plan


def local_now(athlete: Athlete, now_utc: datetime) -> datetime:
    return now_utc.astimezone(ZoneInfo(athlete.time_zone))


def local_today(athlete: Athlete, now_utc: datetime) -> date:
    return local_now(athlete, now_utc).date()


def next_monday(day: date) -> date:
    """Plans start on a Monday: today if it is one, otherwise the next."""
    return day + timedelta(days=(7 - day.weekday()) % 7)


def first_day(signup: date) -> date:
    """A new runner starts now: tomorrow, in a short lead-in week up to Sunday (the coach's
    `lead_in`), or today when today is a Monday and a full week can start at once."""
    return signup if signup.weekday() == 0 else signup + timedelta(days=1)


def history_of(session: Session, athlete: Athlete) -> History:
    return history_from_dict(repo.history_for(session, athlete))


def plan_for(session: Session, athlete: Athlete, today: date, weeks_ahead: int = 2) -> Plan:
    return plan(history_of(session, athlete), today, weeks_ahead)


def session_on(session: Session, athlete: Athlete, day: date) -> PlannedSession | None:
    """The planned session of a day, or None before the plan starts."""
    history = history_of(session, athlete)
    if day < history.profile.start_date:
        return None
    return plan(history, day, weeks_ahead=0).session_on(day)


def record(
    session: Session,
    athlete: Athlete,
    event: Event | dict[str, Any],
    *,
    today: date,
    dedupe_key: str | None = None,
    replace: bool = False,
) -> bool:
    """Store one fact after the coach has validated it. Returns False for a duplicate.

    `replace` overwrites an earlier answer with the same key (a corrected check-in).
    Raises CoachInputError for anything the coach would refuse, or a fact dated in the
    future: nothing is stored then.
    """
    raw = event_to_dict(event) if not isinstance(event, dict) else event
    checked = event_from_dict(raw)
    if checked.date > today:
        raise CoachInputError(f"{checked.date} is in the future")
    as_dict = event_to_dict(checked)
    if athlete.id is None:
        raise ValueError("athlete must be stored before facts about them")
    if replace:
        if dedupe_key is None:
            raise ValueError("replacing needs a dedupe key")
        repo.replace_event(session, athlete.id, as_dict, dedupe_key)
        return True
    return repo.append_event(session, athlete.id, as_dict, dedupe_key)
