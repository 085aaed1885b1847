"""Jack Daniels' VDOT: fitness from a race, race predictions, and training paces.

All speeds are in metres per minute internally (that is what the formulas use);
paces leave this module in seconds per kilometre.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from coach.errors import CoachInputError

Units = Literal["km", "mi"]
METRES_PER_MILE = 1609.344
MARATHON_M = 42195.0
HALF_MARATHON_M = 21097.5

# Named distances runners use, in metres.
RACE_DISTANCES: dict[str, float] = {
    "1500": 1500.0,
    "mile": METRES_PER_MILE,
    "3k": 3000.0,
    "5k": 5000.0,
    "10k": 10000.0,
    "15k": 15000.0,
    "half": HALF_MARATHON_M,
    "marathon": MARATHON_M,
}
PREDICTED_DISTANCES: dict[str, float] = {
    "mile": METRES_PER_MILE,
    "5k": 5000.0,
    "10k": 10000.0,
    "half": HALF_MARATHON_M,
    "marathon": MARATHON_M,
}

# The formulas are fitted to race efforts of roughly 3.5 minutes to 4 hours; Daniels' own
# tables still list marathons near 5 hours (VDOT 30: 4:49:17), so we accept up to 5 hours
# rather than turn away the runners those tables were written for.
MIN_RACE_S = 3.5 * 60
MAX_RACE_S = 5 * 3600
MIN_RACE_M = 1500.0
MAX_RACE_M = MARATHON_M
# Faster than this over any distance is beyond world-record speed: a typo, not a race.
MAX_SPEED_M_PER_S = 6.7


def oxygen_cost(v_m_per_min: float) -> float:
    """VO2 (ml/kg/min) needed to run at speed v."""
    return -4.60 + 0.182258 * v_m_per_min + 0.000104 * v_m_per_min**2


def fraction_sustainable(t_min: float) -> float:
    """Fraction of VO2max a runner can hold for a race lasting t minutes."""
    return 0.8 + 0.1894393 * math.exp(-0.012778 * t_min) + 0.2989558 * math.exp(-0.1932605 * t_min)


def velocity_for_oxygen_cost(vo2: float) -> float:
    """Inverse of `oxygen_cost`: the speed (m/min) that costs `vo2`."""
    a, b, c = 0.000104, 0.182258, -4.60 - vo2
    return (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a)


def validate_race(distance_m: float, time_s: float) -> None:
    """Raise CoachInputError unless this looks like a real race effort the tables cover."""
    if not (MIN_RACE_M <= distance_m <= MAX_RACE_M):
        raise CoachInputError(
            f"a race of {distance_m:.0f} m is outside what the pace tables cover "
            "(1500 m to the marathon)"
        )
    if time_s <= 0 or distance_m / time_s > MAX_SPEED_M_PER_S:
        raise CoachInputError(
            f"{format_duration(time_s)} for {distance_m:.0f} m is faster than the world record; "
            "check the time"
        )
    if time_s < MIN_RACE_S:
        raise CoachInputError(
            f"{format_duration(time_s)} is shorter than the 3.5-minute efforts the tables start at"
        )
    if time_s > MAX_RACE_S:
        raise CoachInputError(
            f"{format_duration(time_s)} is longer than the 5-hour efforts the tables cover"
        )


def vdot_from_race(distance_m: float, time_s: float) -> float:
    """Daniels' VDOT for a race: VO2 at race speed over the fraction sustainable that long."""
    validate_race(distance_m, time_s)
    t_min = time_s / 60
    return oxygen_cost(distance_m / t_min) / fraction_sustainable(t_min)


def _vdot_unchecked(distance_m: float, t_min: float) -> float:
    return oxygen_cost(distance_m / t_min) / fraction_sustainable(t_min)


@lru_cache(maxsize=4096)
def predict_race_s(vdot: float, distance_m: float) -> float:
    """Race time (s) at which `distance_m` would score `vdot`; the inverse of vdot_from_race."""
    # VDOT falls as time rises for a fixed distance, so bisection on time is safe and exact
    # enough; 50 halvings of a 1-minute-to-10-hour bracket leave far under a millisecond.
    lo, hi = 1.0, 600.0
    for _ in range(50):
        mid = (lo + hi) / 2
        if _vdot_unchecked(distance_m, mid) > vdot:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2 * 60


