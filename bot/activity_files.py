"""Reading activity files (FIT, GPX) into one small summary: pure, no Telegram, no store.

`read_activity(name, content)` returns an `Activity` or raises `ActivityFileError` whose
message is ready to show the runner (bot/texts/files.py).

Choices, and why:
  * FIT: the `session` message is the watch's own summary, so it wins; `total_timer_time`
    is the duration (it leaves out auto-pause stops, as the watch's own display does), with
    `total_elapsed_time` as the fallback. Without a session message the summary is rebuilt
    from the `record` messages (first to last timestamp, the last cumulative distance).
  * FIT that the reader can't finish: a truncated file (`FitEOFError`) is refused, since
    sending it again gives the real numbers; any other decoding error *after* the session
    summary was read (the Strava app writes records with an undefined local message) keeps
    that summary: it is complete, and no resend would fix the rest. Records from a partly
    read file are never used: they would be a part of the activity passed off as all of it.
  * GPX: gpxpy's `get_duration()`, the time covered by each segment added up (pauses
    between segments and tracks left out, like a watch's timer). gpxpy's moving time is a
    speed-threshold guess, so it is not used. Distance is the 2D length: GPS elevation is
    noisy and the 3D length only adds that noise.
  * Sport: FIT and GPX name it (mapped to the free-text log's names); an activity that
    doesn't say is taken as a run, since runs are what a running coach is sent.
"""

from __future__ import annotations

import hashlib
import io
import statistics
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from telegram.constants import FileSizeLimit

from bot.texts import files as texts

if TYPE_CHECKING:  # imported on first use below: most runners never send a file
    import fitdecode
    import gpxpy.gpx

# Telegram's Bot API serves files up to this size to bots; bigger ones can't be fetched.
MAX_DOWNLOAD_BYTES = int(FileSizeLimit.FILESIZE_DOWNLOAD)
DEFAULT_SPORT = "running"
FIT_SIGNATURE = b".FIT"  # bytes 8-11 of every FIT header

# FIT and GPX sport names onto the free-text log's (bot.parsing), so /week reads the same.
_FIT_SPORTS = {
    "generic": DEFAULT_SPORT,
    "e_biking": "cycling",
    "training": "strength",
    "fitness_equipment": "elliptical",
}
_GPX_WORDS = (
    ("run", "running"),
    ("jog", "running"),
    ("bik", "cycling"),
    ("cycl", "cycling"),
    ("ride", "cycling"),
    ("swim", "swimming"),
    ("walk", "walking"),
    ("hik", "hiking"),
    ("row", "rowing"),
)


