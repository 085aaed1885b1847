"""Views apart from handlers: typed button payloads, and who may import a handler."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from bot.views import CheckinTap, OnboardingTap, SecondRunTap

BOT = Path(__file__).resolve().parents[3] / "bot"


def test_a_payload_packs_and_unpacks_to_the_same_value() -> None:
    tap = CheckinTap(42, date(2027, 1, 12), "rpe", "7")
    assert tap.pack() == "ci:42:20270112:rpe:7"
    assert CheckinTap.unpack(tap.pack()) == tap
    assert SecondRunTap.unpack("fr:42:20270112:fix") == SecondRunTap(42, date(2027, 1, 12), "fix")
    assert OnboardingTap("days", "mon.wed.fri").pack() == "ob:days:mon.wed.fri"
    assert OnboardingTap.unpack("ob:zone:keep") == OnboardingTap("zone", "keep")
    assert OnboardingTap.unpack("ob:days") is None and OnboardingTap.unpack("ci:days:x") is None


@pytest.mark.parametrize(
    "data",
    [
        "fr:42:20270112:rpe:7",  # another payload's prefix
        "ci:42:20270112:rpe",  # a field missing
        "ci:42:20270112:rpe:7:x",  # one too many
        "ci:4a:20270112:rpe:7",  # not an id
        "ci:-4:20270112:rpe:7",
        "ci:42:20270230:rpe:7",  # no such day
        "ci:42:2027011:rpe:7",
        "ci:42:20270112::7",  # an empty field
        "ci:٤٢:20270112:rpe:7",  # digits, but not ASCII ones
    ],
)
def test_anything_malformed_unpacks_to_none(data: str) -> None:
    assert CheckinTap.unpack(data) is None


def test_a_payload_over_64_bytes_is_refused_when_packed() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        CheckinTap(42, date(2027, 1, 12), "x" * 50, "7").pack()
    with pytest.raises(ValueError, match="may not contain"):
        CheckinTap(42, date(2027, 1, 12), "a:b", "7").pack()


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def importers_of_handlers(package: Path) -> list[str]:
    """Modules outside `handlers/` that import a handler, other than the composition root."""
    return sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.relative_to(package).parts[0] != "handlers"
        and path.relative_to(package) != Path("app.py")
        and any(name.startswith("bot.handlers") for name in imported_modules(path))
    )


def test_only_the_composition_root_imports_handlers() -> None:
    assert importers_of_handlers(BOT) == []


def test_the_import_check_finds_a_view_that_imports_a_handler(tmp_path: Path) -> None:
    # Guards the test above against walking nothing or missing an import form.
    package = tmp_path / "bot"
    (package / "handlers").mkdir(parents=True)
    (package / "app.py").write_text("from bot.handlers import checkin\n")
    (package / "handlers" / "router.py").write_text("from bot.handlers import checkin\n")
    (package / "outbox.py").write_text("from bot.handlers.common import esc\n")
    (package / "views").mkdir()
    (package / "views" / "week.py").write_text("import bot.handlers.checkin\n")
    (package / "render.py").write_text("from bot import views\n")
    assert importers_of_handlers(package) == ["outbox.py", "views/week.py"]
