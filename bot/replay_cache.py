"""One replay checkpoint per runner, in memory, so an update replays only the open weeks.

The coach's `replay` resumes from the end of the runner's last finished week. A checkpoint
is used only while the stored facts it was taken from are unchanged: the journal hands over
what it loaded (each event with its row id and time stored), and the stamp of the events
the checkpoint `depends_on` (how many, the highest row id, the latest time stored) must be
the one it was filed with. A fact stored later, by this process or another, that falls on
one of those days (a late run, a corrected check-in, a deleted history) changes the stamp,
so that replay is cold; so does a changed profile, which the coach checks itself. Facts
written during this update have no row id yet: if one falls on those days, the update
replays cold and files nothing.

Bounded by the weeks it holds, least recently used out first: a checkpoint holds every
finished week of a plan, about 2 KiB a week (55 KiB for half a year, 200 KiB for two).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, Generic, Protocol, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Engine

from bot.store.repo import StoredAt
from coach.history import Event, History
from coach.model import Plan
from coach.replay import Checkpoint, replay

# Sized for the runners talking at once, not for the club: a morning rendered for each of
# 10,000 runners passes through both caches, and what it leaves is the bot's resident size.
WEEKS_KEPT = 2_000  # about 4 MiB: 75 runners at half a year, 20 at two years
ROWS_KEPT = 20_000  # parsed events, about 7 MiB: 60 runners at half a year, 13 at two years
RUNNERS_KEPT = 2_000  # runners held, whatever their rows (a new runner has none)
# Above this many rows not read yet, read the runner's rows whole rather than by id.
FETCH_BY_ID_UP_TO = 200


class StoredFact(Protocol):
    """What the cache needs to know about one stored fact (the journal's `Stored`)."""

    @property
    def event(self) -> Event: ...
    @property
    def row_id(self) -> int | None: ...  # None: written during this update, not read back
    @property
    def stored_at(self) -> StoredAt | None: ...


Stamp = tuple[int, int, StoredAt | None]
Summary = tuple[int, int, StoredAt | None]  # rows, highest id, latest time stored
T = TypeVar("T")


def stamp(checkpoint: Checkpoint, facts: Iterable[StoredFact]) -> Stamp | None:
    """The stamp of the facts the checkpoint depends on; None if one is not stored yet."""
    count, highest, latest = 0, 0, None
    for fact in facts:
        if not checkpoint.depends_on(fact.event.date, fact.event.type):
            continue
        if fact.row_id is None:
            return None
        count += 1
        highest = max(highest, fact.row_id)
        at = fact.stored_at
        # One database gives one kind (SQLite text or PostgreSQL datetime), never both.
        if at is not None and (latest is None or at > latest):  # type: ignore[operator]
            latest = at
    return count, highest, latest


class ReplayCache:
    def __init__(self, weeks: int = WEEKS_KEPT) -> None:
        self.weeks = weeks
        self._weeks_held = 0
        self._kept: OrderedDict[int, tuple[Stamp, Checkpoint]] = OrderedDict()
        # Mornings are rendered on worker threads: the bookkeeping is done under a lock.
        self._lock = threading.Lock()
        self.resumed = self.cold = 0  # how many replays each way, for tests and benches

    def plan(
        self,
        athlete_id: int,
        history: History,
        today: date,
        weeks_ahead: int,
        stored: Sequence[StoredFact],
    ) -> Plan:
        """The runner's plan, resumed from their checkpoint when it still holds."""
        kept = self._kept.get(athlete_id)
        checkpoint = None
        if kept is not None and stamp(kept[1], stored) == kept[0]:
            checkpoint = kept[1]
        result, taken = replay(history, today, weeks_ahead, checkpoint)
        if checkpoint is not None and checkpoint.resumes(history.profile, today):
            self.resumed += 1
        else:
            self.cold += 1
        if taken is None:
            filed = None
        elif taken is checkpoint and kept is not None:
            filed = kept[0]  # the same checkpoint back (no week finished since): same stamp
        else:
            filed = stamp(taken, stored)
        with self._lock:
            self._forget(athlete_id)
            if taken is None or filed is None:  # no finished week, or one not stored yet
                return result
            self._kept[athlete_id] = (filed, taken)
            self._weeks_held += len(taken.weeks)
            while self._weeks_held > self.weeks and len(self._kept) > 1:
                self._forget(next(iter(self._kept)))
        return result

    def _forget(self, athlete_id: int) -> None:
        kept = self._kept.pop(athlete_id, None)
        if kept is not None:
            self._weeks_held -= len(kept[1].weeks)

    def __len__(self) -> int:
        return len(self._kept)


class ParsedRows(Generic[T]):
    """Each runner's stored rows as the journal parsed them, by row id, so an update parses
    only the rows new or changed (a new time stored) since the last: decoding and checking
    every event again was most of a long history's load. Bounded by rows held, least
    recently used runner out first."""

    def __init__(self, rows: int = ROWS_KEPT, runners: int = RUNNERS_KEPT) -> None:
        self.limit = rows
        self.runners = runners
        self._held = 0
        self._kept: OrderedDict[int, dict[int, tuple[StoredAt, T]]] = OrderedDict()
        self._lock = threading.Lock()

    def unchanged(
        self,
        athlete_id: int,
        summary: Summary,
        changed: Callable[[int, StoredAt | None], Iterable[tuple[int, StoredAt, T]]],
        order: Callable[[int, T], Any],
    ) -> list[T] | None:
        """The runner's parsed rows without reading every row's mark, when `summary` (how
        many rows, highest id, latest time stored, as the database says now) vouches for
        them: the rows held, with those `changed(highest, latest)` since (new, or stored
        again) put in `order`. None when it can't (nothing held, or a row gone): then
        `rows` reads the marks. A row stored again with an earlier time than the latest
        would go unseen; the checkpoints' stamp makes the same assumption."""
        with self._lock:
            held = self._kept.get(athlete_id)
            if held is None:
                return None
            self._kept.move_to_end(athlete_id)
            held_summary = _summary(held)
            if summary == held_summary:
                return [parsed for _, parsed in held.values()]
            merged = dict(held)  # `rows` may change a held dict on another thread
        for row_id, at, parsed in changed(held_summary[1], held_summary[2]):
            merged[row_id] = (at, parsed)
        if _summary(merged) != summary:
            return None
        current = dict(sorted(merged.items(), key=lambda item: order(item[0], item[1][1])))
        self._keep(athlete_id, current)
        return [parsed for _, parsed in current.values()]

    def rows(
        self,
        athlete_id: int,
        marks: Sequence[tuple[int, StoredAt]],
        fetch: Callable[[Sequence[int] | None], Iterable[tuple[int, StoredAt, T]]],
    ) -> list[T]:
        """The runner's parsed rows in the order of `marks` (id, time stored); `fetch` reads
        and parses the rows of some ids (None: all of them)."""
        with self._lock:
            known = self._kept.pop(athlete_id, {})
            self._held -= len(known)
        missing = [row_id for row_id, at in marks if known.get(row_id, (None,))[0] != at]
        if missing:
            wanted = missing if len(missing) <= FETCH_BY_ID_UP_TO else None
            for row_id, at, parsed in fetch(wanted):
                known[row_id] = (at, parsed)
        # A row gone between the two reads (another process, PostgreSQL) is simply left out.
        current = {row_id: known[row_id] for row_id, _ in marks if row_id in known}
        self._keep(athlete_id, current)
        return [parsed for _, parsed in current.values()]

    def _keep(self, athlete_id: int, current: dict[int, tuple[StoredAt, T]]) -> None:
        with self._lock:
            self._held -= len(self._kept.pop(athlete_id, {}))  # another thread's, meanwhile
            self._kept[athlete_id] = current
            self._held += len(current)
            over = self._held > self.limit or len(self._kept) > self.runners
            while over and len(self._kept) > 1:
                _, dropped = self._kept.popitem(last=False)
                self._held -= len(dropped)
                over = self._held > self.limit or len(self._kept) > self.runners


def _summary(rows: dict[int, tuple[StoredAt, Any]]) -> Summary:
    """What `repo.event_summary` says of these rows."""
    if not rows:
        return 0, 0, None
    latest = max(at for at, _ in rows.values())  # one kind per database: comparable
    return len(rows), max(rows), latest


# One cache per database engine (one in a running bot): runner ids are only unique within a
# database, and the cache goes when its engine does.
_BY_ENGINE: WeakKeyDictionary[Engine, ReplayCache] = WeakKeyDictionary()
_ROWS_BY_ENGINE: WeakKeyDictionary[Engine, ParsedRows[Any]] = WeakKeyDictionary()


def checkpoints_for(engine: Engine) -> ReplayCache:
    cache = _BY_ENGINE.get(engine)
    if cache is None:
        cache = _BY_ENGINE[engine] = ReplayCache()
    return cache


def parsed_rows_for(engine: Engine) -> ParsedRows[Any]:
    cache = _ROWS_BY_ENGINE.get(engine)
    if cache is None:
        cache = _ROWS_BY_ENGINE[engine] = ParsedRows()
    return cache
