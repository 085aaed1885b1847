"""Matplotlib drawing for /stats and /progress: the numbers from `bot.charts`, placed.

Matplotlib is used through `Figure` and the Agg canvas directly, never pyplot: pyplot
keeps global figure state, which leaks memory in a long-running bot and is not safe when
two charts are drawn at once. Dates go to matplotlib as its own day numbers (`_day`), the
one form its type stubs accept.

/stats is drawn for speed (bench/chart_render.py): fixed margins instead of constrained
layout (which draws the figure several times to measure it), x ticks on the bottom panel
only and at fixed dates (every tick is a dozen artists; AutoDateLocator runs dateutil's
rrule on each draw), one artist per series rather than one per point, and fast PNG
compression (Telegram recompresses photos anyway).
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullLocator

from bot.charts import (
    MARKED_KINDS,
    FitnessPoint,
    QualityRpe,
    RhrPoint,
    StatsData,
    WeekLoad,
    progress_headline,
)
from coach.load import ACWR_BAND
from coach.paces import Units, format_duration, format_pace
from coach.readiness import RPE_DRIFT_POINTS

# Phone-readable: 7×9.5 in at 150 dpi is 1050×1425 px, large type, few colours.
FIG_SIZE = (7.0, 9.5)
DPI = 150
TITLE_SIZE = 17
LABEL_SIZE = 13
TICK_SIZE = 12
NOTE_SIZE = 11
TITLE_WIDTH = 44  # characters per title line before it wraps
TARGET_COLOUR = "#222222"
DONE_COLOUR = "#1f5fa8"
RATIO_COLOUR = "#e07b00"
BAND_COLOUR = "#3a9d5d"
FLAG_COLOUR = "#c62828"
MARK_COLOUR = "#8e7cc3"
# /stats margins, in inches (fixed, see above): room for the tick and axis labels at the
# sides and bottom, and above the top panel for the title lines and the week marks.
STATS_LEFT_IN, STATS_RIGHT_IN, STATS_BOTTOM_IN = 0.95, 0.95, 0.45
STATS_TOP_IN, TITLE_LINE_IN = 0.45, 0.33
STATS_GAP_IN = 0.3
PNG_OPTIONS = {"compress_level": 1}  # 3× faster than the default 6, ~20% larger


def _day(day: date) -> float:
    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]  # dates.py is unannotated


def _days(days: Iterable[date]) -> list[float]:
    return [_day(d) for d in days]


def _date_ticks(ax: Axes, fewest: int, most: int) -> None:
    locator = mdates.AutoDateLocator(minticks=fewest, maxticks=most)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%-d %b"))  # type: ignore[no-untyped-call]


def _month_ticks(first: date, last: date) -> list[date]:
    """The 1st and the 15th of each month from `first` to `last`: 6 ticks over 12 weeks."""
    ticks = []
    day = first.replace(day=1)
    while day <= last:
        ticks += [tick for tick in (day, day.replace(day=15)) if first <= tick <= last]
        day = (day + timedelta(days=32)).replace(day=1)
    return ticks


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    canvas = FigureCanvasAgg(fig)
    canvas.print_png(buffer, pil_kwargs=PNG_OPTIONS)  # type: ignore[no-untyped-call]  # unannotated
    # No fig.clear() to free the artists early: it rebuilds every panel's ticks (~40 ms).
    return buffer.getvalue()


def _title(fig: Figure, text: str) -> None:
    fig.suptitle(textwrap.fill(text, TITLE_WIDTH), fontsize=TITLE_SIZE, fontweight="bold")


def _style(ax: Axes, ylabel: str) -> None:
    ax.set_ylabel(ylabel, fontsize=LABEL_SIZE)
    ax.tick_params(labelsize=TICK_SIZE)
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top"]].set_visible(False)


def _y_ticks(ax: Axes, most: int, *, integer: bool = False) -> None:
    """At most `most` round ticks inside the y limits already set: a locator would also
    make the ticks just outside them, each a dozen artists that are never seen."""
    low, high = ax.get_ylim()
    ticks = MaxNLocator(most, integer=integer).tick_values(low, high)
    ax.set_yticks([float(tick) for tick in ticks if low <= tick <= high])


def _date_axes(axes: Sequence[Axes], first: date, today: date) -> None:
    """The same dates on every panel, labelled on the bottom one only."""
    for ax in axes:
        ax.set_xlim(_day(first) - 1, _day(today) + 2)
        ax.xaxis.set_major_locator(NullLocator())
    bottom = axes[-1]
    bottom.xaxis.set_major_locator(FixedLocator(_days(_month_ticks(first, today))))
    bottom.xaxis.set_major_formatter(mdates.DateFormatter("%-d %b"))  # type: ignore[no-untyped-call]


def _mark_weeks(axes: Sequence[Axes], weeks: Sequence[WeekLoad], today: date) -> None:
    """Shade deload, recovery and paused weeks on every panel; label them just above the
    top panel, where they can't collide with bars or the legend."""
    for week in weeks:
        label = MARKED_KINDS.get(week.kind)
        if label is None:
            continue
        start = _day(week.start)
        end = min(start + 7, _day(today) + 1)
        for ax in axes:
            ax.axvspan(start, end, color=MARK_COLOUR, alpha=0.12, lw=0)
        mid = (start + end) / 2
        axes[0].text(
            mid,
            1.01,
            label,
            transform=axes[0].get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=NOTE_SIZE,
            color="#5b4a99",
        )


