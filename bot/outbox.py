"""What each scheduled message says: the morning session, the check-in, the weekly review.

`message_for` is handed to `bot.delivery`. Morning messages are rendered in the minutes
before they are due and rendered again if the runner's history changed since; everything
else is rendered when it is sent. Either way the message reflects the history as it is when
it goes out. None means "nothing to say today" (before the plan starts, on a paused day, a
check-in already answered).

Each message is built from one `Journal` dated the message's local day: the history is
loaded once and the plan replayed once, as for an update.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from bot import pause_end, render
from bot.checkin_view import checkin_view, missing_note_view
from bot.delivery import Outgoing
from bot.journal import Journal
from bot.store.models import Athlete, Delivery
from bot.texts import commands as texts
from bot.texts.reasons import reason_text
from bot.views import esc, markup
from coach.paces import Units
from coach.replay import pause_on


def message_for(session: Session, athlete: Athlete, delivery: Delivery) -> Outgoing | None:
    if athlete.profile is None:
        return None
    day = delivery.local_date
    journal = Journal(session, athlete, day)
    if delivery.kind == pause_end.KIND:  # sent on a paused day, so before the check below
        return pause_end.message_for(journal.history, athlete, day)
    if day < journal.start_date or pause_on(journal.history, day) is not None:
        return None
    if delivery.kind == "morning":
        return _morning(journal)
    if delivery.kind == "checkin":
        message = checkin_view(journal, day)
        return None if message is None else Outgoing(message[0], markup(message[1]))
    if delivery.kind == "weekly_review":
        return _weekly_review(journal)
    return None


def _units(athlete: Athlete) -> Units:
    return "mi" if athlete.units == "mi" else "km"


def _morning(journal: Journal) -> Outgoing:
    """A greeting, then exactly what /today shows, then yesterday's unanswered check-in."""
    athlete, day = journal.athlete, journal.today
    name = f", {esc(athlete.first_name)}" if athlete.first_name else ""
    today, keyboard = render.today_view(journal, day, _units(athlete))
    parts = [texts.GOOD_MORNING.format(name=name), today]
    missing = missing_note_view(journal, day - timedelta(days=1))
    if missing is not None:
        parts.append(missing[0])
        keyboard = [*keyboard, *missing[1]]
    return Outgoing(render.clip("\n\n".join(parts)), markup(keyboard))


def _weekly_review(journal: Journal) -> Outgoing | None:
    plan = journal.plan(1)
    if not plan.upcoming:
        return None
    ended, following = plan.week, plan.upcoming[0]
    planned = [s for s in ended.sessions if s.type != "rest"]
    done = sum(1 for s in planned if journal.logged(s.date, "run"))
    lines = [
        texts.WEEKLY_REVIEW,
        texts.WEEKLY_REVIEW_DONE.format(done=done, planned=len(planned)),
        "",
        texts.WEEKLY_REVIEW_NEXT.format(action=esc(following.decision.action)),
    ]
    lines += [f"• {esc(reason_text(reason))}" for reason in following.decision.reasons]
    lines += [
        "",
        texts.WEEKLY_REVIEW_OUTLINE.format(
            outline=render.week_outline(following), minutes=following.planned_min
        ),
    ]
    return Outgoing(render.clip("\n".join(lines)))
