"""Views apart from handlers: typed button payloads, and who may import a handler."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from bot.views import CheckinTap, SecondRunTap

BOT = Path(__file__).resolve().parents[3] / "bot"


def test_a_payload_packs_and_unpacks_to_the_same_value() -> None:
    tap = CheckinTap(42, date(2027, 1, 12), "rpe", "7")
    assert tap.pack() == "ci:42:20270112:rpe:7"
    assert CheckinTap.unpack(tap.pack()) == tap
    assert SecondRunTap.unpack("fr:42:20270112:fix") == SecondRunTap(42, date(2027, 1, 12), "fix")


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


def test_only_the_composition_root_imports_handlers() -> None:
    # bot.outbox still does, through names kept for it (owned by the delivery work).
    allowed = {"app.py", "outbox.py"}
    offenders = [
        path.name
        for path in BOT.glob("*.py")
        if path.name not in allowed
        and any(name.startswith("bot.handlers") for name in imported_modules(path))
    ]
    assert offenders == []
