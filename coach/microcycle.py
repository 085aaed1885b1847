"""The weekly microcycle (COACHING.md §6): which session goes on which day, and how long.

A week is built from a handful of choices made by the replay (the main set of the quality
day, an optional extra hard session, terrain, the week's minutes) and the runner's days.
The minutes of the sessions add up to the week's target whenever the days allow it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from coach.history import Profile
from coach.ladder import MainSet, main_set_minutes
from coach.model import Rep, Session, SessionType
from coach.paces import TrainingPaces

WARM_UP_MIN, COOL_DOWN_MIN = 15, 10
SHORT_WARM_UP_MIN, SHORT_COOL_DOWN_MIN = 10, 5
TECHNIQUE_MIN = 30
MIN_EASY_MIN = 20
MAX_EASY_MIN = 90
LONG_RUN_SHARE = 0.28  # the aim; never above LONG_RUN_CAP of the week
# The long run's ceiling as a share of the week, by how many runs the week has. With three
# runs an even split is a third each, so the long run may reach 40 %; with two it is the
# only other run, up to half (docs/method.md, "Week shape").
LONG_RUN_CAP, LONG_RUN_CAP_3_DAYS, LONG_RUN_CAP_2_DAYS = 0.30, 0.40, 0.50
EXTRA_FITS_SHARE = 0.95  # an extra session that would cut the week by more stays off
PROGRESSION_FINISH_MIN = 15  # a 3-day week's extra stimulus: the long run's last minutes at M
STRIDES_PER_WEEK = 2
STRIDES_COUNT = 5
EASED_SHARE = 0.8  # a flagged morning's easy run: a fifth shorter
EASED_TYPES: frozenset[str] = frozenset({"easy", "strides", "hills"})

PacesOn = Callable[[date], TrainingPaces | None]


@dataclass(frozen=True, slots=True)
class WeekRecipe:
    """Everything the replay decided about a week that shapes its sessions."""

    start: date
    target_min: int
    main: MainSet | None  # the quality-day session; None for an all-easy week
    extra: MainSet | None = None
    terrain: bool = False
    extra_as_finish: bool = False  # the extra session as the long run's progression finish
    long_share: float = LONG_RUN_SHARE  # the long run's aim (the cap before a half/marathon)


@lru_cache(maxsize=1024)
def week_days(start: date) -> tuple[date, ...]:
    """The seven days from `start`: each week's dates are asked for many times over."""
    return tuple(start + timedelta(days=i) for i in range(7))


def cyclic_gap(a: int, b: int) -> int:
    """Days between two weekdays, going around the week either way."""
    d = abs(a - b) % 7
    return min(d, 7 - d)


def _rest(day: date, note: str = "", paces: TrainingPaces | None = None) -> Session:
    return Session(day, "rest", "Rest or active recovery", 0, None, (), paces, note)


def _warm_cool(short: bool) -> tuple[int, int]:
    return (SHORT_WARM_UP_MIN, SHORT_COOL_DOWN_MIN) if short else (WARM_UP_MIN, COOL_DOWN_MIN)


def _hard_minutes(main: MainSet, paces: TrainingPaces | None, short: bool, week_min: int) -> int:
    """Warm-up + main set with its recoveries + cool-down: what the runner will be out for."""
    if main.type == "technique":
        return min(TECHNIQUE_MIN, week_min)  # a tiny deload week shortens it too
    warm, cool = _warm_cool(short)
    fallback = 330.0 if paces is None else paces.five_k * 1.05
    return warm + round(main_set_minutes(main, fallback)) + cool


def _from_main(
    day: date,
    main: MainSet,
    minutes: int,
    paces: TrainingPaces | None,
    short: bool = False,
    note: str = "",
) -> Session:
    strides = STRIDES_COUNT + 1 if main.type == "technique" else 0
    warm, cool = (0, 0) if main.type == "technique" else _warm_cool(short)
    return Session(
        date=day,
        type=main.type,
        title=main.title,
        planned_min=minutes,
        target_rpe=main.target_rpe,
        reps=main.reps,
        paces=paces,
        note=note,
        strides=strides,
        warm_up_min=warm,
        cool_down_min=cool,
    )


def hard_session(day: date, main: MainSet, paces: TrainingPaces | None, note: str) -> Session:
    """A hard session placed on its own (the taper): full warm-up and cool-down."""
    minutes = _hard_minutes(main, paces, False, TECHNIQUE_MIN)
    return _from_main(day, main, minutes, paces, note=note)


def long_run_cap(runs: int) -> float:
    """The long run's ceiling as a share of the week, for a week of `runs` runs."""
    if runs <= 2:
        return LONG_RUN_CAP_2_DAYS
    return LONG_RUN_CAP_3_DAYS if runs == 3 else LONG_RUN_CAP


