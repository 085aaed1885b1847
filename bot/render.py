"""Plans as Telegram HTML: a session, a week, paces. Short enough for a phone screen."""

from __future__ import annotations

from datetime import date

from bot.journal import Journal
from bot.texts import commands as command_texts
from bot.texts.reasons import reason_text
from bot.views import Keyboard, RhrTap, distance_text, esc
from coach.decision import day_label
from coach.describe import describe_session, paces_line
from coach.model import Plan, Session, Week
from coach.paces import TrainingPaces, Units, format_distance, format_duration, predict_race_s

LABELS = ("Warm-up:", "Main set:", "Cool-down:", "Target RPE", "Cue:", "Afterwards:")
MARKS = {"done": "✅", "changed": "🔁", "skipped": "✖️"}
MAX_MESSAGE = 4096
# Resting-HR buttons around the runner's baseline: most mornings are within a few beats.
RHR_BUTTON_OFFSETS = (-3, -2, -1, 0, 1, 2, 4, 6)


def session_title(session: Session) -> str:
    minutes = f" · {session.planned_min} min" if session.planned_min else ""
    return f"{esc(session.title)}{minutes}"


def session_html(session: Session, units: Units, heading: str | None = None) -> str:
    """A session as the morning message shows it: title, then one line per instruction."""
    head = heading or day_label(session.date)
    lines = [f"<b>{esc(head)}: {session_title(session)}</b>"]
    for line in describe_session(session, units).splitlines():
        text = esc(line)
        for label in LABELS:
            if text.startswith(label):
                text = f"<b>{label}</b>{text[len(label) :]}"
                break
        lines.append(text)
    return "\n".join(lines)


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
    """One-tap resting HR for `day`: "rhr:<runner>:<yyyymmdd>:<bpm>"."""
    centre = round(baseline) if baseline is not None else 55
    values = [centre + offset for offset in RHR_BUTTON_OFFSETS if 25 <= centre + offset <= 120]
    buttons = [(str(v), RhrTap(athlete_id, day, str(v)).pack()) for v in values]
    return [buttons[:4], buttons[4:]]


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
        parts.append("\n" + command_texts.RHR_PROMPT)
        keyboard = rhr_keyboard(journal.athlete_id, day, plan.metrics.rhr_baseline)
    return "\n".join(parts), keyboard
