"""Incremental replay: resumed from a checkpoint, the plan is the one a cold replay gives."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.history import Event, History, Pause, Resume, Run
from coach.replay import Checkpoint, plan, replay
from tests.coach.strategies import HISTORY_WEEKS, _events_on, histories
from tests.factories import compliant_weeks, make_history

CHECKPOINT_SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _with(history: History, extra: list[Event]) -> History:
    events = sorted((*history.events, *extra), key=lambda e: e.date)  # stable: later last
    return replace(history, events=tuple(events))


def _still_valid(checkpoint: Checkpoint | None, extra: list[Event]) -> Checkpoint | None:
    """What the bot does: a checkpoint is dropped when a new event falls on a day it holds."""
    if checkpoint is None or any(checkpoint.depends_on(e.date, e.type) for e in extra):
        return None
    return checkpoint


@st.composite
def later_events(draw: st.DrawFn, history: History) -> list[Event]:
    """Events told after the first replay, dated anywhere in the plan, late ones included."""
    start = history.profile.start_date
    days = draw(st.lists(st.integers(-3, HISTORY_WEEKS * 7 + 14), max_size=8))
    return [draw(_events_on(start + timedelta(days=d))) for d in days]


@CHECKPOINT_SETTINGS
@given(st.data(), histories(), st.integers(-3, HISTORY_WEEKS * 7), st.integers(0, 40))
def test_resumed_replay_equals_cold_replay(
    data: st.DataObject, history: History, first_day: int, days_later: int
) -> None:
    start = history.profile.start_date
    first_today = start + timedelta(days=first_day)
    today = first_today + timedelta(days=days_later)
    weeks_ahead = data.draw(st.integers(0, 5))
    _, checkpoint = replay(history, first_today, data.draw(st.integers(0, 5)))
    extra = data.draw(later_events(history))
    later = _with(history, extra)
    resumed, next_checkpoint = replay(later, today, weeks_ahead, _still_valid(checkpoint, extra))
    assert resumed == plan(later, today, weeks_ahead)
    # The checkpoint it hands on resumes just as well, a day or a few weeks on.
    then = today + timedelta(days=data.draw(st.integers(1, 30)))
    assert replay(later, then, weeks_ahead, next_checkpoint)[0] == plan(later, then, weeks_ahead)


def test_a_checkpoint_is_taken_at_the_end_of_the_last_finished_week() -> None:
    history = compliant_weeks(make_history(), 3)
    start = history.profile.start_date
    _, checkpoint = replay(history, start + timedelta(weeks=3, days=2))
    assert checkpoint is not None
    assert checkpoint.through == start + timedelta(weeks=3, days=-1)
    assert [w.index for w in checkpoint.weeks] == [0, 1, 2]
    _, none_yet = replay(history, start + timedelta(days=6))
    assert none_yet is None  # the first week has not finished


def test_a_changed_profile_replays_cold() -> None:
    history = compliant_weeks(make_history(), 3)
    today = history.profile.start_date + timedelta(weeks=3, days=2)
    _, checkpoint = replay(history, today)
    changed = replace(history, profile=replace(history.profile, weekly_minutes=240))
    assert replay(changed, today, checkpoint=checkpoint)[0] == plan(changed, today)
    assert checkpoint is not None and not checkpoint.resumes(changed.profile, today)


def test_the_checkpoint_state_is_a_copy() -> None:
    """Replays resumed from one checkpoint do not leak state into each other."""
    history = compliant_weeks(make_history(), 4)
    start = history.profile.start_date
    _, checkpoint = replay(history, start + timedelta(weeks=2, days=1))
    later = start + timedelta(weeks=4, days=1)
    first = replay(history, later, checkpoint=checkpoint)[0]
    again = replay(history, later, checkpoint=checkpoint)[0]
    assert first == again == plan(history, later)


def test_a_late_event_and_a_resume_the_day_after_belong_to_the_checkpoint() -> None:
    history = compliant_weeks(make_history(), 3)
    _, checkpoint = replay(history, history.profile.start_date + timedelta(weeks=3, days=2))
    assert checkpoint is not None
    through = checkpoint.through
    assert checkpoint.depends_on(through, Run(through, 30).type)
    assert checkpoint.depends_on(through + timedelta(days=1), Resume(through).type)
    assert not checkpoint.depends_on(through + timedelta(days=1), "run")


def test_a_resume_the_day_after_the_checkpoint_rewrites_its_last_week_and_replays_cold() -> None:
    """A pause ended by a resume on Monday changes how long the break in the week before
    was (`_break_length`): so that resume belongs to the checkpoint, and drops it."""
    history = compliant_weeks(make_history(), 2)
    start = history.profile.start_date
    monday = start + timedelta(weeks=4)
    history = _with(
        history,
        [
            Pause(start + timedelta(weeks=2, days=1), start + timedelta(weeks=2, days=2)),
            Pause(start + timedelta(weeks=3, days=4)),  # Friday, open-ended
        ],
    )
    _, checkpoint = replay(history, monday)
    resumed = _with(history, [Resume(monday)])
    assert plan(resumed, monday).history[3] != plan(history, monday).history[3]
    # Resumed from the checkpoint taken before the resume, the plan would be wrong ...
    assert replay(resumed, monday, checkpoint=checkpoint)[0] != plan(resumed, monday)
    # ... so the resume is one of the facts the checkpoint depends on.
    assert checkpoint is not None and _still_valid(checkpoint, [Resume(monday)]) is None
