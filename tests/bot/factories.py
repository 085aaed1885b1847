"""Small factories for bot tests: an onboarded runner straight in the database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from bot.coaching import next_monday
from bot.runtime import Runtime
from bot.store import repo
from bot.store.models import Athlete


def profile_dict(start: date, **overrides: Any) -> dict[str, Any]:
    profile: dict[str, Any] = {
        "start_date": start.isoformat(),
        "fitness": {"distance_m": 5000, "time_s": 1350, "date": start.isoformat()},
        "run_days": ["mon", "wed", "fri", "sat"],
        "quality_day": "wed",
        "long_run_day": "sat",
        "weekly_minutes": 180,
        "units": "km",
        "goal": None,
    }
    profile.update(overrides)
    return profile


def onboard(
    runtime: Runtime,
    telegram_user_id: int,
    *,
    start: date | None = None,
    time_zone: str = "Europe/Berlin",
    morning: time = time(7, 0),
    checkin: time = time(19, 0),
    onboarded_at: datetime | None = None,
    **profile_overrides: Any,
) -> Athlete:
    """A runner who finished /start: profile saved, plan starting `start` (a Monday)."""
    now = runtime.clock.now()
    start = start or next_monday(now.date())
    with runtime.sessions() as session, session.begin():
        athlete = repo.get_or_create_athlete(session, telegram_user_id, telegram_user_id, "Ana")
        repo.update_settings(
            session,
            athlete,
            time_zone=time_zone,
            morning_time=morning,
            checkin_time=checkin,
            units=profile_overrides.get("units", "km"),
        )
        repo.save_profile(
            session,
            athlete,
            profile_dict(start, **profile_overrides),
            onboarded_at or datetime(2000, 1, 1, tzinfo=UTC),
        )
        return athlete
