"""What start-up loads: libraries needed only by a rare command are imported on first use.

Each check runs in a fresh interpreter, since this test process has imported everything.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Imported on first use: a chart, a migration, a calendar, an activity file, PostgreSQL.
LATER = (
    "matplotlib",
    "alembic",
    "icalendar",
    "fitdecode",
    "gpxpy",
    "sqlalchemy.dialects.postgresql",
)


def modules_after(code: str) -> set[str]:
    script = f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return set(result.stdout.split())


def test_importing_the_bot_leaves_rare_libraries_for_later() -> None:
    loaded = modules_after("import bot.app")
    assert "bot.handlers.insight" in loaded  # the check below looked at a loaded bot
    assert [name for name in LATER if name in loaded] == []


def test_the_rare_libraries_are_real_module_names() -> None:
    # Guards the test above against a typo in LATER passing it for nothing.
    assert [name for name in LATER if importlib.util.find_spec(name) is None] == []
