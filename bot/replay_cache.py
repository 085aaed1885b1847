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

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Protocol
from weakref import WeakKeyDictionary

from sqlalchemy import Engine

from coach.history import Event, History
from coach.model import Plan
from coach.replay import Checkpoint, replay

WEEKS_KEPT = 8_000  # about 16 MiB: 300 runners at half a year, 75 at two years


class StoredFact(Protocol):
    """What the cache needs to know about one stored fact (the journal's `Stored`)."""

    @property
    def event(self) -> Event: ...
    @property
    def row_id(self) -> int | None: ...  # None: written during this update, not read back
    @property
    def stored_at(self) -> datetime | None: ...


Stamp = tuple[int, int, datetime | None]


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
        if fact.stored_at is not None and (latest is None or fact.stored_at > latest):
            latest = fact.stored_at
    return count, highest, latest


class ReplayCache:
    def __init__(self, weeks: int = WEEKS_KEPT) -> None:
        self.weeks = weeks
        self._weeks_held = 0
        self._kept: OrderedDict[int, tuple[Stamp, Checkpoint]] = OrderedDict()
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
        self._forget(athlete_id)
        filed = None if taken is None else stamp(taken, stored)
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


# One cache per database engine (one in a running bot): runner ids are only unique within a
# database, and the cache goes when its engine does.
_BY_ENGINE: WeakKeyDictionary[Engine, ReplayCache] = WeakKeyDictionary()


def checkpoints_for(engine: Engine) -> ReplayCache:
    cache = _BY_ENGINE.get(engine)
    if cache is None:
        cache = _BY_ENGINE[engine] = ReplayCache()
    return cache
