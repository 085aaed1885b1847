"""The weekly microcycle (COACHING.md §6): which session goes on which day, and how long.

A week is built from a handful of choices made by the replay (the main set of the quality
day, an optional extra hard session, terrain, the week's minutes) and the runner's days.
The minutes of the sessions add up to the week's target whenever the days allow it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from coach.history import Profile
from coach.ladder import MainSet, main_set_minutes
from coach.model import Session, SessionType
from coach.paces import TrainingPaces

WARM_UP_MIN, COOL_DOWN_MIN = 15, 10
SHORT_WARM_UP_MIN, SHORT_COOL_DOWN_MIN = 10, 5
TECHNIQUE_MIN = 30
MIN_EASY_MIN = 20
MAX_EASY_MIN = 90
LONG_RUN_SHARE = 0.28  # capped at ~30 % of the week
STRIDES_PER_WEEK = 2
STRIDES_COUNT = 5
RACE_WARM_UP_MIN = 15

PacesOn = Callable[[date], TrainingPaces | None]


@dataclass(frozen=True, slots=True)
class WeekRecipe:
    """Everything the replay decided about a week that shapes its sessions."""

    start: date
    target_min: int
    main: MainSet | None  # the quality-day session; None for an all-easy week
    extra: MainSet | None = None
    terrain: bool = False
    race_day: date | None = None
    race_distance_m: float | None = None
    race_time_s: float | None = None


def cyclic_gap(a: int, b: int) -> int:
    """Days between two weekdays, going around the week either way."""
    d = abs(a - b) % 7
    return min(d, 7 - d)


def _rest(day: date, note: str = "") -> Session:
    return Session(
        date=day,
        type="rest",
        title="Rest or active recovery",
        planned_min=0,
        target_rpe=None,
        note=note,
    )


def _hard_minutes(main: MainSet, paces: TrainingPaces | None, short: bool, week_min: int) -> int:
    if main.type == "technique":
        return min(TECHNIQUE_MIN, week_min)  # a tiny deload week shortens it too
    warm, cool = (SHORT_WARM_UP_MIN, SHORT_COOL_DOWN_MIN) if short else (WARM_UP_MIN, COOL_DOWN_MIN)
    fallback = 330.0 if paces is None else paces.five_k * 1.05
    return round(warm + main_set_minutes(main, fallback) + cool)


def _from_main(day: date, main: MainSet, minutes: int, paces: TrainingPaces | None) -> Session:
    strides = STRIDES_COUNT + 1 if main.type == "technique" else 0
    return Session(
        date=day,
        type=main.type,
        title=main.title,
        planned_min=minutes,
        target_rpe=main.target_rpe,
        reps=main.reps,
        paces=paces,
        strides=strides,
    )


def _rest_day_for_daily_runner(profile: Profile) -> int:
    """Someone who runs every day still gets one active-recovery day: after the long run."""
    after_long = (profile.long_run_day + 1) % 7
    return after_long if after_long != profile.quality_day else (profile.quality_day - 1) % 7


def _extra_day(profile: Profile, easy_days: list[int]) -> int | None:
    """An easy day at least 48 h from the quality day (around the week too), not the long run."""
    candidates = [d for d in easy_days if cyclic_gap(d, profile.quality_day) >= 2]
    if not candidates:
        return None
    return max(candidates, key=lambda d: (cyclic_gap(d, profile.quality_day), -d))


def build_week(recipe: WeekRecipe, profile: Profile, paces_on: PacesOn) -> tuple[Session, ...]:
    """Seven sessions, Monday first; rest days included."""
    start = recipe.start
    run_days = set(profile.run_days)
    if len(run_days) == 7:
        run_days.discard(_rest_day_for_daily_runner(profile))
    race_wd = None if recipe.race_day is None else (recipe.race_day - start).days

    hard: dict[int, MainSet] = {}
    if race_wd is None:
        if recipe.main is not None and profile.quality_day in run_days:
            hard[profile.quality_day] = recipe.main
    elif recipe.main is not None and profile.quality_day <= race_wd - 3:
        hard[profile.quality_day] = recipe.main  # the sharpener, two clear days before the race

    long_day = profile.long_run_day
    if race_wd is not None and long_day <= race_wd + 1:
        long_day = -1  # no long run in the days before a race or the day after it
    easy_days = [
        d
        for d in sorted(run_days)
        if d not in hard
        and d != long_day
        and d != race_wd
        and not (race_wd is not None and abs(d - race_wd) == 1)  # rest around the race
    ]
    if recipe.extra is not None and race_wd is None:
        extra_wd = _extra_day(profile, [d for d in easy_days if d != long_day])
        if extra_wd is not None:
            hard[extra_wd] = recipe.extra
            easy_days.remove(extra_wd)

    sessions: dict[int, Session] = {}
    hard_total = 0
    fixed_total = 0
    if race_wd is not None and 0 <= race_wd < 7:
        race_min = RACE_WARM_UP_MIN + round((recipe.race_time_s or 3600) / 60) + 5
        distance = recipe.race_distance_m or 0
        sessions[race_wd] = Session(
            date=recipe.race_day or start,
            type="race",
            title=f"Race: {distance / 1000:g} km",
            planned_min=race_min,
            target_rpe=9,
            paces=paces_on(recipe.race_day or start),
        )
        fixed_total += race_min
        if race_wd >= 1 and race_wd - 1 in run_days:
            day = start + timedelta(days=race_wd - 1)
            sessions[race_wd - 1] = _rest(
                day, "The day before the race: rest, or a 15-minute shakeout with 3 strides."
            )
        if race_wd + 1 < 7 and race_wd + 1 in run_days:
            day = start + timedelta(days=race_wd + 1)
            sessions[race_wd + 1] = _rest(
                day, "The day after the race: rest, walk or an easy spin."
            )

    short = False
    for _ in range(2):
        hard_total = sum(
            _hard_minutes(m, paces_on(start + timedelta(days=d)), short, recipe.target_min)
            for d, m in hard.items()
        )
        if hard_total <= 0.5 * recipe.target_min:
            break
        short = True
    for wd, main in hard.items():
        day = start + timedelta(days=wd)
        paces = paces_on(day)
        sessions[wd] = _from_main(
            day, main, _hard_minutes(main, paces, short, recipe.target_min), paces
        )

    remaining = recipe.target_min - hard_total - fixed_total
    has_long = long_day in run_days and long_day not in sessions
    long_min = round(recipe.target_min * LONG_RUN_SHARE) if has_long else 0
    # Too few minutes for every easy day: rest the day before the quality session first.
    easy = sorted(easy_days, key=lambda d: (d != (profile.quality_day - 1) % 7, d))
    rests: dict[int, str] = {}
    while easy and (remaining - long_min) / len(easy) < MIN_EASY_MIN:
        rests[easy.pop(0)] = "An extra rest day this lighter week."
    running = sum(1 for x in sessions.values() if x.type != "rest") + len(easy) + has_long
    if running == 7 and easy:
        rests[easy.pop()] = "At least one day off a week."
    if not easy:
        long_min = max(remaining, 0) if has_long else 0
    elif (remaining - long_min) / len(easy) > MAX_EASY_MIN:
        long_min = remaining - MAX_EASY_MIN * len(easy)
    easy_total = max(remaining - long_min, 0)
    easy.sort()

    # From step 5 the first easy run of every other week goes over hills or soft ground;
    # strides go on up to two easy runs, never the day before a hard session.
    terrain_day = easy[0] if recipe.terrain and easy else None
    before_hard = {(d - 1) % 7 for d in (*hard, profile.quality_day)}
    strides_days = [d for d in easy if d != terrain_day and d not in before_hard]
    strides_days = strides_days[:STRIDES_PER_WEEK]
    for i, wd in enumerate(easy):
        day = start + timedelta(days=wd)
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
        sessions[wd] = _rest(start + timedelta(days=wd), note)
    if has_long and long_min > 0:
        day = start + timedelta(days=long_day)
        sessions[long_day] = Session(
            date=day,
            type="long",
            title="Long steady run",
            planned_min=long_min,
            target_rpe=4,
            paces=paces_on(day),
        )
    return tuple(sessions.get(wd) or _rest(start + timedelta(days=wd)) for wd in range(7))


def easy_instead(session: Session, note: str) -> Session:
    """A hard session turned into an easy run of similar length (readiness, spacing)."""
    return replace(
        session,
        type="easy",
        title="Easy run",
        target_rpe=3,
        reps=(),
        strides=0,
        planned_min=max(MIN_EASY_MIN, round(session.planned_min * 0.8)),
        note=note,
    )


def rest_instead(session: Session, note: str) -> Session:
    return replace(_rest(session.date, note), paces=session.paces)


def lighter(session: Session, technique: MainSet, note: str) -> Session:
    """A session after a mid-week deload request: hard becomes technique, easy runs shorten."""
    if session.type == "rest":
        return session
    if session.hard:
        return replace(_from_main(session.date, technique, TECHNIQUE_MIN, session.paces), note=note)
    return replace(
        session, planned_min=max(MIN_EASY_MIN, round(session.planned_min * 0.65)), note=note
    )
