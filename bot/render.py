"""Plans as Telegram HTML: a session, a week, paces. Short enough for a phone screen."""

from __future__ import annotations

from datetime import date

from bot.journal import Journal
from bot.texts import commands as command_texts
from bot.texts import sessions as session_texts
from bot.texts.reasons import reason_text
from bot.views import Keyboard, RhrTap, distance_text, esc
from coach.decision import day_label
from coach.describe import describe_session, paces_line
from coach.model import Plan, Rep, Session, Week
from coach.paces import (
    TrainingPaces,
    Units,
    format_distance,
    format_duration,
    format_pace,
    predict_race_s,
)

LABELS = ("Warm-up:", "Main set:", "Cool-down:", "Target RPE", "Cue:", "Afterwards:")
MARKS = {"done": "✅", "changed": "🔁", "skipped": "✖️"}
MAX_MESSAGE = 4096
# Resting-HR buttons around the runner's baseline: most mornings are within a few beats, and
# +7 and +8 are there so a morning the coach flags (7 bpm up) can be tapped too.
RHR_BUTTON_OFFSETS = (-4, -2, -1, 0, 1, 2, 4, 6, 7, 8)
# Reps this short are run by the watch's lap time, not its pace: a pace over 150 m moves
# too little to read, so the rep's own time leads ("200 m in 48 s").
SHORT_REP_M = 400
MAIN_SET = "Main set: "


def session_title(session: Session) -> str:
    minutes = f" · {session.planned_min} min" if session.planned_min else ""
    return f"{esc(session.title)}{minutes}"


def session_html(session: Session, units: Units, heading: str | None = None) -> str:
    """A session as the morning message shows it: title, then one line per instruction."""
    head = heading or day_label(session.date)
    lines = [f"<b>{esc(head)}: {session_title(session)}</b>"]
    for line in describe_session(session, units).splitlines():
        text = esc(_with_rep_times(line, session, units))
        for label in LABELS:
            if text.startswith(label):
                text = f"<b>{label}</b>{text[len(label) :]}"
                break
        lines.append(text)
    return "\n".join(lines)


def _with_rep_times(line: str, session: Session, units: Units) -> str:
    """The main set with each short rep's time first, then its pace in the runner's units.

    The coach's line has one part per rep, in order, joined by "; ": only the short paced
    ones are rewritten, so every other rep reads exactly as the coach wrote it.
    """
    if not line.startswith(MAIN_SET) or not any(_short_paced(r) for r in session.reps):
        return line
    parts = line[len(MAIN_SET) :].removesuffix(".").split("; ")
    if len(parts) != len(session.reps):
        return line  # not the shape expected: leave the coach's words alone
    rewritten = [
        _short_rep_text(rep, units) if _short_paced(rep) else part
        for rep, part in zip(session.reps, parts, strict=True)
    ]
    return MAIN_SET + "; ".join(rewritten) + "."


def _short_paced(rep: Rep) -> bool:
    return rep.pace_s_per_km is not None and rep.distance_m <= SHORT_REP_M


def _short_rep_text(rep: Rep, units: Units) -> str:
    assert rep.pace_s_per_km is not None
    rep_s = rep.pace_s_per_km * rep.distance_m / 1000
    template = session_texts.SHORT_REPS if rep.count > 1 else session_texts.SHORT_REP
    text = template.format(
        count=rep.count,
        distance=format_distance(rep.distance_m, units),
        time=rep_time(rep_s),
        pace=format_pace(rep.pace_s_per_km, units),
    )
    if rep.count > 1 and rep.recovery_s:
        text += session_texts.REP_RECOVERY.format(recovery=format_duration(rep.recovery_s))
    return text


def rep_time(seconds: float) -> str:
    """48 → '48 s'; 96 → '1:36': under a minute a watch shows seconds."""
    if round(seconds) < 60:
        return f"{round(seconds)} s"
    return format_duration(seconds)


