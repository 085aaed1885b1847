"""Why the coach decided what it did, as typed values: what was seen, with its numbers.

The coach never words a reason itself: `coach/english.py` renders them for `python -m coach`
and `bot/texts/reasons.py` for runners. The weekly review's findings (coach/replay.py
`_review`) are typed kinds too, each carrying what was seen and its numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

# --- the weekly decision (coach/decision.py) ------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeloadAsked:
    day: date


@dataclass(frozen=True, slots=True)
class FatigueAddingUp:
    """Two warning signs or more: the findings follow."""


@dataclass(frozen=True, slots=True)
class SessionsMissed:
    days: tuple[date, ...]


@dataclass(frozen=True, slots=True)
class BuildStreak:
    weeks: int


@dataclass(frozen=True, slots=True)
class OneWarningSign:
    """One warning sign: the finding follows."""


@dataclass(frozen=True, slots=True)
class QualityNotDone:
    pass


@dataclass(frozen=True, slots=True)
class WeekToPlan:
    pass


@dataclass(frozen=True, slots=True)
class NoWarningSigns:
    pass


# --- next week's shape (coach/replay.py) ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NoResultYet:
    """The first week, with no recent race or time trial."""


@dataclass(frozen=True, slots=True)
class StaleResult:
    """The first week, with a result more than 8 weeks old."""

    distance_m: float
    time_s: float
    day: date


@dataclass(frozen=True, slots=True)
class StartingAtStep1:
    """The first week, from the runner's result (None: no distance and time to quote)."""

    distance_m: float | None
    time_s: float | None
    minutes: int


@dataclass(frozen=True, slots=True)
class PausedWeek:
    why: str  # the pause's reason, as the runner gave it


@dataclass(frozen=True, slots=True)
class AssumingToPlan:
    """The week before has not ended yet."""


@dataclass(frozen=True, slots=True)
class TaperIsTheRecovery:
    taper_start: date


@dataclass(frozen=True, slots=True)
class RaceWeek:
    distance_m: float
    race_day: date
    taper_start: date


@dataclass(frozen=True, slots=True)
class Tapering:
    distance_m: float
    race_day: date
    taper_start: date
    days: int


@dataclass(frozen=True, slots=True)
class RaceDone:
    minutes: int


@dataclass(frozen=True, slots=True)
class CeilingHeld:
    """A build week held below the plan's level; `why` is the ceiling's own reason."""

    minutes: int
    why: str


@dataclass(frozen=True, slots=True)
class WelcomeBack:
    days_off: int
    step: int
    minutes: int


@dataclass(frozen=True, slots=True)
class BackAfterShortBreak:
    days_off: int


@dataclass(frozen=True, slots=True)
class HowDoYouFeel:
    """After an illness pause."""


@dataclass(frozen=True, slots=True)
class Retest:
    """Three weeks after a slower trial."""


@dataclass(frozen=True, slots=True)
class DeloadPlanned:
    minutes: int


@dataclass(frozen=True, slots=True)
class RecoveryPlanned:
    minutes: int


@dataclass(frozen=True, slots=True)
class TrialStillNeeded:
    pass


@dataclass(frozen=True, slots=True)
class RepsByFeel:
    pass


@dataclass(frozen=True, slots=True)
class DeloadDidItsJob:
    pass


@dataclass(frozen=True, slots=True)
class EndOfBlock:
    pass


@dataclass(frozen=True, slots=True)
class StepPlanned:
    step: int
    session: str  # the quality session's title, as planned
    minutes: int
    held: CeilingHeld | None = None


@dataclass(frozen=True, slots=True)
class TrialLogged:
    vdot: float
    five_k_s: float  # the 5K time that VDOT predicts


@dataclass(frozen=True, slots=True)
class TrialUnconfirmed:
    day: date
    vdot_was: float | None
    vdot: float


@dataclass(frozen=True, slots=True)
class LeadIn:
    """The short first week of a plan started mid-week (coach/lead_in.py)."""

    start: date
    trial: bool
    first_monday: date


# --- what changed inside a week ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EasyAfterIllness:
    day: date
    session: str


@dataclass(frozen=True, slots=True)
class ReadinessChange:
    """A flagged morning eased or swapped the day's session; `what` says how and why."""

    day: date
    what: str


@dataclass(frozen=True, slots=True)
class NiggleChange:
    """A niggle that hurts when running made the day easy or rest; `what` says which."""

    day: date
    what: str


@dataclass(frozen=True, slots=True)
class PausedDays:
    first: date
    last: date


@dataclass(frozen=True, slots=True)
class DeloadRequested:
    day: date


@dataclass(frozen=True, slots=True)
class HardDaysApart:
    day: date
    session: str


# --- the weekly review's findings (coach/replay.py `_review`) -------------------------------


@dataclass(frozen=True, slots=True)
class SessionFelt:
    """A hard session's RPE against its target: two over is a flag, at or under is done."""

    day: date
    session: str
    rpe: int
    target: int


@dataclass(frozen=True, slots=True)
class QualityOneOver:
    day: date
    session: str
    rpe: int
    target: int


