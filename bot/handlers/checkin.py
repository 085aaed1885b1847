"""The check-in after a run day: one message, edited in place as the answers come.

The message is a function of the facts stored for its local date (`DayLog`), so a restart,
a double tap or a redelivered update changes nothing twice. The only other state is which
optional questions the runner passed over, kept with the date and the message being edited
in the conversation state; losing it just asks an optional question again.

Order: Done / Changed / Skipped; then RPE, quality, time and distance (optional), this
morning's resting HR (if not given yet, only on the day itself), then sleep, soreness and
stress (optional). Skipped asks why instead of RPE, quality and distance.

Callback data "ci:<athlete id>:<yyyymmdd>:<field>:<value>" with fields
    status   done | changed | skipped
    rpe      1-10
    quality  1-10
    reason   work | family | travel | illness | injury | other
    skip     dist | rhr | wellness    (pass over an optional typed question)
    note     done | changed | skipped (the next morning's note; it sits inside another
                                       message, so the check-in opens as a new message)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlmodel import Session
from telegram import Update

from bot import views
from bot.handlers import commands, freetext
from bot.handlers.common import Turn, takes_nothing
from bot.journal import (
    DayFacts,
    Journal,
    merged_run,
    rhr_key,
    run_key,
    skipped_key,
)
from bot.parsing import (
    LogItem,
    ParseError,
    SleepLog,
    parse_duration_distance,
    parse_free_text,
    parse_quality,
    parse_rhr,
    parse_rpe,
    parse_sleep_hours,
)
from bot.render import session_title
from bot.store import repo
from bot.store.models import Athlete, ConversationState
from bot.texts import checkin as texts
from bot.texts import common
from bot.views import CheckinTap, Keyboard, esc
from coach.decision import day_label
from coach.history import HEALTH_REASONS, RUN_INSTEAD, Event, RestingHR, Run, Skipped
from coach.model import Session as PlannedSession

PREFIX = "ci"
FLOW = "checkin"
MAX_AGE_DAYS = 7  # buttons older than this have expired
OPEN_BACK_DAYS = 2  # /checkin reaches back this far for an unanswered run day
# A typed answer this long after the last one is not an answer to the check-in any more.
STALE_AFTER = timedelta(hours=12)

STATUSES = ("done", "changed", "skipped")
SCORES = tuple(str(n) for n in range(1, 11))
OPTIONAL = ("dist", "rhr", "wellness")
FIELDS: dict[str, tuple[str, ...]] = {
    "status": STATUSES,
    "rpe": SCORES,
    "quality": SCORES,
    "reason": tuple(texts.REASONS),
    "instead": RUN_INSTEAD,
    "skip": OPTIONAL,
    "note": STATUSES,
}
SKIP_WORDS = frozenset({"skip", "pass", "no", "none", "nope", "-", "n/a", "na"})
# Steps that only take a tap; typed text then goes to the free-text log.
TAP_ONLY = ("status", "reason", "instead", "finished")
WELLNESS_ASKED = ("sleep_h", "soreness", "stress")  # mood is never asked, only told


# --- the state of a day -----------------------------------------------------------------


@dataclass(frozen=True)
class DayLog:
    """A run day's check-in: what was planned, what is stored, what was passed over."""

    athlete_id: int
    day: date
    planned: PlannedSession
    facts: DayFacts
    passed: frozenset[str]
    ask_rhr: bool  # only on the day itself: "this morning" means nothing a day later

    @property
    def answered(self) -> bool:
        return self.facts.run is not None or self.facts.skipped is not None

    @property
    def core_done(self) -> bool:
        """Everything the coach needs about the run itself."""
        run = self.facts.run
        if run is not None:
            return run.rpe is not None and run.quality is not None
        return self.facts.skipped is not None

    @property
    def step(self) -> str:
        """The next question, or "finished"."""
        run, skipped = self.facts.run, self.facts.skipped
        if run is not None:
            steps = [
                ("instead", not run.changed or run.instead is not None),
                ("rpe", run.rpe is not None),
                ("quality", run.quality is not None),
                ("dist", run.distance_m is not None),
            ]
        elif skipped is not None:
            steps = [("reason", skipped.reason != "other")]
        else:
            return "status"
        wellness = self.facts.wellness
        steps += [
            ("rhr", self.facts.rhr is not None or not self.ask_rhr),
            (
                "wellness",
                wellness is not None
                and all(getattr(wellness, name) is not None for name in WELLNESS_ASKED),
            ),
        ]
        return next(
            (name for name, done in steps if not done and name not in self.passed), "finished"
        )