def _split(
    remaining: int, easy_runs: int, has_long: bool, cap: int, aim: int, longest_hard: int
) -> tuple[int, float]:
    """(long run minutes, minutes of each easy run). The long run is at least as long as
    each easy run and, when the cap allows, the hard sessions; it never takes more than its
    cap. Minutes that do not fit are left out: a shorter week, never a bigger long run."""
    if not has_long:
        return 0, (min(MAX_EASY_MIN, remaining / easy_runs) if easy_runs else 0.0)
    if easy_runs == 0:
        return max(min(remaining, cap), 0), 0.0
    fair = math.ceil(remaining / (easy_runs + 1))
    long_min = max(min(cap, max(aim, fair, longest_hard)), 0)
    each = min((remaining - long_min) / easy_runs, float(long_min), float(MAX_EASY_MIN))
    return long_min, max(each, 0.0)


def _progression_finish(paces: TrainingPaces | None) -> Rep:
    """The last minutes of a 3-day runner's long run at marathon pace, by feel without paces."""
    if paces is None:
        return Rep(1, 2000, None, 0)
    metres = PROGRESSION_FINISH_MIN * 60 / paces.marathon * 1000
    return Rep(1, max(1000.0, round(metres, -2)), paces.marathon, 0)


def _rest_day_for_daily_runner(profile: Profile) -> int:
    """Someone who runs every day still gets one active-recovery day: after the long run."""
    after_long = (profile.long_run_day + 1) % 7
    return after_long if after_long != profile.quality_day else (profile.quality_day - 1) % 7


def _extra_day(profile: Profile, easy_days: list[int]) -> int | None:
    """An easy day at least 48 h from the quality day (around the week too), never the long
    run nor the day before it: the long run is run on fresh legs."""
    before_long = (profile.long_run_day - 1) % 7
    candidates = [
        d for d in easy_days if cyclic_gap(d, profile.quality_day) >= 2 and d != before_long
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda d: (cyclic_gap(d, profile.quality_day), -d))


def build_week(recipe: WeekRecipe, profile: Profile, paces_on: PacesOn) -> tuple[Session, ...]:
    """Seven sessions, Monday first; rest days included.

    An extra hard session takes an easy day. When that leaves too few easy minutes to
    fill the week without the long run outgrowing its share, the extra stimulus becomes a
    progression finish of the long run instead, as on a 3-day week.
    """
    sessions = _build_week(recipe, profile, paces_on)
    if recipe.extra is None or recipe.extra_as_finish:
        return sessions
    planned = sum(s.planned_min for s in sessions)
    if EXTRA_FITS_SHARE * recipe.target_min <= planned <= recipe.target_min:
        return sessions
    instead = _build_week(replace(recipe, extra_as_finish=True), profile, paces_on)
    if planned > recipe.target_min:  # the two hard sessions alone overfill a small week
        return instead
    return instead if sum(s.planned_min for s in instead) > planned else sessions