def race_predictions(vdot: float) -> dict[str, float]:
    """Equivalent race times (s) for the usual distances."""
    return {name: predict_race_s(vdot, metres) for name, metres in PREDICTED_DISTANCES.items()}


@dataclass(frozen=True, slots=True)
class TrainingPaces:
    """Daniels' training paces in seconds per kilometre (smaller is faster)."""

    easy_slow: float
    easy_fast: float
    marathon: float
    threshold: float
    interval: float
    repetition: float
    five_k: float

    def as_dict(self) -> dict[str, float | list[float]]:
        return {
            "E": [round(self.easy_slow, 1), round(self.easy_fast, 1)],
            "M": round(self.marathon, 1),
            "T": round(self.threshold, 1),
            "I": round(self.interval, 1),
            "R": round(self.repetition, 1),
        }


def _pace_at_fraction(vdot: float, fraction: float) -> float:
    return 60_000 / velocity_for_oxygen_cost(fraction * vdot)


def _race_pace(vdot: float, distance_m: float) -> float:
    return predict_race_s(vdot, distance_m) / distance_m * 1000


@lru_cache(maxsize=1024)
def training_paces(vdot: float) -> TrainingPaces:
    """E (62-70 % of VDOT), M (marathon pace), T (88 %), I (100 %), R (mile pace)."""
    return TrainingPaces(
        easy_slow=_pace_at_fraction(vdot, 0.62),
        easy_fast=_pace_at_fraction(vdot, 0.70),
        marathon=_race_pace(vdot, MARATHON_M),
        threshold=_pace_at_fraction(vdot, 0.88),
        interval=_pace_at_fraction(vdot, 1.00),
        repetition=_race_pace(vdot, METRES_PER_MILE),
        five_k=_race_pace(vdot, 5000.0),
    )


def parse_distance(text: str) -> float:
    """'5k', 'half', 'mile', '1500' or a number of metres → metres."""
    key = text.strip().lower().replace(" ", "")
    key = {"5000": "5k", "10000": "10k", "3000": "3k", "15000": "15k"}.get(key, key)
    if key in RACE_DISTANCES:
        return RACE_DISTANCES[key]
    key = key.removesuffix("m")
    try:
        metres = float(key)
    except ValueError:
        names = ", ".join(RACE_DISTANCES)
        raise CoachInputError(
            f"unknown distance {text!r}: use {names} or a number of metres"
        ) from None
    if not math.isfinite(metres) or metres <= 0:
        raise CoachInputError(f"unknown distance {text!r}: use a positive number of metres")
    return metres


def parse_duration(text: str) -> float:
    """'22:30', '1:31:35' or '1350' (seconds) → seconds."""
    parts = text.strip().split(":")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise CoachInputError(f"unreadable time {text!r}: use mm:ss or h:mm:ss") from None
    if len(numbers) > 3 or any(n < 0 or not math.isfinite(n) for n in numbers):
        raise CoachInputError(f"unreadable time {text!r}: use mm:ss or h:mm:ss")
    if len(numbers) > 1 and any(n >= 60 for n in numbers[1:]):
        raise CoachInputError(f"unreadable time {text!r}: minutes and seconds go up to 59")
    seconds = 0.0
    for n in numbers:
        seconds = seconds * 60 + n
    return seconds


def format_duration(seconds: float) -> str:
    """1350 → '22:30'; 5495 → '1:31:35'."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_pace(s_per_km: float, units: Units) -> str:
    """A pace in the runner's units: '4:15/km' or '6:51/mi'."""
    if units == "mi":
        return f"{format_duration(s_per_km * METRES_PER_MILE / 1000)}/mi"
    return f"{format_duration(s_per_km)}/km"


def format_distance(metres: float, units: Units) -> str:
    """Short distances in metres (reps), longer ones in the runner's units."""
    if metres < 1500:
        return f"{metres:.0f} m"
    if units == "mi":
        return f"{metres / METRES_PER_MILE:.1f} mi"
    return f"{metres / 1000:.1f} km"
