"""The replay: `plan(history, today)` rebuilds every week from the start date.

Each week is decided from the week before it (or, for weeks that have not happened yet,
as if everything goes to plan), then built, then adjusted for what happened inside it:
pauses, a deload request, a morning when resting HR said "not today". Only events dated
on or before `today` are read, so the future never rewrites the past.
"""

from __future__ import annotations

import bisect
import copy
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from itertools import accumulate
from operator import attrgetter, itemgetter

from coach import blend, ladder, lead_in, niggles, results, taper
from coach.decision import WeeklyDecision, WeekReview, weekly_decision
from coach.history import (
    HEALTH_REASONS,
    Cross,
    DeloadRequest,
    Event,
    Goal,
    GoalSet,
    History,
    Niggle,
    Pause,
    Profile,
    ProfileChange,
    RaceResult,
    RestingHR,
    Resume,
    Run,
    SessionMove,
    Skipped,
    TimeTrial,
    Wellness,
    merge_runs,
    profile_on,
)
from coach.load import (
    ACUTE_DAYS,
    ACWR_WARNING,
    CHRONIC_DAYS,
    MONOTONY_WARNING,
    ewma_series,
    monotony,
    stated_load_seed,
    strain,
)
from coach.microcycle import (
    EASED_TYPES,
    WeekRecipe,
    build_week,
    eased,
    easy_instead,
    lighter,
    rest_instead,
    week_days,
)
from coach.model import Action, Decision, Metrics, Plan, Session, Week, WeekKind
from coach.moves import apply_moves, moves_said_by
from coach.paces import TrainingPaces, predict_race_s, training_paces
from coach.paces import vdot_from_race as _vdot_from_race
from coach.readiness import (
    BASELINE_DAYS,
    BASELINE_MAX_DAYS,
    BASELINE_MIN_READINGS,
    SLEEP_TARGET_H,
    WEEKLY_MIN_READINGS,
    RhrBaseline,
    declining_performance,
    rhr_recent_flag,
    rhr_single_morning_flag,
    rhr_threshold,
    two_days_running,
)
from coach.reasons import (
    AssumingToPlan,
    BackAfterShortBreak,
    BusyWeek,
    CeilingHeld,
    DeloadDidItsJob,
    DeloadPlanned,
    DeloadRequested,
    EasyAfterIllness,
    EndOfBlock,
    Finding,
    HardDaysApart,
    HighLoadRatio,
    HighMonotony,
    HowDoYouFeel,
    LowMood,
    LowSessionScores,
    MissedForHealth,
    NiggleChange,
    NoResultYet,
    PausedDays,
    PausedWeek,
    QualityBecameEasy,
    QualityChanged,
    QualityMissing,
    QualityNotHeard,
    QualityOneOver,
    QualitySkipped,
    RaceDone,
    RaceWeek,
    ReadinessChange,
    Reason,
    RecoveryPlanned,
    RepsByFeel,
    RestingHRHighMornings,
    RestingHROneMorning,
    RestingHRUp,
    Retest,
    SessionFelt,
    ShortSleep,
    SlowerThanLastTime,
    SlowerTrial,
    SoreLegs,
    StaleResult,
    StartingAtStep1,
    StepPlanned,
    Tapering,
    TaperIsTheRecovery,
    TrialLogged,
    TrialStillNeeded,
    TrialUnconfirmed,
    WelcomeBack,
    with_planned_minutes,
    with_session_renamed,
)

DEFAULT_WEEKS_AHEAD = 4
VOLUME_CAP = 1.3  # the return to speed is not a mileage build: at most +30 % on the start
PROGRESS_GAIN = 1.10
DELOAD_SHARE = 0.65  # 35 % below the last normal build week (COACHING.md: 30-40 %)
RECOVERY_SHARE = 0.75
BUSY_SHARE = 0.8
RESUME_SHARE = 0.8
RESUME_GAIN = 1.15  # the first full week after a break: at most 15 % above what was run
RESUME_FLOOR_MIN = 60  # ... but after a week fully off, an hour of easy running, not nothing
LONG_BREAK_DAYS = 7
ILLNESS_DAYS, EASY_RUNS_AFTER_ILLNESS = 5, 2
PAUSED_WEEK_DAYS = 4
TRIAL_EVERY_BLEND_WEEKS = 4  # weeks after a trial before the next: the 5th week at the earliest
MISSING_RPE = 4  # a run logged without RPE (a watch file) counts as easy until told


