"""The coach's reasons, as runners read them in /week, the weekly review and the CLI-free views.

Every kind's words are the coach's English ones today (coach/english.py), reused as they are;
a kind whose runner-facing words should differ gets its own case here first.
"""

from __future__ import annotations

from coach.english import english
from coach.reasons import Reason


def reason_text(reason: Reason) -> str:
    """One reason or in-week change, in plain text (the caller escapes it for HTML)."""
    return english(reason)
