"""Matplotlib drawing for /stats and /progress: the numbers from `bot.charts`, placed.

Matplotlib is used through `Figure` and the Agg canvas directly, never pyplot: pyplot
keeps global figure state, which leaks memory in a long-running bot and is not safe when
two charts are drawn at once. Dates go to matplotlib as its own day numbers (`_day`), the
one form its type stubs accept.

Each chart is a template built once per process (`StatsFigure`, `ProgressFigure`): the
figure, its panels, labels, legends and one artist per series. A request only sets the
data (`set_data`, `set_verts`, `set_segments`), the limits, the ticks and the title, then
draws. Building the panels (Axes and Tick objects, fonts) was a third of a chart's time;
it is now paid once per process, by the first chart drawn. A template is
one figure, so its lock lets one request at a time use it: two concurrent /stats take
turns, they never draw into each other's figure.

For speed (bench/chart_render.py): fixed margins instead of constrained layout (which
draws the figure several times to measure it), x ticks on the bottom panel only and at
fixed dates (every tick is a dozen artists; AutoDateLocator runs dateutil's rrule on each
draw), y ticks only inside the limits, one artist per series rather than one per point or
bar, and fast PNG compression (Telegram recompresses photos anyway).
"""

from __future__ import annotations

import math
import struct
import textwrap
import threading
import zlib
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any, Literal