def _build_week(recipe: WeekRecipe, profile: Profile, paces_on: PacesOn) -> tuple[Session, ...]:
    start = recipe.start
    days = week_days(start)
    run_days = set(profile.run_days)
    if len(run_days) == 7:
        run_days.discard(_rest_day_for_daily_runner(profile))

    hard: dict[int, MainSet] = {}
    if recipe.main is not None and profile.quality_day in run_days:
        hard[profile.quality_day] = recipe.main

    long_day = profile.long_run_day
    easy_days = [d for d in sorted(run_days) if d not in hard and d != long_day]
    finish = False
    if recipe.extra is not None:
        if len(run_days) <= 3 or recipe.extra_as_finish:
            # Three runs a week: the extra stimulus is a progression finish of the long run,
            # so the only easy day stays easy.
            finish = (
                long_day in run_days
                and long_day not in hard
                and cyclic_gap(long_day, profile.quality_day) >= 2
            )
        else:
            extra_wd = _extra_day(profile, easy_days)
            if extra_wd is not None:
                hard[extra_wd] = recipe.extra
                easy_days.remove(extra_wd)

    sessions: dict[int, Session] = {}
    has_long = long_day in run_days
    easy = sorted(easy_days, key=lambda d: (d != (profile.quality_day - 1) % 7, d))
    rests: dict[int, str] = {}
    running = len(hard)
    if running + len(easy) + has_long == 7 and easy:
        rests[easy.pop()] = "At least one day off a week."
    runs = running + len(easy) + has_long
    cap = math.floor(recipe.target_min * long_run_cap(runs))
    aim = round(recipe.target_min * recipe.long_share)

    # A short warm-up and cool-down when the full ones would make a hard session longer
    # than the long run may be, or the hard sessions most of a small week.
    short = False
    hard_min: dict[int, int] = {}
    for _ in range(2):
        hard_min = {
            d: _hard_minutes(m, paces_on(days[d]), short, recipe.target_min)
            for d, m in hard.items()
        }
        too_long = has_long and any(
            v > cap for d, v in hard_min.items() if hard[d].type != "technique"
        )
        if sum(hard_min.values()) <= 0.5 * recipe.target_min and not too_long:
            break
        short = True
    for wd, main in hard.items():
        day = days[wd]
        paces = paces_on(day)
        sessions[wd] = _from_main(day, main, hard_min[wd], paces, short)

    remaining = recipe.target_min - sum(hard_min.values())
    longest_hard = max(hard_min.values(), default=0)
    # Too few minutes for every easy day: rest the day before the quality session first.
    while True:
        long_min, each = _split(remaining, len(easy), has_long, cap, aim, longest_hard)
        if not easy or each >= MIN_EASY_MIN:
            break
        rests[easy.pop(0)] = "An extra rest day this lighter week."
    easy_total = min(max(remaining - long_min, 0), math.floor(each * len(easy)))
    # When easy runs hit their ceiling the week comes out shorter than its target, and the
    # long run's share must hold of the week as planned, not of the target.
    share = long_run_cap(running + len(easy) + has_long)  # the runs left after extra rests
    for _ in range(20):
        total = sum(hard_min.values()) + easy_total + long_min
        if long_min <= share * total:
            break
        long_min = math.floor(share * (total - long_min) / (1 - share))
        easy_total = min(easy_total, long_min * len(easy))
    easy.sort()

    # From step 5 the first easy run of every other week goes over hills or soft ground;
    # strides go on up to two easy runs, never the day before a hard session.
    terrain_day = easy[0] if recipe.terrain and easy else None
    before_hard = {(d - 1) % 7 for d in (*hard, profile.quality_day)}
    strides_days = [d for d in easy if d != terrain_day and d not in before_hard]
    strides_days = strides_days[:STRIDES_PER_WEEK]
    for i, wd in enumerate(easy):
        day = days[wd]
        minutes = easy_total // len(easy) + (1 if i < easy_total % len(easy) else 0)
        if wd == terrain_day:
            kind: SessionType = "hills"
            title, rpe, strides = "Easy run on rolling or soft ground", 4, 0
        elif wd in strides_days:
            kind, title, rpe, strides = "strides", "Easy run with strides", 4, STRIDES_COUNT
        else:
            kind, title, rpe, strides = "easy", "Easy run", 3, 0
        sessions[wd] = Session(
            date=day,
            type=kind,
            title=title,
            planned_min=minutes,
            target_rpe=rpe,
            paces=paces_on(day),
            strides=strides,
        )
    for wd, note in rests.items():
        sessions[wd] = _rest(days[wd], note)
    if has_long and long_min > 0:
        day = days[long_day]
        paces = paces_on(day)
        finish_reps = (_progression_finish(paces),) if finish else ()
        sessions[long_day] = Session(
            date=day,
            type="long",
            title="Long run, progression finish" if finish else "Long steady run",
            planned_min=long_min,
            target_rpe=5 if finish else 4,
            reps=finish_reps,
            paces=paces,
        )
    return tuple([sessions.get(wd) or _rest(days[wd]) for wd in range(7)])


def _easy(s: Session, minutes: int, reps: tuple[Rep, ...], note: str) -> Session:
    """`s` as an easy run. The constructor rather than dataclasses.replace, which looks the
    fields up on every call: this runs for many days of every week replayed. Every field
    is named (tests/coach/test_session_changes.py checks none is dropped)."""
    return Session(
        date=s.date,
        type="easy",
        title="Easy run",
        planned_min=minutes,
        target_rpe=3,
        reps=reps,
        paces=s.paces,
        note=note,
        strides=0,
        warm_up_min=s.warm_up_min,
        cool_down_min=s.cool_down_min,
        race=s.race,
    )


def easy_instead(session: Session, note: str) -> Session:
    """A hard session turned into an easy run of similar length (readiness, spacing)."""
    return _easy(session, max(MIN_EASY_MIN, round(session.planned_min * 0.8)), (), note)


def eased(session: Session, note: str) -> Session:
    """An easy run on a flagged morning: shorter, strides removed, on the flat."""
    minutes = max(MIN_EASY_MIN, round(session.planned_min * EASED_SHARE))
    return _easy(session, minutes, session.reps, note)


def rest_instead(session: Session, note: str) -> Session:
    return _rest(session.date, note, session.paces)


def lighter(session: Session, technique: MainSet, note: str) -> Session:
    """A session after a mid-week deload request: hard becomes technique, easy runs shorten."""
    if session.type == "rest":
        return session
    if session.hard:
        return _from_main(session.date, technique, TECHNIQUE_MIN, session.paces, note=note)
    return replace(
        session, planned_min=max(MIN_EASY_MIN, round(session.planned_min * 0.65)), note=note
    )
