"""`python -m coach`: paces, plan and simulate from the command line.

Every problem with the input ends with exit status 2 and one line naming it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from coach.describe import paces_line, plan_to_dict, plan_to_text
from coach.english import english
from coach.errors import CoachInputError
from coach.history import History, history_from_dict, history_to_dict, parse_date
from coach.paces import (
    PREDICTED_DISTANCES,
    format_duration,
    parse_distance,
    parse_duration,
    race_predictions,
    training_paces,
    vdot_from_race,
)
from coach.replay import plan
from coach.simulate import GOAL_SCENARIOS, SCENARIOS, Scenario, simulate

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, not argparse's usage block: the message must be the first thing read.
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message} (see --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m coach", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    paces = sub.add_parser("paces", help="VDOT, race predictions and training paces")
    paces.add_argument(
        "--distance", required=True, help="1500, mile, 3k, 5k, 10k, 15k, half, marathon or metres"
    )
    paces.add_argument("--time", required=True, help="mm:ss or h:mm:ss")
    paces.add_argument("--units", choices=("km", "mi"), default="km")
    paces.add_argument("--json", action="store_true")

    plan_cmd = sub.add_parser("plan", help="replay a history file into the plan")
    plan_cmd.add_argument("history", type=Path)
    plan_cmd.add_argument("--today", help="YYYY-MM-DD (default: the last event's date)")
    plan_cmd.add_argument("--weeks", type=int, default=4, help="weeks ahead (0-26)")
    plan_cmd.add_argument("--json", action="store_true")

    sim = sub.add_parser("simulate", help="watch the coach adapt to a synthetic runner")
    sim.add_argument("--scenario", choices=SCENARIOS, default="steady")
    sim.add_argument("--weeks", type=int, default=12, help="1-52")
    sim.add_argument("--seed", type=int, default=1)
    sim.add_argument("--json", action="store_true")
    sim.add_argument("--save", type=Path, help="write the simulated history as JSON")
    return parser


def _paces(args: argparse.Namespace) -> str:
    distance = parse_distance(args.distance)
    time_s = parse_duration(args.time)
    vdot = vdot_from_race(distance, time_s)
    paces = training_paces(vdot)
    predictions = race_predictions(vdot)
    if args.json:
        return json.dumps(
            {
                "vdot": round(vdot, 1),
                "paces_s_per_km": paces.as_dict(),
                "predictions_s": {k: round(v) for k, v in predictions.items()},
            }
        )
    lines = [f"VDOT {vdot:.1f}", f"Paces: {paces_line(paces, args.units)}", "Predictions:"]
    lines += [f"  {name:<9}{format_duration(predictions[name])}" for name in PREDICTED_DISTANCES]
    return "\n".join(lines)


def _read_history(path: Path) -> History:
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CoachInputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CoachInputError(f"{path}: cannot read it ({error})") from None
    except json.JSONDecodeError as error:
        raise CoachInputError(
            f"{path}: not valid JSON (line {error.lineno}: {error.msg})"
        ) from None
    return history_from_dict(raw)


def _weeks(value: int, lo: int, hi: int, what: str) -> int:
    if not lo <= value <= hi:
        raise CoachInputError(f"--{what} must be between {lo} and {hi}, got {value}")
    return value


def _plan(args: argparse.Namespace) -> str:
    history = _read_history(args.history)
    if args.today:
        today = parse_date(args.today, "--today")
    else:
        today = max((e.date for e in history.events), default=history.profile.start_date)
    result = plan(history, today, _weeks(args.weeks, 0, 26, "weeks"))
    if args.json:
        return json.dumps(plan_to_dict(result, history.profile.units), ensure_ascii=False)
    return plan_to_text(result, history.profile.units)


def _simulate(args: argparse.Namespace) -> str:
    scenario: Scenario = args.scenario
    history, result = simulate(scenario, _weeks(args.weeks, 1, 52, "weeks"), args.seed)
    if args.save:
        args.save.write_text(json.dumps(history_to_dict(history), indent=1), encoding="utf-8")
    if args.json:
        return json.dumps(plan_to_dict(result, history.profile.units), ensure_ascii=False)
    lines = [f"Scenario {scenario}: {len(history.events)} check-ins over {args.weeks} weeks."]
    weeks = result.weeks
    if scenario in GOAL_SCENARIOS:
        # The goal race is the last Sunday: its last 4 weeks show the taper and the race.
        weeks = tuple(w for w in weeks if w.start <= result.today)[-4:]
        lines.append("The last 4 weeks, to the race:")
    for week in weeks:
        lines.append("")
        step = f"step {week.step}" if week.step else week.phase
        lines.append(
            f"Week {week.index + 1} ({week.start}): {week.decision.action.upper()} → "
            f"{week.kind}, {step}, {week.planned_min} min"
        )
        lines += [f"  · {english(r)}" for r in week.decision.reasons]
        lines += [f"  ! {english(c)}" for c in week.changes]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handlers = {"paces": _paces, "plan": _plan, "simulate": _simulate}
    try:
        print(handlers[args.command](args))
    except CoachInputError as error:
        print(f"python -m coach {args.command}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0