def _draw_load(ax: Axes, data: StatsData) -> None:
    starts = _days(w.start for w in data.weeks)
    middles = [start + 3 for start in starts]
    ax.bar(middles, [w.done for w in data.weeks], width=5.0, color=DONE_COLOUR, label="done")
    # Planned as a dash across the bar, the same "target" mark as the RPE panel: it stays
    # visible whether the week came in over or under.
    ax.hlines(
        [w.planned for w in data.weeks],
        [start + 0.5 for start in starts],
        [start + 5.5 for start in starts],
        colors=TARGET_COLOUR,
        lw=3,
        label="planned",
    )
    _style(ax, "Weekly load")
    ratio = ax.twinx()
    lo, hi = ACWR_BAND
    ratio.axhspan(lo, hi, color=BAND_COLOUR, alpha=0.12, lw=0)
    if data.acwr:
        values = [value for _, value in data.acwr]
        ratio.plot(
            _days(day for day, _ in data.acwr),
            values,
            color=RATIO_COLOUR,
            lw=2.2,
            label="acute:chronic",
        )
        ratio.set_ylim(0, max(2.0, max(values) + 0.2))
    else:
        ratio.set_ylim(0, 2.0)
        ratio.text(
            0.5,
            0.9,
            "ratio after 4 weeks",
            transform=ratio.transAxes,
            ha="center",
            fontsize=NOTE_SIZE,
            color=RATIO_COLOUR,
        )
    _y_ticks(ratio, 4)
    ratio.set_ylabel("Acute:chronic", fontsize=LABEL_SIZE, color=RATIO_COLOUR)
    ratio.tick_params(labelsize=TICK_SIZE, colors=RATIO_COLOUR)
    ratio.spines[["top"]].set_visible(False)
    handles = ax.get_legend_handles_labels()[0] + ratio.get_legend_handles_labels()[0]
    ax.legend(handles=handles, loc="upper left", fontsize=NOTE_SIZE, frameon=False, ncols=3)
    ax.set_ylim(0, max([w.planned for w in data.weeks] + [w.done for w in data.weeks]) * 1.3)
    _y_ticks(ax, 4)


def _draw_rhr(ax: Axes, points: Sequence[RhrPoint]) -> None:
    _style(ax, "Resting HR")
    if not points:
        ax.text(
            0.5,
            0.5,
            "No morning resting HR logged yet",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=LABEL_SIZE,
            color="grey",
        )
        ax.set_yticks([])
        return
    based = [p for p in points if p.baseline is not None and p.limit is not None]
    if based:
        days = _days(p.date for p in based)
        baselines = [p.baseline or math.nan for p in based]
        ax.fill_between(
            days,
            baselines,
            [p.limit or math.nan for p in based],
            step="mid",
            color=BAND_COLOUR,
            alpha=0.15,
            lw=0,
            label="normal range",
        )
        ax.plot(
            days,
            baselines,
            color=BAND_COLOUR,
            lw=1.8,
            drawstyle="steps-mid",
            label="baseline",
        )
    calm = [p for p in points if not p.flagged]
    high = [p for p in points if p.flagged]
    ax.plot(_days(p.date for p in calm), [p.bpm for p in calm], "o", color=DONE_COLOUR, ms=4.5)
    if high:
        ax.plot(
            _days(p.date for p in high),
            [p.bpm for p in high],
            "o",
            color=FLAG_COLOUR,
            ms=7,
            label="flagged",
        )
    ax.legend(loc="upper left", fontsize=NOTE_SIZE, frameon=False, ncols=3)
    low = min(p.bpm for p in points)
    top = max([p.bpm for p in points] + [p.limit for p in based if p.limit is not None])
    ax.set_ylim(low - 3, top + 6)  # headroom for the legend
    _y_ticks(ax, 4, integer=True)