def decision_html(week: Week) -> str:
    action = week.decision.action
    lines = [
        f"<b>Decision: {esc(action)}</b> — {esc(week.kind)}, "
        f"{'step ' + str(week.step) if week.step else esc(week.phase)}, "
        f"{week.planned_min} min"
    ]
    lines += [f"• {esc(reason_text(reason))}" for reason in week.decision.reasons]
    lines += [f"↪ {esc(reason_text(change))}" for change in week.changes]
    return "\n".join(lines)


def week_lines(week: Week, marks: dict[str, str] | None = None) -> list[str]:
    """One line per day: mark, day, session."""
    marks = marks or {}
    lines = []
    for s in week.sessions:
        mark = MARKS.get(marks.get(s.date.isoformat(), ""), "▫️" if s.type != "rest" else "·")
        lines.append(f"{mark} {esc(day_label(s.date))}: {session_title(s)}")
    return lines


def week_outline(week: Week) -> str:
    runs = [f"{s.date:%a} {esc(s.title)}" for s in week.sessions if s.type != "rest"]
    return ", ".join(runs)


def paces_html(paces: TrainingPaces, vdot: float, units: Units) -> str:
    five_k = format_duration(predict_race_s(vdot, 5000))
    return f"<b>VDOT {vdot:.1f}</b> (a {five_k} 5K)\n{esc(paces_line(paces, units))}"


def clip(text: str) -> str:
    """Telegram refuses messages over 4096 characters; a week never needs that many."""
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


def plan_paces_html(plan: Plan, units: Units) -> str | None:
    if plan.paces is None or plan.vdot is None:
        return None
    return paces_html(plan.paces, round(plan.vdot, 1), units)


def rhr_keyboard(athlete_id: int, day: date, baseline: float | None) -> Keyboard:
    """One-tap resting HR for `day`: "rhr:<runner>:<yyyymmdd>:<bpm>". None before there is a
    baseline: any guess would be useless to most runners, so they type it (rhr_prompt)."""
    if baseline is None:
        return []
    centre = round(baseline)
    values = [centre + offset for offset in RHR_BUTTON_OFFSETS if 25 <= centre + offset <= 120]
    buttons = [(str(v), RhrTap(athlete_id, day, str(v)).pack()) for v in values]
    return [buttons[:5], buttons[5:]]


def rhr_prompt(baseline: float | None) -> str:
    """The morning's resting-HR question: tap a button, or type it while there are none."""
    return command_texts.RHR_PROMPT if baseline is not None else command_texts.RHR_PROMPT_TYPE


RACE_NAMES = {
    1500.0: "1500 m",
    1609.344: "mile",
    3000.0: "3K",
    5000.0: "5K",
    10000.0: "10K",
    15000.0: "15K",
    21097.5: "half marathon",
    42195.0: "marathon",
}


def race_label(metres: float, units: Units = "km") -> str:
    """'5K', 'half marathon', or the distance for anything else."""
    for known, name in RACE_NAMES.items():
        if abs(metres - known) < 1:
            return name
    if metres < 1500:
        return format_distance(metres, units)
    return distance_text(metres, units)  # "10 mi", not "10.0 mi"


def today_view(journal: Journal, day: date, units: Units) -> tuple[str, Keyboard]:
    """Today's session, and the resting-HR prompt until this morning's reading is in: what
    /today shows, and the heart of the morning message."""
    plan = journal.plan()
    session = plan.session_on(day)
    assert session is not None
    parts = [session_html(session, units, heading=command_texts.TODAY_HEADING)]
    if session.type == "rest":
        parts.append(command_texts.REST_DAY_NOTE)
    keyboard: Keyboard = []
    if not journal.logged(day, "rhr"):
        parts.append("\n" + rhr_prompt(plan.metrics.rhr_baseline))
        keyboard = rhr_keyboard(journal.athlete_id, day, plan.metrics.rhr_baseline)
    return "\n".join(parts), keyboard