def load(journal: Journal, day: date, passed: frozenset[str]) -> DayLog | None:
    """The check-in of `day`, or None when no run was planned for it."""
    planned = journal.planned_run(day)
    if planned is None:
        return None
    return DayLog(
        journal.athlete_id, day, planned, journal.day(day), passed, ask_rhr=day == journal.today
    )


def _passed(conversation: ConversationState | None, day: date) -> frozenset[str] | None:
    """The optional questions passed over, or None when no check-in of `day` is open."""
    if conversation is None or conversation.flow != FLOW:
        return None
    if conversation.data.get("date") != day.isoformat():
        return None
    return frozenset(str(step) for step in conversation.data.get("passed", []))


def _finished_once(log: DayLog, passed: frozenset[str] | None) -> DayLog:
    """A check-in answered and closed is finished: a later tap changes only what it
    names and never reopens the questions the runner passed over."""
    if passed is None and log.core_done:
        return replace(log, passed=frozenset(OPTIONAL))
    return replace(log, passed=passed or frozenset())


# --- what the scheduled messages call ---------------------------------------------------


def checkin_message(session: Session, athlete: Athlete, day: date) -> tuple[str, Keyboard] | None:
    """The evening check-in for `day`; None on a day without a run or already answered."""
    return checkin_view(Journal(session, athlete, day), day)


def checkin_view(journal: Journal, day: date) -> tuple[str, Keyboard] | None:
    """The check-in of `day` as it stands; None without a run or once answered."""
    passed = _passed(repo.get_conversation(journal.session, journal.athlete_id), day)
    log = load(journal, day, passed or frozenset())
    if log is None or log.core_done:
        return None
    text, keyboard = render(log, journal.athlete.units)
    return text, keyboard or []


def missing_note(session: Session, athlete: Athlete, day: date) -> tuple[str, Keyboard] | None:
    """Next morning, asked once: `day` had a run and no answer at all. Otherwise None."""
    return missing_note_view(Journal(session, athlete, day + timedelta(days=1)), day)


def missing_note_view(journal: Journal, day: date) -> tuple[str, Keyboard] | None:
    log = load(journal, day, frozenset())
    if log is None or log.answered:
        return None
    text = texts.MISSING_NOTE.format(day=esc(day_label(day)), session=esc(log.planned.title))
    return text, _status_keyboard(log, "note")


# --- the message ------------------------------------------------------------------------


def render(log: DayLog, units: str) -> tuple[str, Keyboard | None]:
    lines = [texts.TITLE.format(day=esc(day_label(log.day))), _planned_line(log.planned)]
    lines += _fact_lines(log, units)
    step = log.step
    lines += ["", _closing(log) if step == "finished" else _question(log, step)]
    return "\n".join(lines), _keyboard(log, step)


def _planned_line(planned: PlannedSession) -> str:
    if planned.target_rpe is None:
        return texts.PLANNED.format(session=session_title(planned))
    return texts.PLANNED_WITH_TARGET.format(
        session=session_title(planned), target=planned.target_rpe
    )


def _fact_lines(log: DayLog, units: str) -> list[str]:
    facts = log.facts
    lines: list[str] = []
    if facts.run is not None:
        lines.append(_run_line(facts.run, units))
    elif facts.skipped is not None:
        reason = facts.skipped.reason
        if reason != "other" or "reason" in log.passed:
            label = texts.REASONS.get(reason, reason)
            lines.append(texts.SKIPPED_BECAUSE.format(reason=esc(label)))
        else:
            lines.append(texts.SKIPPED)
    if facts.rhr is not None:
        lines.append(texts.RHR.format(bpm=facts.rhr))
    parts = views.wellness_parts(facts.wellness)
    if parts:
        lines.append(texts.WELLNESS.format(details=texts.SEPARATOR.join(parts)))
    return lines


