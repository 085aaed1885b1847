"""Engines, migrations and sessions.

Alembic is the only way the schema is created or changed: call `migrate(engine)` at
start-up. Callers own their transactions (`with factory() as session, session.begin():`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, Table, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, SQLModel

if TYPE_CHECKING:  # imported on first use below, to keep start-up short
    from alembic.config import Config
    from sqlalchemy.dialects.postgresql import Insert as PostgresInsert
    from sqlalchemy.dialects.sqlite import Insert as SqliteInsert

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 5000
# Any constant works; it only has to be the same for every replica running migrate().
_MIGRATION_LOCK_ID = 0x52414D50  # "RAMP"
_INSERT_CHUNK = 500


def make_engine(url: str, **engine_kwargs: Any) -> Engine:
    """An engine for a SQLite file (WAL, foreign keys on) or PostgreSQL via psycopg."""
    sa_url = make_url(url)
    if sa_url.get_backend_name() == "sqlite":
        return _make_sqlite_engine(sa_url, **engine_kwargs)
    return create_engine(sa_url, pool_pre_ping=True, **engine_kwargs)


def _make_sqlite_engine(sa_url: URL, **engine_kwargs: Any) -> Engine:
    database = sa_url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(sa_url, **engine_kwargs)
    event.listen(engine, "connect", _configure_sqlite_connection)
    return engine


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # Foreign keys are off by default and per connection in SQLite; without them
    # ON DELETE CASCADE silently does nothing.
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # WAL lets readers (handlers) proceed while the delivery worker writes.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def checkpoint_wal(engine: Engine) -> tuple[int, int] | None:
    """Copy SQLite's write-ahead log into the database file now, without waiting for any
    reader or writer (PASSIVE); (frames in the log, frames copied), None off SQLite.

    Otherwise the commit that takes the log past 1,000 pages does it, with an fsync,
    inside some runner's update (10-40 ms, every few hundred updates): the bot runs this
    on a worker thread every few seconds instead, so the log never grows that far."""
    if engine.dialect.name != "sqlite":
        return None
    with engine.connect() as connection:
        row = connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").one()
    return int(row[1]), int(row[2])


def safe_url(engine: Engine) -> str:
    """The engine's URL with any password masked, for logs."""
    return engine.url.render_as_string(hide_password=True)


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations (no alembic.ini needed)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    """The newest migration's id, from the file names alone (`0002_what_changed.py`, as
    `--rev-id` and the file_template in alembic.ini make them); tests compare it with
    Alembic's own answer."""
    return max(path.name.split("_", 1)[0] for path in (MIGRATIONS_DIR / "versions").glob("*.py"))


def database_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None if it was never migrated."""
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except DBAPIError:  # no such table: a fresh database (a real fault recurs in migrate)
        return None
    return rows[0][0] if len(rows) == 1 else None


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database schema to `revision` (default: the newest)."""
    # Most start-ups find the database up to date: one SELECT tells, and spares loading
    # Alembic and the migration scripts (~0.2 s and a few MiB).
    if revision == "head" and database_revision(engine) == head_revision():
        log.info("database %s is at the newest revision", safe_url(engine))
        return
    from alembic import command  # here, not at the top: see above

    log.info("migrating database %s to %s", safe_url(engine), revision)
    config = alembic_config(engine)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Two replicas starting together must not both run the DDL.
            lock = text("SELECT pg_advisory_xact_lock(:id)")
            connection.execute(lock, {"id": _MIGRATION_LOCK_ID})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded attributes after commit (handlers use them afterwards)."""
    return sessionmaker(bind=engine, class_=Session, expire_on_commit=False)


def dialect_insert(session: Session, table: Table) -> PostgresInsert | SqliteInsert:
    """An INSERT that can take ON CONFLICT clauses, in the session's SQL dialect."""
    # Each dialect's module is imported on first use: PostgreSQL's costs ~70 ms of
    # start-up, and a bot on SQLite never needs it.
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgres_insert

        return postgres_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


def insert_ignoring_conflicts(
    session: Session,
    table: Table,
    rows: Sequence[dict[str, Any]],
    conflict_columns: Sequence[str],
) -> int:
    """INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL; returns rows inserted.

    Multi-row statements (not executemany), so the driver's rowcount counts exactly the
    new rows; chunked to stay under SQLite's limit on bound parameters.
    """
    inserted = 0
    for start in range(0, len(rows), _INSERT_CHUNK):
        chunk = list(rows[start : start + _INSERT_CHUNK])
        statement = (
            dialect_insert(session, table)
            .values(chunk)
            .on_conflict_do_nothing(index_elements=list(conflict_columns))
            # Otherwise psycopg's rowcount for an INSERT is gone by the time it is read.
            .execution_options(preserve_rowcount=True)
        )
        inserted += session.exec(statement).rowcount
    return inserted


def table_of(model: type[SQLModel]) -> Table:
    """The Core table behind a SQLModel table class."""
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    return table
