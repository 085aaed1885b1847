from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from coach.cli import main
from tests.coach.test_history import EXAMPLE


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_paces_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "paces", "--distance", "5k", "--time", "19:57")
    assert code == 0 and "VDOT 50.0" in out and "T 4:15/km" in out
    code, out, _ = run(capsys, "paces", "--distance", "5k", "--time", "22:30", "--json")
    data = json.loads(out)
    assert set(data) == {"vdot", "paces_s_per_km", "predictions_s"}
    assert data["vdot"] == 43.4
    assert set(data["paces_s_per_km"]) == {"E", "M", "T", "I", "R"}
    assert len(data["paces_s_per_km"]["E"]) == 2
    assert set(data["predictions_s"]) == {"mile", "5k", "10k", "half", "marathon"}
    assert data["predictions_s"]["5k"] == 1350


def test_paces_in_miles(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "paces", "--distance", "5k", "--time", "19:57", "--units", "mi")
    assert code == 0 and "T 6:51/mi" in out


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["paces", "--distance", "7furlongs", "--time", "22:30"], "unknown distance"),
        (["paces", "--distance", "5k", "--time", "9:00"], "faster than the world record"),
        (["paces", "--distance", "5k", "--time", "22:75"], "unreadable time"),
        (["plan", "missing.json"], "no such file"),
        (["plan", "HISTORY", "--today", "2026-02-30"], "not a real date"),
        (["plan", "HISTORY", "--weeks", "99"], "--weeks must be between 0 and 26"),
        (["simulate", "--weeks", "0"], "--weeks must be between 1 and 52"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], problem: str
) -> None:
    history = tmp_path / "history.json"
    history.write_text(json.dumps(EXAMPLE))
    argv = [str(history) if a == "HISTORY" else a for a in argv]
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert problem in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "not valid JSON (line 1"),
        (
            json.dumps({"profile": {**EXAMPLE["profile"], "weekly_minutes": "lots"}}),
            "expected a number",
        ),
        (
            json.dumps(
                {
                    **EXAMPLE,
                    "events": [
                        {"date": "2026-11-04", "type": "run", "duration_min": 40, "rpe": 14}
                    ],
                }
            ),
            "events[0].rpe: 14 is outside 1-10",
        ),
    ],
)
def test_malformed_history_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, problem: str
) -> None:
    path = tmp_path / "h.json"
    path.write_text(content)
    code, _, err = run(capsys, "plan", str(path))
    assert code == 2 and problem in err and err.count("\n") == 1


def test_argparse_errors_are_one_line_too() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "coach", "paces", "--distance"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_plan_json_has_the_documented_shape(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "h.json"
    path.write_text(json.dumps(EXAMPLE))
    code, out, _ = run(capsys, "plan", str(path), "--today", "2026-11-30", "--json", "--weeks", "2")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {
        "today",
        "vdot",
        "paces_s_per_km",
        "metrics",
        "history",
        "week",
        "upcoming",
    }
    assert set(data["metrics"]) == {
        "acwr",
        "monotony",
        "strain",
        "weekly_load",
        "rhr_baseline",
        "rhr_recent",
    }
    assert len(data["upcoming"]) == 2 and data["week"]["start"] == "2026-11-30"
    week = data["week"]
    assert {
        "start",
        "index",
        "step",
        "phase",
        "kind",
        "decision",
        "planned_min",
        "sessions",
    } <= set(week)
    assert week["kind"] in {"assessment", "build", "deload", "recovery", "taper", "race", "paused"}
    assert week["decision"]["action"] in {
        "start",
        "progress",
        "hold",
        "deload",
        "recovery",
        "repeat",
        "resume",
        "taper",
        "race",
    }
    session_keys = {
        "date",
        "type",
        "title",
        "hard",
        "planned_min",
        "target_rpe",
        "reps",
        "race",
        "description",
    }
    for w in [*data["history"], week, *data["upcoming"]]:
        assert len(w["sessions"]) == 7
        for s in w["sessions"]:
            assert set(s) == session_keys
            for rep in s["reps"]:
                assert set(rep) == {"count", "distance_m", "pace_s_per_km", "recovery_s"}


def test_plan_text_reads_like_a_coach(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "h.json"
    path.write_text(json.dumps(EXAMPLE))
    code, out, _ = run(capsys, "plan", str(path), "--today", "2026-11-30")
    assert code == 0
    assert "This week" in out and "Warm-up" in out and "Target RPE" in out


def test_simulate_saves_a_history_the_plan_command_reads(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    saved = tmp_path / "sim.json"
    code, out, _ = run(
        capsys, "simulate", "--scenario", "illness", "--weeks", "8", "--save", str(saved)
    )
    assert code == 0 and "PAUSED" not in out and "RESUME" in out
    code, out, _ = run(capsys, "plan", str(saved), "--json")
    assert code == 0 and json.loads(out)["history"]


@pytest.mark.parametrize("scenario", ["5k", "10k", "half", "marathon"])
def test_goal_scenarios_print_the_last_4_weeks_to_the_race(
    scenario: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["simulate", "--scenario", scenario, "--weeks", "10"]) == 0
    out = capsys.readouterr().out
    headings = [line for line in out.splitlines() if line.startswith("Week ")]
    assert len(headings) == 4
    assert headings[-1].startswith("Week 10 ") and "RACE → race" in headings[-1]
