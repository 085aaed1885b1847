from __future__ import annotations

import logging
import subprocess
import sys

import pytest
from pydantic import SecretStr

from bot.app import configure_logging
from bot.config import Settings


def test_secrets_never_reach_the_log(caplog: pytest.LogCaptureFixture) -> None:
    token = "999999:SECRET-token-value"
    settings = Settings(
        TELEGRAM_BOT_TOKEN=SecretStr(token),
        DATABASE_URL=SecretStr("postgresql+psycopg://ramp:hunter2pw@db/ramp"),
    )
    root = logging.getLogger()
    before = list(root.handlers)
    handler = logging.StreamHandler()
    root.addHandler(handler)
    try:
        configure_logging(settings)
        record = logging.LogRecord(
            "x",
            logging.ERROR,
            __file__,
            1,
            "POST https://api.telegram.org/bot%s/getMe with %s",
            (token, "hunter2pw"),
            None,
        )
        for f in handler.filters:
            f.filter(record)
        assert token not in record.getMessage() and "hunter2pw" not in record.getMessage()
        assert "[redacted]" in record.getMessage()
        assert token not in repr(settings) and "hunter2pw" not in repr(settings)
    finally:
        root.handlers = before


def test_run_without_a_token_says_how_to_get_one(tmp_path: object) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", "TELEGRAM_BOT_TOKEN": ""},
        cwd=str(tmp_path),
    )
    assert result.returncode == 1
    assert "@BotFather" in result.stderr and "make play" in result.stderr
    assert "Traceback" not in result.stderr
