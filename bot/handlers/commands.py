"""The command family: /today /week /deload /rhr /trial /paces /pause /resume /settings /help."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from sqlmodel import select
from telegram import Update

from bot import render
from bot.handlers import freetext
from bot.handlers.common import (
    Turn,
    argument_of,
    not_started,
    owned_tap,
    takes_nothing,
)
from bot.journal import rhr_key
from bot.parsing import (
    NeedsConfirmation,
    ParseError,
    clean_text,
    is_no,
    is_yes,
    labelled_problem,
    parse_log_day,
    parse_race,
    parse_rhr,
    reads_as_a_log,
)
from bot.store import repo
from bot.store.models import ConversationState, Delivery
from bot.texts import commands as texts
from bot.texts import common
from bot.views import DayTap, DeloadTap, PauseTap, RhrTap, esc, move_keyboard
from coach import results
from coach.decision import day_label
from coach.errors import CoachInputError
from coach.history import (
    WEEKDAYS,
    DeloadRequest,
    Pause,
    RestingHR,
    Resume,
    TimeTrial,
    profile_on,
)
from coach.model import Plan, Week
from coach.paces import (
    PREDICTED_DISTANCES,
    format_distance,
    format_duration,
    race_predictions,
    training_paces,
    vdot_from_race,
)
from coach.replay import pause_on


@dataclass(frozen=True)
class TrialTap(DayTap):
    prefix: ClassVar[str] = "tr"  # value: yes | no, for the result the conversation keeps


# --- small helpers ---------------------------------------------------------------------


def _plan(turn: Turn, weeks_ahead: int = 2) -> Plan:
    return turn.journal.plan(weeks_ahead)


# --- /help, /today, /week ---------------------------------------------------------------


def help_command(turn: Turn, update: Update) -> None:
    lines = "\n".join(f"/{name} — {esc(what)}" for name, what in common.COMMANDS)
    turn.say(common.HELP.format(commands=lines))


def today(turn: Turn, update: Update) -> None:
    if not takes_nothing(turn, update, "today") or not_started(turn):
        return
    journal = turn.journal
    paused = pause_on(journal.history, turn.today)
    if paused is not None:
        turn.say(texts.PAUSED_TODAY.format(reason=esc(paused[1])))
        return
    text, keyboard = render.today_view(journal, turn.today, turn.units)
    asks_rhr = not journal.logged(turn.today, "rhr")
    if asks_rhr and repo.get_conversation(turn.session, turn.athlete_id) is None:
        # So a bare "52" in reply is this morning's resting HR (bot.handlers.router).
        data = {"date": turn.today.isoformat()}
        repo.save_conversation(turn.session, turn.athlete_id, "rhr", "ask", data)
    turn.say(render.clip(text), keyboard or None)


def _marks(turn: Turn, week: Week) -> dict[str, str]:
    marks: dict[str, str] = {}
    dates = {s.date for s in week.sessions}
    for event in turn.journal.events():
        if event.date in dates and event.type in ("run", "cross"):
            session = week.session_on(event.date)
            changed = (
                event.type == "cross"
                or session.type == "rest"
                or (event.type == "run" and event.changed)
            )
            marks[event.date.isoformat()] = "changed" if changed else "done"
        elif event.date in dates and event.type == "skipped":
            marks.setdefault(event.date.isoformat(), "skipped")
    return marks


def week(turn: Turn, update: Update) -> None:
    if not takes_nothing(turn, update, "week") or not_started(turn):
        return
    plan = _plan(turn, weeks_ahead=1)
    current = plan.week
    heading = texts.LEAD_IN_HEADING if current.index < 0 else texts.WEEK_HEADING
    lines = [heading.format(number=current.index + 1, start=day_label(current.start))]
    lines += render.week_lines(current, _marks(turn, current))
    lines += ["", render.decision_html(current), ""]
    if plan.upcoming:
        following = plan.upcoming[0]
        lines.append(
            texts.WEEK_NEXT.format(
                action=esc(following.decision.action), outline=render.week_outline(following)
            )
        )
    else:
        lines.append(texts.WEEK_NOTHING_NEXT)
    turn.say(render.clip("\n".join(lines)), move_keyboard(turn.athlete_id, turn.today))


# --- /rhr and the morning buttons -------------------------------------------------------


def rhr(turn: Turn, update: Update) -> None:
    argument = argument_of(update)
    if not argument:
        turn.say(texts.RHR_USAGE)
        return
    try:
        bpm = parse_rhr(clean_text(argument))
    except ParseError as problem:
        turn.say(problem.message)
        return
    log_rhr(turn, turn.today, bpm)


def on_rhr_callback(turn: Turn, parts: list[str], message_id: int) -> None:
    tap = owned_tap(turn, RhrTap, parts)
    if tap is None:
        return
    day = tap.day
    if day != turn.today or not (tap.value.isascii() and tap.value.isdigit()):
        turn.refuse(common.BUTTON_EXPIRED)  # a reading belongs to its own morning
        return
    try:
        bpm = parse_rhr(tap.value)
    except ParseError as problem:
        turn.refuse(problem.message)
        return
    turn.answer = f"{bpm} ✓"
    log_rhr(turn, day, bpm)


def log_rhr(turn: Turn, day: date, bpm: int) -> None:
    """Store one morning's resting HR and say what it means against the baseline."""
    journal = turn.journal
    before = journal.planned_on(day)
    journal.record(RestingHR(day, bpm), rhr_key(day), replace_key=True)
    plan = journal.plan()
    lines = [texts.RHR_LOGGED.format(bpm=bpm)]
    if plan.metrics.rhr_baseline is not None:
        lines.append(texts.RHR_VS_BASELINE.format(baseline=plan.metrics.rhr_baseline))
    after = plan.session_on(day)
    if before is not None and after is not None and before.hard and not after.hard:
        lines.append(texts.RHR_CHANGED_TODAY.format(title=esc(before.title)))
    turn.say(" ".join(lines))


