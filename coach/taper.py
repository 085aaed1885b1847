"""The race: a taper counted back from the race date, race morning, and a reverse taper.

The weeks around a race are first built as ordinary weeks at the runner's level; this
module then redraws the days that the race touches, so the taper is measured in days from
the race, not in calendar weeks (docs/method.md, "Race").
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

from coach import ladder
from coach.history import Goal
from coach.microcycle import MIN_EASY_MIN, PacesOn, hard_session, rest_instead
from coach.model import RaceTarget, Session
from coach.paces import HALF_MARATHON_M, predict_race_s

# Days of taper before the race, by distance (Bosquet et al. 2007: 8-14 days; Mujika:
# longer for longer races). Up to 10 km: 10 days; a half: 12; a marathon: 14.
TAPER_DAYS_SHORT, TAPER_DAYS_HALF, TAPER_DAYS_MARATHON = 10, 12, 14
TAPER_BAND = (TAPER_DAYS_SHORT, TAPER_DAYS_MARATHON)
# Each taper day runs a share of its usual minutes, falling from 70 % on the first day to
# 40 % on the last: about 45 % less over the taper (Bosquet: 41-60 % less, progressively).
TAPER_FIRST_SHARE, TAPER_LAST_SHARE = 0.7, 0.4
SHARPENER_DAYS_OUT = (3, 7)  # the last hard session: 3 to 7 days before the race
TAPER_QUALITY_KEEP = 0.5  # an earlier taper session keeps its pace, half its reps
LONG_IN_TAPER_FROM = 7  # a long run 7+ days out stays long (shorter); nearer, it is easy
SHAKEOUT_MIN, SHAKEOUT_STRIDES = 15, 3
# Two days out is the classic day off before a race (the day before is the shakeout).
REST_DAYS_OUT = 2
RACE_WARM_UP_MIN, RACE_COOL_DOWN_MIN = 15, 5
EASY_DAY_PER_M = 3000.0  # Daniels: one easy day for every 3 km raced
AFTER_RACE_FIRST_SHARE = 0.5  # the reverse taper's first easy run, of the usual minutes
TAPER_NOTE = "Taper"
AFTER_NOTE = "After the race"
QUALITY_DAY_WEIGHT = 10  # the quality weekday wins the sharpener over any other day


def taper_days(distance_m: float) -> int:
    if distance_m <= 10000:
        return TAPER_DAYS_SHORT
    return TAPER_DAYS_HALF if distance_m <= HALF_MARATHON_M else TAPER_DAYS_MARATHON


def easy_days_after(distance_m: float) -> int:
    """Days after the race with no quality: the reverse taper (the race day not counted)."""
    return math.ceil(distance_m / EASY_DAY_PER_M)


def taper_start(race: Goal) -> date:
    return race.date - timedelta(days=taper_days(race.distance_m))


def tapers_in(week_start: date, race: Goal) -> bool:
    """Most of this week is taper (the race itself is later): a taper week. A week with
    fewer taper days stays an ordinary week, its last days redrawn by `race_days`."""
    end = week_start + timedelta(days=6)
    return end < race.date and (end - max(taper_start(race), week_start)).days + 1 >= 4


def absorbs_recovery(week_start: date, race: Goal) -> bool:
    """A 3:1 recovery week this week would run straight into the taper (it starts within a
    week of this one's end): the taper is the block's recovery, so the two do not stack."""
    end = week_start + timedelta(days=6)
    return week_start <= race.date and taper_start(race) <= end + timedelta(days=8)


def race_target(distance_m: float, vdot: float) -> RaceTarget:
    """Even splits at the pace the current VDOT predicts (Daniels)."""
    target_s = predict_race_s(vdot, distance_m)
    pace = target_s / (distance_m / 1000)
    every = 1000.0 if distance_m <= 10000 else 5000.0
    marks = [every * i for i in range(1, math.ceil(distance_m / every)) if every * i < distance_m]
    splits = tuple((m, m / 1000 * pace) for m in (*marks, distance_m))
    return RaceTarget(distance_m, target_s, pace, splits, pacing_cue(distance_m))


def pacing_cue(distance_m: float) -> str:
    if distance_m <= 5000:
        return (
            "Even splits: the first kilometre on target, not faster, however good it feels; "
            "hold it through the middle, then race the last kilometre."
        )
    if distance_m <= 10000:
        return (
            "Even splits: hold back over the first 2 km, settle into the rhythm in the "
            "middle, and race only the last 2 km."
        )
    if distance_m <= HALF_MARATHON_M:
        return (
            "Even splits: the first 5 km should feel easy; hold the pace to 15 km, then race home."
        )
    return (
        "Even splits: the first half should feel too easy; drink and eat early; start "
        "racing only after 32 km."
    )


def race_days(
    sessions: tuple[Session, ...],
    race: Goal,
    quality_day: int,
    run_days: tuple[int, ...],
    quality_set: ladder.MainSet | None,
    paces_on: PacesOn,
    vdot: float | None,
) -> tuple[Session, ...]:
    """The days the race touches, redrawn: the taper, race day and the reverse taper."""
    n = taper_days(race.distance_m)
    after = easy_days_after(race.distance_m)
    first, last = sessions[0].date, sessions[-1].date
    if last < race.date - timedelta(days=n) or first > race.date + timedelta(days=after):
        return sessions
    sharp = _sharpener_day(race, quality_day, run_days)
    rest = {s.date for s in sessions if s.type == "rest"}
    if sharp in rest:
        # A run day the week left as rest (too few minutes for every day) stays rest: the
        # sharpener goes to the nearest run of the same week inside its window, if any.
        sharp = _nearest_run(sharp, race, [s.date for s in sessions if s.date not in rest])
    out = []
    for s in sessions:
        k = (race.date - s.date).days
        if k == 0:
            out.append(_race_session(s, race, vdot))
        elif 1 <= k <= n:
            out.append(_tapered(s, k, n, s.date == sharp, quality_day, quality_set, paces_on))
        elif -after <= k < 0:
            out.append(_after_race(s, -k, after))
        else:
            out.append(s)
    return _long_is_longest(_with_a_rest_day(out, race))


def _with_a_rest_day(sessions: list[Session], race: Goal) -> list[Session]:
    """A race on the week's rest day (a 7-day runner) leaves the week without one: the
    easy taper day nearest two days out becomes the rest."""
    if any(s.type == "rest" for s in sessions):
        return sessions
    easy = [
        i for i, s in enumerate(sessions) if s.type in ("easy", "strides") and s.date < race.date
    ]
    if not easy:
        return sessions
    i = min(easy, key=lambda i: abs((race.date - sessions[i].date).days - REST_DAYS_OUT))
    out = list(sessions)
    out[i] = rest_instead(out[i], f"{TAPER_NOTE}: a day off before the race.")
    return out


def _long_is_longest(sessions: list[Session]) -> tuple[Session, ...]:
    """Cut to its share, a long run shorter than an easy run that week is just an easy run;
    so is a long run that is the week's only run (the days after a race took the others)."""
    easy = [s.planned_min for s in sessions if s.type in ("easy", "strides", "hills")]
    runs = [s for s in sessions if s.type not in ("rest", "race")]
    return tuple(
        _easy(s, s.planned_min, 0, None, s.note)
        if s.type == "long" and ((easy and s.planned_min < max(easy)) or len(runs) == 1)
        else s
        for s in sessions
    )


def _sharpener_day(race: Goal, quality_day: int, run_days: tuple[int, ...]) -> date | None:
    """The last hard session: the quality day if it falls 3-7 days out, else the run day
    nearest 4 days out."""
    lo, hi = SHARPENER_DAYS_OUT
    days = [race.date - timedelta(days=k) for k in range(lo, hi + 1)]
    runs = [d for d in days if d.weekday() in run_days]
    if not runs:
        return None
    return min(
        runs,
        key=lambda d: (
            abs((race.date - d).days - 4) - QUALITY_DAY_WEIGHT * (d.weekday() == quality_day)
        ),
    )


def _nearest_run(sharp: date, race: Goal, runs: list[date]) -> date | None:
    lo, hi = SHARPENER_DAYS_OUT
    window = [d for d in runs if lo <= (race.date - d).days <= hi]
    return min(window, key=lambda d: abs((d - sharp).days), default=None)


def _share(k: int, n: int) -> float:
    """The share of its usual minutes a taper day k days before the race keeps."""
    return TAPER_LAST_SHARE + (TAPER_FIRST_SHARE - TAPER_LAST_SHARE) * (k - 1) / (n - 1)


def _tapered(
    s: Session,
    k: int,
    n: int,
    sharpener: bool,
    quality_day: int,
    quality_set: ladder.MainSet | None,
    paces_on: PacesOn,
) -> Session:
    note = f"{TAPER_NOTE}, {k} days to the race: less running, the same days and rhythm."
    if sharpener:
        sharp = ladder.sharpener(paces_on(s.date))
        return hard_session(s.date, sharp, paces_on(s.date), f"{TAPER_NOTE}: {_sharp_note(k)}")
    if s.type == "rest":
        return s
    if k == 1:
        return _easy(s, SHAKEOUT_MIN, SHAKEOUT_STRIDES, "Shakeout with strides", _eve_note())
    minutes = max(MIN_EASY_MIN, round(s.planned_min * _share(k, n)))
    if s.hard and s.date.weekday() == quality_day and quality_set and k > SHARPENER_DAYS_OUT[1]:
        kept = ladder.shorter(quality_set, TAPER_QUALITY_KEEP)
        return hard_session(s.date, kept, paces_on(s.date), note + " Same pace, fewer reps.")
    if s.type == "long" and k >= LONG_IN_TAPER_FROM:
        return replace(s, planned_min=minutes, reps=(), title="Long steady run", note=note)
    return _easy(s, minutes, s.strides if s.type == "strides" else 0, None, note)


def _sharp_note(k: int) -> str:
    return f"{k} days to the race, a short sharp session to arrive quick, not tired."


def _eve_note() -> str:
    return f"{TAPER_NOTE}, the day before the race: 15 minutes easy with 3 strides, then feet up."


def _easy(s: Session, minutes: int, strides: int, title: str | None, note: str) -> Session:
    return replace(
        s,
        type="strides" if strides else "easy",
        title=title or ("Easy run with strides" if strides else "Easy run"),
        planned_min=minutes,
        target_rpe=3,
        reps=(),
        strides=strides,
        warm_up_min=0,
        cool_down_min=0,
        note=note,
    )


def _race_session(s: Session, race: Goal, vdot: float | None) -> Session:
    target = None if vdot is None else race_target(race.distance_m, vdot)
    race_min = round(target.target_s / 60) if target is not None else 60
    return Session(
        date=s.date,
        type="race",
        title=f"Race: {race.distance_m / 1000:g} km",
        planned_min=RACE_WARM_UP_MIN + race_min + RACE_COOL_DOWN_MIN,
        target_rpe=9,
        paces=s.paces,
        warm_up_min=RACE_WARM_UP_MIN,
        cool_down_min=RACE_COOL_DOWN_MIN,
        race=target,
    )


def _after_race(s: Session, d: int, after: int) -> Session:
    """Day d after the race: rest the day after, then easy running building back to the
    usual minutes by the end of the reverse taper, with no quality (Daniels, Mujika)."""
    left = after - d
    why = (
        f"{AFTER_NOTE}: easy running only for {after} days"
        + (f" ({left} more)" if left else "")
        + ", so the legs recover before any quality."
    )
    if d == 1:
        return replace(
            Session(s.date, "rest", "Rest or active recovery", 0, None, paces=s.paces),
            note="The day after the race: rest, walk or an easy spin.",
        )
    if s.type == "rest":
        return s
    share = AFTER_RACE_FIRST_SHARE + (1 - AFTER_RACE_FIRST_SHARE) * (d - 1) / after
    minutes = max(MIN_EASY_MIN, round(s.planned_min * share))
    if s.type == "long":
        return replace(s, planned_min=minutes, reps=(), title="Long steady run", note=why)
    return _easy(s, minutes, 0, None, why)
