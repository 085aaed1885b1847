"""The coming sessions as an iCalendar file, at the runner's morning time in their zone.

Every event's UID is fixed by (runner, date), and SEQUENCE grows with the export time, so
importing a newer file updates the events already in the calendar instead of adding twins.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from coach.describe import describe_session
from coach.model import Plan, Session
from coach.paces import Units

if TYPE_CHECKING:  # imported on first use below: ~60 ms of start-up for a rare command
    from icalendar import Event

PRODID = "-//Ramp//Ramp running coach//EN"
# SEQUENCE is a 32-bit integer in most calendar software: seconds since 2020 fit until 2088.
SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
# A session without planned minutes (none today, but cheap to guard) still gets a slot.
FALLBACK_MINUTES = 30


def event_uid(athlete_id: int, day: date) -> str:
    return f"ramp-{athlete_id}-{day:%Y%m%d}@ramp"


def calendar_uid(athlete_id: int) -> str:
    return f"ramp-calendar-{athlete_id}@ramp"


def upcoming_sessions(plan: Plan, first: date, days: int) -> list[Session]:
    """The sessions from `first` for `days` days, rest days (and paused days) left out."""
    out: list[Session] = []
    for offset in range(days):
        session = plan.session_on(first + timedelta(days=offset))
        if session is not None and session.type != "rest":
            out.append(session)
    return out


def sequence_at(now: datetime) -> int:
    """Grows with every export, so the newest file wins (RFC 5546 compares SEQUENCE first)."""
    return max(0, int((now - SEQUENCE_EPOCH).total_seconds()))


def _event(
    session: Session, athlete_id: int, zone: ZoneInfo, morning: time, units: Units, now: datetime
) -> Event:
    from icalendar import Event  # here, not at the top: see the TYPE_CHECKING import above

    event = Event.new(
        uid=event_uid(athlete_id, session.date),
        summary=f"Ramp: {session.title}",
        description=describe_session(session, units),
        start=datetime.combine(session.date, morning, tzinfo=zone),
        stamp=now.astimezone(UTC),
        sequence=sequence_at(now),
    )
    event.duration = timedelta(minutes=session.planned_min or FALLBACK_MINUTES)
    return event


def calendar_bytes(
    sessions: Sequence[Session],
    *,
    athlete_id: int,
    time_zone: str,
    morning: time,
    units: Units,
    now: datetime,
) -> bytes:
    """An .ics file with one event per session and the VTIMEZONE its times refer to."""
    from icalendar import Calendar  # here, not at the top: see the TYPE_CHECKING import

    zone = ZoneInfo(time_zone)
    calendar = Calendar.new(
        prodid=PRODID, method="PUBLISH", name="Ramp", uid=calendar_uid(athlete_id)
    )
    for session in sessions:
        calendar.add_component(_event(session, athlete_id, zone, morning, units, now))
    if sessions:
        # Only the transitions the events need, with a day of margin either side.
        first = sessions[0].date - timedelta(days=1)
        last = sessions[-1].date + timedelta(days=2)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return bytes(calendar.to_ical())
