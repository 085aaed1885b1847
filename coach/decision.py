"""The weekly decision (COACHING.md §5): progress, hold, deload, recovery or repeat.

`weekly_decision` is the table in COACHING.md as code. It reads a `WeekReview`, the facts
of the week that just ended already turned into typed findings (coach/reasons.py), so every
reason a runner reads names the numbers behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from coach.model import Action
from coach.reasons import (
    BuildStreak,
    BusyWeek,
    DeloadAsked,
    FatigueAddingUp,
    Finding,
    NoWarningSigns,
    OneWarningSign,
    QualityMissing,
    QualityNotDone,
    QualityOneOver,
    Reason,
    SessionFelt,
    SessionsMissed,
    WeekToPlan,
)

RECOVERY_AFTER_BUILD_WEEKS = 3  # 3:1 — the 4th week of continuous building is lighter
MISSED_TO_REPEAT = 2


@lru_cache(maxsize=4096)
def day_label(day: date) -> str:
    """'Wed 4 Nov': short, unambiguous within a plan."""
    return f"{day:%a} {day.day} {day:%b}"


@dataclass(frozen=True, slots=True)
class WeekReview:
    """What the week that ended says. Each finding carries what was seen and its numbers."""

    flags: tuple[Finding, ...] = ()  # fatigue warnings
    supporting: tuple[Finding, ...] = ()  # ACWR, monotony: weak alone, counted only beside a flag
    rhr_flag: bool = False
    rpe_drift: bool = False
    quality_done: SessionFelt | None = None  # done at or under target
    quality_one_over: QualityOneOver | None = None
    quality_missing: QualityMissing | None = None  # planned, not done as planned (skipped…)
    # The week had the step's quality session: progress needs it done at or under target.
    quality_expected: bool = False
    missed_for_life: tuple[date, ...] = ()
    busy: BusyWeek | None = None
    deload_requested: date | None = None


@dataclass(frozen=True, slots=True)
class WeeklyDecision:
    action: Action
    reasons: tuple[Reason, ...]
    simplified: bool = False  # a busy week: hold, but with a shorter hard session
    extra: tuple[str, ...] = field(default=())


def weekly_decision(review: WeekReview, build_streak: int) -> WeeklyDecision:
    """Decide next week from the week that ended and how many build weeks came in a row."""
    flags: list[Reason] = list(review.flags)
    if flags:
        flags += review.supporting
    if review.deload_requested is not None:
        return WeeklyDecision("deload", (DeloadAsked(review.deload_requested), *flags))
    if len(flags) >= 2 or (review.rhr_flag and review.rpe_drift):
        return WeeklyDecision("deload", (FatigueAddingUp(), *flags))
    if len(review.missed_for_life) >= MISSED_TO_REPEAT:
        return WeeklyDecision("repeat", (SessionsMissed(review.missed_for_life),))
    if build_streak >= RECOVERY_AFTER_BUILD_WEEKS:
        return WeeklyDecision("recovery", (BuildStreak(build_streak), *flags))
    if review.busy is not None and not flags:
        return WeeklyDecision("hold", (review.busy,), simplified=True)
    if flags:
        return WeeklyDecision("hold", (OneWarningSign(), *flags))
    if review.quality_one_over is not None:
        return WeeklyDecision("hold", (review.quality_one_over,))
    if review.quality_missing is not None:
        return WeeklyDecision("hold", (review.quality_missing,))
    if review.quality_expected and review.quality_done is None:
        return WeeklyDecision("hold", (QualityNotDone(),))
    done: Reason = WeekToPlan() if review.quality_done is None else review.quality_done
    return WeeklyDecision("progress", (done, NoWarningSigns()))