class ActivityFileError(Exception):
    """A file we can't use; `message` is the runner-facing explanation."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Activity:
    start: datetime  # aware, UTC
    sport: str  # "running", "cycling", or another sport name
    duration_s: float  # FIT: timer time; GPX: time covered by the track segments
    distance_m: float | None  # None when the file has no distance (e.g. a gym session)
    avg_hr: int | None
    sha256: str  # of the file's bytes: the same file sent twice has the same fingerprint

    @property
    def avg_pace_s_per_km(self) -> float | None:
        """Seconds per km, for runs with a distance only (a ride's pace means nothing)."""
        if self.sport != "running" or not self.distance_m:
            return None
        return self.duration_s / (self.distance_m / 1000)


# --- checks before reading --------------------------------------------------------------


def check_document(name: str | None, size: int | None) -> None:
    """What can be judged from the Telegram document alone, before downloading it."""
    if size is not None and size > MAX_DOWNLOAD_BYTES:
        raise ActivityFileError(
            texts.TOO_BIG.format(
                size_mb=f"{size / 1_000_000:.1f}", limit_mb=MAX_DOWNLOAD_BYTES // 1_000_000
            )
        )
    if name and _kind_from_name(name) is None and "." in name:
        # Named like something else (.tcx, .zip, .jpg): no need to fetch it to refuse it.
        raise ActivityFileError(texts.UNKNOWN_FORMAT)


def _kind_from_name(name: str) -> str | None:
    lowered = name.lower().strip()
    for kind in ("fit", "gpx"):
        if lowered.endswith(f".{kind}"):
            return kind
    return None


def _kind_from_content(content: bytes) -> str | None:
    if content[8:12] == FIT_SIGNATURE:
        return "fit"
    head = content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if (head.startswith(b"<?xml") and b"<gpx" in head) or head.startswith(b"<gpx"):
        return "gpx"
    return None


def read_activity(name: str, content: bytes) -> Activity:
    """The activity in a .fit or .gpx file. Raises ActivityFileError."""
    check_document(name, len(content))
    kind = _kind_from_name(name) or _kind_from_content(content)
    if kind == "fit":
        return _read_fit(content)
    if kind == "gpx":
        return _read_gpx(content)
    raise ActivityFileError(texts.UNKNOWN_FORMAT)


def _fingerprint(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# --- FIT ----------------------------------------------------------------------------------


@dataclass
class _FitMessages:
    session: dict[str, Any] | None = None
    sport: str | None = None
    records: list[dict[str, Any]] | None = None


def _read_fit(content: bytes) -> Activity:
    found = _fit_messages(content)
    if found.session is not None:
        activity = _from_fit_session(found.session, content)
    elif found.records:
        activity = _from_fit_records(found.records, found.sport, content)
    else:
        raise ActivityFileError(texts.NO_POINTS)
    return activity


def _fit_messages(content: bytes) -> _FitMessages:
    import fitdecode  # here, not at the top: it costs start-up time and few runners need it

    found = _FitMessages(records=[])
    assert found.records is not None
    try:
        # CRC off and errors ignored: phone apps often write a wrong CRC or odd field
        # sizes; whether the numbers make sense is checked on the summary itself.
        with fitdecode.FitReader(
            io.BytesIO(content),
            check_crc=fitdecode.CrcCheck.DISABLED,
            error_handling=fitdecode.ErrorHandling.IGNORE,
        ) as reader:
            for frame in reader:
                if isinstance(frame, fitdecode.FitDataMessage):
                    _collect(found, frame)
    except fitdecode.FitHeaderError:
        raise ActivityFileError(texts.NOT_A_FIT) from None
    except fitdecode.FitEOFError:
        raise ActivityFileError(texts.FIT_CUT_SHORT) from None
    except fitdecode.FitError:
        if found.session is None:
            raise ActivityFileError(texts.FIT_UNREADABLE) from None
        found.records = None  # a partial recording: only the session summary is trusted
    return found


def _collect(found: _FitMessages, frame: fitdecode.FitDataMessage) -> None:
    if frame.name == "session" and found.session is None:  # multisport: the first leg
        found.session = _values(frame)
    elif frame.name == "sport" and found.sport is None:
        found.sport = _text(frame.get_value("sport", fallback=None))
    elif frame.name == "record" and found.records is not None:
        found.records.append(_values(frame))


def _values(frame: fitdecode.FitDataMessage) -> dict[str, Any]:
    return {field.name: field.value for field in frame.fields if field.value is not None}


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _fit_sport(value: Any) -> str:
    name = _text(value) or DEFAULT_SPORT
    return _FIT_SPORTS.get(name, name)


def _from_fit_session(session: dict[str, Any], content: bytes) -> Activity:
    start = session.get("start_time") or session.get("timestamp")
    duration = session.get("total_timer_time") or session.get("total_elapsed_time")
    if not isinstance(start, datetime) or not duration:
        raise ActivityFileError(texts.FIT_UNREADABLE)
    heart_rate = session.get("avg_heart_rate")
    return Activity(
        start=_utc(start),
        sport=_fit_sport(session.get("sport")),
        duration_s=float(duration),
        distance_m=_distance(session.get("total_distance")),
        avg_hr=int(heart_rate) if heart_rate else None,
        sha256=_fingerprint(content),
    )


def _from_fit_records(records: list[dict[str, Any]], sport: str | None, content: bytes) -> Activity:
    times = [r["timestamp"] for r in records if isinstance(r.get("timestamp"), datetime)]
    if len(times) < 2:
        raise ActivityFileError(texts.NO_POINTS)
    distances = [float(r["distance"]) for r in records if r.get("distance") is not None]
    heart_rates = [int(r["heart_rate"]) for r in records if r.get("heart_rate")]
    return Activity(
        start=_utc(times[0]),
        sport=_fit_sport(sport),
        duration_s=(times[-1] - times[0]).total_seconds(),
        distance_m=_distance(max(distances) if distances else None),  # cumulative
        avg_hr=round(statistics.fmean(heart_rates)) if heart_rates else None,
        sha256=_fingerprint(content),
    )


def _distance(value: Any) -> float | None:
    return float(value) if value else None


def _utc(moment: datetime) -> datetime:
    # FIT and GPX times are UTC by definition; a GPX time without a zone still is.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# --- GPX ----------------------------------------------------------------------------------


def _read_gpx(content: bytes) -> Activity:
    import gpxpy  # here, not at the top: it costs start-up time and few runners need it
    import gpxpy.gpx

    try:
        # Decoded here: gpxpy's own decode fails on a file that isn't UTF-8 throughout,
        # and a mangled track name costs us nothing.
        gpx = gpxpy.parse(content.decode("utf-8-sig", errors="replace"))
    except gpxpy.gpx.GPXException:
        raise ActivityFileError(texts.NOT_A_GPX) from None
    points = [p for track in gpx.tracks for s in track.segments for p in s.points]
    if not points:
        raise ActivityFileError(texts.NO_POINTS)
    duration, start = gpx.get_duration(), gpx.get_time_bounds().start_time
    if not duration or start is None:
        raise ActivityFileError(texts.GPX_NO_TIMES)
    return Activity(
        start=_utc(start),
        sport=_gpx_sport(gpx),
        duration_s=float(duration),
        distance_m=_distance(gpx.length_2d()),
        avg_hr=_gpx_heart_rate(points),
        sha256=_fingerprint(content),
    )


def _gpx_sport(gpx: gpxpy.gpx.GPX) -> str:
    kind = next((t.type for t in gpx.tracks if t.type), None)
    if kind is None:
        return DEFAULT_SPORT
    lowered = kind.strip().lower()
    return next((sport for word, sport in _GPX_WORDS if word in lowered), lowered[:40])


def _gpx_heart_rate(points: list[gpxpy.gpx.GPXTrackPoint]) -> int | None:
    """The average of Garmin's <gpxtpx:hr> extension, the usual way GPX carries HR."""
    readings = [bpm for point in points if (bpm := _point_hr(point)) is not None]
    return round(statistics.fmean(readings)) if readings else None


def _point_hr(point: gpxpy.gpx.GPXTrackPoint) -> int | None:
    for extension in point.extensions:
        for element in extension.iter():
            if element.tag.rsplit("}", 1)[-1].lower() == "hr" and element.text:
                try:
                    return int(float(element.text))
                except ValueError:
                    return None
    return None
