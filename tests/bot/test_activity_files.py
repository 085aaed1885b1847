"""Reading real watch and app files (tests/data/activities, with their licences)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.activity_files import (
    MAX_DOWNLOAD_BYTES,
    Activity,
    ActivityFileError,
    check_document,
    read_activity,
)
from bot.texts import files as texts

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "activities"


def read(name: str, as_name: str | None = None) -> Activity:
    return read_activity(as_name or name, (SAMPLES / name).read_bytes())


def problem_with(name: str, as_name: str | None = None) -> str:
    with pytest.raises(ActivityFileError) as caught:
        read(name, as_name)
    return caught.value.message


# --- FIT ----------------------------------------------------------------------------------


def test_fenix_2_run_from_its_session_message() -> None:
    run = read("activity-small-fenix2-run.fit")
    assert run.sport == "running"
    assert run.start == datetime(2015, 8, 15, 14, 45, 8, tzinfo=UTC)
    assert run.duration_s == 2832  # 47:12 of timer time
    assert run.distance_m == pytest.approx(9008, abs=1)
    assert run.avg_hr is None  # no heart-rate strap that day
    assert run.avg_pace_s_per_km == pytest.approx(2832 / 9.008, abs=0.5)  # 5:14 /km


def test_fenix_5_run_with_heart_rate() -> None:
    run = read("garmin-fenix-5-run.fit")
    assert run.sport == "running"
    assert run.distance_m == pytest.approx(157.6, abs=0.05)
    assert run.duration_s == pytest.approx(56.9, abs=0.05)
    assert run.avg_hr == 90


def test_fenix_5_bike_is_cycling_without_a_pace() -> None:
    ride = read("garmin-fenix-5-bike.fit")
    assert ride.sport == "cycling"
    assert ride.distance_m == pytest.approx(459.5, abs=0.05)
    assert ride.duration_s == pytest.approx(60.4, abs=0.05)
    assert ride.avg_hr == 101
    assert ride.avg_pace_s_per_km is None


def test_long_ride_uses_timer_time_not_elapsed_time() -> None:
    ride = read("sample-activity.fit")
    assert ride.sport == "cycling"
    assert ride.distance_m == pytest.approx(88_800, abs=50)
    assert ride.duration_s == pytest.approx(2 * 3600 + 58 * 60, abs=60)  # 2 h 58 min moving
    assert ride.avg_hr == 166


def test_strava_app_file_keeps_the_session_read_before_the_undecodable_part() -> None:
    run = read("strava-android-app-201.10-b1218918.fit")
    assert run.sport == "running"
    assert run.start == datetime(2021, 9, 27, 14, 13, 10, tzinfo=UTC)
    assert run.duration_s == 3558
    assert run.distance_m == pytest.approx(11_274, abs=1)


def test_fingerprint_is_the_sha256_of_the_bytes() -> None:
    content = (SAMPLES / "garmin-fenix-5-run.fit").read_bytes()
    assert read_activity("x.fit", content).sha256 == hashlib.sha256(content).hexdigest()
    assert read("garmin-fenix-5-bike.fit").sha256 != read("garmin-fenix-5-run.fit").sha256


def test_a_fit_file_is_recognised_without_its_extension() -> None:
    assert read("garmin-fenix-5-run.fit", as_name="activity").avg_hr == 90


def test_corrupt_fit_header() -> None:
    assert problem_with("activity-settings-corruptheader.fit") == texts.NOT_A_FIT


def test_truncated_fit_is_refused_even_though_its_summary_came_first() -> None:
    # The session message sits before the cut; a resend gives the real file.
    assert problem_with("activity-unexpected-eof.fit") == texts.FIT_CUT_SHORT


def test_gpx_content_named_fit_is_not_a_fit() -> None:
    assert problem_with("cerknicko-jezero.gpx", as_name="run.fit") == texts.NOT_A_FIT


# --- GPX ----------------------------------------------------------------------------------


def test_gpx_with_times() -> None:
    track = read("cerknicko-jezero.gpx")
    assert track.start == datetime(2010, 8, 5, 14, 23, 59, tzinfo=UTC)
    assert track.start.tzinfo is UTC
    assert track.duration_s == 4239  # the segments' time, not the 2 h between first and last
    assert track.distance_m == pytest.approx(4580, abs=5)  # 2D
    assert track.sport == "running"  # a GPX that doesn't say is taken as a run
    assert track.avg_hr is None


def test_gpx_heart_rate_and_type_are_read() -> None:
    gpx = b"""<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"
 xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">
<trk><type>cycling</type><trkseg>
<trkpt lat="46.0" lon="14.0"><time>2024-05-01T06:00:00Z</time>
<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>120</gpxtpx:hr></gpxtpx:TrackPointExtension>
</extensions></trkpt>
<trkpt lat="46.01" lon="14.0"><time>2024-05-01T06:10:00Z</time>
<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>140</gpxtpx:hr></gpxtpx:TrackPointExtension>
</extensions></trkpt>
</trkseg></trk></gpx>"""
    ride = read_activity("ride.gpx", gpx)
    assert (ride.sport, ride.duration_s, ride.avg_hr) == ("cycling", 600, 130)
    assert ride.distance_m == pytest.approx(1112, abs=2)


def test_gpx_without_times() -> None:
    assert problem_with("cerknicko-without-times.gpx") == texts.GPX_NO_TIMES


def test_gpx_with_a_bom_and_no_track_points() -> None:
    assert problem_with("unicode_with_bom.gpx") == texts.NO_POINTS


def test_an_empty_segment_is_skipped_not_fatal() -> None:
    # Not broken after all: one empty segment beside a segment of 9 timed points.
    track = read("track-with-empty-segment.gpx")
    assert track.duration_s == 76
    assert track.distance_m == pytest.approx(86, abs=1)


def test_a_track_with_only_an_empty_segment_has_nothing_to_log() -> None:
    gpx = b'<?xml version="1.0"?><gpx version="1.1"><trk><trkseg></trkseg></trk></gpx>'
    with pytest.raises(ActivityFileError) as caught:
        read_activity("empty.gpx", gpx)
    assert caught.value.message == texts.NO_POINTS


def test_broken_xml() -> None:
    with pytest.raises(ActivityFileError) as caught:
        read_activity("run.gpx", b"<gpx><trk>")
    assert caught.value.message == texts.NOT_A_GPX


# --- neither, or too big ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("run.tcx", b"<TrainingCenterDatabase/>"),
        ("notes", b"ran 8k in 42 min"),
        ("empty", b""),
    ],
)
def test_unknown_format(name: str, content: bytes) -> None:
    with pytest.raises(ActivityFileError) as caught:
        read_activity(name, content)
    assert caught.value.message == texts.UNKNOWN_FORMAT


def test_size_is_checked_from_the_document_alone() -> None:
    check_document("run.fit", MAX_DOWNLOAD_BYTES)  # at the limit: fine
    check_document("run.fit", None)  # Telegram may leave the size out
    with pytest.raises(ActivityFileError) as caught:
        check_document("run.fit", MAX_DOWNLOAD_BYTES + 1)
    assert "20 MB" in caught.value.message


def test_another_extension_is_refused_before_downloading() -> None:
    with pytest.raises(ActivityFileError):
        check_document("holiday.jpg", 1000)
    check_document("activity", 1000)  # no extension: the content decides
