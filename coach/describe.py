"""Words for a plan: each session as a runner reads it, and the plan's JSON form.

Kept apart from the replay so the replay stays fast and the words live in one place.
"""

from __future__ import annotations

from typing import Any

from coach.decision import day_label
from coach.english import change_texts, decision_texts, english
from coach.microcycle import COOL_DOWN_MIN, WARM_UP_MIN
from coach.model import Plan, RaceTarget, Rep, Session, Week
from coach.paces import TrainingPaces, Units, format_distance, format_duration, format_pace

WARM_UP_HARD = (
    "Warm-up: {n} min easy, then mobility (leg swings, hip circles) and activation "
    "(glute bridges, A-skips), and 3 relaxed strides."
)
COOL_DOWN = "Cool-down: {n} min easy jog."
RECOVERY_NOTE = (
    "Afterwards: protein and carbohydrate within the hour, drink to thirst, and aim for "
    "8 hours of sleep tonight."
)
CUES = (
    "Cue: relax the shoulders and unclench the hands.",
    "Cue: quick, light cadence; feet land under you.",
    "Cue: a strong exhale every few strides keeps you loose.",
    "Cue: run tall, eyes ahead, arms swinging front to back.",
)
EASY_CUES = (
    "Cue: easy enough to chat in full sentences; relax the jaw.",
    "Cue: soft, quiet feet and a light, quick step.",
    "Cue: tall posture, loose shoulders, breathe through the belly.",
)
STRIDES = "Finish with {n}×20 s strides: quick and relaxed, walk back between them."
REST = "Rest day. If you feel like moving: 20-30 min walk, easy spin or mobility."


def easy_range(paces: TrainingPaces | None, units: Units) -> str:
    if paces is None:
        return "conversational effort"
    fast = format_pace(paces.easy_fast, units)
    slow = format_pace(paces.easy_slow, units)
    return f"{fast.split('/')[0]}-{slow}"


def _rep_line(rep: Rep, units: Units, session: Session) -> str:
    head = (
        f"{rep.count}×{format_distance(rep.distance_m, units)}"
        if rep.count > 1
        else (format_distance(rep.distance_m, units))
    )
    if rep.pace_s_per_km is None:
        effort = "all-out but even" if session.type == "time_trial" else "by feel, controlled"
        line = f"{head} {effort}"
    else:
        rep_s = rep.pace_s_per_km * rep.distance_m / 1000
        line = (
            f"{head} at {format_pace(rep.pace_s_per_km, units)} "
            f"(about {format_duration(rep_s)} each)"
            if rep.count > 1
            else f"{head} at {format_pace(rep.pace_s_per_km, units)}"
        )
    if rep.count > 1 and rep.recovery_s:
        line += f", {format_duration(rep.recovery_s)} easy between"
    return line


def describe_session(session: Session, units: Units) -> str:
    """Plain text, one instruction per line."""
    lines: list[str] = []
    if session.note:
        lines.append(session.note)
    t = session.type
    if t == "rest":
        lines.append(REST)
        return "\n".join(lines)
    if t in ("easy", "strides", "hills", "long", "cross"):
        pace = easy_range(session.paces, units)
        what = {
            "easy": "easy",
            "strides": "easy",
            "hills": "easy over gentle hills or soft ground (effort, not pace, on the climbs)",
            "long": "long and steady, at the slow end of easy",
            "cross": "easy cross-training",
        }[t]
        lines.append(f"{session.planned_min} min {what}: {pace}, RPE {session.target_rpe}.")
        if t == "long" and session.reps:
            finish = session.reps[0]
            at = (
                "at marathon pace, " + format_pace(finish.pace_s_per_km, units)
                if finish.pace_s_per_km is not None
                else "at a steady, strong effort"
            )
            lines.append(
                f"Finish the last {format_distance(finish.distance_m, units)} {at}: "
                "a progression, not a race."
            )
        if session.strides:
            lines.append(STRIDES.format(n=session.strides))
        lines.append(EASY_CUES[session.date.toordinal() % len(EASY_CUES)])
        return "\n".join(lines)
    if t == "technique":
        lines.append(
            f"{session.planned_min} min easy with drills (A-skips, high knees, butt kicks, "
            f"2×20 m each) and {session.strides}×20 s relaxed strides. RPE {session.target_rpe}."
        )
        lines.append(CUES[session.date.toordinal() % len(CUES)])
        return "\n".join(lines)

    lines.append(WARM_UP_HARD.format(n=session.warm_up_min or WARM_UP_MIN))
    if t == "race":
        lines.append(_race_line(session, units))
    else:
        main = "; ".join(_rep_line(r, units, session) for r in session.reps)
        lines.append(f"Main set: {main}.")
        lines.append(COOL_DOWN.format(n=session.cool_down_min or COOL_DOWN_MIN))
        if t == "time_trial":
            # An all-out effort is near failure by design; what matters is that it is even.
            lines.append(
                f"Target RPE {session.target_rpe}/10: a hard, even effort; start no faster "
                "than you can finish, and give the last kilometre everything."
            )
        else:
            lines.append(
                f"Target RPE {session.target_rpe}/10: finish every rep with good form, never "
                "near failure; the last rep as quick as the first."
            )
    lines.append(CUES[session.date.toordinal() % len(CUES)])
    lines.append(RECOVERY_NOTE)
    return "\n".join(lines)


