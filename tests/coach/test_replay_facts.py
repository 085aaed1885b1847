"""The facts a checkpoint carries: extended by the events after it, they are the facts a cold
read gives, and resuming never changes the ones the checkpoint holds."""

from __future__ import annotations

import copy
from dataclasses import fields, replace
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.history import History
from coach.replay import _Facts, plan, replay
from tests.coach.strategies import HISTORY_WEEKS, histories
from tests.coach.test_replay_checkpoint import later_events

FACTS_SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _indexed(facts: _Facts) -> dict[str, object]:
    """Every field but the paces memo, which fills as the replay asks."""
    return {f.name: getattr(facts, f.name) for f in fields(facts) if f.name != "paces_by_day"}


@FACTS_SETTINGS
@given(histories(), st.integers(7, HISTORY_WEEKS * 7), st.integers(1, 40))
def test_facts_extended_from_a_checkpoint_are_the_facts_read_cold(
    history: History, first_day: int, days_later: int
) -> None:
    first_today = history.profile.start_date + timedelta(days=first_day)
    _, checkpoint = replay(history, first_today)
    assert checkpoint is not None
    today = first_today + timedelta(days=days_later)
    after = sorted(
        (e for e in history.events if checkpoint.through < e.date <= today), key=lambda e: e.date
    )
    extended = checkpoint.facts.extended(after, today, history.profile)
    assert _indexed(extended) == _indexed(_Facts.read(history, today))


@FACTS_SETTINGS
@given(st.data(), histories(), st.integers(7, HISTORY_WEEKS * 7))
def test_resuming_leaves_the_checkpoint_as_it_was(
    data: st.DataObject, history: History, first_day: int
) -> None:
    first_today = history.profile.start_date + timedelta(days=first_day)
    _, checkpoint = replay(history, first_today)
    assert checkpoint is not None
    taken = copy.deepcopy(checkpoint)
    for _ in range(3):  # the bot resumes from one checkpoint many times, with new facts
        told = data.draw(later_events(history))
        extra = [e for e in told if not checkpoint.depends_on(e.date, e.type)]
        later = replace(history, events=(*history.events, *extra))
        today = checkpoint.through + timedelta(days=data.draw(st.integers(1, 30)))
        assert replay(later, today, checkpoint=checkpoint)[0] == plan(later, today)
    assert checkpoint == taken
    assert _indexed(checkpoint.facts) == _indexed(taken.facts)
