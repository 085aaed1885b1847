"""The scheduler's jobs: the outbox tick always, SQLite's log checkpoint on SQLite."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from bot.app import build_application, build_runtime
from bot.config import Settings


def test_a_bot_on_sqlite_checkpoints_its_log_besides_the_outbox_tick(tmp_path: Path) -> None:
    settings = Settings(
        TELEGRAM_BOT_TOKEN=SecretStr("123456:TEST-TOKEN-never-a-real-one"),
        TELEGRAM_API_BASE_URL="http://127.0.0.1:9",
        DATABASE_URL=SecretStr(f"sqlite:///{tmp_path / 'ramp.db'}"),
    )
    application = build_application(build_runtime(settings))
    assert application.job_queue is not None
    names = sorted(job.name or "" for job in application.job_queue.jobs())
    assert names == ["outbox", "wal"]
