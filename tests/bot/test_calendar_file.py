"""The .ics builder: sessions at the morning time in the runner's zone, stable UIDs."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from bot import calendar_file
from coach.describe import describe_session
from coach.history import DeloadRequest, History, history_from_dict
from coach.model import Session
from coach.replay import plan
from tests.bot.factories import profile_dict

NEW_YORK = "America/New_York"  # summer time ends on Sunday 1 Nov 2026
NOW = datetime(2026, 10, 28, 12, 0, tzinfo=UTC)


def parse(raw: bytes) -> Calendar:
    calendar = Calendar.from_ical(raw)
    assert isinstance(calendar, Calendar)
    return calendar


def build(sessions: list[Session], now: datetime = NOW, zone: str = NEW_YORK) -> Calendar:
    raw = calendar_file.calendar_bytes(
        sessions, athlete_id=7, time_zone=zone, morning=time(6, 15), units="mi", now=now
    )
    return parse(raw)


def history(start: date, *events: object) -> History:
    profile = history_from_dict({"profile": profile_dict(start)}).profile
    return History(profile=profile, events=tuple(events))  # type: ignore[arg-type]


def test_sessions_only_rest_days_left_out() -> None:
    h = history(date(2026, 10, 26))
    replayed = plan(h, date(2026, 10, 28), 4)
    sessions = calendar_file.upcoming_sessions(replayed, date(2026, 10, 28), 28)
    days = [date(2026, 10, 28) + timedelta(days=i) for i in range(28)]
    planned = [replayed.session_on(d) for d in days]
    assert sessions == [s for s in planned if s is not None and s.type != "rest"]
    assert len(sessions) == 16  # four run days a week, four weeks
    assert sessions[0].date == date(2026, 10, 28) and sessions[-1].date <= days[-1]


def test_events_at_the_morning_time_in_the_zone_across_a_dst_change() -> None:
    h = history(date(2026, 10, 26))
    sessions = calendar_file.upcoming_sessions(plan(h, NOW.date(), 4), NOW.date(), 28)
    calendar = build(sessions)
    events = calendar.events
    assert len(events) == len(sessions)
    zone = ZoneInfo(NEW_YORK)
    for event, session in zip(events, sessions, strict=True):
        assert event.start == datetime.combine(session.date, time(6, 15), tzinfo=zone)
        assert event.start.tzinfo is not None and str(event.start.tzinfo) == NEW_YORK
        summer = session.date < date(2026, 11, 1)
        assert event.start.astimezone(UTC).hour == (10 if summer else 11)
        assert event.duration == timedelta(minutes=session.planned_min)
        assert event.summary == f"Ramp: {session.title}"
        assert event.description == describe_session(session, "mi")
        assert event.uid == f"ramp-7-{session.date:%Y%m%d}@ramp"
        assert event.stamp == NOW
    assert "/mi" in "".join(str(e.description) for e in events)  # paces in their units
    (timezone,) = calendar.timezones
    assert timezone.tz_name == NEW_YORK
    raw = calendar.to_ical().decode()
    assert "DTSTART;TZID=America/New_York:20261028T061500" in raw
    assert "BEGIN:STANDARD" in raw and "BEGIN:DAYLIGHT" in raw  # both sides of the change


def test_a_changed_plan_keeps_the_uids_and_raises_the_sequence() -> None:
    start = date(2026, 10, 26)
    today = date(2026, 10, 27)
    before = calendar_file.upcoming_sessions(plan(history(start), today, 4), today, 28)
    changed_plan = plan(history(start, DeloadRequest(today)), today, 4)
    after = calendar_file.upcoming_sessions(changed_plan, today, 28)
    first = {e.uid: e for e in build(before).events}
    second = {e.uid: e for e in build(after, now=NOW + timedelta(seconds=1)).events}
    assert set(second) <= set(first)
    assert any(first[uid].summary != second[uid].summary for uid in second)
    assert all(second[uid].sequence == first[uid].sequence + 1 for uid in second)


def test_the_calendar_itself_is_identified_and_named() -> None:
    session = Session(date(2026, 10, 28), "easy", "Easy run", 0, 3)
    calendar = build([session], zone="UTC")
    assert calendar.uid == "ramp-calendar-7@ramp"
    assert calendar["PRODID"] == calendar_file.PRODID and calendar["METHOD"] == "PUBLISH"
    (event,) = calendar.events
    assert event.duration == timedelta(minutes=calendar_file.FALLBACK_MINUTES)
    assert event.start == datetime(2026, 10, 28, 6, 15, tzinfo=UTC)
    assert build([replace(session, planned_min=45)], zone="UTC").events[0].duration == timedelta(
        minutes=45
    )


def test_sequence_grows_with_time_and_fits_32_bits() -> None:
    assert calendar_file.sequence_at(NOW) < calendar_file.sequence_at(NOW + timedelta(seconds=1))
    assert calendar_file.sequence_at(datetime(2088, 1, 1, tzinfo=UTC)) < 2**31
    assert calendar_file.sequence_at(datetime(2019, 1, 1, tzinfo=UTC)) == 0