# "50" or "50 bpm" and nothing else: the answer to the question just asked, if there was one.
_BARE_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?\s*(?:bpm)?")


def on_rhr_text(turn: Turn, conversation: ConversationState, text: str) -> None:
    """/today asked for this morning's resting HR: a bare number answers it; anything else
    is read as usual, and the question lapses either way."""
    repo.clear_conversation(turn.session, turn.athlete_id)
    if _BARE_NUMBER.fullmatch(text.casefold()) and conversation.data.get("date") == str(turn.today):
        answer_rhr(turn, text)
    else:
        freetext.on_text(turn, text)


def answers_the_morning_rhr(turn: Turn, text: str) -> bool:
    """A bare number typed after this morning's message asked for the resting HR."""
    return _BARE_NUMBER.fullmatch(text.casefold()) is not None and _asked_rhr(turn, turn.today)


def _asked_rhr(turn: Turn, day: date) -> bool:
    """This morning's message went out asking for the resting HR, and none is logged yet."""
    if turn.journal.logged(day, "rhr"):
        return False
    sent = select(Delivery.id).where(
        Delivery.athlete_id == turn.athlete_id,
        Delivery.local_date == day,
        Delivery.kind == "morning",
        Delivery.status == "sent",
    )
    return turn.session.exec(sent).first() is not None


def answer_rhr(turn: Turn, text: str) -> None:
    try:
        bpm = parse_rhr(text)
    except ParseError as problem:  # "300": the heart-rate range, not the free-text hint
        turn.say(problem.message)
        return
    log_rhr(turn, turn.today, bpm)


# --- /deload ----------------------------------------------------------------------------


def deload(turn: Turn, update: Update) -> None:
    if not takes_nothing(turn, update, "deload") or not_started(turn):
        return
    yes, no = (DeloadTap(turn.athlete_id, turn.today, v).pack() for v in ("yes", "no"))
    turn.say(texts.DELOAD_CONFIRM, [[(texts.DELOAD_YES, yes), (texts.DELOAD_NO, no)]])


def on_deload_callback(turn: Turn, parts: list[str], message_id: int) -> None:
    tap = owned_tap(turn, DeloadTap, parts)
    if tap is None:
        return
    if tap.day != turn.today or tap.value not in ("yes", "no"):
        turn.refuse(common.BUTTON_EXPIRED)
        return
    if tap.value == "no":
        turn.say(texts.DELOAD_KEPT, edit=message_id)
        return
    before = _plan(turn, weeks_ahead=1)
    stored = turn.journal.record(DeloadRequest(turn.today), f"deload:{turn.today.isoformat()}")
    if not stored:
        turn.say(texts.DELOAD_ALREADY, edit=message_id)
        return
    after = _plan(turn, weeks_ahead=1)
    turn.say(_deload_summary(before, after, turn.today), edit=message_id)


