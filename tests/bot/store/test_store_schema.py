"""The migrations create the schema, match the models, and keep instants aware UTC."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import alembic.command
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, SQLModel, col, select

from bot.store.db import (
    alembic_config,
    database_revision,
    head_revision,
    make_engine,
    migrate,
    safe_url,
)
from bot.store.models import Athlete, Delivery, ProcessedUpdate

MakeAthlete = Callable[..., Athlete]

TABLES = {"athletes", "conversation_states", "events", "deliveries", "processed_updates"}


def test_migrations_create_every_table(migrated: Engine) -> None:
    names = set(inspect(migrated).get_table_names())
    assert names == TABLES | {"alembic_version"}
    with migrated.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).all() == [
            ("0003",)
        ]


def test_migrations_match_the_models(migrated: Engine) -> None:
    with migrated.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_models_drifting_from_migrations_is_noticed(engine: Engine) -> None:
    # Guards the test above against comparing nothing: drop an index, see the diff.
    migrate(engine)
    with engine.begin() as connection:
        connection.execute(text("DROP INDEX ix_deliveries_status_next_attempt_at"))
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert [diff[0] for diff in compare_metadata(context, SQLModel.metadata)] == ["add_index"]


def test_constraints_have_their_conventional_names(migrated: Engine) -> None:
    inspector = inspect(migrated)
    checks = {check["name"] for check in inspector.get_check_constraints("deliveries")}
    assert checks == {"ck_deliveries_kind", "ck_deliveries_status"}
    assert [check["name"] for check in inspector.get_check_constraints("athletes")] == [
        "ck_athletes_units"
    ]
    uniques = {unique["name"] for unique in inspector.get_unique_constraints("deliveries")}
    assert uniques == {"uq_deliveries_athlete_id_local_date_kind"}
    (foreign_key,) = inspector.get_foreign_keys("events")
    assert foreign_key["name"] == "fk_events_athlete_id_athletes"
    assert foreign_key["options"].get("ondelete") == "CASCADE"


def test_check_constraints_refuse_unknown_values(
    sessions: sessionmaker[Session], make_athlete: MakeAthlete
) -> None:
    row = morning_row(make_athlete().id)
    row.status = "lost"
    with pytest.raises(IntegrityError), sessions() as session, session.begin():
        session.add(row)


def test_migrate_twice_is_a_no_op(migrated: Engine) -> None:
    migrate(migrated)
    assert set(inspect(migrated).get_table_names()) >= TABLES


def morning_row(athlete_id: int | None) -> Delivery:
    due = datetime(2026, 11, 4, 6, tzinfo=UTC)
    assert athlete_id is not None
    return Delivery(
        athlete_id=athlete_id,
        local_date=due.date(),
        kind="morning",
        due_at=due,
        next_attempt_at=due,
    )


def test_unique_and_foreign_keys_are_enforced(
    sessions: sessionmaker[Session], make_athlete: MakeAthlete
) -> None:
    athlete = make_athlete()
    with sessions() as session, session.begin():
        session.add(morning_row(athlete.id))
    with pytest.raises(IntegrityError), sessions() as session, session.begin():
        session.add(morning_row(athlete.id))
    with pytest.raises(IntegrityError), sessions() as session, session.begin():
        session.add(morning_row(999_999))


def test_deleting_an_athlete_cascades(
    sessions: sessionmaker[Session], make_athlete: MakeAthlete
) -> None:
    athlete = make_athlete()
    with sessions() as session, session.begin():
        session.add(morning_row(athlete.id))
    with sessions() as session, session.begin():
        session.execute(text("DELETE FROM athletes WHERE id = :id"), {"id": athlete.id})
    with sessions() as session:
        count = session.execute(text("SELECT count(*) FROM deliveries")).scalar_one()
    assert count == 0


@pytest.mark.parametrize(
    "written",
    [
        datetime(2026, 3, 29, 1, 30, 15, 123456, tzinfo=UTC),
        datetime(2026, 3, 29, 3, 30, tzinfo=timezone(timedelta(hours=2))),
        datetime(2026, 10, 25, 2, 30, tzinfo=timezone(timedelta(hours=-5, minutes=-30))),
    ],
)
def test_instants_round_trip_as_aware_utc(
    sessions: sessionmaker[Session], written: datetime
) -> None:
    with sessions() as session, session.begin():
        session.add(ProcessedUpdate(update_id=1, processed_at=written))
    with sessions() as session:
        read = session.get(ProcessedUpdate, 1)
        assert read is not None
        assert read.processed_at == written
        assert read.processed_at.tzinfo is UTC


def test_instants_compare_chronologically_in_sql(sessions: sessionmaker[Session]) -> None:
    # On SQLite the comparison is on stored text: it must still be chronological even
    # when the values were written with different offsets.
    early = datetime(2026, 1, 1, 23, 0, tzinfo=timezone(timedelta(hours=-3)))  # 02:00 UTC
    late = datetime(2026, 1, 2, 1, 0, tzinfo=timezone(timedelta(hours=-2)))  # 03:00 UTC
    with sessions() as session, session.begin():
        session.add(ProcessedUpdate(update_id=1, processed_at=late))
        session.add(ProcessedUpdate(update_id=2, processed_at=early))
    cutoff = datetime(2026, 1, 2, 2, 30, tzinfo=UTC)
    with sessions() as session:
        statement = select(ProcessedUpdate).where(col(ProcessedUpdate.processed_at) < cutoff)
        assert [row.update_id for row in session.exec(statement)] == [2]


def test_naive_datetimes_are_refused(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(StatementError, match="naive"), sessions() as session, session.begin():
        session.add(ProcessedUpdate(update_id=1, processed_at=datetime(2026, 1, 1)))


def test_sqlite_engine_creates_its_folder_and_turns_on_wal_and_foreign_keys(
    tmp_path: Path,
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'a' / 'b' / 'ramp.db'}")
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
            assert connection.execute(text("PRAGMA busy_timeout")).scalar_one() > 0
        assert (tmp_path / "a" / "b" / "ramp.db").exists()
    finally:
        engine.dispose()


def test_safe_url_hides_the_password() -> None:
    engine = make_engine("postgresql+psycopg://ramp:s3cret@db.example:5432/ramp")
    assert "s3cret" not in safe_url(engine)
    assert "***" in safe_url(engine)


def test_json_profile_none_is_sql_null(
    sessions: sessionmaker[Session], make_athlete: MakeAthlete
) -> None:
    athlete = make_athlete(profile=None)
    with sessions() as session:
        value = session.execute(
            text("SELECT count(*) FROM athletes WHERE profile IS NULL AND id = :id"),
            {"id": athlete.id},
        ).scalar_one()
        assert value == 1
        assert session.get(Athlete, athlete.id).profile is None  # type: ignore[union-attr]


def test_head_revision_is_alembics_head() -> None:
    # head_revision reads the file names; Alembic reads the scripts' revision chain.
    scripts = ScriptDirectory.from_config(alembic_config())
    assert head_revision() == scripts.get_current_head()
    for script in scripts.walk_revisions():
        assert Path(script.path).name.startswith(f"{script.revision}_")


def test_database_revision_is_none_until_migrated(engine: Engine) -> None:
    assert database_revision(engine) is None
    migrate(engine)
    assert database_revision(engine) == head_revision()


def test_an_up_to_date_database_is_not_migrated_again(
    migrated: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("Alembic ran on an up-to-date database")

    monkeypatch.setattr(alembic.command, "upgrade", refuse)
    migrate(migrated)
    with migrated.connect() as connection:
        connection.execute(text("DELETE FROM alembic_version"))
        connection.commit()
    with pytest.raises(AssertionError, match="up-to-date"):
        migrate(migrated)  # guards the check above: a database not at head does reach Alembic


def test_starting_on_an_up_to_date_database_leaves_alembic_unloaded(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ramp.db'}"
    script = (
        "import sys\nfrom bot.store.db import make_engine, migrate\n"
        f"migrate(make_engine({url!r}))\nprint('alembic' in sys.modules)"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        ).stdout.split()
        for _ in range(2)
    ]
    assert runs == [["True"], ["False"]]  # the first start migrates a fresh database
