"""What the coach returns: sessions, weeks with their decisions, and the plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from coach.paces import TrainingPaces
from coach.reasons import Reason

SessionType = Literal[
    "rest",
    "easy",
    "strides",
    "quality",
    "tempo",
    "progression",
    "hills",
    "long",
    "time_trial",
    "technique",
    "cross",
    "race",
]
WeekKind = Literal["assessment", "build", "deload", "recovery", "taper", "race", "paused"]
Action = Literal[
    "start", "progress", "hold", "deload", "recovery", "repeat", "resume", "taper", "race"
]
HARD_TYPES: frozenset[str] = frozenset({"quality", "tempo", "progression", "time_trial", "race"})


@dataclass(frozen=True, slots=True)
class Rep:
    count: int
    distance_m: float
    pace_s_per_km: float | None  # None: run by feel (no fitness result yet, or all-out)
    recovery_s: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "distance_m": round(self.distance_m),
            "pace_s_per_km": None if self.pace_s_per_km is None else round(self.pace_s_per_km, 1),
            "recovery_s": self.recovery_s,
        }


@dataclass(frozen=True, slots=True)
class RaceTarget:
    """Race morning: the time the current VDOT predicts, run in even splits."""

    distance_m: float
    target_s: float
    pace_s_per_km: float
    splits: tuple[tuple[float, float], ...]  # (distance in metres, elapsed seconds)
    cue: str  # how to run it, in words (the pace itself goes in the runner's units)


@dataclass(frozen=True, slots=True)
class Session:
    date: date
    type: SessionType
    title: str
    planned_min: int
    target_rpe: int | None
    reps: tuple[Rep, ...] = ()
    paces: TrainingPaces | None = None
    note: str = ""  # why this session differs from the usual plan, in plain words
    strides: int = 0  # 20-second strides after an easy run
    # Hard sessions: the easy running around the main set, counted in planned_min.
    warm_up_min: int = 0
    cool_down_min: int = 0
    race: RaceTarget | None = None  # the race day's target time, splits and pacing cue

    @property
    def hard(self) -> bool:
        """Needs 48 h around it."""
        return self.type in HARD_TYPES


@dataclass(frozen=True, slots=True)
class Decision:
    action: Action
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class Week:
    start: date
    index: int
    step: int
    phase: str
    kind: WeekKind
    decision: Decision
    planned_min: int
    sessions: tuple[Session, ...]
    changes: tuple[Reason, ...] = ()  # what changed within the week after it was planned

    def session_on(self, day: date) -> Session:
        return self.sessions[(day - self.start).days]


@dataclass(frozen=True, slots=True)
class Metrics:
    acwr: float | None
    monotony: float | None
    strain: float | None
    weekly_load: float | None
    rhr_baseline: float | None
    rhr_recent: float | None


@dataclass(frozen=True, slots=True)
class Plan:
    today: date
    vdot: float | None
    paces: TrainingPaces | None
    metrics: Metrics
    history: tuple[Week, ...]
    week: Week
    upcoming: tuple[Week, ...]

    @property
    def weeks(self) -> tuple[Week, ...]:
        return (*self.history, self.week, *self.upcoming)

    def session_on(self, day: date) -> Session | None:
        for week in self.weeks:
            if week.start <= day < date.fromordinal(week.start.toordinal() + 7):
                return week.session_on(day)
        return None