def _deload_summary(before: Plan, after: Plan, today: date) -> str:
    lines = [texts.DELOAD_DONE, "", texts.DELOAD_CHANGES]
    for old, new in zip(before.week.sessions, after.week.sessions, strict=True):
        if new.date >= today and (old.title, old.planned_min) != (new.title, new.planned_min):
            lines.append(
                f"• {day_label(new.date)}: {render.session_title(old)} → "
                f"{render.session_title(new)}"
            )
    if after.upcoming:
        following = after.upcoming[0]
        lines.append(
            texts.DELOAD_NEXT_WEEK.format(minutes=following.planned_min, kind=esc(following.kind))
        )
    return "\n".join(lines)


# --- /trial and /paces ------------------------------------------------------------------


def trial(turn: Turn, update: Update) -> None:
    argument = argument_of(update)
    if argument:
        _log_trial(turn, argument)
        return
    repo.save_conversation(turn.session, turn.athlete_id, "trial", "result")
    turn.say(texts.TRIAL_ASK)


def on_trial_text(turn: Turn, conversation: ConversationState, text: str) -> None:
    """The trial result; a message that is clearly a log instead goes to free text."""
    pending = conversation.data.get("text") if conversation.step == "confirm" else None
    if pending is not None and is_yes(text):
        _log_trial(turn, str(pending), confirmed=True)
        return
    if pending is not None and is_no(text):
        repo.clear_conversation(turn.session, turn.athlete_id)
        turn.say(texts.TRIAL_NOT_LOGGED)
        return
    try:
        parse_race(parse_log_day(clean_text(text), turn.today)[1])
    except NeedsConfirmation:
        pass
    except ParseError:
        if reads_as_a_log(text):
            repo.clear_conversation(turn.session, turn.athlete_id)
            freetext.on_text(turn, text)
            return
        labelled = labelled_problem(text)
        if labelled is not None:  # "rhr 300": the heart-rate range, not the race example
            turn.say(labelled)
            return
    _log_trial(turn, text)


def on_trial_callback(turn: Turn, parts: list[str], message_id: int) -> None:
    """Yes or No to a trial that needed confirming (hours for a marathon, a big jump)."""
    tap = owned_tap(turn, TrialTap, parts)
    if tap is None:
        return
    conversation = repo.get_conversation(turn.session, turn.athlete_id)
    if (
        tap.day != turn.today
        or tap.value not in ("yes", "no")
        or conversation is None
        or (conversation.flow, conversation.step) != ("trial", "confirm")
    ):
        turn.refuse(common.BUTTON_EXPIRED)
        return
    if tap.value == "no":
        repo.clear_conversation(turn.session, turn.athlete_id)
        turn.say(texts.TRIAL_NOT_LOGGED, edit=message_id)
        return
    _log_trial(turn, str(conversation.data.get("text", "")), confirmed=True)


def _ask_to_confirm(turn: Turn, question: str, text: str, yes: str) -> None:
    """Keep the result as the runner would retype it; log it on Yes."""
    repo.save_conversation(turn.session, turn.athlete_id, "trial", "confirm", {"text": text})
    buttons = [
        (yes, TrialTap(turn.athlete_id, turn.today, "yes").pack()),
        (texts.TRIAL_CONFIRM_NO, TrialTap(turn.athlete_id, turn.today, "no").pack()),
    ]
    turn.say(question, [buttons])


def _log_trial(turn: Turn, text: str, confirmed: bool = False) -> None:
    """Log "5k 23:10", "5k 23:10 yesterday" or "5k 23:10 2027-02-01" (a day that has passed)."""
    try:
        day, race = parse_log_day(clean_text(text), turn.today)
        if day > turn.today:
            raise ParseError(texts.TRIAL_IN_FUTURE.format(day=esc(day_label(day))))
        distance, seconds = parse_race(race)
        # One decimal, as the plan uses: the same fitness shows the same paces everywhere.
        vdot = round(vdot_from_race(distance, seconds), 1)
    except NeedsConfirmation as question:
        _ask_to_confirm(
            turn, question.message, f"{question.answer} {day.isoformat()}", question.label
        )
        return
    except ParseError as problem:
        turn.say(problem.message)
        return
    except CoachInputError as problem:
        turn.say(esc(str(problem)).capitalize() + ".")
        return
    units = turn.units
    old = _plan(turn, 0)
    if not confirmed and results.needs_confirmation(old.vdot, vdot):
        jump = texts.TRIAL_BIG_JUMP.format(old=old.vdot, new=vdot)
        _ask_to_confirm(turn, jump, f"{race} {day.isoformat()}", texts.TRIAL_CONFIRM_YES)
        return
    turn.journal.record(
        TimeTrial(day, distance, seconds), f"trial:{day.isoformat()}", replace_key=True
    )
    conversation = repo.get_conversation(turn.session, turn.athlete_id)
    if conversation is not None and conversation.flow == "trial":  # a check-in carries on
        repo.clear_conversation(turn.session, turn.athlete_id)
    new_paces = render.paces_html(training_paces(vdot), vdot, units)
    logged = texts.TRIAL_LOGGED.format(
        distance=render.race_label(distance, units), time=format_duration(seconds)
    )
    if day != turn.today:
        logged = texts.TRIAL_LOGGED_ON.format(day=esc(day_label(day)), logged=logged)
    lines = [logged]
    old_paces = render.plan_paces_html(old, units)
    if old_paces is None:
        lines.append(texts.TRIAL_FIRST.format(new=new_paces))
    else:
        lines.append(texts.TRIAL_OLD_NEW.format(old=old_paces, new=new_paces))
    turn.say("\n\n".join(lines))


