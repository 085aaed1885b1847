"""Which results the coach believes: age, jumps and slower trials (docs/method.md, "Results").

A result sets every pace, so a wrong one is worse than none. Three rules guard it: a
result older than 8 weeks no longer describes the runner; a jump of more than 10 % in VDOT
is more often a typo or a short course than a breakthrough, so it waits for the runner's
confirmation; a slower trial is read first as fatigue, not lost fitness.
"""

from __future__ import annotations

from datetime import date

MAX_RESULT_AGE_DAYS = 56  # 8 weeks
MAX_VDOT_JUMP = 0.10
SLOWER_TRIAL = 0.02  # a trial 2 % of VDOT below the current result
RETEST_AFTER_DAYS = 21  # a slower trial is re-run 3 weeks later


def too_old(result_date: date, as_of: date) -> bool:
    return (as_of - result_date).days > MAX_RESULT_AGE_DAYS


def needs_confirmation(current_vdot: float | None, new_vdot: float) -> bool:
    """True when a new result would lift VDOT by more than 10 %."""
    return current_vdot is not None and new_vdot > current_vdot * (1 + MAX_VDOT_JUMP)


def slower(current_vdot: float | None, new_vdot: float) -> bool:
    return current_vdot is not None and new_vdot < current_vdot * (1 - SLOWER_TRIAL)
