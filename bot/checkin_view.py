"""The check-in of a run day as the runner sees it: what was planned, what is stored,
the next question and its buttons. Built from a journal; nothing here changes the store
(it reads which optional questions the open check-in passed over).

`bot.handlers.checkin` applies the answers; `bot.outbox` sends the same view as the
evening message and as the next morning's note.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from bot import views
from bot.journal import DayFacts, Journal
from bot.render import race_label, session_title
from bot.store import repo
from bot.store.models import ConversationState
from bot.texts import checkin as texts
from bot.views import CheckinTap, Keyboard, esc
from coach.decision import day_label
from coach.history import HEALTH_REASONS, RUN_INSTEAD, Run, TimeTrial
from coach.model import Session as PlannedSession
from coach.paces import format_duration

FLOW = "checkin"  # the stored conversation of an open check-in
STATUSES = ("done", "changed", "skipped")
SCORES = tuple(str(n) for n in range(1, 11))
OPTIONAL = ("dist", "rhr", "wellness")
WELLNESS_ASKED = ("sleep_h", "soreness", "stress")  # mood is never asked, only told

MAX_AGE_DAYS = 7  # check-in buttons older than this have expired


# --- the state of a day -----------------------------------------------------------------


@dataclass(frozen=True)
class TrialResult:
    """A result typed at a time-trial day's check-in, waiting for the runner's Yes.

    `was_vdot` is the fitness the plan had before it; a jump of more than 10 % says so.
    """

    distance_m: float
    time_s: float
    vdot: float
    was_vdot: float | None
    big_jump: bool


@dataclass(frozen=True)
class DayLog:
    """A run day's check-in: what was planned, what is stored, what was passed over."""

    athlete_id: int
    day: date
    planned: PlannedSession
    facts: DayFacts
    passed: frozenset[str]
    ask_rhr: bool  # only on the day itself: "this morning" means nothing a day later
    trial: TrialResult | None = None  # a result typed at the trial day's check-in
    trial_logged: TimeTrial | None = None  # the day's stored result

    @property
    def trial_day(self) -> bool:
        return self.planned.type == "time_trial"

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
        if self.trial is not None and run is not None:
            return "trial"
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
        journal.athlete_id,
        day,
        planned,
        journal.day(day),
        passed,
        ask_rhr=day == journal.today,
        trial_logged=day_trial(journal, day),
    )


def day_trial(journal: Journal, day: date) -> TimeTrial | None:
    """The time trial stored for `day` (the latest, if several)."""
    trials = [e for e in journal.logged(day, "time_trial") if isinstance(e, TimeTrial)]
    return trials[-1] if trials else None


def passed_over(conversation: ConversationState | None, day: date) -> frozenset[str] | None:
    """The optional questions passed over, or None when no check-in of `day` is open."""
    if conversation is None or conversation.flow != FLOW:
        return None
    if conversation.data.get("date") != day.isoformat():
        return None
    return frozenset(str(step) for step in conversation.data.get("passed", []))


def pending_trial(conversation: ConversationState | None, day: date) -> TrialResult | None:
    """The result an open check-in of `day` is asking the runner to confirm, if any."""
    if passed_over(conversation, day) is None or conversation is None:
        return None
    stored = conversation.data.get("trial")
    if not isinstance(stored, dict):
        return None
    try:
        return TrialResult(
            float(stored["distance_m"]),
            float(stored["time_s"]),
            float(stored["vdot"]),
            None if stored.get("was_vdot") is None else float(stored["was_vdot"]),
            bool(stored.get("big_jump")),
        )
    except (KeyError, TypeError, ValueError):
        return None  # an older or damaged state: the question is just not asked


def finished_once(log: DayLog, passed: frozenset[str] | None) -> DayLog:
    """A check-in answered and closed is finished: a later tap changes only what it
    names and never reopens the questions the runner passed over."""
    if passed is None and log.core_done:
        return replace(log, passed=frozenset(OPTIONAL))
    return replace(log, passed=passed or frozenset())


# --- what the scheduled messages call ---------------------------------------------------


def checkin_view(journal: Journal, day: date) -> tuple[str, Keyboard] | None:
    """The check-in of `day` as it stands; None without a run or once answered."""
    passed = passed_over(repo.get_conversation(journal.session, journal.athlete_id), day)
    log = load(journal, day, passed or frozenset())
    if log is None or log.core_done:
        return None
    text, keyboard = render(log, journal.athlete.units)
    return text, keyboard or []


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
    lines += ["", _closing(log) if step == "finished" else _question(log, step, units)]
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
    if log.trial_logged is not None:
        trial = log.trial_logged
        lines.append(
            texts.TRIAL_LOGGED.format(
                race=_race(trial.distance_m, units), time=format_duration(trial.time_s)
            )
        )
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


def _question(log: DayLog, step: str, units: str) -> str:
    if step == "trial" and log.trial is not None:
        return trial_question(log.trial, units)
    if step == "rpe" and log.planned.target_rpe is not None:
        return texts.ASK_RPE_WITH_TARGET.format(target=log.planned.target_rpe)
    questions = {
        "status": texts.ASK_STATUS,
        "rpe": texts.ASK_RPE,
        "quality": texts.ASK_QUALITY,
        "dist": texts.ASK_DISTANCE_MILES if units == "mi" else texts.ASK_DISTANCE,
        "rhr": texts.ASK_RHR,
        "wellness": texts.ASK_WELLNESS,
        "reason": texts.ASK_REASON,
        "instead": texts.ASK_INSTEAD,
    }
    return questions[step]


def trial_question(trial: TrialResult, units: str) -> str:
    race = _race(trial.distance_m, units)
    question = texts.ASK_TRIAL.format(race=race, time=format_duration(trial.time_s))
    if not trial.big_jump:
        return question
    jump = texts.TRIAL_BIG_JUMP.format(was=trial.was_vdot or 0, vdot=trial.vdot)
    return f"{question}\n{jump}"


def _race(distance_m: float, units: str) -> str:
    return esc(race_label(distance_m, "mi" if units == "mi" else "km"))


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
    if step == "trial":
        return [[button(texts.BUTTON_YES, "trial", "yes"), button(texts.BUTTON_NO, "trial", "no")]]
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