def _floor5(minutes: float) -> int:
    return int(minutes // 5 * 5)


# --- the facts, indexed once -----------------------------------------------------------


@dataclass
class _Facts:
    """The history's events dated on or before `through`, indexed for the replay.

    Built by `extended`, which returns new facts and never changes the ones it starts
    from: a checkpoint keeps the facts of its last day, and a resume reads only the events
    after it."""

    through: date | None = None  # the last day read; None before any
    runs: dict[date, Run] = field(default_factory=dict)
    rhr: list[tuple[date, int]] = field(default_factory=list)
    rhr_dates: list[date] = field(default_factory=list)
    wellness: dict[date, list[Wellness]] = field(default_factory=dict)
    skipped: dict[date, Skipped] = field(default_factory=dict)
    loads: dict[date, float] = field(default_factory=dict)
    load_origin: date = date.min
    load_seed: float = 0.0
    load_series: list[float] = field(default_factory=list)  # one per day, origin..through
    acute: list[float] = field(default_factory=list)  # EWMA of load_series, 7 days
    chronic: list[float] = field(default_factory=list)  # EWMA of load_series, 28 days
    rhr_sums: list[float] = field(default_factory=lambda: [0.0])  # prefix sums of bpm and
    rhr_squares: list[float] = field(default_factory=lambda: [0.0])  # bpm², O(1) baselines
    fitness_read: list[tuple[date, float]] = field(default_factory=list)  # in reading order
    fitness: list[tuple[date, float]] = field(default_factory=list)  # (date, vdot), by date
    fitness_dates: list[date] = field(default_factory=list)
    trials: list[tuple[date, float]] = field(default_factory=list)  # logged time trials only
    deloads: list[date] = field(default_factory=list)
    open_pauses: list[Pause] = field(default_factory=list)
    resumes: list[date] = field(default_factory=list)
    pauses: list[tuple[date, date, str]] = field(default_factory=list)  # inclusive ranges
    goals: list[tuple[date, Goal | None]] = field(default_factory=list)  # (set on, goal)
    first_day: date | None = None
    stale: RaceResult | None = None  # the profile's result, too old to set paces
    slower: list[tuple[date, float]] = field(default_factory=list)  # trials read as fatigue
    unconfirmed: list[tuple[date, float]] = field(default_factory=list)  # >10 % jumps
    niggles: list[Niggle] = field(default_factory=list)  # coach.niggles eases the days after
    profile_changes: list[ProfileChange] = field(default_factory=list)  # in history order
    moves: list[SessionMove] = field(default_factory=list)  # in history order
    # The replay asks for the paces of the same days many times (shape, dose, build):
    # fitness is fixed once read, so each day's answer is worked out once.
    paces_by_day: dict[date, TrainingPaces | None] = field(default_factory=dict)

    @classmethod
    def read(cls, history: History, today: date) -> _Facts:
        events = [e for e in history.events if e.date <= today]
        events.sort(key=_event_date)  # stable: a day's events keep their order
        return cls.unread(history.profile).extended(events, today, history.profile)

    @classmethod
    def unread(cls, profile: Profile) -> _Facts:
        """The facts the profile alone gives."""
        f = cls(goals=[(date.min, profile.goal)])
        fit = profile.fitness
        if fit is not None and results.too_old(fit.date, profile.start_date):
            f.stale = fit  # the plan opens with a time trial, and says why
        elif fit is not None:
            f.fitness_read.append((fit.date, _vdot_from_race(fit.distance_m, fit.time_s)))
            f.fitness = list(f.fitness_read)
            f.fitness_dates = [fit.date]
        return f

    def extended(self, events: Sequence[Event], today: date, profile: Profile) -> _Facts:
        """These facts and `events` (dated after `through`, by `today`, sorted by date): new
        facts through `today`. Every container changed is a copy, so `self` stays whole."""
        f = copy.copy(self)
        f.through = today
        f.paces_by_day = {}
        f.runs, f.wellness, f.skipped = dict(self.runs), dict(self.wellness), dict(self.skipped)
        f.fitness_read, f.trials = list(self.fitness_read), list(self.trials)
        f.slower, f.unconfirmed = list(self.slower), list(self.unconfirmed)
        f.deloads, f.goals, f.niggles = list(self.deloads), list(self.goals), list(self.niggles)
        f.open_pauses, f.resumes = list(self.open_pauses), list(self.resumes)
        f.profile_changes, f.moves = list(self.profile_changes), list(self.moves)
        rhr_by_day: dict[date, int] = {}
        loads: dict[date, float] = {}  # the new days' only: the days before keep theirs
        for e in events:
            if f.first_day is None:
                f.first_day = e.date
            if isinstance(e, Run):
                f.runs[e.date] = merge_runs(f.runs.get(e.date), e)
                loads[e.date] = loads.get(e.date, 0.0) + (e.rpe or MISSING_RPE) * e.duration_min
            elif isinstance(e, RestingHR):
                rhr_by_day[e.date] = e.bpm  # the latest reading of a morning wins
            elif isinstance(e, Wellness):
                f.wellness[e.date] = [*f.wellness.get(e.date, ()), e]
            elif isinstance(e, Skipped):
                f.skipped[e.date] = e
            elif isinstance(e, Cross):
                loads[e.date] = loads.get(e.date, 0.0) + (e.rpe or MISSING_RPE) * e.duration_min
            elif isinstance(e, TimeTrial):
                f._read_trial(e)
            elif isinstance(e, DeloadRequest):
                f.deloads.append(e.date)
            elif isinstance(e, Pause):
                f.open_pauses.append(e)
            elif isinstance(e, Resume):
                f.resumes.append(e.date)
            elif isinstance(e, GoalSet):
                f.goals.append((e.date, Goal(distance_m=e.distance_m, date=e.date_of_race)))
            elif isinstance(e, Niggle):
                f.niggles.append(e)
            elif isinstance(e, ProfileChange):
                f.profile_changes.append(e)
            elif isinstance(e, SessionMove):
                f.moves.append(e)
        # Every day read now comes after every day read before: the sorted lists extend.
        new_rhr = sorted(rhr_by_day.items())
        f.rhr = self.rhr + new_rhr
        f.rhr_dates = self.rhr_dates + [d for d, _ in new_rhr]
        f.rhr_sums = list(accumulate((bpm for _, bpm in new_rhr), initial=self.rhr_sums[-1]))
        f.rhr_sums[:1] = self.rhr_sums
        squares = accumulate((bpm * bpm for _, bpm in new_rhr), initial=self.rhr_squares[-1])
        f.rhr_squares = list(squares)
        f.rhr_squares[:1] = self.rhr_squares
        if len(f.fitness_read) != len(self.fitness_read):
            f.fitness = sorted(f.fitness_read, key=_event_day)
            f.fitness_dates = [d for d, _ in f.fitness]
        if self.through is None:
            # Both averages start from the stated weekly minutes, as /stats does (bot/charts),
            # so week 1 is not read as a spike from nothing.
            f.load_origin = min(profile.start_date, f.first_day or today)
            f.load_seed = stated_load_seed(profile.weekly_minutes)
        f._extend_loads(today, loads)
        if len(f.open_pauses) != len(self.open_pauses) or len(f.resumes) != len(self.resumes):
            f.pauses = _pause_ranges(f.open_pauses, f.resumes)
        return f

    def _read_trial(self, e: TimeTrial) -> None:
        vdot = _vdot_from_race(e.distance_m, e.time_s)
        current = self.fitness_read[-1][1] if self.fitness_read else None
        if results.needs_confirmation(current, vdot) and e.unconfirmed:
            self.unconfirmed.append((e.date, vdot))
            return
        retest = bool(self.slower) and self.slower[-1][0] >= (self.trials or [(date.min, 0)])[-1][0]
        if results.slower(current, vdot) and not retest and e.unconfirmed:
            # Read first as fatigue: paces stay, and a re-test comes in 3 weeks.
            self.slower.append((e.date, vdot))
            return
        self.trials.append((e.date, vdot))
        self.fitness_read.append(self.trials[-1])

    def _extend_loads(self, today: date, loads: dict[date, float]) -> None:
        """Daily loads from the first fact to today, and their EWMAs, each day computed once:
        the days already indexed keep their figures, the new ones continue them."""
        known = len(self.load_series)
        days = max((today - self.load_origin).days + 1, 0)
        self.loads = {**self.loads, **loads}
        new = _daily_series(loads, self.load_origin + timedelta(days=known), days - known)
        self.load_series = self.load_series + new
        acute = self.acute[-1] if self.acute else self.load_seed
        chronic = self.chronic[-1] if self.chronic else self.load_seed
        self.acute = self.acute + ewma_series(new, ACUTE_DAYS, acute)
        self.chronic = self.chronic + ewma_series(new, CHRONIC_DAYS, chronic)

    def vdot_on(self, day: date) -> float | None:
        i = bisect.bisect_right(self.fitness_dates, day)
        return self.fitness[i - 1][1] if i else None

    def paces_on(self, day: date) -> TrainingPaces | None:
        try:
            return self.paces_by_day[day]
        except KeyError:
            pass
        vdot = self.vdot_on(day)
        # One decimal of VDOT is finer than any pace a runner can hold, and keeps the
        # training_paces cache small.
        paces = None if vdot is None else training_paces(round(vdot, 1))
        self.paces_by_day[day] = paces
        return paces

    def goal_as_of(self, day: date) -> Goal | None:
        """The goal race the runner had set by `day`: a goal set later never rewrites
        the weeks before it."""
        current = None
        for set_on, goal in self.goals:
            if set_on > day:
                break
            current = goal
        return current

    def pause_on(self, day: date) -> str | None:
        for start, end, reason in self.pauses:
            if start <= day <= end:
                return reason
        return None

    def rhr_between(self, first: date, last: date) -> list[int]:
        lo = bisect.bisect_left(self.rhr_dates, first)
        hi = bisect.bisect_right(self.rhr_dates, last)
        return [bpm for _, bpm in self.rhr[lo:hi]]

    def baseline(self, as_of: date) -> RhrBaseline | None:
        """`readiness.rhr_baseline` from prefix sums: the replay asks for one every week."""
        hi = bisect.bisect_left(self.rhr_dates, as_of)
        for window in (BASELINE_DAYS, BASELINE_MAX_DAYS):
            lo = bisect.bisect_left(self.rhr_dates, as_of - timedelta(days=window))
            n = hi - lo
            if n >= BASELINE_MIN_READINGS:
                mean = (self.rhr_sums[hi] - self.rhr_sums[lo]) / n
                variance = (self.rhr_squares[hi] - self.rhr_squares[lo]) / n - mean * mean
                return RhrBaseline(mean=mean, sd=math.sqrt(max(variance, 0.0)), readings=n)
        return None

    def daily_loads(self, first: date, last: date) -> list[float]:
        lo = (first - self.load_origin).days
        hi = (last - self.load_origin).days + 1
        return self.load_series[max(lo, 0) : max(hi, 0)]

    def acwr_on(self, day: date) -> float | None:
        """`load.acute_chronic_ratio` of the loads up to `day`, from the precomputed EWMAs."""
        i = (day - self.load_origin).days
        # Seeded from the stated weekly minutes, the ratio means something from day one;
        # unseeded, only after 28 days of data.
        early = i + 1 < CHRONIC_DAYS and not self.load_seed
        if early or i < 0 or i >= len(self.chronic) or self.chronic[i] == 0:
            return None
        return self.acute[i] / self.chronic[i]


_event_date = attrgetter("date")
_event_day = itemgetter(0)


def _daily_series(loads: dict[date, float], origin: date, days: int) -> list[float]:
    """One load a day from `origin`, 0 on days without one (placed by ordinal: no date
    arithmetic per day)."""
    series = [0.0] * days
    first = origin.toordinal()
    for day, load in loads.items():
        i = day.toordinal() - first
        if 0 <= i < days:
            series[i] = load
    return series


def _pause_ranges(pauses: list[Pause], resumes: list[date]) -> list[tuple[date, date, str]]:
    """Inclusive (first day, last day, reason) of each pause: to its `until`, or to the day
    before the next resume, or open-ended."""
    ranges = []
    for p in pauses:
        end = p.until or date.max
        after = [r for r in resumes if r > p.date]
        if after and after[0] - timedelta(days=1) < end:
            end = after[0] - timedelta(days=1)
        ranges.append((p.date, end, p.reason))
    return ranges


def pause_on(history: History, day: date) -> tuple[date, str] | None:
    """(first day, reason) of the pause the runner is in on `day`, if any."""
    known = [e for e in history.events if e.date <= day]
    pauses = [e for e in known if isinstance(e, Pause)]
    resumes = sorted(e.date for e in known if isinstance(e, Resume))
    for first, last, reason in _pause_ranges(pauses, resumes):
        if first <= day <= last:
            return first, reason
    return None


# --- the replay state ------------------------------------------------------------------


@dataclass
class _State:
    step: int
    base: int
    cap: int
    streak: int = 0
    since_trial: int = 0
    extra_last: int = -10
    terrain_last: int = -10
    blend_variant: int = 0
    extra_variant: int = 0
    deload_next: date | None = None
    retest_on: date | None = None  # a slower trial is re-run from this date
    easy_runs_owed: int = 0  # back from illness: easy runs still due before any hard one
    # The most a build week may plan: 10 % above the build week before it, as planned.
    ceiling: int | None = None
    ceiling_why: str | None = None  # when the ceiling is not the usual 10 % rule
    last_build: int | None = None  # minutes of the last normal build week, as planned
    build_planned: int | None = None  # minutes of the last build week of any sort, as planned
    last_paces: dict[str, tuple[float, int]] = field(default_factory=dict)


def _copied(state: _State) -> _State:
    """A copy of every field, containers included, so a checkpoint never shares what a
    replay goes on to change (a field added to `_State` is carried without listing it)."""
    out = copy.copy(state)
    for f in fields(out):
        value = getattr(out, f.name)
        if isinstance(value, dict | list | set):
            setattr(out, f.name, copy.copy(value))
    return out


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """The replay at the end of the last finished week: the weeks so far as decided, and
    the whole replay state the next week is decided from. The rolling figures (loads and
    their averages, resting-HR baselines, VDOT on a day) are read again from the history,
    which is cheap; the weeks are what costs.

    It holds for a history with the same profile and the same events on the days it
    `depends_on`, replayed for a later day than `through`."""

    profile: Profile
    weeks: tuple[Week, ...]
    state: _State
    last_hard: date | None
    planned_at_start: int
    through: date  # the last day of the last finished week
    facts: _Facts  # read through `through`; never changed once taken (`_Facts.extended`)

    def depends_on(self, day: date, kind: str) -> bool:
        """An event of this kind on this day can change the weeks the checkpoint holds.
        A resume on the day after `through` ends a pause inside them (`_pause_ranges`)."""
        return day <= self.through or (kind == "resume" and day == self.through + timedelta(1))

    def resumes(self, profile: Profile, today: date) -> bool:
        return profile == self.profile and today > self.through


@dataclass(frozen=True, slots=True)
class _Shape:
    """The decided form of a week before it is built."""

    kind: WeekKind
    step: int
    phase: str
    decision: WeeklyDecision
    target_min: int
    main: ladder.MainSet | None
    extra: ladder.MainSet | None = None
    terrain: bool = False
    race: Goal | None = None


# --- reviewing a finished week ---------------------------------------------------------


def _review(
    week: Week, quality_day: int, facts: _Facts, state: _State, acwr: float | None
) -> WeekReview:
    """Turn the facts of a finished week into findings; the quality-day session leads."""
    flags: list[Finding] = []
    supporting: list[Finding] = []
    rpe_drift = False
    done: SessionFelt | None = None
    one_over: QualityOneOver | None = None
    missing: QualityMissing | None = None
    quality_scores: list[int] = []
    health_missed: list[date] = []
    life_missed: list[date] = []
    main_day = week.start + timedelta(days=quality_day)

    for s in week.sessions:
        run = facts.runs.get(s.date)
        skip = facts.skipped.get(s.date)
        if run is not None and run.quality is not None:
            quality_scores.append(run.quality)
        if s.type != "rest" and run is None and skip is not None:
            (health_missed if skip.for_health else life_missed).append(s.date)
        is_main = s.date == main_day
        if is_main and not s.hard and s.note and s.type != "rest":
            # A flagged morning (or the 48 h rule) turned it into an easy run: not done.
            missing = QualityBecameEasy(s.date)
        if not s.hard or s.type in ("race", "time_trial") or s.target_rpe is None:
            continue
        if is_main and run is None and skip is not None:
            missing = QualitySkipped(s.date, s.title, skip.reason)
            continue
        if is_main and run is not None and run.changed and run.instead != "quality":
            missing = QualityChanged(s.date, s.title)
            continue
        if run is None or run.rpe is None:
            if skip is None and is_main:
                missing = QualityNotHeard(s.date, s.title)
            continue
        over = run.rpe - s.target_rpe
        felt = SessionFelt(s.date, s.title, run.rpe, s.target_rpe)
        if over >= 2:
            rpe_drift = True
            flags.append(felt)
        elif is_main and over == 1:
            one_over = QualityOneOver(s.date, s.title, run.rpe, s.target_rpe)
        elif is_main:
            done = felt
        if run.distance_m:
            pace = run.duration_min * 60 / (run.distance_m / 1000)
            # Comparable: the same kind of session over the same rep distance.
            key = f"{s.type} {s.reps[0].distance_m:g}" if s.reps else s.title
            previous = state.last_paces.get(key)
            if previous and declining_performance(pace, run.rpe, *previous):
                drop = (pace / previous[0] - 1) * 100
                flags.append(SlowerThanLastTime(s.date, s.title, drop, run.rpe, previous[1]))
            state.last_paces[key] = (pace, run.rpe)

    end = week.start + timedelta(days=6)
    for day, vdot in facts.slower:
        if week.start <= day <= end:
            flags.append(SlowerTrial(day, vdot, facts.vdot_on(day)))
            state.retest_on = day + timedelta(days=results.RETEST_AFTER_DAYS)
    rhr_flag = _rhr_flag(week.start, end, facts, flags)
    if sum(1 for q in quality_scores if q <= 4) >= 2:
        flags.append(LowSessionScores())
    days = week_days(week.start)
    wellness = [(d, w) for d in days for w in facts.wellness.get(d, ())]
    sore = [d for d, w in wellness if w.soreness is not None and w.soreness >= 4]
    if two_days_running(sore):
        flags.append(SoreLegs())
    sleep = [w.sleep_h for _, w in wellness if w.sleep_h is not None]
    if len(sleep) >= 3 and sum(sleep) / len(sleep) < SLEEP_TARGET_H:
        flags.append(ShortSleep(sum(sleep) / len(sleep)))
    if sum(1 for _, w in wellness if w.mood is not None and w.mood <= 2) >= 2:
        flags.append(LowMood())
    if health_missed:
        flags.append(MissedForHealth(len(health_missed)))
    stressed = sum(1 for _, w in wellness if w.stress is not None and w.stress >= 4)
    busy = None
    if stressed >= 2:
        busy = BusyWeek(stressed)

    if acwr is not None and acwr > ACWR_WARNING:
        supporting.append(HighLoadRatio(acwr))
    week_monotony = monotony(facts.daily_loads(week.start, end))
    if week_monotony is not None and week_monotony > MONOTONY_WARNING:
        supporting.append(HighMonotony(week_monotony))

    return WeekReview(
        flags=tuple(flags),
        supporting=tuple(supporting),
        rhr_flag=rhr_flag,
        rpe_drift=rpe_drift,
        quality_done=done,
        quality_one_over=one_over,
        quality_missing=missing,
        quality_expected=week.kind in ("build", "recovery"),
        missed_for_life=tuple(life_missed),
        busy=busy,
        deload_requested=state.deload_next,
    )


def _rhr_flag(start: date, end: date, facts: _Facts, flags: list[Finding]) -> bool:
    week_readings = facts.rhr_between(start, end)
    recent_start = end - timedelta(days=2)
    baseline = facts.baseline(recent_start)
    if len(week_readings) < WEEKLY_MIN_READINGS or baseline is None:
        return False
    recent = facts.rhr_between(recent_start, end)
    if recent and rhr_recent_flag(recent, baseline):
        mean = sum(recent) / len(recent)
        flags.append(RestingHRUp(mean, len(recent), baseline.mean, rhr_threshold(baseline)))
        return True
    high = [bpm for bpm in week_readings if rhr_single_morning_flag(bpm, baseline)]
    if len(high) == 1:
        flags.append(RestingHROneMorning(high[0], baseline.mean))
    elif high:
        flags.append(RestingHRHighMornings(len(high), max(high), baseline.mean))
    return bool(high)


# --- deciding a week -------------------------------------------------------------------


def _paused_days(start: date, facts: _Facts) -> int:
    if not facts.pauses:
        return 0
    return sum(1 for i in range(7) if facts.pause_on(start + timedelta(days=i)) is not None)


def _last_pause_was_illness(start: date, facts: _Facts) -> bool:
    ended = [(end, reason) for s, end, reason in facts.pauses if end < start + timedelta(days=7)]
    return bool(ended) and max(ended)[1].lower() in HEALTH_REASONS


def _break_length(start: date, facts: _Facts) -> int:
    """Days of the pause that ended most recently before `start`."""
    ended = [(end, s) for s, end, _ in facts.pauses if end < start + timedelta(days=7)]
    if not ended:
        return 0
    end, s = max(ended)
    return (end - s).days + 1


def _shape(
    index: int,
    start: date,
    profile: Profile,
    facts: _Facts,
    state: _State,
    previous: Week | None,
    review: WeekReview | None,
) -> _Shape:
    """Decide the week: the calendar first (pause, race), then the week that ended."""
    # Paces as of the quality day, so a time trial earlier in the week already counts.
    paces = facts.paces_on(start + timedelta(days=profile.quality_day))
    goal = facts.goal_as_of(start + timedelta(days=6))
    race_index = None
    if goal is not None and goal.date >= profile.start_date:
        race_index = (goal.date - profile.start_date).days // 7

    pending_deload = review.deload_requested if review is not None else state.deload_next
    if _paused_days(start, facts) >= PAUSED_WEEK_DAYS:
        reason = facts.pause_on(start + timedelta(days=3)) or "a break"
        why = PausedWeek(reason)
        return _Shape(
            "paused",
            state.step,
            "paused",
            WeeklyDecision("hold", (why,)),
            _floor5(state.base * 0.3),
            None,
        )
    if race_index is not None and goal is not None and index == race_index:
        return _race_shape(start, goal, state, paces, "race")
    if goal is not None and taper.tapers_in(start, goal):
        return _race_shape(start, goal, state, paces, "taper")
    if (
        previous is not None
        and previous.decision.action != "resume"
        and _paused_days(previous.start, facts) > 0
        and pending_deload is None  # a deload the runner asked for still comes first
    ):
        return _resume(start, facts, state, paces)
    if previous is not None and previous.kind == "race":
        return _after_race_shape(previous, state, paces)
    if previous is None:
        # The assessment stays a trial in its week: a result logged on the trial's day
        # starts the ladder next week, it does not rewrite this one.
        return _start(profile, state, facts.paces_on(start), facts.stale)

    if review is None:  # the week before has not finished: plan as if it goes to plan
        decision = weekly_decision(WeekReview(deload_requested=state.deload_next), state.streak)
        if decision.action == "progress":
            decision = WeeklyDecision("progress", (AssumingToPlan(),))
    else:
        decision = weekly_decision(review, state.streak)
    if decision.action == "recovery" and goal is not None and taper.absorbs_recovery(start, goal):
        decision = WeeklyDecision("hold", (_absorbed(goal),))
    return _apply(decision, previous, state, paces)


def _race_shape(
    start: date, goal: Goal, state: _State, paces: TrainingPaces | None, kind: WeekKind
) -> _Shape:
    """A week the taper or the race touches: built at the runner's level, then redrawn
    day by day from the race date (coach/taper.py)."""
    first = taper.taper_start(goal)
    days = taper.taper_days(goal.distance_m)
    why: Reason = (
        RaceWeek(goal.distance_m, goal.date, first)
        if kind == "race"
        else Tapering(goal.distance_m, goal.date, first, days)
    )
    target, _ = _within_ceiling(state.base, state)
    main = _current_set(state, paces)
    return _Shape(
        kind,
        state.step,
        kind,
        WeeklyDecision("race" if kind == "race" else "taper", (why,)),
        target,
        main,
        race=goal,
    )


def _absorbed(goal: Goal) -> Reason:
    return TaperIsTheRecovery(taper.taper_start(goal))


def _after_race_shape(race_week: Week, state: _State, paces: TrainingPaces | None) -> _Shape:
    """The week after the race: easy days first (the reverse taper), and no bigger than
    race week plus the usual 10 %."""
    target = min(
        _floor5(state.base * RECOVERY_SHARE), _floor5(race_week.planned_min * PROGRESS_GAIN)
    )
    why = RaceDone(target)
    return _Shape(
        "recovery",
        state.step,
        "recovery",
        WeeklyDecision("recovery", (why,)),
        target,
        ladder.shorter(_current_set(state, paces)),
    )


def _within_ceiling(target: int, state: _State) -> tuple[int, CeilingHeld | None]:
    """A build week's minutes, and why, when they are held below the plan's level."""
    if state.ceiling is not None and target > state.ceiling:
        why = state.ceiling_why or "at most 10 % above last week"
        return state.ceiling, CeilingHeld(state.ceiling, why)
    return target, None


def _current_set(state: _State, paces: TrainingPaces | None) -> ladder.MainSet:
    """The quality session of the step the runner is on (step 1 before the ladder starts)."""
    return ladder.step_main_set(max(state.step, ladder.FIRST_STEP), paces, state.blend_variant)


def _start(
    profile: Profile, state: _State, paces: TrainingPaces | None, stale: RaceResult | None = None
) -> _Shape:
    if paces is None:
        why: Reason = NoResultYet()
        if stale is not None:
            why = StaleResult(stale.distance_m, stale.time_s, stale.date)
        state.step = 0
        return _Shape(
            "assessment",
            0,
            "assessment",
            WeeklyDecision("start", (why,)),
            state.base,
            ladder.time_trial(),
        )
    fit = profile.fitness
    why = StartingAtStep1(
        None if fit is None else fit.distance_m, None if fit is None else fit.time_s, state.base
    )
    state.step = ladder.FIRST_STEP
    return _Shape(
        "build",
        1,
        ladder.PHASES[1],
        WeeklyDecision("start", (why,)),
        state.base,
        ladder.step_main_set(1, paces),
    )


def _resume(start: date, facts: _Facts, state: _State, paces: TrainingPaces | None) -> _Shape:
    days_off = _break_length(start, facts)
    if days_off >= LONG_BREAK_DAYS:
        state.step = max(ladder.FIRST_STEP, state.step - 1)
        state.base = max(_floor5(state.base * RESUME_SHARE), 60)
        why: Reason = WelcomeBack(days_off, state.step, state.base)
    else:
        state.step = max(state.step, ladder.FIRST_STEP)
        why = BackAfterShortBreak(days_off)
    target, held = _within_ceiling(state.base, state)
    reasons: tuple[Reason, ...] = (why,) if held is None else (why, held)
    if _last_pause_was_illness(start, facts):
        reasons = (*reasons, HowDoYouFeel())
    return _Shape(
        "build",
        state.step,
        ladder.PHASES[state.step],
        WeeklyDecision("resume", reasons),
        target,
        ladder.step_main_set(state.step, paces, state.blend_variant),
    )


def _apply(
    decision: WeeklyDecision, previous: Week, state: _State, paces: TrainingPaces | None
) -> _Shape:
    """Turn a decision into next week's step, volume and sessions."""
    action: Action = decision.action
    step_set = _current_set(state, paces)
    reasons: list[Reason] = list(decision.reasons)
    start = previous.start + timedelta(days=7)
    if action in ("progress", "hold") and state.retest_on is not None and start >= state.retest_on:
        state.retest_on = None
        reasons.append(Retest())
        target, _ = _within_ceiling(state.base, state)
        return _shaped(
            "assessment", state.step, "time trial", action, reasons, target, ladder.time_trial()
        )
    if action == "deload":
        # 35 % below the last normal build week, whatever came since: a deload after a
        # recovery or busy week is not compounded on it, and a second deload in a row keeps
        # the same volume rather than spiralling down.
        normal = state.last_build or state.base
        target = 5 * round(normal * DELOAD_SHARE / 5)
        reasons.append(DeloadPlanned(target))
        return _shaped("deload", state.step, "deload", action, reasons, target, ladder.technique())
    if action == "recovery":
        # A quarter below the build week it follows, as planned (which the 10 % ceiling or
        # the runner's days may have kept under the plan's level).
        target = _floor5(min(state.base, state.build_planned or state.base) * RECOVERY_SHARE)
        reasons.append(RecoveryPlanned(target))
        return _shaped(
            "recovery", state.step, "recovery", action, reasons, target, ladder.shorter(step_set)
        )
    if action in ("hold", "repeat"):
        if decision.simplified:
            target = _floor5(state.base * BUSY_SHARE)
            main = ladder.shorter(step_set)
        else:
            target = state.base
            main = ladder.longer_recoveries(step_set) if action == "hold" else step_set
        target, held = _within_ceiling(target, state)
        if held is not None:
            reasons.append(held)
        state.step = max(state.step, ladder.FIRST_STEP)
        return _shaped(
            "build", state.step, ladder.PHASES[state.step], action, reasons, target, main
        )

    # progress
    if state.step == 0:
        # The ladder starts after the assessment; if something cut it short and there is
        # still no result, the time trial comes first.
        if paces is None and previous.kind != "assessment":
            reasons.append(TrialStillNeeded())
            return _shaped(
                "assessment", 0, "assessment", action, reasons, state.base, ladder.time_trial()
            )
        state.step = ladder.FIRST_STEP
        if paces is None:
            reasons.append(RepsByFeel())
    elif previous.kind == "assessment":
        pass  # an end-of-block trial: the step is already the blend phase
    elif previous.kind == "deload":
        # Back to the step the deload interrupted, at the volume before it.
        reasons = [DeloadDidItsJob()]
    elif (state.step == 5) or (
        state.step == ladder.BLEND_STEP and state.since_trial >= TRIAL_EVERY_BLEND_WEEKS
    ):
        state.since_trial = 0
        trial_step, state.step = state.step, ladder.BLEND_STEP
        reasons.append(EndOfBlock())
        target, _ = _within_ceiling(state.base, state)
        return _shaped(
            "assessment", trial_step, "time trial", action, reasons, target, ladder.time_trial()
        )
    else:
        state.step = min(state.step + 1, ladder.BLEND_STEP)
    if previous.kind in ("build", "assessment", "recovery"):
        state.base = max(state.base, min(state.cap, _floor5(state.base * PROGRESS_GAIN)))
    main = ladder.step_main_set(state.step, paces, state.blend_variant)
    target, held = _within_ceiling(state.base, state)
    reasons.append(StepPlanned(state.step, main.title, target, held))
    return _shaped("build", state.step, ladder.PHASES[state.step], action, reasons, target, main)


def _trial_note(previous: Week | None, facts: _Facts) -> Reason | None:
    """A time trial in the week that ended recalibrates every pace: say so, with numbers."""
    if previous is None:
        return None
    end = previous.start + timedelta(days=6)
    trials = [(d, v) for d, v in facts.trials if previous.start <= d <= end]
    pending = [(d, v) for d, v in facts.unconfirmed if previous.start <= d <= end]
    if pending and not trials:
        day, vdot = pending[-1]
        was = facts.vdot_on(day)
        return TrialUnconfirmed(day, was, vdot)
    if not trials:
        return None
    vdot = trials[-1][1]
    return TrialLogged(vdot, predict_race_s(vdot, 5000))


def _shaped(
    kind: WeekKind,
    step: int,
    phase: str,
    action: Action,
    reasons: list[Reason],
    target: int,
    main: ladder.MainSet,
) -> _Shape:
    return _Shape(kind, step, phase, WeeklyDecision(action, tuple(reasons)), target, main)


# --- building and adjusting a week -----------------------------------------------------


def _build(
    index: int, start: date, shape: _Shape, profile: Profile, facts: _Facts, state: _State
) -> tuple[Session, ...]:
    extra = None
    terrain = False
    if shape.decision.action == "resume":
        state.extra_last = index  # no extra hard session in the week after a comeback
    if shape.kind == "build" and shape.decision.action == "progress":
        paces = facts.paces_on(start)
        if state.step >= ladder.EXTRA_SESSION_FROM_STEP and index - state.extra_last >= 2:
            extra = ladder.extra_session(paces, state.extra_variant)
            used = {} if shape.main is None else ladder.zone_metres(shape.main, paces)
            dosed = ladder.dosed(extra, paces, shape.target_min, used)
            # The week's budget for that kind of work is already spent: no extra session.
            full = sum(r.count * r.distance_m for r in extra.reps)
            extra = dosed if sum(r.count * r.distance_m for r in dosed.reps) >= full / 2 else None
            if extra is not None:
                state.extra_last = index
                state.extra_variant += 1
        if state.step >= ladder.TERRAIN_FROM_STEP and index - state.terrain_last >= 2:
            terrain = True
            state.terrain_last = index
    if shape.step == ladder.BLEND_STEP and shape.kind in ("build", "recovery", "taper"):
        state.blend_variant += 1
    race = facts.goal_as_of(start + timedelta(days=6))
    ahead = race if race is not None and race.date > start else None
    recipe = WeekRecipe(
        start=start,
        target_min=shape.target_min,
        main=shape.main,
        extra=extra,
        terrain=terrain,
        long_share=blend.long_run_share(ahead),
    )
    sessions = build_week(recipe, profile, facts.paces_on)
    if race is None:
        return sessions
    vdot = facts.vdot_on(race.date)
    return taper.race_days(
        sessions, race, profile.quality_day, profile.run_days, shape.main, facts.paces_on, vdot
    )


def _for_goal(shape: _Shape, facts: _Facts, quality_date: date) -> _Shape:
    """A blend build week's session shaped by the goal race ahead (coach/blend.py)."""
    goal = facts.goal_as_of(quality_date)
    if shape.main is None or shape.kind != "build" or shape.step != ladder.BLEND_STEP:
        return shape
    if goal is None or goal.date <= quality_date:
        return shape
    paces, vdot = facts.paces_on(quality_date), facts.vdot_on(quality_date)
    main = blend.for_goal(shape.main, goal, paces, vdot)
    if main == shape.main:
        return shape
    d = shape.decision
    reasons = tuple(with_session_renamed(r, shape.main.title, main.title) for r in d.reasons)
    return replace(shape, main=main, decision=replace(d, reasons=reasons))


def _dosed(shape: _Shape, paces: TrainingPaces | None) -> _Shape:
    """The week's quality session sized to the runner (Daniels' caps, I reps by time); the
    reasons then name the set actually planned."""
    if shape.main is None:
        return shape
    main = ladder.dosed(shape.main, paces, shape.target_min)
    if main == shape.main:
        return shape
    old, new = shape.main.title, main.title
    d = shape.decision
    reasons = tuple(with_session_renamed(r, old, new) for r in d.reasons)
    return replace(shape, main=main, decision=replace(d, reasons=reasons))


def _adjust(
    sessions: tuple[Session, ...],
    facts: _Facts,
    state: _State,
    last_hard: date | None,
    next_fixed_hard: date | None,
) -> tuple[tuple[Session, ...], list[Reason]]:
    """What happened inside the week: pauses, a deload request, readiness, 48 h spacing."""
    out = list(sessions)
    changes: list[Reason] = []
    start, end = sessions[0].date, sessions[-1].date
    request = next((d for d in facts.deloads if start <= d <= end), None)
    pauses = facts.pauses
    for i, s in enumerate(out):
        reason = facts.pause_on(s.date) if pauses else None
        if reason is not None:
            if s.type != "rest" or not s.note:
                out[i] = rest_instead(s, f"Paused ({reason}).")
            continue
        niggled = niggles.eased(s, facts.niggles) if facts.niggles else None  # easy or rest
        if niggled is not None:
            out[i] = niggled[0]
            changes.append(NiggleChange(s.date, niggled[1]))
            continue
        if facts.pauses and _illness_ended_on(s.date, facts):
            state.easy_runs_owed = EASY_RUNS_AFTER_ILLNESS
        if state.easy_runs_owed and s.type != "rest":
            state.easy_runs_owed -= 1
            if s.hard and s.type != "race":
                why = "Back from illness: two easy runs come before any hard session."
                out[i] = easy_instead(s, why)
                changes.append(EasyAfterIllness(s.date, s.title))
                continue
        if request is not None and s.date >= request and s.type != "race":
            out[i] = lighter(s, ladder.technique(), "Lighter: you asked for a deload.")
            continue
        if s.hard and s.type != "race":
            swap = _readiness_swap(s, facts)
            if swap is not None:
                out[i] = easy_instead(s, swap)
                changes.append(ReadinessChange(s.date, swap))
        elif s.type in EASED_TYPES:
            ease = _readiness_ease(s, facts)
            if ease is not None:
                out[i] = eased(s, ease)
                changes.append(ReadinessChange(s.date, ease))
    paused = [s.date for s in out if facts.pause_on(s.date) is not None] if pauses else []
    if paused:
        changes.insert(0, PausedDays(paused[0], paused[-1]))
    if request is not None:
        changes.insert(0, DeloadRequested(request))
        state.deload_next = request
    # Hard days stay at least 48 h apart, across the week boundary and before a race too.
    for i, s in enumerate(out):
        if not s.hard or s.type == "race":
            continue
        too_close_before = last_hard is not None and (s.date - last_hard).days < 2
        too_close_after = next_fixed_hard is not None and 0 <= (next_fixed_hard - s.date).days < 2
        if too_close_before or too_close_after:
            out[i] = easy_instead(s, "Easy today: hard days stay 48 h apart.")
            changes.append(HardDaysApart(s.date, s.title))
        else:
            last_hard = s.date
    return tuple(out), changes


def _illness_ended_on(day: date, facts: _Facts) -> bool:
    """`day` is the first day after a health pause of ILLNESS_DAYS or more."""
    for first, last, reason in facts.pauses:
        if (
            last == day - timedelta(days=1)
            and reason.lower() in HEALTH_REASONS
            and (last - first).days + 1 >= ILLNESS_DAYS
        ):
            return True
    return False


def _flagged_morning(day: date, facts: _Facts) -> str | None:
    """This morning's resting HR and how far it is above the baseline, when it is flagged."""
    dates = facts.rhr_dates
    i = bisect.bisect_right(dates, day)  # past this morning's reading, if there is one
    if not i or dates[i - 1] != day:
        return None
    baseline = facts.baseline(day)
    if baseline is None:
        return None
    bpm = facts.rhr[i - 1][1]
    recent = facts.rhr_between(day - timedelta(days=2), day)
    if rhr_single_morning_flag(bpm, baseline) or rhr_recent_flag(recent, baseline):
        return (
            f"resting HR {bpm}, {bpm - baseline.mean:.0f} above your {baseline.mean:.0f} baseline"
        )
    return None


def _readiness_swap(session: Session, facts: _Facts) -> str | None:
    """Move today's hard session to an easy run when this morning's resting HR is flagged."""
    seen = _flagged_morning(session.date, facts)
    return None if seen is None else f"{seen}: the {session.title} became an easy run."


def _readiness_ease(session: Session, facts: _Facts) -> str | None:
    """A flagged morning also eases an easy run: shorter, and no strides."""
    seen = _flagged_morning(session.date, facts)
    if seen is None:
        return None
    what = "shorter and without strides" if session.strides else "shorter"
    return f"{seen}: today's easy run is {what}."


# --- the plan --------------------------------------------------------------------------


def _special_ceiling(
    previous: Week,
    weeks: list[Week],
    start: date,
    today: date,
    facts: _Facts,
    state: _State,
    planned_before: int,
) -> None:
    """Ceilings on a week's minutes beyond the 10 % rule, each with its reason."""
    normal = state.last_build
    if previous.kind == "deload" and normal is not None:
        # Back from a deload in two steps: halfway this week, the usual level the next.
        state.ceiling = _floor5((previous.planned_min + normal) / 2)
        state.ceiling_why = "halfway back to your usual volume after the lighter week"
        return
    if previous.kind == "recovery" and state.build_planned is not None:
        # After the 3:1 recovery week: back to the last build week, plus the usual 10 %.
        state.ceiling = int(state.build_planned * PROGRESS_GAIN)
    before = weeks[-2] if len(weeks) >= 2 else None
    if previous.kind == "recovery" and before is not None and before.kind == "race":
        # After the race's easy week: halfway back to the usual level, as after a deload.
        state.ceiling = _floor5((previous.planned_min + (normal or state.base)) / 2)
        state.ceiling_why = "halfway back to your usual volume after the race"
        return
    back_from_deload = before is not None and before.kind == "deload"
    if back_from_deload and previous.kind == "build" and normal is not None:
        state.ceiling = max(state.ceiling or 0, normal)
    if _paused_days(previous.start, facts) and not _paused_days(start, facts):
        # The first full week after a break: what was actually run, plus at most 15 %.
        if start - timedelta(days=1) <= today:
            ran = sum(r.duration_min for d, r in facts.runs.items() if previous.start <= d < start)
        else:
            ran = previous.planned_min
        floor = RESUME_FLOOR_MIN
        cap = max(_floor5(ran * RESUME_GAIN), floor)
        if state.ceiling is None or cap < state.ceiling:
            state.ceiling = cap
            state.ceiling_why = (
                f"{RESUME_GAIN * 100 - 100:.0f} % above the {ran:.0f} you ran last week"
                if cap > floor
                else "a gentle first full week back"
            )


def _metrics(facts: _Facts, profile: Profile, today: date) -> Metrics:
    first = min(profile.start_date, facts.first_day or profile.start_date)
    if today < first:
        return Metrics(None, None, None, None, None, None)
    last7 = facts.daily_loads(max(first, today - timedelta(days=6)), today)  # the last 7 days
    baseline = facts.baseline(today)
    recent = facts.rhr_between(today - timedelta(days=2), today)
    return Metrics(
        acwr=facts.acwr_on(today),
        monotony=monotony(last7) if len(last7) == 7 else None,
        strain=strain(last7) if len(last7) == 7 else None,
        weekly_load=sum(last7),
        rhr_baseline=None if baseline is None else baseline.mean,
        rhr_recent=sum(recent) / len(recent) if recent else None,
    )


def _profile_lookup(history: History, facts: _Facts) -> Callable[[date], Profile]:
    """The profile in force on a day, as known by the facts' last day (`history.profile_on`)."""
    if not facts.profile_changes:
        return lambda day: history.profile
    only_changes = replace(history, events=tuple(facts.profile_changes))
    return lambda day: profile_on(only_changes, day)


def _with_profile_changes(
    profile_at: Callable[[date], Profile],
    index: int,
    shape: _Shape,
    facts: _Facts,
    state: _State,
    sessions: tuple[Session, ...],
) -> tuple[Session, ...]:
    """A profile change taking effect mid-week: the days before it keep the week as it was
    planned, the days from it are planned with the new profile (same decision, same step)."""
    out = list(sessions)
    profiles = [profile_at(s.date) for s in sessions]
    for i in range(1, len(sessions)):
        profile = profiles[i]
        # The same object most days (no change this week): skip the field-by-field compare.
        if profile is not profiles[i - 1] and profile != profiles[i - 1]:
            # A copy of the state: the week's decision is already taken; this only redraws days.
            rebuilt = _build(index, sessions[0].date, shape, profile, facts, copy.copy(state))
            out[i:] = rebuilt[i:]
    return tuple(out)


def _with_short_first_week(
    history: History, today: date, weeks_ahead: int, checkpoint: Checkpoint | None
) -> tuple[Plan, Checkpoint | None]:
    """A plan starting mid-week: a short first week to Sunday (coach/lead_in.py), then the
    replay from the first Monday as for any plan (its checkpoint is the Monday plan's)."""
    profile = history.profile
    monday = lead_in.first_monday(profile.start_date)
    from_monday = replace(history, profile=replace(profile, start_date=monday))
    full, taken = replay(from_monday, today, weeks_ahead, checkpoint)
    fit = profile.fitness
    fresh = fit is not None and not results.too_old(fit.date, profile.start_date)
    paces = (
        training_paces(round(_vdot_from_race(fit.distance_m, fit.time_s), 1))
        if fit and fresh
        else None
    )
    first = lead_in.short_week(profile, paces)
    if today < monday:
        return replace(full, history=(), week=first, upcoming=(full.week, *full.upcoming)), taken
    return replace(full, history=(first, *full.history)), taken


def _kept_before_pause(
    index: int,
    profile: Profile,
    facts: _Facts,
    state: _State,
    previous: Week | None,
    review: WeekReview | None,
    sessions: tuple[Session, ...],
) -> tuple[Session, ...]:
    """A week paused from mid-week: the days before the pause keep the week as it was
    planned before the pause was known (issue 8: a done Monday stays a run)."""
    start = sessions[0].date
    first = next((i for i, s in enumerate(sessions) if facts.pause_on(s.date)), 0)
    if first == 0:
        return sessions
    unpaused = copy.copy(facts)
    unpaused.pauses = [p for p in facts.pauses if p[0] < start]
    as_planned = copy.copy(state)  # only redraws days: the week's decision is taken
    shape = _shape(index, start, profile, unpaused, as_planned, previous, review)
    shape = _dosed(shape, unpaused.paces_on(start + timedelta(days=profile.quality_day)))
    kept = _build(index, start, shape, profile, unpaused, as_planned)
    return (*kept[:first], *sessions[first:])


def _quality_day(profile_at: Callable[[date], Profile], week_start: date) -> int:
    """The quality day a finished week was planned with (its profile on that day)."""
    for i in range(7):
        day = week_start + timedelta(days=i)
        if profile_at(day).quality_day == day.weekday():
            return day.weekday()
    return profile_at(week_start).quality_day


def _moves(known: _Facts, facts: _Facts, history: History, today: date) -> tuple[SessionMove, ...]:
    """The moves said by `today`, in history order: the known ones then the new ones, unless
    both exist (the history's order between them is not the facts' order by date)."""
    if known.moves and len(facts.moves) > len(known.moves):
        return moves_said_by(history, today)
    return tuple(facts.moves)


def plan(history: History, today: date, weeks_ahead: int = DEFAULT_WEEKS_AHEAD) -> Plan:
    """Replay the history up to `today`: past weeks, the current week, and what comes next."""
    return replay(history, today, weeks_ahead)[0]


def replay(
    history: History,
    today: date,
    weeks_ahead: int = DEFAULT_WEEKS_AHEAD,
    checkpoint: Checkpoint | None = None,
) -> tuple[Plan, Checkpoint | None]:
    """`plan`, resumed from `checkpoint` when it still holds, and the checkpoint at the end
    of the last finished week (None before the first week has finished).

    The caller vouches that the history's events the checkpoint `depends_on` are the ones
    it was taken from; the profile and `today` are checked here. The Plan is the one a cold
    replay gives."""
    if history.profile.start_date.weekday() != 0:
        return _with_short_first_week(history, today, weeks_ahead, checkpoint)
    profile = history.profile
    start = profile.start_date
    current = max((today - start).days // 7, 0)
    state = _State(
        step=0, base=profile.weekly_minutes, cap=_floor5(profile.weekly_minutes * VOLUME_CAP)
    )
    weeks: list[Week] = []
    last_hard: date | None = None
    planned_at_start = 0
    first_index = 0
    known = _Facts.unread(profile)
    if checkpoint is not None and checkpoint.resumes(profile, today):
        weeks = list(checkpoint.weeks)
        state = _copied(checkpoint.state)
        last_hard, planned_at_start = checkpoint.last_hard, checkpoint.planned_at_start
        first_index = len(weeks)
        known = checkpoint.facts
    # Only the events after the facts already known are read (all of them, cold).
    after = known.through or date.min
    events = [e for e in history.events if after < e.date <= today]
    events.sort(key=_event_date)  # stable: a day's events keep their order
    # The facts as of the end of the last finished week go into the checkpoint taken there.
    through = start + timedelta(days=7 * current - 1)
    facts_through = None
    if first_index <= current - 1:
        split = bisect.bisect_right(events, through, key=_event_date)
        facts_through = known.extended(events[:split], through, profile)
        facts = facts_through.extended(events[split:], today, profile)
    else:
        facts = known.extended(events, today, profile)
    profile_at = _profile_lookup(history, facts)
    moves = _moves(known, facts, history, today)
    taken = None
    for index in range(first_index, current + weeks_ahead + 1):
        week_start = start + timedelta(days=7 * index)
        previous = weeks[-1] if weeks else None
        review = None
        if previous is not None and week_start - timedelta(days=1) <= today:
            acwr = facts.acwr_on(week_start - timedelta(days=1))
            quality_day = (
                _quality_day(profile_at, previous.start)
                if facts.profile_changes
                else profile.quality_day  # one profile: its quality day, the week's start a Monday
            )
            review = _review(previous, quality_day, facts, state, acwr)
            state.deload_next = None
        elif previous is None:
            state.deload_next = None
        # Principle 2: never raise volume abruptly, even back from a busy or cut week;
        # measured against last week as planned, not as life cut it short mid-week.
        build_before = previous is not None and previous.kind == "build"
        state.ceiling = int(planned_at_start * PROGRESS_GAIN) if build_before else None
        state.ceiling_why = None
        if previous is not None:
            _special_ceiling(previous, weeks, week_start, today, facts, state, planned_at_start)
        week_profile = profile_at(week_start)
        shape = _shape(index, week_start, week_profile, facts, state, previous, review)
        quality_date = week_start + timedelta(days=week_profile.quality_day)
        shape = _for_goal(shape, facts, quality_date)
        shape = _dosed(shape, facts.paces_on(quality_date))
        sessions = _build(index, week_start, shape, week_profile, facts, state)
        if shape.kind == "paused":
            sessions = _kept_before_pause(
                index, week_profile, facts, state, previous, review, sessions
            )
        if facts.profile_changes:
            sessions = _with_profile_changes(profile_at, index, shape, facts, state, sessions)
        goal = facts.goal_as_of(week_start + timedelta(days=6))
        next_fixed = None if goal is None else goal.date
        planned_at_start = sum(s.planned_min for s in sessions)
        if shape.kind == "build":
            state.build_planned = planned_at_start
        usual = shape.decision.action in ("start", "progress", "hold", "repeat")
        # A busy week or a comeback is not the usual level a deload is measured from.
        normal = usual and not shape.decision.simplified and state.ceiling_why is None
        if shape.kind == "build" and normal:
            state.last_build = planned_at_start
        sessions = apply_moves(sessions, moves)  # before _adjust: its 48 h check still runs
        sessions, changes = _adjust(sessions, facts, state, last_hard, next_fixed)
        hard_days = [s.date for s in sessions if s.hard]
        if hard_days:
            last_hard = hard_days[-1]
        if shape.kind in ("build", "assessment"):
            state.streak += 1
        else:
            state.streak = 0
        if state.step == ladder.BLEND_STEP and shape.kind != "assessment":
            state.since_trial += 1  # every blend week counts, lighter ones too: 4-6 weeks apart
        d = shape.decision
        reasons = d.reasons
        if planned_at_start != shape.target_min:
            # Runs that do not fit the runner's days leave the week shorter: every number
            # in the decision is the one planned.
            said, planned = shape.target_min, planned_at_start
            reasons = tuple(with_planned_minutes(r, said, planned) for r in reasons)
        trial = _trial_note(previous, facts)
        reasons = reasons if trial is None else (trial, *reasons)
        weeks.append(
            Week(
                start=week_start,
                index=index,
                step=shape.step,
                phase=shape.phase,
                kind=shape.kind,
                decision=Decision(d.action, reasons),
                planned_min=sum(s.planned_min for s in sessions),
                sessions=sessions,
                changes=tuple(changes),
            )
        )
        if index == current - 1:  # the last finished week: where the next replay resumes
            assert facts_through is not None and facts_through.through == through
            taken = Checkpoint(
                profile,
                tuple(weeks),
                _copied(state),
                last_hard,
                planned_at_start,
                through=through,
                facts=facts_through,
            )

    vdot = facts.vdot_on(today)
    split = current if today >= start else 0
    result = Plan(
        today=today,
        vdot=vdot,
        paces=facts.paces_on(today) if vdot is not None else None,
        metrics=_metrics(facts, profile, today),
        history=tuple(weeks[:split]),
        week=weeks[split],
        upcoming=tuple(weeks[split + 1 :]),
    )
    # Resumed past the week after it, the checkpoint given still stands; one refused does not.
    return result, taken if taken is not None or not first_index else checkpoint
