"""Moving a session in words: "can't run Thursday", "swap Thursday and Friday",
"move Thursday's run to Saturday". Weekdays only; a move stays inside the current week.

Kept apart from bot.parsing (the log's parser): these sentences name days, not amounts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WEEKDAY_NAMES = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "weds": 2,
    "wednesday": 2, "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}  # fmt: skip
_DAY = "(" + "|".join(sorted(WEEKDAY_NAMES, key=len, reverse=True)) + ")"  # longest first
_THING = r"(?:'s|s)?(?:\s+(?:run|session|workout|long run|easy run|quality session))?"
_CANT = re.compile(
    rf"\b(?:can'?t|cannot|can not|won'?t be able to|unable to|not able to)\s+"
    rf"(?:run|make|do|train)(?:\s+it)?\s+(?:on\s+)?(?:this\s+)?{_DAY}\b"
)
_SWAP = re.compile(rf"\bswap\s+(?:my\s+)?{_DAY}{_THING}\s+(?:and|with|for)\s+{_DAY}\b")
_MOVE = re.compile(
    rf"\b(?:move|shift|push|put)\s+(?:my\s+|the\s+)?{_DAY}{_THING}\s+(?:to|on|onto)\s+{_DAY}\b"
)
# A move names days of this week; anything pointing elsewhere is answered, not guessed.
_OTHER_WEEK = re.compile(r"\b(?:next|last|previous|following)\s+week\b|\d{4}-\d{2}-\d{2}|\d+/\d+")


@dataclass(frozen=True)
class MoveAsk:
    """What the runner asked: move `from_weekday`'s session (0 = Monday) to `to_weekday`,
    or, with None, to a day they choose from the ones that work."""

    from_weekday: int
    to_weekday: int | None
    other_week: bool = False


def parse_move(text: str) -> MoveAsk | None:
    """The move a message asks for, or None when it asks for none."""
    said = text.casefold().replace("’", "'")
    other_week = _OTHER_WEEK.search(said) is not None
    for pattern in (_SWAP, _MOVE):
        found = pattern.search(said)
        if found:
            return MoveAsk(_weekday(found[1]), _weekday(found[2]), other_week)
    found = _CANT.search(said)
    if found:
        return MoveAsk(_weekday(found[1]), None, other_week)
    return None


def _weekday(name: str) -> int:
    return WEEKDAY_NAMES[name]