import numpy as np
from matplotlib import dates as mdates
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.text import Annotation, Text
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
MARK_TEXT_COLOUR = "#5b4a99"
# Margins in inches (fixed, see above): room for the tick and axis labels at the sides
# and bottom, and above the top panel for the title lines (and /stats' week marks).
STATS_LEFT_IN, STATS_RIGHT_IN, STATS_BOTTOM_IN = 0.95, 0.95, 0.45
STATS_TOP_IN, TITLE_LINE_IN = 0.45, 0.33
STATS_GAP_IN = 0.3
PROGRESS_LEFT_IN, PROGRESS_RIGHT_IN, PROGRESS_BOTTOM_IN = 0.95, 0.3, 0.45
PROGRESS_TOP_IN, PROGRESS_GAP_IN = 0.1, 0.15
TITLE_TOP_IN = 0.12  # from the figure's top edge to the title's first line
_EPOCH = mdates.get_epoch()  # type: ignore[no-untyped-call]  # dates.py is unannotated
_EPOCH_ORDINAL = date.fromisoformat(_EPOCH[:10]).toordinal()
LegendLoc = Literal["upper left", "lower left"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_RGBA = 6  # the PNG colour type: 8-bit red, green, blue and alpha
PNG_COMPRESS_LEVEL = 1  # 3× faster than the default 6, ~20% larger


def _day(day: date) -> float:
    """Matplotlib's day number of a date, the one form its type stubs accept: whole days
    since its epoch, what `mdates.date2num` returns, without date2num's numpy round trip
    per call (~300 dates a chart)."""
    return float(day.toordinal() - _EPOCH_ORDINAL)


def _days(days: Iterable[date]) -> list[float]:
    return [_day(d) for d in days]


def _month_ticks(first: date, last: date) -> list[date]:
    """The 1st and the 15th of each month from `first` to `last`: 6 ticks over 12 weeks."""
    ticks = []
    day = first.replace(day=1)
    while day <= last:
        ticks += [tick for tick in (day, day.replace(day=15)) if first <= tick <= last]
        day = (day + timedelta(days=32)).replace(day=1)
    return ticks


def _style(ax: Axes, ylabel: str) -> None:
    ax.set_ylabel(ylabel, fontsize=LABEL_SIZE)
    ax.tick_params(labelsize=TICK_SIZE)
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top"]].set_visible(False)
    # Every limit is set from the data below; nothing should move them as artists change.
    ax.set_autoscale_on(False)


def _y_ticks(ax: Axes, most: int, *, integer: bool = False) -> None:
    """At most `most` round ticks inside the y limits already set: a locator would also
    make the ticks just outside them, each a dozen artists that are never seen."""
    low, high = ax.get_ylim()
    ticks = MaxNLocator(most, integer=integer).tick_values(low, high)
    ax.set_yticks([float(tick) for tick in ticks if low <= tick <= high])


def _note(
    ax: Axes, text: str, *, y: float = 0.5, size: int = LABEL_SIZE, colour: str = "grey"
) -> Text:
    """A message in the middle of a panel, hidden until the panel has nothing to show."""
    return ax.text(
        0.5,
        y,
        text,
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=size,
        color=colour,
        visible=False,
    )


def _legend(ax: Axes, handles: Sequence[Artist], loc: LegendLoc, ncols: int) -> PastedLegend:
    """A legend of a panel, built once and pasted as pixels (`PastedLegend`)."""
    labels = [str(h.get_label()) for h in handles]
    legend = Legend(ax, handles, labels, loc=loc, fontsize=NOTE_SIZE, frameon=False, ncols=ncols)
    figure = ax.get_figure(root=True)
    assert figure is not None
    return PastedLegend(figure, legend)


class PastedLegend:
    """A legend drawn once into pixels, then pasted onto each chart that shows it.

    A legend never changes, but drawing one lays out every label and handle again (~13 ms
    of the three legends' ~40 ms a chart). Drawn alone on a transparent canvas at its real
    place, it is the same pixels; it is drawn again only if its panel moves (a title of
    another number of lines). Pasted above the panels, as a legend is drawn above a panel.
    """

    def __init__(self, figure: Figure, legend: Legend) -> None:
        self.figure = figure
        self.legend = legend
        self.image: Pixels | None = None
        self.drawn_at: tuple[float, float, float, float] | None = None

    def show(self, visible: bool) -> None:
        if visible:
            axes = self.legend.axes
            assert axes is not None  # built on a panel, see _legend
            place = tuple(axes.get_position().bounds)
            if self.image is None or place != self.drawn_at:
                if self.image is not None:
                    self.image.remove()
                self.image = self._paste()
                self.drawn_at = (place[0], place[1], place[2], place[3])
        if self.image is not None:
            self.image.set_visible(visible)

    def _paste(self) -> Pixels:
        width, height = (round(size) for size in self.figure.bbox.size)
        renderer = RendererAgg(width, height, self.figure.dpi)  # type: ignore[no-untyped-call]
        self.legend.draw(renderer)
        box = self.legend.get_window_extent(renderer)
        left, right = max(int(box.x0) - 2, 0), min(math.ceil(box.x1) + 2, width)
        bottom, top = max(int(box.y0) - 2, 0), min(math.ceil(box.y1) + 2, height)
        buffer = np.asarray(renderer.buffer_rgba())  # type: ignore[no-untyped-call]
        # The buffer's rows run top down; draw_image takes them bottom up.
        pixels = buffer[height - top : height - bottom, left:right][::-1].copy()
        image = Pixels(pixels, left, bottom)
        self.figure.add_artist(image)
        return image


class Pixels(Artist):
    """Ready pixels at a place on the figure, copied as they are: a FigureImage would
    also run them through its resampling (~3 ms an image for a copy)."""

    zorder = 5  # above the panels, where a legend is

    def __init__(self, pixels: np.ndarray[Any, np.dtype[np.uint8]], left: int, bottom: int) -> None:
        super().__init__()
        self.pixels, self.left, self.bottom = pixels, left, bottom

    def draw(self, renderer: RendererBase) -> None:
        if self.get_visible():
            context = renderer.new_gc()
            renderer.draw_image(context, self.left, self.bottom, self.pixels)
            context.restore()


def _title_lines(text: str) -> str:
    return textwrap.fill(text, TITLE_WIDTH)


def _png(canvas: FigureCanvasAgg) -> bytes:
    """The figure as an RGBA PNG, written here rather than by Pillow: Pillow tries five
    row filters on every row of an RGBA image to pick the best, which took 2/3 of the
    encoding (~40 ms a chart). Rows unfiltered and zlib at its fastest level give the same
    pixels in a third of the time, at ~15% more bytes (Telegram recompresses anyway).
    Not a 256-colour palette either: Pillow's fast quantizer merges the pale bands
    (alpha 0.12-0.15 over white) into the background, its faithful ones are slower."""
    canvas.draw()  # type: ignore[no-untyped-call]  # backend_agg is unannotated
    pixels = np.asarray(canvas.buffer_rgba())  # type: ignore[no-untyped-call]
    height, width = pixels.shape[:2]
    rows = np.zeros((height, 1 + width * 4), np.uint8)  # each row: filter byte 0, pixels
    rows[:, 1:] = pixels.reshape(height, width * 4)
    header = struct.pack(">IIBBBBB", width, height, 8, PNG_RGBA, 0, 0, 0)
    return b"".join(
        (
            PNG_SIGNATURE,
            _png_chunk(b"IHDR", header),
            _png_chunk(b"IDAT", zlib.compress(rows.data, PNG_COMPRESS_LEVEL)),
            _png_chunk(b"IEND", b""),
        )
    )


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(body, zlib.crc32(kind))
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def _rectangles(
    spans: Iterable[tuple[float, float, float, float]],
) -> list[list[tuple[float, float]]]:
    """(x0, x1, y0, y1) spans as the closed polygons a PolyCollection takes."""
    return [[(x0, y0), (x1, y0), (x1, y1), (x0, y1)] for x0, x1, y0, y1 in spans]


class StatsFigure:
    """The /stats figure: weekly load with the acute:chronic ratio, resting HR, quality RPE."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.figure = Figure(figsize=FIG_SIZE, dpi=DPI)
        self.canvas = FigureCanvasAgg(self.figure)
        self.title = self.figure.suptitle(
            "", y=1 - TITLE_TOP_IN / FIG_SIZE[1], va="top", fontsize=TITLE_SIZE, fontweight="bold"
        )
        self.title_lines = 0
        load, rhr, rpe = self.figure.subplots(3, 1, height_ratios=[1.4, 1.0, 0.8])
        self.panels = (load, rhr, rpe)
        self._adjust(1)
        for ax in self.panels[:-1]:
            ax.xaxis.set_major_locator(NullLocator())
        rpe.xaxis.set_major_formatter(mdates.DateFormatter("%-d %b"))  # type: ignore[no-untyped-call]

        # Weekly load: bars done, dashes planned, the ratio on its own axis.
        _style(load, "Weekly load")
        self.done = PolyCollection([], facecolors=DONE_COLOUR, linewidths=0, label="done")
        load.add_collection(self.done, autolim=False)
        self.planned = LineCollection([], colors=TARGET_COLOUR, linewidths=3, label="planned")
        load.add_collection(self.planned, autolim=False)
        ratio = load.twinx()
        self.ratio_ax = ratio
        lo, hi = ACWR_BAND
        ratio.axhspan(lo, hi, color=BAND_COLOUR, alpha=0.12, lw=0)
        ratio.set_autoscale_on(False)
        (self.ratio,) = ratio.plot([], [], color=RATIO_COLOUR, lw=2.2, label="acute:chronic")
        self.ratio_note = _note(
            ratio, "ratio after 4 weeks", y=0.9, size=NOTE_SIZE, colour=RATIO_COLOUR
        )
        self.ratio_note.set_verticalalignment("baseline")
        ratio.set_ylabel("Acute:chronic", fontsize=LABEL_SIZE, color=RATIO_COLOUR)
        ratio.tick_params(labelsize=TICK_SIZE, colors=RATIO_COLOUR)
        ratio.spines[["top"]].set_visible(False)
        self.load_legend = _legend(load, [self.planned, self.done, self.ratio], "upper left", 3)

        # Resting HR: the normal range and baseline, each morning's reading, flags in red.
        _style(rhr, "Resting HR")
        self.rhr_range = rhr.fill_between(
            [], [], [], step="mid", color=BAND_COLOUR, alpha=0.15, lw=0, label="normal range"
        )
        (self.baseline,) = rhr.plot(
            [], [], color=BAND_COLOUR, lw=1.8, drawstyle="steps-mid", label="baseline"
        )
        (self.calm,) = rhr.plot([], [], "o", color=DONE_COLOUR, ms=4.5)
        (self.flagged,) = rhr.plot([], [], "o", color=FLAG_COLOUR, ms=7, label="flagged")
        self.rhr_note = _note(rhr, "No morning resting HR logged yet")
        self.rhr_legends: dict[tuple[bool, bool], PastedLegend] = {}

        # Quality RPE: a stalk from the target to how it felt, red where it drifted.
        _style(rpe, "Quality RPE")
        rpe.set_ylim(0.5, 10.5)
        rpe.set_yticks([2, 4, 6, 8, 10])
        self.stalks: dict[bool, LineCollection] = {}
        self.felt: dict[bool, Line2D] = {}
        for drifted, colour in ((False, DONE_COLOUR), (True, FLAG_COLOUR)):
            self.stalks[drifted] = LineCollection([], colors=colour, linewidths=2)
            rpe.add_collection(self.stalks[drifted], autolim=False)
            (self.felt[drifted],) = rpe.plot([], [], "o", color=colour, ms=8, label="felt")
        (self.targets,) = rpe.plot([], [], "_", color="black", ms=16, mew=2.5, label="target")
        self.rpe_legend = _legend(rpe, [self.targets, self.felt[False]], "lower left", 2)
        self.rpe_note = _note(rpe, "No quality session rated yet")

        # Lighter weeks, shaded on every panel (above the bars) and named above the top one.
        self.marks: list[PolyCollection] = []
        for ax in self.panels:
            shade = PolyCollection(
                [],
                facecolors=MARK_COLOUR,
                alpha=0.12,
                linewidths=0,
                transform=ax.get_xaxis_transform(),
            )
            ax.add_collection(shade, autolim=False)
            self.marks.append(shade)
        self.mark_labels: list[Text] = []

    def _adjust(self, title_lines: int) -> None:
        width, height = FIG_SIZE
        if title_lines == self.title_lines:
            return
        top_in = STATS_TOP_IN + TITLE_LINE_IN * title_lines
        self.figure.subplots_adjust(
            left=STATS_LEFT_IN / width,
            right=1 - STATS_RIGHT_IN / width,
            bottom=STATS_BOTTOM_IN / height,
            top=1 - top_in / height,
            hspace=STATS_GAP_IN / height * 3,  # a fraction of the mean panel height
        )
        self.title_lines = title_lines

    def draw(self, data: StatsData) -> bytes:
        with self.lock:
            title = _title_lines(data.headline)
            self.title.set_text(title)
            self._adjust(title.count("\n") + 1)
            self.load_legend.show(True)
            self._load(data)
            self._rhr(data.rhr)
            self._quality(data.quality)
            self._mark_weeks(data.weeks, data.today)
            self._dates(data.first, data.today)
            return _png(self.canvas)

    def _load(self, data: StatsData) -> None:
        load = self.panels[0]
        starts = _days(w.start for w in data.weeks)
        self.done.set_verts(
            _rectangles(
                (s + 0.5, s + 5.5, 0.0, w.done) for s, w in zip(starts, data.weeks, strict=True)
            )
        )
        # Planned as a dash across the bar, the same "target" mark as the RPE panel: it
        # stays visible whether the week came in over or under.
        self.planned.set_segments(
            [
                [(s + 0.5, w.planned), (s + 5.5, w.planned)]
                for s, w in zip(starts, data.weeks, strict=True)
            ]
        )
        values = [value for _, value in data.acwr]
        self.ratio.set_data(_days(day for day, _ in data.acwr), values)
        self.ratio_ax.set_ylim(0, max(2.0, max(values) + 0.2) if values else 2.0)
        self.ratio_note.set_visible(not values)
        _y_ticks(self.ratio_ax, 4)
        load.set_ylim(0, max([w.planned for w in data.weeks] + [w.done for w in data.weeks]) * 1.3)
        _y_ticks(load, 4)

    def _rhr(self, points: Sequence[RhrPoint]) -> None:
        ax = self.panels[1]
        self.rhr_note.set_visible(not points)
        based = [p for p in points if p.baseline is not None and p.limit is not None]
        days = _days(p.date for p in based)
        baselines = [p.baseline or math.nan for p in based]
        self.rhr_range.set_data(days, baselines, [p.limit or math.nan for p in based])
        self.baseline.set_data(days, baselines)
        calm = [p for p in points if not p.flagged]
        high = [p for p in points if p.flagged]
        self.calm.set_data(_days(p.date for p in calm), [p.bpm for p in calm])
        self.flagged.set_data(_days(p.date for p in high), [p.bpm for p in high])
        shown = self._rhr_legend(bool(based), bool(high))
        for legend in self.rhr_legends.values():
            legend.show(legend is shown)
        if not points:
            ax.set_ylim(0, 1)
            ax.set_yticks([])
            return
        low = min(p.bpm for p in points)
        top = max([p.bpm for p in points] + [p.limit for p in based if p.limit is not None])
        ax.set_ylim(low - 3, top + 6)  # headroom for the legend
        _y_ticks(ax, 4, integer=True)

    def _rhr_legend(self, based: bool, high: bool) -> PastedLegend | None:
        """The legend names only what is drawn: one legend per combination, built once."""
        if not (based or high):
            return None
        if (based, high) not in self.rhr_legends:
            handles = [self.rhr_range, self.baseline] if based else []
            handles += [self.flagged] if high else []
            self.rhr_legends[based, high] = _legend(self.panels[1], handles, "upper left", 3)
        return self.rhr_legends[based, high]

    def _quality(self, pairs: Sequence[QualityRpe]) -> None:
        self.rpe_note.set_visible(not pairs)
        self.rpe_legend.show(bool(pairs))
        for drifted in (False, True):
            group = [p for p in pairs if (p.drift >= RPE_DRIFT_POINTS) == drifted]
            days = _days(p.date for p in group)
            self.stalks[drifted].set_segments(
                [[(d, p.target), (d, p.reported)] for d, p in zip(days, group, strict=True)]
            )
            self.felt[drifted].set_data(days, [p.reported for p in group])
        self.targets.set_data(_days(p.date for p in pairs), [p.target for p in pairs])

    def _mark_weeks(self, weeks: Sequence[WeekLoad], today: date) -> None:
        spans = []
        for week in weeks:
            label = MARKED_KINDS.get(week.kind)
            if label is not None:
                start = _day(week.start)
                spans.append((start, min(start + 7, _day(today) + 1), label))
        for shade in self.marks:
            shade.set_verts(_rectangles((x0, x1, 0.0, 1.0) for x0, x1, _ in spans))
        top = self.panels[0]
        while len(self.mark_labels) < len(spans):
            self.mark_labels.append(
                top.text(
                    0,
                    1.01,
                    "",
                    transform=top.get_xaxis_transform(),
                    ha="center",
                    va="bottom",
                    fontsize=NOTE_SIZE,
                    color=MARK_TEXT_COLOUR,
                )
            )
        for i, text in enumerate(self.mark_labels):
            text.set_visible(i < len(spans))
            if i < len(spans):
                x0, x1, label = spans[i]
                text.set_x((x0 + x1) / 2)
                text.set_text(label)

    def _dates(self, first: date, today: date) -> None:
        """The same dates on every panel, labelled on the bottom one only."""
        for ax in self.panels:
            ax.set_xlim(_day(first) - 1, _day(today) + 2)
        self.panels[-1].xaxis.set_major_locator(FixedLocator(_days(_month_ticks(first, today))))


def _pace_label(point: FitnessPoint, units: Units) -> str:
    return (
        f"T {format_pace(point.threshold_s_per_km, units)}\n"
        f"I {format_pace(point.interval_s_per_km, units)}"
    )


class ProgressFigure:
    """The /progress figure: VDOT with the paces each result set, and the predicted 5K."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.figure = Figure(figsize=FIG_SIZE, dpi=DPI)
        self.canvas = FigureCanvasAgg(self.figure)
        self.title = self.figure.suptitle(
            "", y=1 - TITLE_TOP_IN / FIG_SIZE[1], va="top", fontsize=TITLE_SIZE, fontweight="bold"
        )
        self.title_lines = 0
        self.vdot_ax, self.five_ax = self.figure.subplots(2, 1, sharex=True)
        self._adjust(1)
        _style(self.vdot_ax, "VDOT")
        _style(self.five_ax, "Predicted 5K")
        (self.vdot,) = self.vdot_ax.plot([], [], "-o", color=DONE_COLOUR, lw=2.2, ms=9)
        (self.five_k,) = self.five_ax.plot([], [], "-o", color=RATIO_COLOUR, lw=2.2, ms=9)
        self.five_ax.yaxis.set_major_formatter(FuncFormatter(lambda s, _: format_duration(s)))
        locator = mdates.AutoDateLocator(minticks=2, maxticks=5)  # type: ignore[no-untyped-call]
        self.five_ax.xaxis.set_major_locator(locator)
        self.five_ax.xaxis.set_major_formatter(mdates.DateFormatter("%-d %b"))  # type: ignore[no-untyped-call]
        self.pace_labels: list[Annotation] = []

    def _adjust(self, title_lines: int) -> None:
        width, height = FIG_SIZE
        if title_lines == self.title_lines:
            return
        top_in = PROGRESS_TOP_IN + TITLE_TOP_IN + TITLE_LINE_IN * title_lines
        self.figure.subplots_adjust(
            left=PROGRESS_LEFT_IN / width,
            right=1 - PROGRESS_RIGHT_IN / width,
            bottom=PROGRESS_BOTTOM_IN / height,
            top=1 - top_in / height,
            hspace=PROGRESS_GAP_IN / height * 2,  # a fraction of the mean panel height
        )
        self.title_lines = title_lines

    def draw(self, points: Sequence[FitnessPoint], units: Units) -> bytes:
        with self.lock:
            title = _title_lines(progress_headline(points))
            self.title.set_text(title)
            self._adjust(title.count("\n") + 1)
            days = _days(p.date for p in points)
            vdots = [p.vdot for p in points]
            self.vdot.set_data(days, vdots)
            self._pace_labels(points, units)
            self.vdot_ax.set_ylim(min(vdots) - 3, max(vdots) + 3)  # room for the pace labels
            fives = [p.five_k_s for p in points]
            self.five_k.set_data(days, fives)
            pad = max((max(fives) - min(fives)) * 0.2, 20.0)
            # Slower at the bottom: faster is higher, like the VDOT above it.
            self.five_ax.set_ylim(max(fives) + pad, min(fives) - pad)
            first, last = min(days), max(days)
            margin = max(7.0, (last - first) / 8)
            self.five_ax.set_xlim(first - margin, last + margin)
            return _png(self.canvas)

    def _pace_labels(self, points: Sequence[FitnessPoint], units: Units) -> None:
        while len(self.pace_labels) < len(points):
            self.pace_labels.append(
                self.vdot_ax.annotate(
                    "",
                    (0, 0),
                    xytext=(0, 0),
                    textcoords="offset points",
                    ha="center",
                    fontsize=NOTE_SIZE,
                )
            )
        for i, label in enumerate(self.pace_labels):
            label.set_visible(i < len(points))
            if i < len(points):
                point = points[i]
                # Alternate above and below so neighbouring labels don't overlap.
                below = i % 2 == 1
                label.xy = (_day(point.date), point.vdot)
                label.xyann = (0, -16 if below else 16)
                label.set_verticalalignment("top" if below else "bottom")
                label.set_text(_pace_label(point, units))


_templates_built = threading.Lock()
_stats_figure: StatsFigure | None = None
_progress_figure: ProgressFigure | None = None


def stats_figure() -> StatsFigure:
    global _stats_figure
    with _templates_built:
        if _stats_figure is None:
            _stats_figure = StatsFigure()
        return _stats_figure


def progress_figure() -> ProgressFigure:
    global _progress_figure
    with _templates_built:
        if _progress_figure is None:
            _progress_figure = ProgressFigure()
        return _progress_figure


def draw_stats(data: StatsData) -> bytes:
    return stats_figure().draw(data)


def draw_progress(points: Sequence[FitnessPoint], units: Units) -> bytes:
    return progress_figure().draw(points, units)