def _run_line(run: Run, units: str) -> str:
    parts = [views.minutes_text(run.duration_min)]
    if run.distance_m:
        parts.append(views.distance_text(run.distance_m, units))
    if run.rpe is not None:
        parts.append(texts.EFFORT.format(rpe=run.rpe))
    if run.quality is not None:
        parts.append(texts.QUALITY.format(quality=run.quality))
    if run.instead is not None:
        parts.append(texts.INSTEAD_SHORT[run.instead])
    return texts.RAN.format(details=texts.SEPARATOR.join(parts))


def _question(log: DayLog, step: str) -> str:
    if step == "rpe" and log.planned.target_rpe is not None:
        return texts.ASK_RPE_WITH_TARGET.format(target=log.planned.target_rpe)
    questions = {
        "status": texts.ASK_STATUS,
        "rpe": texts.ASK_RPE,
        "quality": texts.ASK_QUALITY,
        "dist": texts.ASK_DISTANCE,
        "rhr": texts.ASK_RHR,
        "wellness": texts.ASK_WELLNESS,
        "reason": texts.ASK_REASON,
        "instead": texts.ASK_INSTEAD,
    }
    return questions[step]


def _closing(log: DayLog) -> str:
    run, target = log.facts.run, log.planned.target_rpe
    if run is not None:
        if run.rpe is None or target is None:
            return texts.ALL_LOGGED
        return views.compared_to_target(run.rpe, target)
    reason = log.facts.skipped.reason if log.facts.skipped is not None else "other"
    return texts.GET_WELL if reason in HEALTH_REASONS else texts.LIFE_HAPPENS


# --- buttons ----------------------------------------------------------------------------


def callback_data(athlete_id: int, day: date, field: str, value: str) -> str:
    return CheckinTap(athlete_id, day, field, value).pack()


def _keyboard(log: DayLog, step: str) -> Keyboard | None:
    def button(label: str, field: str, value: str) -> tuple[str, str]:
        return label, callback_data(log.athlete_id, log.day, field, value)

    if step == "status":
        return _status_keyboard(log)
    if step in ("rpe", "quality"):
        return [[button(v, step, v) for v in SCORES[:5]], [button(v, step, v) for v in SCORES[5:]]]
    if step == "reason":
        reasons = [button(label, "reason", value) for value, label in texts.REASONS.items()]
        return [reasons[:3], reasons[3:]]
    if step == "instead":
        choices = [button(texts.INSTEAD[value], "instead", value) for value in RUN_INSTEAD]
        return [choices[:2], choices[2:]]
    if step in OPTIONAL:
        return [[button(texts.BUTTON_SKIP, "skip", step)]]
    return None


def _status_keyboard(log: DayLog, field: str = "status") -> Keyboard:
    labels = (texts.BUTTON_DONE, texts.BUTTON_CHANGED, texts.BUTTON_SKIPPED)
    return [
        [
            (label, callback_data(log.athlete_id, log.day, field, status))
            for label, status in zip(labels, STATUSES, strict=True)
        ]
    ]


def read_tap(data: str) -> CheckinTap | None:
    """The tapped button, or None for anything malformed or a value it never carries."""
    tap = CheckinTap.unpack(data)
    if tap is None or tap.value not in FIELDS.get(tap.field, ()):
        return None
    return tap


def on_callback(turn: Turn, parts: list[str], message_id: int) -> None:
    tap = read_tap(":".join([PREFIX, *parts]))
    if tap is None:
        turn.refuse(common.BUTTON_EXPIRED)
        return
    if tap.athlete_id != turn.athlete_id:
        turn.refuse(common.BUTTON_NOT_YOURS)
        return
    log = _open(turn, tap.day) if _recent(tap.day, turn.today) else None
    if log is None:
        turn.refuse(common.BUTTON_EXPIRED)
        return
    edit: int | None = message_id
    if tap.field == "note":
        if log.answered:
            turn.answer = texts.ALREADY_ANSWERED  # the check-in was opened already
            return
        tap, edit = replace(tap, field="status"), None  # leave the message it sits in alone
    try:
        _show(turn, _apply_tap(turn, log, tap), edit)
    except ParseError as problem:  # a planned run without minutes to default to
        turn.say(problem.message)


def _recent(day: date, today: date) -> bool:
    return timedelta(0) <= today - day <= timedelta(days=MAX_AGE_DAYS)


