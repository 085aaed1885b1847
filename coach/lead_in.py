"""Start now: a runner whose plan starts mid-week gets a short first week up to Sunday.

Easy running on the runner's days (or, with no recent result, the 5K time trial on the
quality day when it falls in those days); the first full week starts on Monday and is
planned as every first week is (docs/method.md, "Start now").
"""

from __future__ import annotations

from datetime import date, timedelta

from coach.decision import day_label
from coach.history import Profile
from coach.ladder import time_trial
from coach.microcycle import MAX_EASY_MIN, MIN_EASY_MIN, hard_session
from coach.model import Decision, Session, Week
from coach.paces import TrainingPaces
from coach.reasons import LeadIn

FIRST_WEEK_INDEX = -1  # before week 0, the first full week


def first_monday(start: date) -> date:
    """The Monday the first full week starts on: the start itself if it is a Monday."""
    return start + timedelta(days=(7 - start.weekday()) % 7)


def short_week(profile: Profile, paces: TrainingPaces | None) -> Week:
    start = profile.start_date
    monday = start - timedelta(days=start.weekday())
    runs = [d for d in profile.run_days if d >= start.weekday()]
    if len(runs) > 1 and len(runs) == 7 - start.weekday():
        runs.pop()  # one day off, as in every week
    easy_min = max(
        MIN_EASY_MIN,
        min(MAX_EASY_MIN, profile.weekly_minutes // max(len(profile.run_days), 1) // 5 * 5),
    )
    trial = paces is None and profile.quality_day in runs
    sessions = []
    for wd in range(7):
        day = monday + timedelta(days=wd)
        if day < start:
            note = f"Your plan starts on {day_label(start)}."
            sessions.append(Session(day, "rest", "Rest or active recovery", 0, None, note=note))
        elif wd == profile.quality_day and trial:
            why = "No recent result: a 5K time trial so every pace after it is yours."
            sessions.append(hard_session(day, time_trial(), None, why))
        elif wd in runs:
            sessions.append(
                Session(day, "easy", "Easy run", easy_min, 3, paces=paces, note=_settle())
            )
        else:
            sessions.append(Session(day, "rest", "Rest or active recovery", 0, None))
    welcome = LeadIn(start, trial, first_monday(start))
    return Week(
        start=monday,
        index=FIRST_WEEK_INDEX,
        step=0,
        phase="first days",
        kind="assessment" if trial else "build",
        decision=Decision("start", (welcome,)),
        planned_min=sum(s.planned_min for s in sessions),
        sessions=tuple(sessions),
    )


def _settle() -> str:
    return "First days: easy running at a conversational effort, no speed yet."
