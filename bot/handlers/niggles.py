"""A niggle told in words ("calf tight"): a caring reply, then how bad and whether it hurts
when running, one tap each. Buttons "ng:<athlete id>:<yyyymmdd>:<field>-<value>-<where>"
with field sev (1-3) or run (yes | no); each answer refines that day's niggle for the place.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from bot.handlers.common import Turn, owned_tap
from bot.journal import niggle_key
from bot.parsing import ParseError
from bot.texts import common as common_texts
from bot.texts import niggles as texts
from bot.views import DayTap, Keyboard, esc
from coach.history import Niggle
from coach.niggles import BAD, NIGGLE_DAYS


@dataclass(frozen=True)
class NiggleTap(DayTap):
    prefix: ClassVar[str] = "ng"  # value: "<sev|run>-<answer>-<where, _ for spaces>"


def follow_up(turn: Turn, niggle: Niggle, *, first: bool) -> tuple[str, Keyboard | None]:
    """The reply to a niggle: sympathy the first time, then the next missing answer, or what
    the plan does about it once both are known."""
    where = esc(niggle.where)
    lines = [texts.NOTED.format(where=where)] if first else []
    keyboard: Keyboard | None = None
    if niggle.severity is None:
        lines.append(texts.ASK_SEVERITY)
        keyboard = [_buttons(turn, niggle, "sev", texts.SEVERITY_BUTTONS)]
    elif niggle.hurts_running is None and (niggle.severity or 0) < BAD:
        lines.append(texts.ASK_RUNNING)
        keyboard = [_buttons(turn, niggle, "run", texts.RUNNING_BUTTONS)]
    elif (niggle.severity or 0) >= BAD:
        lines.append(texts.REST.format(days=NIGGLE_DAYS))
    elif niggle.hurts_running:
        lines.append(texts.EASY.format(days=NIGGLE_DAYS, where=where))
    else:
        lines.append(texts.FINE)
    return " ".join(lines), keyboard


def _buttons(
    turn: Turn, niggle: Niggle, field: str, choices: tuple[tuple[str, str], ...]
) -> list[tuple[str, str]]:
    place = niggle.where.replace(" ", "_")
    return [
        (label, NiggleTap(turn.athlete_id, niggle.date, f"{field}-{answer}-{place}").pack())
        for answer, label in choices
    ]


def on_callback(turn: Turn, parts: list[str], message_id: int) -> None:
    tap = owned_tap(turn, NiggleTap, parts)
    if tap is None:
        return
    field, _, rest = tap.value.partition("-")
    answer, _, place = rest.partition("-")
    where = place.replace("_", " ")
    said = [n for n in turn.journal.logged(tap.day, "niggle") if isinstance(n, Niggle)]
    if (tap.day - turn.today).days > 0 or not any(n.where == where for n in said):
        turn.refuse(common_texts.BUTTON_EXPIRED)
        return
    niggle = turn.journal.niggle(tap.day, where)
    if field == "sev" and answer in ("1", "2", "3"):
        niggle = replace(niggle, severity=int(answer))
    elif field == "run" and answer in ("yes", "no"):
        niggle = replace(niggle, hurts_running=answer == "yes")
    else:
        turn.refuse(common_texts.BUTTON_EXPIRED)
        return
    try:
        turn.journal.record(niggle, niggle_key(tap.day, where), replace_key=True)
    except ParseError as problem:
        turn.refuse(problem.message)
        return
    text, keyboard = follow_up(turn, niggle, first=False)
    turn.say(text, keyboard, edit=message_id)