@dataclass(frozen=True, slots=True)
class QualityBecameEasy:
    """A flagged morning (or the 48 h rule) turned the quality session into an easy run."""

    day: date


@dataclass(frozen=True, slots=True)
class QualitySkipped:
    day: date
    session: str
    why: str  # the skip's reason, as logged


@dataclass(frozen=True, slots=True)
class QualityChanged:
    day: date
    session: str


@dataclass(frozen=True, slots=True)
class QualityNotHeard:
    day: date
    session: str


@dataclass(frozen=True, slots=True)
class SlowerThanLastTime:
    day: date
    session: str
    drop_pct: float
    rpe: int
    previous_rpe: int


@dataclass(frozen=True, slots=True)
class SlowerTrial:
    day: date
    vdot: float
    vdot_before: float | None


@dataclass(frozen=True, slots=True)
class RestingHRUp:
    """The recent mornings' mean resting HR above the baseline's limit."""

    mean: float
    mornings: int
    baseline: float
    limit: float


@dataclass(frozen=True, slots=True)
class RestingHROneMorning:
    bpm: int
    baseline: float


@dataclass(frozen=True, slots=True)
class RestingHRHighMornings:
    mornings: int
    highest: int
    baseline: float


@dataclass(frozen=True, slots=True)
class LowSessionScores:
    """Two sessions or more scored 4/10 or less for how they went."""


@dataclass(frozen=True, slots=True)
class SoreLegs:
    """Soreness 4/5 or more two days running."""


@dataclass(frozen=True, slots=True)
class ShortSleep:
    mean_h: float


@dataclass(frozen=True, slots=True)
class LowMood:
    """Mood 2/5 or less on two days."""


@dataclass(frozen=True, slots=True)
class MissedForHealth:
    sessions: int


@dataclass(frozen=True, slots=True)
class BusyWeek:
    stressed_days: int


@dataclass(frozen=True, slots=True)
class HighLoadRatio:
    acwr: float


@dataclass(frozen=True, slots=True)
class HighMonotony:
    monotony: float


# A session missed, changed or unheard of: the step is held.
QualityMissing = QualityBecameEasy | QualitySkipped | QualityChanged | QualityNotHeard

# What the review counts as a warning sign (or, for the last two, beside one).
Finding = (
    SessionFelt
    | SlowerThanLastTime
    | SlowerTrial
    | RestingHRUp
    | RestingHROneMorning
    | RestingHRHighMornings
    | LowSessionScores
    | SoreLegs
    | ShortSleep
    | LowMood
    | MissedForHealth
    | HighLoadRatio
    | HighMonotony
)

# The kinds that name a session by its title.
SessionKinds = (
    StepPlanned
    | EasyAfterIllness
    | HardDaysApart
    | SessionFelt
    | QualityOneOver
    | QualitySkipped
    | QualityChanged
    | QualityNotHeard
    | SlowerThanLastTime
)


Reason = (
    Finding
    | QualityOneOver
    | QualityMissing
    | BusyWeek
    | DeloadAsked
    | NoResultYet
    | StaleResult
    | StartingAtStep1
    | PausedWeek
    | AssumingToPlan
    | TaperIsTheRecovery
    | RaceWeek
    | Tapering
    | RaceDone
    | FatigueAddingUp
    | SessionsMissed
    | BuildStreak
    | OneWarningSign
    | QualityNotDone
    | WeekToPlan
    | NoWarningSigns
    | CeilingHeld
    | WelcomeBack
    | BackAfterShortBreak
    | HowDoYouFeel
    | Retest
    | DeloadPlanned
    | RecoveryPlanned
    | TrialStillNeeded
    | RepsByFeel
    | DeloadDidItsJob
    | EndOfBlock
    | StepPlanned
    | TrialLogged
    | TrialUnconfirmed
    | LeadIn
    | EasyAfterIllness
    | ReadinessChange
    | NiggleChange
    | PausedDays
    | DeloadRequested
    | HardDaysApart
)

# The kinds that quote the week's minutes.
MinutesKinds = (
    CeilingHeld
    | WelcomeBack
    | DeloadPlanned
    | RecoveryPlanned
    | StepPlanned
    | StartingAtStep1
    | RaceDone
)


def with_planned_minutes(reason: Reason, said: int, planned: int) -> Reason:
    """The reason with every mention of `said` minutes of the week now `planned` (runs that
    do not fit the runner's days leave the week shorter than the decision's target)."""
    if isinstance(reason, StepPlanned) and reason.held is not None:
        held = with_planned_minutes(reason.held, said, planned)
        assert isinstance(held, CeilingHeld)
        reason = replace(reason, held=held)
    if isinstance(reason, MinutesKinds) and reason.minutes == said:
        return replace(reason, minutes=planned)
    return reason


def with_session_renamed(reason: Reason, old: str, new: str) -> Reason:
    """The reason naming the quality session actually planned (dosed, or shaped by the goal)."""
    if isinstance(reason, SessionKinds):
        return replace(reason, session=reason.session.replace(old, new))
    return reason