def _open(turn: Turn, day: date) -> DayLog | None:
    if not turn.onboarded:
        return None
    passed = _passed(repo.get_conversation(turn.session, turn.athlete_id), day)
    log = load(turn.journal, day, frozenset())
    return None if log is None else _finished_once(log, passed)


def _apply_tap(turn: Turn, log: DayLog, tap: CheckinTap) -> DayLog:
    """Store what the tap says (once) and return the day as it is now."""
    run, skipped, passed = log.facts.run, log.facts.skipped, set(log.passed)
    if tap.field == "status":
        if log.answered:
            turn.answer = texts.ALREADY_ANSWERED  # a double tap or an old message
        elif tap.value == "skipped":
            _record(turn, Skipped(date=log.day, reason="other"), skipped_key(log.day))
        else:
            changed = tap.value == "changed"
            run_event = merged_run(log.day, None, log.planned, changed=changed or None)
            if changed:
                turn.answer = texts.CHANGED_NOTICE
            _record(turn, run_event, run_key(log.day))
    elif tap.field in ("rpe", "quality") and run is not None:
        value = int(tap.value)
        if tap.field == "rpe":
            _record(turn, replace(run, rpe=value), run_key(log.day))
        else:
            _record(turn, replace(run, quality=value), run_key(log.day))
    elif tap.field == "instead" and run is not None and run.changed:
        _record(turn, replace(run, instead=tap.value), run_key(log.day))
    elif tap.field == "reason" and skipped is not None:
        _record(turn, replace(skipped, reason=tap.value), skipped_key(log.day))
        passed.add("reason")  # "other" is an answer too
    elif tap.field == "skip":
        passed.add(tap.value)
    else:
        turn.answer = texts.ALREADY_ANSWERED  # a tap for a question this day never had
    return _reload(turn, log, frozenset(passed))


def _record(turn: Turn, event: Event, key: str) -> None:
    turn.journal.record(event, key, replace_key=True)


def _reload(turn: Turn, log: DayLog, passed: frozenset[str]) -> DayLog:
    return replace(log, facts=turn.journal.day(log.day), passed=passed)


def _show(turn: Turn, log: DayLog, message_id: int | None) -> None:
    """Edit the check-in message (or send it) and remember where typed answers go."""
    text, keyboard = render(log, turn.athlete.units)
    step = log.step
    if step in ("status", "finished"):
        _forget(turn)
        turn.say(text, keyboard, edit=message_id)
        return
    # The time comes from the bot's clock (the row's updated_at is bookkeeping wall time).
    data = {"date": log.day.isoformat(), "passed": sorted(log.passed), "at": turn.now.isoformat()}
    repo.save_conversation(turn.session, turn.athlete_id, FLOW, step, data, message_id)
    turn.say(text, keyboard, edit=message_id, on_sent=_remember(turn.athlete_id, log.day))


def _forget(turn: Turn) -> None:
    conversation = repo.get_conversation(turn.session, turn.athlete_id)
    if conversation is not None and conversation.flow == FLOW:
        repo.clear_conversation(turn.session, turn.athlete_id)


def _remember(athlete_id: int, day: date) -> Callable[[Session, int], None]:
    """After sending: typed answers edit the message that was actually sent."""

    def remember(session: Session, message_id: int) -> None:
        state = repo.get_conversation(session, athlete_id)
        if state is None or state.flow != FLOW or state.data.get("date") != day.isoformat():
            return
        repo.save_conversation(session, athlete_id, FLOW, state.step, state.data, message_id)

    return remember


# --- /checkin ---------------------------------------------------------------------------


def start(turn: Turn, update: Update) -> None:
    if not takes_nothing(turn, update, "checkin"):  # "/checkin 2027-02-30": refused, as all
        return
    day = _day_to_open(turn)
    if day is None:
        turn.say(_no_run_today(turn))
        return
    log = _open(turn, day)
    assert log is not None  # _day_to_open only returns run days
    _show(turn, log, None)


def _day_to_open(turn: Turn) -> date | None:
    """Today if it is a run day, else the latest recent run day still unanswered."""
    today = turn.today
    if turn.journal.planned_run(today) is not None:
        return today
    for back in range(1, OPEN_BACK_DAYS + 1):
        log = _open(turn, today - timedelta(days=back))
        if log is not None and not log.answered:
            return log.day
    return None