def paces(turn: Turn, update: Update) -> None:
    if not takes_nothing(turn, update, "paces"):
        return
    plan = _plan(turn, 0)
    if plan.vdot is None or plan.paces is None:
        turn.say(texts.PACES_NONE)
        return
    predictions = race_predictions(plan.vdot)
    listed = ", ".join(
        f"{name} {format_duration(predictions[name])}" for name in PREDICTED_DISTANCES
    )
    turn.say(
        render.paces_html(plan.paces, plan.vdot, turn.units)
        + "\n"
        + texts.PREDICTIONS.format(predictions=listed)
    )


# --- /pause and /resume -----------------------------------------------------------------


def pause(turn: Turn, update: Update) -> None:
    if not takes_nothing(turn, update, "pause"):
        return
    paused = pause_on(turn.journal.history, turn.today)
    if paused is not None:
        turn.say(texts.ALREADY_PAUSED.format(day=day_label(paused[0]), reason=esc(paused[1])))
        return
    buttons = [
        (label, PauseTap(turn.athlete_id, turn.today, reason).pack())
        for reason, label in texts.PAUSE_REASONS
    ]
    rows = [buttons[:2], buttons[2:]]
    turn.say(texts.PAUSE_ASK, rows)


def on_pause_callback(turn: Turn, parts: list[str], message_id: int) -> None:
    tap = owned_tap(turn, PauseTap, parts)
    if tap is None:
        return
    reasons = dict(texts.PAUSE_REASONS)
    if tap.day != turn.today or tap.value not in reasons:
        turn.refuse(common.BUTTON_EXPIRED)
        return
    if pause_on(turn.journal.history, turn.today) is None:
        turn.journal.record(Pause(turn.today, None, tap.value), f"pause:{turn.today.isoformat()}")
    turn.say(texts.PAUSED.format(reason=esc(reasons[tap.value].lower())), edit=message_id)


def resume(turn: Turn, update: Update) -> None:
    if not takes_nothing(turn, update, "resume"):
        return
    if pause_on(turn.journal.history, turn.today) is None:
        turn.say(texts.NOT_PAUSED)
        return
    turn.journal.record(Resume(turn.today), f"resume:{turn.today.isoformat()}")
    plan = _plan(turn, 1)
    # The restart is decided at a week boundary: this week if it began today, else the next.
    resumed = next((w for w in plan.weeks if w.decision.action == "resume"), plan.week)
    turn.say(texts.RESUMED + "\n\n" + render.decision_html(resumed))


# --- /settings --------------------------------------------------------------------------


def settings(turn: Turn, update: Update) -> None:
    if not takes_nothing(turn, update, "settings"):
        return
    a = turn.athlete
    # The profile in force today, or from the day a change takes effect.
    profile = profile_on(turn.journal.history, date.max, known_by=turn.today)
    goal = texts.NO_GOAL
    if profile.goal is not None:
        goal = (
            f"{format_distance(profile.goal.distance_m, turn.units)} on "
            f"{day_label(profile.goal.date)} {profile.goal.date.year}"
        )
    turn.say(
        texts.SETTINGS.format(
            time_zone=esc(a.time_zone),
            morning=a.morning_time.strftime("%H:%M"),
            checkin=a.checkin_time.strftime("%H:%M"),
            units="miles" if a.units == "mi" else "kilometres",
            run_days=", ".join(WEEKDAYS[d] for d in profile.run_days),
            quality=WEEKDAYS[profile.quality_day],
            long_run=WEEKDAYS[profile.long_run_day],
            minutes=profile.weekly_minutes,
            goal=goal,
        )
    )
