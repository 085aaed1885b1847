"""The day-level changes build their sessions field by field (for speed): each keeps every
field of the session it changes, except the ones it means to change."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date

from coach import ladder
from coach.microcycle import eased, easy_instead, lighter, rest_instead
from coach.model import RaceTarget, Rep, Session
from coach.paces import training_paces

SESSION = Session(
    date=date(2025, 3, 4),
    type="tempo",
    title="3×1600 m tempo",
    planned_min=55,
    target_rpe=7,
    reps=(Rep(3, 1600, 250.0, 60),),
    paces=training_paces(50.0),
    note="before",
    strides=2,
    warm_up_min=15,
    cool_down_min=10,
    race=RaceTarget(5000, 1200.0, 240.0, ((1000, 240.0),), "even"),
)


def _as_replace_gives(session: Session, **changes: object) -> Session:
    return replace(session, **changes)  # type: ignore[arg-type]


def test_every_field_is_named() -> None:
    """A field added to Session must be carried by the changes below, or this fails."""
    assert [f.name for f in fields(Session)] == [
        "date", "type", "title", "planned_min", "target_rpe", "reps", "paces", "note",
        "strides", "warm_up_min", "cool_down_min", "race",
    ]  # fmt: skip


def test_easy_instead_keeps_the_other_fields() -> None:
    assert easy_instead(SESSION, "why") == _as_replace_gives(
        SESSION, type="easy", title="Easy run", target_rpe=3, reps=(), strides=0,
        planned_min=44, note="why",
    )  # fmt: skip


def test_eased_keeps_the_other_fields() -> None:
    assert eased(SESSION, "why") == _as_replace_gives(
        SESSION, type="easy", title="Easy run", target_rpe=3, strides=0, planned_min=44,
        note="why",
    )  # fmt: skip


def test_rest_instead_keeps_the_paces() -> None:
    rest = rest_instead(SESSION, "why")
    assert (rest.type, rest.planned_min, rest.note, rest.paces) == ("rest", 0, "why", SESSION.paces)
    assert rest.reps == () and rest.race is None and rest.target_rpe is None


def test_lighter_turns_a_hard_session_into_technique_with_the_note() -> None:
    light = lighter(SESSION, ladder.technique(), "deload")
    assert (light.type, light.planned_min, light.note) == ("technique", 30, "deload")
    assert light.paces == SESSION.paces
