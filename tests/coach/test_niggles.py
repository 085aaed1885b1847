"""coach.niggles: pain when running makes the next days easy, or rest when it is bad."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.errors import CoachInputError
from coach.history import (
    Niggle,
    event_from_dict,
    event_to_dict,
    history_from_dict,
    history_to_dict,
)
from coach.niggles import NIGGLE_DAYS, eased, hurting, persists
from coach.replay import plan
from tests.factories import MONDAY, make_history

WEEK_2 = MONDAY + timedelta(days=7)
QUALITY = WEEK_2 + timedelta(days=2)  # Wednesday of week 2


def session_on(history_events: tuple[Niggle, ...], day: date) -> str:
    found = plan(make_history(*history_events), day).session_on(day)
    assert found is not None
    return found.type


def test_a_niggle_round_trips_and_false_is_kept() -> None:
    for niggle in (
        Niggle(QUALITY, "calf"),
        Niggle(QUALITY, "knee", severity=2, hurts_running=False),
        Niggle(QUALITY, "it band", severity=3, hurts_running=True),
    ):
        assert event_from_dict(event_to_dict(niggle)) == niggle
    assert event_to_dict(Niggle(QUALITY, "knee", hurts_running=False))["hurts_running"] is False


def test_an_export_without_niggles_reads_as_before() -> None:
    history = make_history()
    assert history_from_dict(history_to_dict(history)) == history


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("severity", 4, "severity"),
        ("hurts_running", "yes", "hurts_running"),
        ("where", "", "where"),
    ],
)
def test_a_bad_niggle_names_the_field(field: str, value: object, message: str) -> None:
    raw = {**event_to_dict(Niggle(QUALITY, "calf")), field: value}
    with pytest.raises(CoachInputError, match=message):
        event_from_dict(raw)


def test_pain_when_running_turns_the_quality_session_easy() -> None:
    assert session_on((), QUALITY) not in ("easy", "rest")
    niggle = Niggle(QUALITY - timedelta(days=1), "calf", severity=2, hurts_running=True)
    eased_plan = plan(make_history(niggle), QUALITY)
    session = eased_plan.session_on(QUALITY)
    assert session is not None and session.type == "easy"
    assert "calf hurts when you run" in session.note


def test_a_bad_niggle_means_rest_and_a_quiet_one_changes_nothing() -> None:
    bad = Niggle(QUALITY, "achilles", severity=3)
    assert session_on((bad,), QUALITY) == "rest"
    quiet = Niggle(QUALITY, "achilles", severity=1, hurts_running=False)
    assert session_on((quiet,), QUALITY) == session_on((), QUALITY)


def test_saying_it_no_longer_hurts_lifts_the_easy_days() -> None:
    hurt = Niggle(QUALITY - timedelta(days=2), "knee", 2, True)
    better = Niggle(QUALITY - timedelta(days=1), "knee", 1, False)
    assert session_on((hurt,), QUALITY) == "easy"
    assert session_on((hurt, better), QUALITY) == session_on((), QUALITY)


def test_the_niggle_lapses_after_its_days() -> None:
    hurt = Niggle(QUALITY - timedelta(days=NIGGLE_DAYS), "knee", 2, True)
    assert hurting([hurt], QUALITY) == []
    assert hurting([hurt], QUALITY - timedelta(days=1)) == [hurt]


def test_a_persisting_niggle_suggests_a_professional() -> None:
    first = Niggle(QUALITY - timedelta(days=7), "shin", 2, True)
    again = Niggle(QUALITY, "shin", 2, True)
    assert not persists([again], "shin", QUALITY)
    assert persists([first, again], "shin", QUALITY)
    session = plan(make_history(first, again), QUALITY).session_on(QUALITY)
    assert session is not None and "physio or doctor" in session.note


@given(
    offset=st.integers(min_value=-10, max_value=3),
    severity=st.sampled_from([None, 1, 2, 3]),
    hurts=st.sampled_from([None, True, False]),
)
def test_a_niggle_never_makes_a_day_harder(
    offset: int, severity: int | None, hurts: bool | None
) -> None:
    """Whatever was said, a niggled day is the planned one, an easy run or rest."""
    baseline = plan(make_history(), QUALITY).session_on(QUALITY)
    assert baseline is not None
    niggle = Niggle(QUALITY + timedelta(days=offset), "calf", severity, hurts)
    result = eased(baseline, [niggle])
    if result is None:
        return
    session, _ = result
    assert session.type in ("easy", "rest")
    assert session.planned_min <= baseline.planned_min
