"""Moving a session: typed ("can't run Thursday", "swap Thursday and Friday") or with the
buttons under /week ("Move a session" → which session → which day).

Parse (bot.moves_parsing), ask the coach whether the week allows it (coach.moves), record a
`SessionMove` through the journal, reply. A move that does not fit stores nothing: Ramp says
why and offers the nearest days that do. Buttons "mv:<athlete id>:<yyyymmdd>:<value>"
(bot.views.MoveTap) name the session's day; a tap for a day outside the current week has
expired, so a move never reaches into another week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.handlers.common import Turn, owned_tap
from bot.moves_parsing import MoveAsk, parse_move
from bot.texts import common
from bot.texts import moves as texts
from bot.views import MoveTap, esc
from coach.decision import day_label
from coach.history import SessionMove
from coach.model import Session
from coach.moves import MoveProblem, check_move, days_that_work

PREFIX = "mv"
MAX_OFFERED = 3  # the nearest days that work; more would be a menu, not an answer


@dataclass(frozen=True)
class ThisWeek:
    """The current week as the runner sees it, and what a move must keep clear of."""

    sessions: tuple[Session, ...]
    first_open: date  # today, or tomorrow once today's session is logged
    hard_outside: tuple[date, ...]  # hard days of last week and next week

    def on(self, day: date) -> Session | None:
        return next((s for s in self.sessions if s.date == day), None)

    def day_of(self, weekday: int) -> date:
        return self.sessions[0].date + timedelta(
            days=(weekday - self.sessions[0].date.weekday()) % 7
        )

    def check(self, from_day: date, to_day: date) -> MoveProblem | None:
        return check_move(self.sessions, from_day, to_day, self.first_open, self.hard_outside)

    def days_for(self, from_day: date) -> list[date]:
        return days_that_work(self.sessions, from_day, self.first_open, self.hard_outside)


def this_week(turn: Turn) -> ThisWeek:
    plan = turn.journal.plan(1)
    today = turn.today
    logged = turn.journal.day(today)
    first_open = today + timedelta(days=1) if logged.runs or logged.skipped else today
    first_open = max(first_open, plan.week.start)
    around = [*plan.history[-1:], *plan.upcoming[:1]]
    hard = tuple(s.date for week in around for s in week.sessions if s.hard)
    return ThisWeek(plan.week.sessions, first_open, hard)


# --- typed ------------------------------------------------------------------------------


def on_text(turn: Turn, text: str) -> bool:
    """Answer a message that asks to move a session; False when it asks for none."""
    ask = parse_move(text)
    if ask is None or not turn.onboarded:
        return False
    week = this_week(turn)
    if ask.other_week:
        turn.say(_only_this_week(week))
        return True
    _answer(turn, week, ask)
    return True


def _answer(turn: Turn, week: ThisWeek, ask: MoveAsk) -> None:
    from_day = week.day_of(ask.from_weekday)
    if ask.to_weekday is None:
        _offer_days(turn, week, from_day, texts.CANT_RUN, None)
        return
    _move(turn, week, from_day, week.day_of(ask.to_weekday), None)


def _only_this_week(week: ThisWeek) -> str:
    return texts.ONLY_THIS_WEEK.format(
        first=esc(day_label(week.sessions[0].date)), last=esc(day_label(week.sessions[-1].date))
    )


# --- the buttons ------------------------------------------------------------------------


def on_callback(turn: Turn, parts: list[str], message_id: int) -> None:
    tap = owned_tap(turn, MoveTap, parts)
    if tap is None:
        return
    week = this_week(turn)
    if tap.value == "menu":
        if tap.day != turn.today:
            turn.refuse(common.BUTTON_EXPIRED)  # yesterday's /week: the week may have moved on
            return
        _offer_sessions(turn, week, message_id)
        return
    if week.on(tap.day) is None:
        turn.refuse(common.BUTTON_EXPIRED)  # a day of another week
        return
    if tap.value == "pick":
        _offer_days(turn, week, tap.day, texts.WHICH_DAY, message_id)
        return
    to_day = _read_day(tap.value)
    if to_day is None or week.on(to_day) is None:
        turn.refuse(common.BUTTON_EXPIRED)
        return
    _move(turn, week, tap.day, to_day, message_id)


def _read_day(value: str) -> date | None:
    try:
        return datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        return None


def _offer_sessions(turn: Turn, week: ThisWeek, message_id: int) -> None:
    ahead = [s for s in week.sessions if s.date >= week.first_open and s.type != "rest"]
    if not ahead:
        turn.say(texts.NOTHING_LEFT, edit=message_id)
        return
    buttons = [(_label(s), MoveTap(turn.athlete_id, s.date, "pick").pack()) for s in ahead]
    turn.say(texts.WHICH_SESSION, [[b] for b in buttons])


def _offer_days(
    turn: Turn, week: ThisWeek, from_day: date, template: str, message_id: int | None
) -> None:
    session = week.on(from_day)
    assert session is not None
    day = esc(day_label(from_day))
    if from_day < week.first_open:
        turn.say(texts.WHY["past"].format(day=day), edit=message_id)
        return
    if session.type == "rest":
        turn.say(texts.ALREADY_REST.format(day=day), edit=message_id)
        return
    lead = template.format(day=day, session=esc(session.title))
    _say_with_days(turn, week, from_day, lead, message_id)


def _say_with_days(
    turn: Turn, week: ThisWeek, from_day: date, lead: str, message_id: int | None
) -> None:
    days = week.days_for(from_day)[:MAX_OFFERED]
    if not days:
        turn.say(f"{lead}\n{texts.NO_DAY_WORKS}" if lead else texts.NO_DAY_WORKS, edit=message_id)
        return
    keyboard = [
        [(_day_button(week, d), MoveTap(turn.athlete_id, from_day, d.strftime("%Y%m%d")).pack())]
        for d in days
    ]
    turn.say(lead, keyboard, edit=message_id)


def _move(turn: Turn, week: ThisWeek, from_day: date, to_day: date, message_id: int | None) -> None:
    problem = week.check(from_day, to_day)
    if problem is not None:
        why = texts.WHY[problem].format(day=esc(day_label(min(from_day, to_day))))
        if problem in ("past", "same_day", "nothing_to_move", "not_this_week", "race"):
            turn.say(why, edit=message_id)  # nothing nearer would fit better
            return
        _say_with_days(turn, week, from_day, f"{why}\n{texts.NEAREST}", message_id)
        return
    moved, other = week.on(from_day), week.on(to_day)
    assert moved is not None and other is not None
    if moved.type == "rest":  # "swap Thursday and Friday" with a rest Thursday: Friday's moves
        moved, other, from_day, to_day = other, moved, to_day, from_day
    key = f"move:{turn.today.isoformat()}:{from_day.isoformat()}:{to_day.isoformat()}"
    if not turn.journal.record(SessionMove(turn.today, from_day, to_day), key):
        turn.say(texts.ALREADY_MOVED, edit=message_id)  # the same move twice today
        return
    day, to = esc(day_label(from_day)), esc(day_label(to_day))
    if other.type == "rest":
        text = texts.MOVED.format(day=day, session=esc(moved.title), to=to)
    else:
        text = texts.SWAPPED.format(
            session=esc(moved.title), to=to, other=esc(other.title), day=day
        )
    turn.say(text, edit=message_id)


def _label(session: Session) -> str:
    return texts.BUTTON_DAY.format(day=day_label(session.date), what=session.title)


def _day_button(week: ThisWeek, day: date) -> str:
    session = week.on(day)
    what = texts.REST if session is None or session.type == "rest" else session.title
    return texts.BUTTON_DAY.format(day=day_label(day), what=what)
