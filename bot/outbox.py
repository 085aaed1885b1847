"""Placeholder: being written."""

from __future__ import annotations

from typing import Any


def render(session: Any, athlete: Any, delivery: Any) -> None:
    return None