def _no_run_today(turn: Turn) -> str:
    start_date = turn.journal.start_date
    if turn.today < start_date:
        return common.PLAN_STARTS_ON.format(day=esc(day_label(start_date)))
    return texts.REST_DAY


# --- typed answers ----------------------------------------------------------------------


def on_text(turn: Turn, conversation: ConversationState, text: str) -> None:
    log = _typed_for(turn, conversation)
    if log is not None and log.day != turn.today and freetext.reads_as_a_log(text):
        log = None  # "rhr 52" typed this morning is this morning's, not the check-in's day
    if log is None or log.step in TAP_ONLY:
        if log is None or log.step != "reason":
            _forget(turn)
        freetext.on_text(turn, text)  # not an answer to the check-in: nothing is lost
        return
    try:
        passed = _answer(turn, log, text)
    except ParseError as problem:
        if not _logged_in_words(turn, log, text):
            # Nothing stored; the question stays. "rhr 300" gets the heart-rate range.
            turn.say(freetext.labelled_problem(text) or problem.message)
            return
        passed = log.passed
        asking = repo.get_conversation(turn.session, turn.athlete_id)
        if asking is not None and asking.flow == freetext.FLOW:
            return  # it asked "a second run, or a correction?": that question goes first
    _show(turn, _reload(turn, log, passed), conversation.message_id)


def _logged_in_words(turn: Turn, log: DayLog, text: str) -> bool:
    """Not an answer to the question, but a whole sentence ("ran 8k in 42 min rpe 6"):
    logged like any free text (today, or yesterday if it says so), with its own reply."""
    if not freetext.reads_as_a_log(text):
        return False  # the question's own problem says best what to send
    freetext.on_text(turn, text, correcting=log.day)
    return True


def _typed_for(turn: Turn, conversation: ConversationState) -> DayLog | None:
    """The check-in a typed message answers, or None when the conversation went stale."""
    try:
        day = date.fromisoformat(str(conversation.data.get("date")))
        asked_at = datetime.fromisoformat(str(conversation.data.get("at")))
    except ValueError:
        return None
    if asked_at.tzinfo is None or turn.now - asked_at > STALE_AFTER:
        return None
    if not _recent(day, turn.today):
        return None
    return _open(turn, day)


def _answer(turn: Turn, log: DayLog, text: str) -> frozenset[str]:
    """Store a typed answer to the current question; returns the steps passed over."""
    step, passed = log.step, set(log.passed)
    run = log.facts.run
    if step in OPTIONAL and text.casefold().strip(" .!") in SKIP_WORDS:
        return frozenset(passed | {step})
    if step in ("rpe", "quality") and run is not None:
        if step == "rpe":
            _record(turn, replace(run, rpe=parse_rpe(text)), run_key(log.day))
        else:
            _record(turn, replace(run, quality=parse_quality(text)), run_key(log.day))
    elif step == "dist":
        minutes, metres = parse_duration_distance(text)
        updated = merged_run(log.day, run, log.planned, duration_min=minutes, distance_m=metres)
        _record(turn, updated, run_key(log.day))
        commands.result_from_checkin(turn, log.day, log.planned, text)  # "5k 23:10" on trial day
    elif step == "rhr":
        _record(turn, RestingHR(date=log.day, bpm=parse_rhr(text)), rhr_key(log.day))
    elif step == "wellness":
        _answer_wellness(turn, log, text)
    return frozenset(passed | {step}) if step in OPTIONAL else frozenset(passed)


def _answer_wellness(turn: Turn, log: DayLog, text: str) -> None:
    items: list[LogItem] = parse_free_text(text)
    if not items:
        items = [_bare_sleep(text)]  # "7h" or "7.5" asked about sleep means hours slept
    # Whatever else came with it (a resting HR, say) is logged for the same day.
    turn.journal.store(turn.journal.plan_log(items, log.day, "fix"))


def _bare_sleep(text: str) -> SleepLog:
    try:
        return SleepLog(parse_sleep_hours(text))
    except ParseError:
        raise ParseError(texts.WELLNESS_UNCLEAR) from None
