"""The "how are you feeling?" message on the day a pause with an end date ends.

A delivery kind of its own ("pause_end"), due at the runner's morning time on the last day
of the pause (the morning message says nothing on a paused day). `bot.delivery` schedules
it from the runner's pause events; `message_for` here decides, from the history as it is
when the message goes out, whether there is still something to say: not if the runner
resumed already, or moved the pause's end.
"""

from __future__ import annotations

from datetime import date

from bot.delivery import PAUSE_END, Outgoing
from bot.store.models import Athlete
from bot.texts import pause as texts
from bot.views import esc
from coach.history import History, Pause
from coach.replay import pause_on

KIND = PAUSE_END


def message_for(history: History, athlete: Athlete, day: date) -> Outgoing | None:
    current = pause_on(history, day)
    if current is None:
        return None  # resumed already: nothing to ask
    first_day, _ = current
    ends_today = any(
        isinstance(event, Pause) and event.date == first_day and event.until == day
        for event in history.events
    )
    if not ends_today:
        return None
    name = f", {esc(athlete.first_name)}" if athlete.first_name else ""
    return Outgoing(texts.PAUSE_ENDS.format(name=name))
