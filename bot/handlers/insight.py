"""/stats and /progress: charts of the last weeks, sent as a photo with a short caption."""

from __future__ import annotations

from telegram import Update

from bot import charts
from bot.handlers.common import Turn, not_started, takes_nothing
from bot.texts import insight as texts
from bot.views import esc


def stats(turn: Turn, update: Update) -> None:
    if not takes_nothing(turn, update, "stats") or not_started(turn):
        return
    # The journal's replay, the one every update shares, not a cold one of its own.
    data = charts.stats_data(turn.journal.history, turn.today, turn.journal.plan())
    if data is None:
        turn.say(texts.STATS_TOO_EARLY)  # a friendly word beats an empty chart
        return
    turn.say(
        texts.STATS_CAPTION.format(headline=esc(data.headline)),
        draw=lambda: charts.render_stats(data),
    )


def progress(turn: Turn, update: Update) -> None:
    if not takes_nothing(turn, update, "progress") or not_started(turn):
        return
    history = turn.journal.history
    points = charts.fitness_points(history, turn.today)
    if not points:
        turn.say(texts.PROGRESS_NONE)
        return
    units = turn.units
    headline = charts.progress_headline(points)
    turn.say(
        texts.PROGRESS_CAPTION.format(headline=esc(headline)),
        draw=lambda: charts.render_progress(points, units),
    )
