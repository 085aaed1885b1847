"""SQLite's write-ahead log is copied into the database by the bot, off the event loop."""

from __future__ import annotations

from pathlib import Path

from bot.store import repo
from bot.store.db import checkpoint_wal, make_engine, migrate, session_factory


def test_a_checkpoint_copies_every_frame_of_the_log(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'ramp.db'}")
    migrate(engine)
    sessions = session_factory(engine)
    for n in range(20):
        with sessions() as session, session.begin():
            repo.get_or_create_athlete(session, 9_000 + n, 9_000 + n, "Ana")
    wal = tmp_path / "ramp.db-wal"
    assert wal.stat().st_size > 0  # the commits went to the log
    checkpointed = checkpoint_wal(engine)
    assert checkpointed is not None
    frames, copied = checkpointed
    assert frames > 0 and copied == frames
    with sessions() as session:  # and the database file has them
        assert repo.get_athlete_by_telegram_id(session, 9_019) is not None


def test_off_sqlite_there_is_nothing_to_checkpoint() -> None:
    engine = make_engine("postgresql+psycopg://ramp@127.0.0.1:1/none")
    assert checkpoint_wal(engine) is None  # never connects
