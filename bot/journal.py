"""The runner's journal for one update: their history, read once, and the only way to add to it.

The handler wrapper builds one `Journal` per update. It loads the runner's events once (as
typed coach events, with their dedupe keys), replays the plan lazily and at most once, and
answers what handlers ask: the planned session of a day, what is logged on a day, the plan.
Every fact is written through `record`, which checks it with the coach's own reader first,
so nothing half-valid is ever stored. The rules about a day's facts live here too: which
key a check-in answer is stored under, how answers are merged into a day's run, the pace
limits of a run told in pieces.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, Literal

from sqlmodel import Session

from bot.parsing import (
    RUN_PACE_RANGE,
    CrossLog,
    LogItem,
    NiggleLog,
    ParseError,
    RhrLog,
    RunLog,
    SleepLog,
    WellnessLog,
)
from bot.replay_cache import checkpoints_for, parsed_rows_for
from bot.store import repo
from bot.store.models import Athlete
from bot.store.repo import StoredAt
from bot.texts import checkin as texts
from bot.texts import problems
from coach.errors import CoachInputError
from coach.history import (
    Cross,
    Event,
    History,
    Niggle,
    ProfileChange,
    RestingHR,
    Run,
    Skipped,
    Wellness,
    event_from_dict,
    event_to_dict,
    history_from_dict,
)
from coach.model import Plan
from coach.model import Session as PlannedSession

# Planned days on which there is no run to check in about.
NOT_RUNS = frozenset({"rest", "cross"})
WEEKS_AHEAD = 2  # what /week, /plan and the messages show; a longer view replays again


# --- the keys of a day's facts ---------------------------------------------------------
# A check-in answer is stored under its day's key and corrected in place; everything else
# is appended. The first run of a day is the check-in's run; later ones are runs of their own.


def run_key(day: date) -> str:
    return f"checkin:{day.isoformat()}:run"


def skipped_key(day: date) -> str:
    return f"checkin:{day.isoformat()}:skipped"


def rhr_key(day: date) -> str:
    return f"rhr:{day.isoformat()}"


def wellness_key(day: date) -> str:
    return f"wellness:{day.isoformat()}"


def niggle_key(day: date, where: str) -> str:
    """One niggle per place and day: the answers about it (how bad, when running) refine it."""
    return f"niggle:{day.isoformat()}:{where}"


@dataclass(frozen=True, slots=True)
class DayFacts:
    """What is stored for one local date."""

    run: Run | None  # the check-in's run (the first of the day)
    more_runs: tuple[Run, ...]  # other runs that day, each its own event
    skipped: Skipped | None
    rhr: int | None  # the latest morning reading, whichever command stored it
    wellness: Wellness | None

    @property
    def runs(self) -> tuple[Run, ...]:
        return (self.run, *self.more_runs) if self.run is not None else self.more_runs


@dataclass(frozen=True, slots=True)
class Stored:
    """One stored fact with the key it was stored under."""

    event: Event
    key: str | None
    # As read from the database: what tells the replay cache a day's facts changed.
    row_id: int | None = None
    stored_at: StoredAt | None = None


@dataclass(frozen=True, slots=True)
class Pending:
    """One fact, checked and ready to store: a keyed one replaces its earlier answer."""

    event: Event
    key: str | None


# How a run told in words joins its day: the day's first run (the check-in's), a run of
# its own beside it, or a correction of the first.
RunMode = Literal["first", "second", "fix"]


@dataclass(frozen=True, slots=True)
class LogPlan:
    """What one message adds, checked but not stored yet: `told` is what it said, in order
    (wellness as told, not merged with the day's), for the reply."""

    pending: tuple[Pending, ...]
    told: tuple[Event, ...]
    run: Run | None


class Journal:
    def __init__(self, session: Session, athlete: Athlete, today: date) -> None:
        self.session = session
        self.athlete = athlete
        self.today = today
        self._stored: list[Stored] | None = None
        self._history: History | None = None
        self._plan: Plan | None = None
        self._plan_weeks = -1

    # --- reading -----------------------------------------------------------------------

    @property
    def athlete_id(self) -> int:
        assert self.athlete.id is not None
        return self.athlete.id

    @property
    def onboarded(self) -> bool:
        return self.athlete.profile is not None

    def _load(self) -> list[Stored]:
        if self._stored is None:
            parsed = parsed_rows_for(self.session.get_bind().engine)
            # Most updates find the rows parsed last time, plus the few stored since: one
            # aggregate row and those few, rather than a mark for every row (1,500 at two
            # years). A row gone, or nothing held, reads every mark.
            summary = repo.event_summary(self.session, self.athlete_id)
            stored = parsed.unchanged(self.athlete_id, summary, self._read_changed, _in_order)
            if stored is None:
                marks = repo.event_marks_for(self.session, self.athlete_id)
                stored = parsed.rows(self.athlete_id, marks, self._read_rows)
            self._stored = stored
        return self._stored

    def _read_changed(
        self, highest: int, latest: StoredAt | None
    ) -> Iterator[tuple[int, StoredAt, Stored]]:
        rows = repo.event_facts_changed(self.session, self.athlete_id, highest, latest)
        return self._parsed(rows)

    def _read_rows(self, ids: Sequence[int] | None) -> Iterator[tuple[int, StoredAt, Stored]]:
        return self._parsed(repo.event_facts_for(self.session, self.athlete_id, ids))

    @staticmethod
    def _parsed(
        rows: Iterable[tuple[dict[str, Any], str | None, int | None, StoredAt]],
    ) -> Iterator[tuple[int, StoredAt, Stored]]:
        for payload, key, row_id, stored_at in rows:
            assert row_id is not None
            yield row_id, stored_at, Stored(event_from_dict(dict(payload)), key, row_id, stored_at)

    @property
    def history(self) -> History:
        """The runner's typed history (needs a profile)."""
        if self._history is None:
            base = history_from_dict({"profile": repo.plan_profile(self.athlete)})
            # By date, and within a day as stored: sorted() is stable.
            ordered = sorted(self._load(), key=_event_date)
            self._history = replace(base, events=tuple(s.event for s in ordered))
        return self._history

    @property
    def start_date(self) -> date:
        return self.history.profile.start_date

    def plan(self, weeks_ahead: int = WEEKS_AHEAD) -> Plan:
        """The plan as of today, replayed once per update (again only after a write)."""
        if self._plan is None or weeks_ahead > self._plan_weeks:
            checkpoints = checkpoints_for(self.session.get_bind().engine)
            self._plan = checkpoints.plan(
                self.athlete_id, self.history, self.today, weeks_ahead, self._load()
            )
            self._plan_weeks = weeks_ahead
        return self._plan

    def planned_on(self, day: date) -> PlannedSession | None:
        """The planned session of a day, or None before the plan starts or beyond it."""
        if not self.onboarded or day < self.start_date:
            return None
        return self.plan().session_on(day)

    def planned_run(self, day: date) -> PlannedSession | None:
        """The run planned for a day; None on a rest or cross-training day."""
        planned = self.planned_on(day)
        return planned if planned is not None and planned.type not in NOT_RUNS else None

    def day(self, day: date) -> DayFacts:
        stored = [s for s in self._load() if s.event.date == day]
        keyed = {s.key: s.event for s in stored if s.key}
        run = keyed.get(run_key(day))
        skipped = keyed.get(skipped_key(day))
        wellness = keyed.get(wellness_key(day))
        readings = [s.event.bpm for s in stored if isinstance(s.event, RestingHR)]
        more = tuple(s.event for s in stored if isinstance(s.event, Run) and s.key != run_key(day))
        if run is None and more:  # a first run stored before check-in keys were per day
            run, more = more[0], more[1:]
        return DayFacts(
            run=run if isinstance(run, Run) else None,
            more_runs=more,
            skipped=skipped if isinstance(skipped, Skipped) else None,
            rhr=readings[-1] if readings else None,
            wellness=wellness if isinstance(wellness, Wellness) else None,
        )

    def logged(self, day: date, kind: str) -> list[Event]:
        return [s.event for s in self._load() if s.event.date == day and s.event.type == kind]

    def niggle(self, day: date, where: str) -> Niggle:
        """What the runner said about a place on `day` (nothing yet: an empty niggle), so
        what they add later refines it."""
        said = [e for e in self.logged(day, "niggle") if isinstance(e, Niggle)]
        return next((n for n in reversed(said) if n.where == where), Niggle(day, where))

    def events(self) -> list[Event]:
        return [s.event for s in self._load()]

    # --- writing -----------------------------------------------------------------------

    def record(self, event: Event, key: str | None = None, *, replace_key: bool = False) -> bool:
        """Store one fact after the coach has checked it. False for a duplicate key.

        `replace_key` overwrites the answer stored under the same key (a corrected
        check-in). Raises ParseError, with nothing stored, for anything the coach would
        refuse or a fact dated after today.
        """
        checked = check(event)
        if checked.date > self.today:
            raise ParseError(problems.DATE_IN_FUTURE.format(day=checked.date.isoformat()))
        as_dict = event_to_dict(checked)
        stored = self._load()
        if replace_key:
            if key is None:
                raise ValueError("replacing needs a dedupe key")
            repo.replace_event(self.session, self.athlete_id, as_dict, key)
            kept = [s for s in stored if s.key != key]
            index = next((i for i, s in enumerate(stored) if s.key == key), len(kept))
            kept.insert(index, Stored(checked, key))
            self._stored = kept
        else:
            if not repo.append_event(self.session, self.athlete_id, as_dict, key):
                return False
            stored.append(Stored(checked, key))
        self._history = None
        self._plan = None
        return True

    def plan_log(self, items: list[LogItem], day: date, mode: RunMode) -> LogPlan:
        """Turn parsed items into checked facts for `day`. Raises ParseError; stores nothing."""
        facts = self.day(day)
        pending: list[Pending] = []
        told: list[Event] = []
        wellness = Wellness(date=day)
        first, last_run = facts.run, None
        for item in items:
            if isinstance(item, RunLog):
                if first is None or mode == "fix":
                    # The first run of a day is its check-in's: on a planned day its time
                    # may default to the planned minutes; a correction keeps the rest.
                    run = merged_run(
                        day,
                        first,
                        self.planned_run(day),
                        duration_min=item.duration_min,
                        distance_m=item.distance_m,
                        rpe=item.rpe,
                    )
                    pending.append(Pending(run, run_key(day)))
                    first = run
                else:
                    run = merged_run(  # a run of its own needs its own time
                        day,
                        None,
                        None,
                        duration_min=item.duration_min,
                        distance_m=item.distance_m,
                        rpe=item.rpe,
                    )
                    pending.append(Pending(run, None))
                told.append(run)
                last_run = run
            elif isinstance(item, CrossLog):
                cross = check(Cross(day, item.sport, round(item.duration_min, 2), item.rpe))
                pending.append(Pending(cross, None))
                told.append(cross)
            elif isinstance(item, RhrLog):
                rhr = check(RestingHR(date=day, bpm=item.bpm))
                pending.append(Pending(rhr, rhr_key(day)))
                told.append(rhr)
            elif isinstance(item, NiggleLog):
                said = self.niggle(day, item.where)
                niggle = check(
                    Niggle(
                        day,
                        item.where,
                        item.severity if item.severity is not None else said.severity,
                        item.hurts_running
                        if item.hurts_running is not None
                        else said.hurts_running,
                    )
                )
                pending.append(Pending(niggle, niggle_key(day, item.where)))
                told.append(niggle)
            elif isinstance(item, SleepLog):
                wellness = replace(wellness, sleep_h=item.hours)
            elif isinstance(item, WellnessLog):
                wellness = replace(
                    wellness,
                    soreness=item.soreness if item.soreness is not None else wellness.soreness,
                    stress=item.stress if item.stress is not None else wellness.stress,
                    mood=item.mood if item.mood is not None else wellness.mood,
                )
        if wellness != Wellness(date=day):
            merged = merged_wellness(
                day,
                facts.wellness,
                sleep_h=wellness.sleep_h,
                soreness=wellness.soreness,
                stress=wellness.stress,
                mood=wellness.mood,
            )
            pending.append(Pending(merged, wellness_key(day)))
            told.append(wellness)
        return LogPlan(tuple(pending), tuple(told), last_run)

    def store(self, plan: LogPlan) -> None:
        for fact in plan.pending:
            self.record(fact.event, fact.key, replace_key=fact.key is not None)

    def change_profile(self, change: ProfileChange) -> None:
        """A new profile from `change.effective`: the weeks before keep theirs."""
        checked = check(change)
        as_dict = event_to_dict(checked)
        repo.append_event(self.session, self.athlete_id, as_dict, None)
        self._load().append(Stored(checked, None))
        self._history = None
        self._plan = None


def _event_date(stored: Stored) -> date:
    return stored.event.date


def _in_order(row_id: int, stored: Stored) -> tuple[date, int]:
    """The order `repo.event_marks_for` reads rows in: by local date, then as stored."""
    return stored.event.date, row_id


def check(event: Event) -> Event:
    """The event as the coach reads it; ParseError for anything it would refuse."""
    try:
        return event_from_dict(event_to_dict(event))
    except CoachInputError:
        raise ParseError(texts.CANT_USE) from None


# --- a day's run and wellness, answer by answer ----------------------------------------


def check_pace(duration_min: float, distance_m: float | None) -> None:
    """The same pace limits as the parser, for a time and distance told separately."""
    if not distance_m:
        return
    pace = duration_min * 60 / (distance_m / 1000)
    fastest, slowest = RUN_PACE_RANGE
    if not fastest <= pace <= slowest:
        raise ParseError(
            problems.PACE_IMPLAUSIBLE.format(
                pace=_clock(pace), fastest=_clock(fastest), slowest=_clock(slowest)
            )
        )


def _clock(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def merged_run(
    day: date,
    existing: Run | None,
    planned: PlannedSession | None,
    *,
    duration_min: float | None = None,
    distance_m: float | None = None,
    rpe: int | None = None,
    quality: int | None = None,
    changed: bool | None = None,
    instead: str | None = None,
) -> Run:
    """The day's run with new answers on top; the time defaults to the planned minutes."""
    minutes = duration_min if duration_min is not None else None
    if minutes is None and existing is not None:
        minutes = existing.duration_min
    if minutes is None:
        if planned is None or planned.planned_min < 1:
            raise ParseError(texts.RUN_NEEDS_TIME)
        minutes = planned.planned_min
    base = existing or Run(date=day, duration_min=minutes)
    answers: dict[str, Any] = {
        "distance_m": distance_m,
        "rpe": rpe,
        "quality": quality,
        "changed": changed,
        "instead": instead,
    }
    run = replace(
        base,
        date=day,
        duration_min=round(float(minutes), 2),
        **{name: value for name, value in answers.items() if value is not None},
    )
    check_pace(run.duration_min, run.distance_m)
    checked = check(run)
    assert isinstance(checked, Run)
    return checked


def merged_wellness(
    day: date,
    existing: Wellness | None,
    *,
    sleep_h: float | None = None,
    soreness: int | None = None,
    stress: int | None = None,
    mood: int | None = None,
) -> Wellness:
    answers: dict[str, Any] = {
        "sleep_h": sleep_h,
        "soreness": soreness,
        "stress": stress,
        "mood": mood,
    }
    wellness = replace(
        existing or Wellness(date=day),
        **{name: value for name, value in answers.items() if value is not None},
    )
    checked = check(wellness)
    assert isinstance(checked, Wellness)
    return checked


HALF_WEEK_LAST_DAY = 2  # Wednesday: until then, most of the week is still ahead


def profile_effective(today: date) -> date:
    """When a changed profile takes effect: tomorrow, or next Monday once the week is
    half done, so most of a week is never planned twice."""
    if today.weekday() <= HALF_WEEK_LAST_DAY:
        return today + timedelta(days=1)
    return today + timedelta(days=7 - today.weekday())
