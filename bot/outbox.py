"""What each scheduled message says: the morning session, the check-in, the weekly review.

`message_for` is handed to `bot.delivery`. Morning messages are rendered in the minutes
before they are due and rendered again if the runner's history changed since; everything
else is rendered when it is sent. Either way the message reflects the history as it is when
it goes out. None means "nothing to say today" (before the plan starts, on a paused day, a
check-in already answered).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from bot import coaching, pause_end, render
from bot.delivery import Outgoing
from bot.handlers import checkin
from bot.handlers.common import Keyboard, esc, markup
from bot.store.models import Athlete, Delivery
from bot.texts import commands as texts
from coach.history import History
from coach.paces import Units
from coach.replay import pause_on
from coach.replay import plan as replay


def message_for(session: Session, athlete: Athlete, delivery: Delivery) -> Outgoing | None:
    if athlete.profile is None:
        return None
    day = delivery.local_date
    history = coaching.history_of(session, athlete)
    if delivery.kind == pause_end.KIND:  # sent on a paused day, so before the check below
        return pause_end.message_for(history, athlete, day)
    if day < history.profile.start_date or pause_on(history, day) is not None:
        return None
    if delivery.kind == "morning":
        return _morning(session, athlete, history, day)
    if delivery.kind == "checkin":
        message = checkin.checkin_message(session, athlete, day)
        return None if message is None else Outgoing(message[0], markup(message[1]))
    if delivery.kind == "weekly_review":
        return _weekly_review(history, day)
    return None


def _units(athlete: Athlete) -> Units:
    return "mi" if athlete.units == "mi" else "km"


def _morning(session: Session, athlete: Athlete, history: History, day: date) -> Outgoing:
    plan = replay(history, day, 0)
    today = plan.session_on(day)
    assert today is not None
    name = f", {esc(athlete.first_name)}" if athlete.first_name else ""
    parts = [
        texts.GOOD_MORNING.format(name=name),
        render.session_html(today, _units(athlete), heading=texts.TODAY_HEADING),
    ]
    if today.type == "rest":
        parts.append(texts.REST_DAY_NOTE)
    keyboard: Keyboard = []
    missing = checkin.missing_note(session, athlete, day - timedelta(days=1))
    if missing is not None:
        parts.append(missing[0])
        keyboard += missing[1]
    if not coaching.logged_on(history, day, "rhr"):
        parts.append(texts.RHR_PROMPT)
        keyboard += render.rhr_keyboard(athlete.id or 0, day, plan.metrics.rhr_baseline)
    return Outgoing(render.clip("\n\n".join(parts)), markup(keyboard))


def _weekly_review(history: History, day: date) -> Outgoing | None:
    plan = replay(history, day, 1)
    if not plan.upcoming:
        return None
    ended, following = plan.week, plan.upcoming[0]
    planned = [s for s in ended.sessions if s.type != "rest"]
    done = sum(1 for s in planned if coaching.logged_on(history, s.date, "run"))
    lines = [
        texts.WEEKLY_REVIEW,
        texts.WEEKLY_REVIEW_DONE.format(done=done, planned=len(planned)),
        "",
        texts.WEEKLY_REVIEW_NEXT.format(action=esc(following.decision.action)),
    ]
    lines += [f"• {esc(reason)}" for reason in following.decision.reasons]
    lines += [
        "",
        texts.WEEKLY_REVIEW_OUTLINE.format(
            outline=render.week_outline(following), minutes=following.planned_min
        ),
    ]
    return Outgoing(render.clip("\n".join(lines)))