def _draw_quality(ax: Axes, pairs: Sequence[QualityRpe]) -> None:
    _style(ax, "Quality RPE")
    ax.set_ylim(0.5, 10.5)
    ax.set_yticks([2, 4, 6, 8, 10])
    if not pairs:
        ax.text(
            0.5,
            0.5,
            "No quality session rated yet",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=LABEL_SIZE,
            color="grey",
        )
        return
    for drifted, colour in ((False, DONE_COLOUR), (True, FLAG_COLOUR)):
        group = [p for p in pairs if (p.drift >= RPE_DRIFT_POINTS) == drifted]
        if not group:
            continue
        days = _days(p.date for p in group)
        ax.vlines(days, [p.target for p in group], [p.reported for p in group], colour, lw=2)
        ax.plot(days, [p.reported for p in group], "o", color=colour, ms=8)
    ax.plot(
        _days(p.date for p in pairs),
        [p.target for p in pairs],
        "_",
        color="black",
        ms=16,
        mew=2.5,
        label="target",
    )
    ax.plot([], [], "o", color=DONE_COLOUR, ms=8, label="felt")
    ax.legend(loc="lower left", fontsize=NOTE_SIZE, frameon=False, ncols=2)


def draw_stats(data: StatsData) -> bytes:
    fig = Figure(figsize=FIG_SIZE, dpi=DPI)
    title = textwrap.fill(data.headline, TITLE_WIDTH)
    width, height = FIG_SIZE
    top_in = STATS_TOP_IN + TITLE_LINE_IN * (title.count("\n") + 1)
    fig.subplots_adjust(
        left=STATS_LEFT_IN / width,
        right=1 - STATS_RIGHT_IN / width,
        bottom=STATS_BOTTOM_IN / height,
        top=1 - top_in / height,
        hspace=STATS_GAP_IN / height * 3,  # hspace is a fraction of the mean panel height
    )
    fig.suptitle(title, y=1 - 0.12 / height, va="top", fontsize=TITLE_SIZE, fontweight="bold")
    load_ax, rhr_ax, rpe_ax = fig.subplots(3, 1, height_ratios=[1.4, 1.0, 0.8])
    _draw_load(load_ax, data)
    _draw_rhr(rhr_ax, data.rhr)
    _draw_quality(rpe_ax, data.quality)
    _mark_weeks([load_ax, rhr_ax, rpe_ax], data.weeks, data.today)
    _date_axes([load_ax, rhr_ax, rpe_ax], data.first, data.today)
    return _png(fig)


def _pace_label(point: FitnessPoint, units: Units) -> str:
    return (
        f"T {format_pace(point.threshold_s_per_km, units)}\n"
        f"I {format_pace(point.interval_s_per_km, units)}"
    )


def draw_progress(points: Sequence[FitnessPoint], units: Units) -> bytes:
    fig = Figure(figsize=FIG_SIZE, dpi=DPI, layout="constrained")
    vdot_ax, five_ax = fig.subplots(2, 1, sharex=True)
    _title(fig, progress_headline(points))
    days = _days(p.date for p in points)
    vdots = [p.vdot for p in points]
    vdot_ax.plot(days, vdots, "-o", color=DONE_COLOUR, lw=2.2, ms=9)
    for i, p in enumerate(points):
        # Alternate above and below so neighbouring labels don't overlap.
        below = i % 2 == 1
        vdot_ax.annotate(
            _pace_label(p, units),
            (_day(p.date), p.vdot),
            xytext=(0, -16 if below else 16),
            textcoords="offset points",
            ha="center",
            va="top" if below else "bottom",
            fontsize=NOTE_SIZE,
        )
    _style(vdot_ax, "VDOT")
    vdot_ax.set_ylim(min(vdots) - 3, max(vdots) + 3)  # room for the pace labels
    five_ax.plot(days, [p.five_k_s for p in points], "-o", color=RATIO_COLOUR, lw=2.2, ms=9)
    _style(five_ax, "Predicted 5K")
    five_ax.yaxis.set_major_formatter(FuncFormatter(lambda s, _: format_duration(s)))
    five_ax.invert_yaxis()  # faster is higher, like the VDOT above it
    spread = max(p.five_k_s for p in points) - min(p.five_k_s for p in points)
    pad = max(spread * 0.2, 20.0)
    five_ax.set_ylim(max(p.five_k_s for p in points) + pad, min(p.five_k_s for p in points) - pad)
    first, last = min(days), max(days)
    margin = max(7.0, (last - first) / 8)
    five_ax.set_xlim(first - margin, last + margin)
    _date_ticks(five_ax, 2, 5)
    return _png(fig)
