"""Storage fixtures: every storage test runs on a SQLite file and on PostgreSQL, in a
schema of its own (dropped after), when a server is there (see tests/conftest.py)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from bot.store import repo
from bot.store.db import make_engine, migrate, session_factory
from bot.store.models import Athlete

DATABASES = ["sqlite", "postgresql"]

PROFILE: dict[str, Any] = {
    "start_date": "2026-11-02",
    "fitness": {"distance_m": 5000, "time_s": 1350, "date": "2026-10-20"},
    "run_days": ["mon", "wed", "fri", "sat"],
    "quality_day": "wed",
    "long_run_day": "sat",
    "weekly_minutes": 180,
    "units": "km",
    "goal": {"distance_m": 10000, "date": "2027-03-14"},
}


@pytest.fixture(params=DATABASES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database (not migrated)."""
    if request.param == "sqlite":
        sqlite_engine = make_engine(f"sqlite:///{tmp_path / 'data' / 'ramp.db'}")
        yield sqlite_engine
        sqlite_engine.dispose()
    else:
        # Read here, not at import: tests/conftest.py may start a server after this
        # module is imported.
        url = os.environ.get("RAMP_TEST_DATABASE_URL")
        if not url:
            pytest.skip("no PostgreSQL server (see tests/conftest.py)")
        yield from _postgres_engine_in_fresh_schema(url)


def _postgres_engine_in_fresh_schema(url: str) -> Iterator[Engine]:
    # A schema per test keeps concurrent runs on the same server apart.
    schema = f"ramp_test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def migrated(engine: Engine) -> Engine:
    migrate(engine)
    return engine


@pytest.fixture
def sessions(migrated: Engine) -> sessionmaker[Session]:
    return session_factory(migrated)


MakeAthlete = Callable[..., Athlete]


@pytest.fixture
def make_athlete(sessions: sessionmaker[Session]) -> MakeAthlete:
    """Create (and commit) an onboarded runner; keyword arguments override the defaults."""
    counter = iter(range(1, 1_000_000))

    def make(**overrides: Any) -> Athlete:
        user_id = overrides.pop("telegram_user_id", 10_000_000_000 + next(counter))
        values: dict[str, Any] = {
            "chat_id": user_id,
            "first_name": "Runner",
            "time_zone": "Europe/Berlin",
            "morning_time": time(7, 0),
            "checkin_time": time(19, 0),
            "units": "km",
            "profile": dict(PROFILE),
            "active": True,
            "onboarded_at": datetime(2026, 1, 1, tzinfo=UTC),
        }
        values.update(overrides)
        with sessions() as session, session.begin():
            athlete = repo.get_or_create_athlete(session, user_id, values["chat_id"])
            for name, value in values.items():
                setattr(athlete, name, value)
            session.add(athlete)
        return athlete

    return make