def _race_line(session: Session, units: Units) -> str:
    target = session.race
    if target is None:  # no result yet to predict from: run it by feel
        return (
            f"{session.title}. Start controlled for the first kilometre, then settle into an "
            "even effort; picture the pace you've practised."
        )
    splits = " · ".join(f"{m / 1000:g} km {format_duration(t)}" for m, t in target.splits)
    return (
        f"{session.title}, target {format_duration(target.target_s)} from your current "
        f"fitness: {format_pace(target.pace_s_per_km, units)}, even. Splits: {splits}. "
        f"{target.cue}"
    )


def session_to_dict(session: Session, units: Units) -> dict[str, Any]:
    return {
        "date": session.date.isoformat(),
        "type": session.type,
        "title": session.title,
        "hard": session.hard,
        "planned_min": session.planned_min,
        "target_rpe": session.target_rpe,
        "reps": [r.to_dict() for r in session.reps],
        "race": None if session.race is None else _race_to_dict(session.race),
        "description": describe_session(session, units),
    }


def _race_to_dict(target: RaceTarget) -> dict[str, Any]:
    return {
        "distance_m": target.distance_m,
        "target_s": round(target.target_s),
        "pace_s_per_km": round(target.pace_s_per_km, 1),
        "splits": [{"distance_m": m, "elapsed_s": round(t)} for m, t in target.splits],
        "cue": target.cue,
    }


def week_to_dict(week: Week, units: Units) -> dict[str, Any]:
    return {
        "start": week.start.isoformat(),
        "index": week.index,
        "step": week.step,
        "phase": week.phase,
        "kind": week.kind,
        "decision": {
            "action": week.decision.action,
            "reasons": list(decision_texts(week.decision)),
        },
        "planned_min": week.planned_min,
        "changes": list(change_texts(week)),
        "sessions": [session_to_dict(s, units) for s in week.sessions],
    }


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def plan_to_dict(plan: Plan, units: Units) -> dict[str, Any]:
    m = plan.metrics
    return {
        "today": plan.today.isoformat(),
        "vdot": _round(plan.vdot, 1),
        "paces_s_per_km": None if plan.paces is None else plan.paces.as_dict(),
        "metrics": {
            "acwr": _round(m.acwr),
            "monotony": _round(m.monotony),
            "strain": _round(m.strain, 0),
            "weekly_load": _round(m.weekly_load, 0),
            "rhr_baseline": _round(m.rhr_baseline, 1),
            "rhr_recent": _round(m.rhr_recent, 1),
        },
        "history": [week_to_dict(w, units) for w in plan.history],
        "week": week_to_dict(plan.week, units),
        "upcoming": [week_to_dict(w, units) for w in plan.upcoming],
    }


def paces_line(paces: TrainingPaces, units: Units) -> str:
    return (
        f"E {easy_range(paces, units)} · M {format_pace(paces.marathon, units)} · "
        f"T {format_pace(paces.threshold, units)} · I {format_pace(paces.interval, units)} · "
        f"R {format_pace(paces.repetition, units)}"
    )


def week_heading(week: Week) -> str:
    step = f"step {week.step} ({week.phase})" if week.step else week.phase
    name = "Lead-in week" if week.index < 0 else f"Week {week.index + 1}"  # never "Week 0"
    return (
        f"{name}, from {day_label(week.start)}: {week.kind}, {step}, "
        f"{week.planned_min} min. Decision: {week.decision.action}."
    )


def plan_to_text(plan: Plan, units: Units, detail_weeks: int = 1) -> str:
    """The plan as a runner would read it in a terminal."""
    out: list[str] = [f"Plan on {day_label(plan.today)} {plan.today.year}"]
    if plan.vdot is not None and plan.paces is not None:
        out.append(f"VDOT {plan.vdot:.1f}. Paces: {paces_line(plan.paces, units)}")
    else:
        out.append("No race or time trial yet: paces come after the first 5K time trial.")
    if plan.history:
        out.append("")
        out.append("Past weeks:")
        for w in plan.history:
            out.append(f"  {week_heading(w)} {english(w.decision.reasons[0])}")
    for i, w in enumerate((plan.week, *plan.upcoming)):
        out.append("")
        out.append(("This week — " if i == 0 else "Coming — ") + week_heading(w))
        out += [f"  · {r}" for r in decision_texts(w.decision)]
        out += [f"  ! {c}" for c in change_texts(w)]
        if i < detail_weeks:
            for s in w.sessions:
                out.append(
                    f"  {day_label(s.date)}  {s.title} ({s.planned_min} min)"
                    if s.planned_min
                    else f"  {day_label(s.date)}  {s.title}"
                )
                for line in describe_session(s, units).splitlines():
                    out.append(f"      {line}")
        else:
            days = ", ".join(f"{s.date:%a} {s.title}" for s in w.sessions if s.type != "rest")
            out.append(f"  {days}")
    return "\n".join(out)
