"""The export builders: the history file and the spreadsheet log, without a bot."""

from __future__ import annotations

import codecs
import csv
import io
import json
from datetime import date

import pytest

from bot import export as files
from coach.history import (
    Cross,
    DeloadRequest,
    History,
    Pause,
    RestingHR,
    Run,
    Skipped,
    TimeTrial,
    Wellness,
    history_from_dict,
)
from coach.replay import plan
from tests.bot.factories import profile_dict

START = date(2026, 11, 2)


def history(*events: object, units: str = "km") -> History:
    return History(
        profile=history_from_dict({"profile": profile_dict(START, units=units)}).profile,
        events=tuple(events),  # type: ignore[arg-type]
    )


def rows_by_day(h: History, today: date) -> dict[str, list[str]]:
    rows = files.log_rows(h, plan(h, today, 0), today)
    return {row[0]: row for row in rows}


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("easy run", "easy run"),
        ("2026-11-02", "2026-11-02"),
        ("", ""),
    ],
)
def test_cells_that_would_run_as_formulas_become_text(cell: str, safe: str) -> None:
    assert files.safe_cell(cell) == safe


def test_csv_is_utf8_with_bom_and_reads_back_cell_for_cell() -> None:
    raw = files.csv_bytes(
        ["date", "note"], [["2026-11-02", 'ski, "fond", été\nlong'], ["x", "=A1"]]
    )
    assert raw.startswith(codecs.BOM_UTF8)
    assert b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows == [["date", "note"], ["2026-11-02", 'ski, "fond", été\nlong'], ["x", "'=A1"]]


def test_history_json_is_the_stored_dict() -> None:
    stored = {"profile": profile_dict(START), "events": [{"date": "2026-11-03", "type": "resume"}]}
    raw = files.history_json(stored)
    assert json.loads(raw) == stored
    assert not raw.startswith(codecs.BOM_UTF8)  # JSON must not carry a BOM


def test_one_row_per_day_with_the_plan_and_what_was_logged() -> None:
    h = history(
        Run(date(2026, 11, 2), 30, distance_m=5000, rpe=4),
        Run(date(2026, 11, 2), 12.5, distance_m=2000, rpe=6, quality=8),  # a double
        RestingHR(date(2026, 11, 3), 55),
        RestingHR(date(2026, 11, 3), 52),  # the latest reading of a morning wins
        Wellness(date(2026, 11, 3), sleep_h=6.5, soreness=3),
        Wellness(date(2026, 11, 3), stress=4, mood=2, soreness=2),
        Skipped(date(2026, 11, 4), "work"),
        Cross(date(2026, 11, 5), "cycling", 40),
        TimeTrial(date(2026, 11, 5), 5000, 1320),
        DeloadRequest(date(2026, 11, 6)),
        Pause(date(2026, 11, 7), None, "illness"),
    )
    days = rows_by_day(h, date(2026, 11, 8))
    assert list(days) == [f"2026-11-0{d}" for d in range(2, 9)]
    assert days["2026-11-02"][4:8] == ["42.5", "7", "6", "8"]  # merged as the replay does
    assert days["2026-11-03"][9:14] == ["52", "6.5", "2", "4", "2"]
    assert days["2026-11-04"][8] == "work"
    assert days["2026-11-05"][14] == "cycling 40 min; time trial 5.0 km in 22:00"
    assert days["2026-11-06"][14] == "asked for a deload"
    assert days["2026-11-07"][1] == "Rest or active recovery"  # paused
    assert days["2026-11-07"][14] == "paused (illness)"
    assert days["2026-11-08"][4:] == [""] * 11  # nothing logged


def test_planned_columns_come_from_the_plan() -> None:
    h = history()
    today = date(2026, 11, 4)
    replayed = plan(h, today, 0)
    rows = files.log_rows(h, replayed, today)
    for row in rows:
        session = replayed.session_on(date.fromisoformat(row[0]))
        assert session is not None
        assert row[1] == session.title
        assert row[2] == (str(session.planned_min) if session.planned_min else "")
        assert row[3] == ("" if session.target_rpe is None else str(session.target_rpe))


def test_distances_in_miles_for_a_miles_runner_and_facts_before_the_start_are_kept() -> None:
    h = history(Run(date(2026, 10, 30), 50, distance_m=8046.72), units="mi")
    days = rows_by_day(h, date(2026, 11, 2))
    assert files.csv_header("mi")[5] == "distance (mi)"
    assert days["2026-10-30"][1:6] == ["", "", "", "50", "5"]  # before the plan: no session
    assert list(days) == ["2026-10-30", "2026-10-31", "2026-11-01", "2026-11-02"]


def test_before_the_plan_starts_there_are_no_rows() -> None:
    h = history()
    assert files.log_rows(h, plan(h, date(2026, 10, 28), 0), date(2026, 10, 28)) == []
