"""bot.parsing: table-driven examples for every parser, then properties over arbitrary text."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import time as stopwatch
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import parsing
from bot.parsing import (
    CROSS_SPORTS,
    MAX_TEXT_CHARS,
    CrossLog,
    ParseError,
    RhrLog,
    RunLog,
    SleepLog,
    TimeZoneChoice,
    WellnessLog,
    clean_text,
    parse_clock_time,
    parse_duration_distance,
    parse_free_text,
    parse_quality,
    parse_race,
    parse_race_time,
    parse_rhr,
    parse_rpe,
    parse_scale_1_5,
    parse_sleep_hours,
    parse_time_zone,
    parse_weekday,
    parse_weekdays,
    parse_weekly_minutes,
)
from bot.texts import problems as texts

MILE = 1609.344


def error_of(parse: Callable[..., object], *args: str) -> str:
    with pytest.raises(ParseError) as info:
        parse(*args)
    assert str(info.value) == info.value.message
    return info.value.message


# --- clean_text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  7  ", "7"),
        ("52 ❤️", "52"),
        ("７", "7"),  # full-width digit
        ("٥٢", "52"),  # Arabic-Indic digits
        ("7️⃣", "7"),  # keycap emoji
        ("ran\t8k\x00 42\u200bmin", "ran 8k 42 min"),
        ("line one\n\n  line two ", "line one\nline two"),
        ("45’ 8.2k", "45' 8.2k"),
        ("UTC−5", "UTC-5"),
        ("São Paulo", "São Paulo"),
        ("🏃‍♀️🔥", ""),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_clean_text_rejects_long_pastes_kindly() -> None:
    assert clean_text("7" * MAX_TEXT_CHARS) == "7" * MAX_TEXT_CHARS
    assert clean_text(f"  {'7' * MAX_TEXT_CHARS}\n") == "7" * MAX_TEXT_CHARS
    message = error_of(clean_text, "7" * (MAX_TEXT_CHARS + 1))
    assert str(MAX_TEXT_CHARS) in message and "<i>" in message
    for parse in SINGLE_ARGUMENT_PARSERS:
        assert error_of(parse, "ran 8k " * 1000) == message


def test_clean_text_rejects_non_text() -> None:
    assert error_of(clean_text, None) == texts.NOT_TEXT  # type: ignore[arg-type]


# --- numbers and scales ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("7", 7),
        ("7/10", 7),
        ("7 / 10", 7),
        ("rpe 7", 7),
        ("RPE: 7", 7),
        ("7 out of 10", 7),
        ("10/10", 10),
        ("1", 1),
        ("seven", 7),
        ("about a 7 I think", 7),
        ("6.5", 7),  # halves round up
        ("6,5", 7),
        ("7 💪", 7),
        ("７", 7),
    ],
)
def test_parse_rpe(text: str, value: int) -> None:
    assert parse_rpe(text) == value
    assert parse_quality(text) == value


@pytest.mark.parametrize(
    "text", ["0", "11", "abc", "", "-3", "7-8", "7 or 8", "rpe", "7:30", "1e9"]
)
def test_parse_rpe_rejects(text: str) -> None:
    message = error_of(parse_rpe, text)
    assert "1" in message and "10" in message and "<b>7</b>" in message
    assert "10" in error_of(parse_quality, text)


@pytest.mark.parametrize(
    ("text", "value"),
    [("52", 52), ("52 bpm", 52), ("rhr 52", 52), ("RHR: 49", 49), ("25", 25), ("120", 120)],
)
def test_parse_rhr(text: str, value: int) -> None:
    assert parse_rhr(text) == value


@pytest.mark.parametrize("text", ["20", "300", "24", "121", "", "fast", "52 54"])
def test_parse_rhr_rejects_with_the_range(text: str) -> None:
    message = error_of(parse_rhr, text)
    assert "25" in message and "120" in message


@pytest.mark.parametrize(
    ("text", "value"), [("3", 3), ("3/5", 3), ("4 out of 5", 4), ("three", 3), ("5", 5)]
)
def test_parse_scale_1_5(text: str, value: int) -> None:
    assert parse_scale_1_5(text, "soreness") == value


@pytest.mark.parametrize("text", ["0", "6", "x", "3/10", "", "2 3"])
def test_parse_scale_1_5_rejects(text: str) -> None:
    message = error_of(parse_scale_1_5, text, "stress")
    assert "stress" in message and "1" in message and "5" in message


def test_parse_scale_1_5_escapes_its_label() -> None:
    assert "&lt;b&gt;" in error_of(parse_scale_1_5, "9", "<b>")


# --- sleep and weekly volume -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("7.5", 7.5),
        ("7,5", 7.5),
        ("7h30", 7.5),
        ("7 h", 7.0),
        ("7:30", 7.5),
        ("7 hours 30 minutes", 7.5),
        ("slept 8 hours", 8.0),
        ("450 min", 7.5),
        ("7h20", 7.33),
        ("0", 0.0),
        ("16", 16.0),
        ("😴 6", 6.0),
    ],
)
def test_parse_sleep_hours(text: str, hours: float) -> None:
    assert parse_sleep_hours(text) == hours


@pytest.mark.parametrize("text", ["17", "-1", "", "lots", "7 h 8 h", "7:75", "7h 30 40"])
def test_parse_sleep_hours_rejects(text: str) -> None:
    message = error_of(parse_sleep_hours, text)
    assert "0" in message and "16" in message and "7h30" in message


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("180", 180),
        ("3h", 180),
        ("3 h 30", 210),
        ("3h30", 210),
        ("210 min", 210),
        ("3:30", 210),
        ("3.5 hours", 210),
        ("2h45m", 165),
        ("3", 180),  # a small bare number is hours
        ("15", 900),
        ("60", 60),
        ("900", 900),
    ],
)
def test_parse_weekly_minutes(text: str, minutes: int) -> None:
    assert parse_weekly_minutes(text) == minutes


@pytest.mark.parametrize("text", ["16", "59", "901", "20h", "", "a lot", "3h 4h"])
def test_parse_weekly_minutes_rejects(text: str) -> None:
    message = error_of(parse_weekly_minutes, text)
    assert "60" in message and "900" in message


# --- runs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes", "metres"),
    [
        ("45 min 8.2 km", 45.0, 8200.0),
        ("45' 8.2k", 45.0, 8200.0),
        ("45’ 8,2 km", 45.0, 8200.0),
        ("1:05:30 12k", 65.5, 12000.0),
        ("8.2 mi 45min", 45.0, 8.2 * MILE),
        ("42 minutes", 42.0, None),
        ("10 km", None, 10000.0),
        ("10K", None, 10000.0),
        ("ran 10 km in 48:30", 48.5, 10000.0),
        ("1h 10 km", 60.0, 10000.0),
        ("1 hr 5 min, 12 kilometres", 65.0, 12000.0),
        ("45m 8k", 45.0, 8000.0),  # a bare m below 100 is minutes...
        ("800m", None, 800.0),  # ...and metres from 100
        ("3 miles", None, 3 * MILE),
    ],
)
def test_parse_duration_distance(text: str, minutes: float | None, metres: float | None) -> None:
    got_minutes, got_metres = parse_duration_distance(text)
    assert got_minutes == pytest.approx(minutes)
    assert got_metres == pytest.approx(metres)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("45 min 8.2", "45 min 8.2 km"),  # a number without a unit
        ("abc", "45 min 8.2 km"),
        ("", "45 min 8.2 km"),
        ("10k 12k", "45 min 8.2 km"),
        ("8k 5 min", "2:30"),  # faster than 2:30/km
        ("5k 3h", "20:00"),  # slower than 20:00/km
        ("11 h", "10 hours"),
        ("300 km", "250 km"),
        ("0 km", "250 km"),
        ("0 min", "10 hours"),
    ],
)
def test_parse_duration_distance_rejects(text: str, hint: str) -> None:
    assert hint in error_of(parse_duration_distance, text)


# --- races ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("22:30", 1350.0),
        ("1:45:00", 6300.0),
        ("45 min", 2700.0),
        ("22m30s", 1350.0),
        ("1h45", 6300.0),
        ("45'30\"", 2730.0),
        ("45′30″", 2730.0),
        ("45", 2700.0),  # a bare number is minutes
        ("5:00:00", 18000.0),
    ],
)
def test_parse_race_time(text: str, seconds: float) -> None:
    assert parse_race_time(text) == seconds


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("", "22:30"),
        ("fast", "22:30"),
        ("22:30 23:10", "22:30"),
        ("0:00", "22:30"),
        ("22:70", "22:30"),
        ("5:00:01", "5 hours"),
    ],
)
def test_parse_race_time_rejects(text: str, hint: str) -> None:
    assert hint in error_of(parse_race_time, text)


@pytest.mark.parametrize(
    ("text", "metres", "seconds"),
    [
        ("5k 22:30", 5000.0, 1350.0),
        ("10 km in 48:10", 10000.0, 2890.0),
        ("half 1:45:00", 21097.5, 6300.0),
        ("Half Marathon 1:45:00", 21097.5, 6300.0),
        ("marathon 3:30:00", 42195.0, 12600.0),
        ("mile 6:10", MILE, 370.0),
        ("1 mile in 6:10", MILE, 370.0),
        ("1500 5:20", 1500.0, 320.0),
        ("5000m 21:05", 5000.0, 1265.0),
        ("3k 12:00", 3000.0, 720.0),
        ("15k 1:10:00", 15000.0, 4200.0),
        ("parkrun 25:00", 5000.0, 1500.0),
        ("10 48:10", 10000.0, 2890.0),  # a bare number with a time is the distance
        ("5k 25", 5000.0, 1500.0),  # and with a distance it is minutes
        ("5k 22m30s", 5000.0, 1350.0),
        ("26.2 mi 3:59:00", 26.2 * MILE, 14340.0),
        ("🏅 5K — 22:30!", 5000.0, 1350.0),
    ],
)
def test_parse_race(text: str, metres: float, seconds: float) -> None:
    got_metres, got_seconds = parse_race(text)
    assert got_metres == pytest.approx(metres)
    assert got_seconds == seconds


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("5k", "5k 22:30"),
        ("22:30", "5k 22:30"),
        ("5k 10k 22:30", "5k 22:30"),
        ("", "5k 22:30"),
        ("5k 5:00", "per km"),  # a 5K in 5 minutes
        ("mile 3:00", "per km"),
        ("5k 1:30:00", "per km"),  # slower than walking
        ("marathon 5:30:00", "5 hours"),
        ("800m 2:00", "1500 m"),
        ("100k 9:00:00", "1500 m"),
    ],
)
def test_parse_race_rejects(text: str, hint: str) -> None:
    assert hint in error_of(parse_race, text)


# --- time of day and time zones ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hour", "minute"),
    [
        ("6:30", 6, 30),
        ("06:30", 6, 30),
        ("18:00", 18, 0),
        ("7am", 7, 0),
        ("7 AM", 7, 0),
        ("7 a.m.", 7, 0),
        ("7:30 pm", 19, 30),
        ("7", 7, 0),
        ("12am", 0, 0),
        ("12pm", 12, 0),
        ("0730", 7, 30),
        ("19h30", 19, 30),
        ("6.30", 6, 30),
        ("at 6", 6, 0),
        ("noon", 12, 0),
        ("0:00", 0, 0),
    ],
)
def test_parse_clock_time(text: str, hour: int, minute: int) -> None:
    assert parse_clock_time(text) == dt.time(hour, minute)


@pytest.mark.parametrize("text", ["25:00", "24:00", "13pm", "0am", "6:61", "", "soon", "6:30 7:30"])
def test_parse_clock_time_rejects(text: str) -> None:
    assert "<b>7am</b>" in error_of(parse_clock_time, text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("Berlin", "Europe/Berlin"),
        ("new york", "America/New_York"),
        ("America/New York", "America/New_York"),
        ("São Paulo", "America/Sao_Paulo"),
        ("sao paulo", "America/Sao_Paulo"),
        ("Lord Howe", "Australia/Lord_Howe"),
        ("port au prince", "America/Port-au-Prince"),
        ("St. John's", "America/St_Johns"),
        ("Munich", "Europe/Berlin"),
        ("San Francisco", "America/Los_Angeles"),
        ("Boston", "America/New_York"),
        ("Mumbai", "Asia/Kolkata"),
        ("Beijing", "Asia/Shanghai"),
        ("Barcelona", "Europe/Madrid"),
        ("Milan", "Europe/Rome"),
        ("Edinburgh", "Europe/London"),
        ("Zurich", "Europe/Zurich"),
        ("Melbourne", "Australia/Melbourne"),
        ("I'm in Berlin", "Europe/Berlin"),
        ("Berlin, Germany", "Europe/Berlin"),
        ("singapore", "Asia/Singapore"),
    ],
)
def test_parse_time_zone_names(text: str, name: str) -> None:
    assert parse_time_zone(text) == TimeZoneChoice(name, from_offset=False)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("UTC+2", "Etc/GMT-2"),  # Etc zones invert the sign
        ("utc +2", "Etc/GMT-2"),
        ("GMT-5", "Etc/GMT+5"),
        ("UTC−5", "Etc/GMT+5"),
        ("+14", "Etc/GMT-14"),
        ("-12:00", "Etc/GMT+12"),
        ("utc", "UTC"),
        ("GMT", "UTC"),
        ("UTC+0", "UTC"),
        ("+05:30", "Asia/Kolkata"),
        ("UTC+5:45", "Asia/Kathmandu"),
        ("+0930", "Australia/Darwin"),
        ("-03:30", "America/St_Johns"),
        ("+12:45", "Pacific/Chatham"),
        ("Etc/GMT+2", "Etc/GMT+2"),
    ],
)
def test_parse_time_zone_offsets(text: str, name: str) -> None:
    assert parse_time_zone(text) == TimeZoneChoice(name, from_offset=True)


def test_zone_aliases_never_shadow_iana_names_and_all_load() -> None:
    index = parsing._zone_index()
    for alias, name in parsing._ZONE_ALIASES.items():
        assert alias not in index
        assert ZoneInfo(name) is not None
    assert parse_time_zone("EST") == TimeZoneChoice("EST", from_offset=True)  # a fixed zone


@pytest.mark.parametrize("text", ["", "atlantis", "+15", "UTC+2:15", "-13", "utc+", "42", "tz"])
def test_parse_time_zone_rejects(text: str) -> None:
    message = error_of(parse_time_zone, text)
    assert "<b>Berlin</b>" in message and "<b>UTC+2</b>" in message


def test_every_iana_zone_and_city_round_trips() -> None:
    instants = [
        dt.datetime(2025, 1, 15, 12, tzinfo=dt.UTC),
        dt.datetime(2025, 7, 15, tzinfo=dt.UTC),
    ]

    def same_clock(a: str, b: str) -> bool:
        return all(
            t.astimezone(ZoneInfo(a)).utcoffset() == t.astimezone(ZoneInfo(b)).utcoffset()
            for t in instants
        )

    for name in available_timezones() - {"Factory", "localtime"}:
        for typed in (name, name.lower(), name.replace("_", " ")):
            assert same_clock(parse_time_zone(typed).name, name), typed
        area, _, city = name.rpartition("/")
        if area.split("/")[0] in {"Africa", "America", "Asia", "Australia", "Europe", "Pacific"}:
            assert same_clock(parse_time_zone(city.replace("_", " ")).name, name), city


@pytest.mark.parametrize("hours", range(-12, 15))
def test_whole_hour_offsets_keep_their_clock(hours: int) -> None:
    choice = parse_time_zone(f"UTC{hours:+d}")
    now = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    assert now.astimezone(ZoneInfo(choice.name)).utcoffset() == dt.timedelta(hours=hours)
    assert choice.from_offset


@pytest.mark.parametrize(
    "offset", ["+03:30", "-03:30", "+05:30", "+05:45", "+06:30", "+08:45", "+09:30", "-09:30"]
)
def test_odd_offsets_map_to_a_zone_that_uses_them(offset: str) -> None:
    sign = -1 if offset[0] == "-" else 1
    expected = sign * dt.timedelta(hours=int(offset[1:3]), minutes=int(offset[4:]))
    zone = ZoneInfo(parse_time_zone(offset).name)
    seen = {dt.datetime(2025, m, 1, tzinfo=dt.UTC).astimezone(zone).utcoffset() for m in (1, 7)}
    assert expected in seen


# --- weekdays ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("mon wed fri sat", ["mon", "wed", "fri", "sat"]),
        ("Mon, Wed, Fri", ["mon", "wed", "fri"]),
        ("monday tuesday", ["mon", "tue"]),
        ("sat mon", ["mon", "sat"]),
        ("mon mon monday", ["mon"]),
        ("Tuesdays and Thursdays", ["tue", "thu"]),
        ("tues/thurs", ["tue", "thu"]),
        ("tue-thu", ["tue", "wed", "thu"]),
        ("mon to fri", ["mon", "tue", "wed", "thu", "fri"]),
        ("fri-mon", ["mon", "fri", "sat", "sun"]),
        ("weekdays", ["mon", "tue", "wed", "thu", "fri"]),
        ("weekends", ["sat", "sun"]),
        ("weekend + wed", ["wed", "sat", "sun"]),
        ("every day", ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]),
    ],
)
def test_parse_weekdays(text: str, days: list[str]) -> None:
    assert parse_weekdays(text) == days


@pytest.mark.parametrize("text", ["", "fry", "mon 5", "mon-", "- fri", "weekdays-fri", "lundi"])
def test_parse_weekdays_rejects(text: str) -> None:
    assert "<b>mon wed fri sat</b>" in error_of(parse_weekdays, text)


@pytest.mark.parametrize(("text", "day"), [("sun", "sun"), ("Saturday", "sat"), ("on weds", "wed")])
def test_parse_weekday(text: str, day: str) -> None:
    assert parse_weekday(text) == day


@pytest.mark.parametrize("text", ["", "mon wed", "weekend", "someday"])
def test_parse_weekday_rejects(text: str) -> None:
    assert error_of(parse_weekday, text) == texts.WEEKDAY_INVALID


# --- free text --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("ran 8k in 42 min rpe 6", [RunLog(42.0, 8000.0, 6)]),
        ("8 km 42 min felt 6/10", [RunLog(42.0, 8000.0, 6)]),
        ("8k, 42 min, felt 6/10", [RunLog(42.0, 8000.0, 6)]),
        ("easy run 10k 55:30", [RunLog(55.5, 10000.0, None)]),
        ("ran 10k", [RunLog(None, 10000.0, None)]),
        ("42 min rpe 6", [RunLog(42.0, None, 6)]),
        ("rhr 52", [RhrLog(52)]),
        ("resting hr 49", [RhrLog(49)]),
        ("resting heart rate was 48 bpm", [RhrLog(48)]),
        ("slept 6h", [SleepLog(6.0)]),
        ("slept 7.5 hours", [SleepLog(7.5)]),
        ("slept 7:30", [SleepLog(7.5)]),
        ("7 hours of sleep", [SleepLog(7.0)]),
        ("legs sore", [WellnessLog(4, None, None)]),
        ("very sore", [WellnessLog(5, None, None)]),
        ("a bit sore", [WellnessLog(3, None, None)]),
        ("not sore", [WellnessLog(2, None, None)]),
        ("stressed", [WellnessLog(None, 4, None)]),
        ("stress 4", [WellnessLog(None, 4, None)]),
        ("tired", [WellnessLog(None, None, 2)]),
        ("really tired", [WellnessLog(None, None, 1)]),
        ("mood 2", [WellnessLog(None, None, 2)]),
        ("legs really sore and stressed, mood 2", [WellnessLog(5, 4, 2)]),
        ("cycled 40 min rpe 3", [CrossLog("cycling", 40.0, 3)]),
        ("swim 30 min", [CrossLog("swimming", 30.0, None)]),
        ("gym 45 min", [CrossLog("strength", 45.0, None)]),
        (
            "ran 8k 42min rpe 6, rhr 52, slept 6h",
            [RunLog(42.0, 8000.0, 6), RhrLog(52), SleepLog(6.0)],
        ),
        (
            "slept 6h 😴 rhr 52\nran 8k 42 min, cycled 40 min rpe 3. legs sore",
            [
                SleepLog(6.0),
                RhrLog(52),
                RunLog(42.0, 8000.0, None),
                CrossLog("cycling", 40.0, 3),
                WellnessLog(4, None, None),
            ],
        ),
        ("hello coach!", []),
        ("", []),
        ("my 10k race is on sunday", []),  # a distance alone, no activity word: chat
        ("slept well", []),
        ("see you at 7", []),
    ],
)
def test_parse_free_text(text: str, items: list[parsing.LogItem]) -> None:
    assert parse_free_text(text) == items


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rhr 300", texts.RHR_INVALID.format(low=25, high=120)),
        ("ran 8k 42 min rpe 11", texts.RPE_INVALID.format(low=1, high=10)),
        ("ran 8k 42 min, rhr 300", texts.RHR_INVALID.format(low=25, high=120)),
        ("slept 20h", texts.SLEEP_INVALID.format(low=0, high=16)),
        ("mood 7", texts.SCALE_1_5_INVALID.format(what="mood", low=1, high=5)),
        ("rpe 6", texts.RPE_WITHOUT_SESSION),
        ("ran, felt 6/10", texts.SESSION_NEEDS_NUMBERS),
        ("ran 8k and 10k", texts.SESSION_AMBIGUOUS),
        ("cycled 40 km", texts.CROSS_NEEDS_DURATION.format(sport="cycling")),
    ],
)
def test_parse_free_text_rejects_the_whole_message(text: str, message: str) -> None:
    assert error_of(parse_free_text, text) == message


def test_parse_free_text_checks_pace() -> None:
    assert "2:30" in error_of(parse_free_text, "ran 8k in 5 min")


# --- texts ------------------------------------------------------------------------------------


def test_texts_module_says_what_it_holds() -> None:
    assert texts.__doc__ is not None and "runner-facing" in texts.__doc__


def all_texts() -> list[tuple[str, str]]:
    return [(n, v) for n, v in vars(texts).items() if n.isupper() and isinstance(v, str)]


@pytest.mark.parametrize(("name", "text"), all_texts())
def test_texts_use_only_b_and_i_tags_balanced(name: str, text: str) -> None:
    filled = text.format(
        limit=1, low=1, high=2, what="x", max_hours=1, max_km=1, pace="1:00", fastest="1:00",
        slowest="2:00", min_m=1500, sport="cycling", day="Wed 4 Nov", text="2026-02-30",
        clock="3:30", race="a marathon", duration="3 h 30 min", example="3:30:00", hours=3,
        minutes=30, km="10",
    )  # fmt: skip
    tags = re.findall(r"</?([a-z]+)>", filled)
    assert set(tags) <= {"b", "i"}, name
    assert re.sub(r"<(b|i)>[^<>]*</\1>", "", filled).count("<") == 0, name


def test_free_text_hint_gives_examples() -> None:
    assert "ran 8k in 42 min rpe 6" in texts.FREE_TEXT_HINT


# --- properties -------------------------------------------------------------------------------

TOKENS = [
    "7", "52", "8.2", "0", "300", "1e9", "km", "k", "mi", "m", "min", "h", "'", '"', "45:30",
    "1:05:30", "7:30", "rpe", "rhr", "resting hr", "slept", "sleep", "ran", "cycled", "swim", "/10",
    "/5", "sore", "very", "not", "tired", "mood", "stress", "utc", "+", "-", ":", ",", "mon", "fri",
    "to", "weekends", "am", "pm", "half", "marathon", "mile", "Berlin", "new york", "/", "😀", "❤️",
    "\x00", "\n", "\u200b", "ß", "İ", "٥", "ﷺ", "½", "²",
]  # fmt: skip

ANY_TEXT = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "So", "Nd", "Zs"])),
    st.lists(st.sampled_from(TOKENS), max_size=12).map(" ".join),
    st.lists(st.sampled_from(TOKENS), max_size=12).map("".join),
    st.text(min_size=MAX_TEXT_CHARS - 5, max_size=5000),
)


def in_range(value: float, low: float, high: float) -> bool:
    return low <= value <= high


def check_duration_distance(result: tuple[float | None, float | None]) -> bool:
    minutes, metres = result
    return (minutes is not None or metres is not None) and all(
        [
            minutes is None or 0 < minutes <= 600,
            metres is None or 0 < metres <= 250_000,
            minutes is None or metres is None or 150 <= minutes * 60 / metres * 1000 <= 1200,
        ]
    )


def check_race(result: tuple[float, float]) -> bool:
    metres, seconds = result
    return 1500 <= metres <= 42_500 and 0 < seconds <= 5 * 3600 and 1.5 <= metres / seconds <= 7.5


def check_log_item(item: parsing.LogItem) -> bool:
    if isinstance(item, RunLog):
        return check_duration_distance((item.duration_min, item.distance_m)) and (
            item.rpe is None or 1 <= item.rpe <= 10
        )
    if isinstance(item, CrossLog):
        return item.sport in CROSS_SPORTS and 0 < item.duration_min <= 600
    if isinstance(item, RhrLog):
        return 25 <= item.bpm <= 120
    if isinstance(item, SleepLog):
        return 0 <= item.hours <= 16
    scores = [item.soreness, item.stress, item.mood]
    return any(s is not None for s in scores) and all(s is None or 1 <= s <= 5 for s in scores)


CHECKS: dict[Callable[[str], Any], Callable[[Any], bool]] = {
    clean_text: lambda r: isinstance(r, str) and len(r) <= MAX_TEXT_CHARS * 18,
    parse_rpe: lambda r: in_range(r, 1, 10),
    parse_quality: lambda r: in_range(r, 1, 10),
    parse_rhr: lambda r: in_range(r, 25, 120),
    lambda text: parse_scale_1_5(text, "mood"): lambda r: in_range(r, 1, 5),
    parse_sleep_hours: lambda r: in_range(r, 0, 16),
    parse_weekly_minutes: lambda r: in_range(r, 60, 900),
    parse_duration_distance: check_duration_distance,
    parse_race_time: lambda r: 0 < r <= 5 * 3600,
    parse_race: check_race,
    parse_clock_time: lambda r: isinstance(r, dt.time),
    parse_time_zone: lambda r: ZoneInfo(r.name) is not None,
    parse_weekdays: lambda r: r and r == sorted(set(r), key=parsing.WEEKDAYS.index),
    parse_weekday: lambda r: r in parsing.WEEKDAYS,
    parse_free_text: lambda r: all(check_log_item(item) for item in r),
}
SINGLE_ARGUMENT_PARSERS = list(CHECKS)[1:]


@pytest.mark.parametrize("parse", list(CHECKS), ids=lambda f: getattr(f, "__name__", "scale"))
@settings(max_examples=300, deadline=None)
@given(text=ANY_TEXT)
def test_any_text_gives_a_value_in_range_or_a_parse_error(
    parse: Callable[[str], Any], text: str
) -> None:
    try:
        result = parse(text)
    except ParseError as error:
        assert error.message and isinstance(error.message, str)
    else:
        assert CHECKS[parse](result), (text, result)


def test_hard_inputs_are_fast() -> None:
    nasty = [
        "1" * 500,
        "1h" * 250,
        "1 " * 250,
        "1:" * 250,
        "rpe " * 125,
        "9" * 499 + "h",
        "ﷺ" * 500,
    ]
    started = stopwatch.perf_counter()
    for parse in SINGLE_ARGUMENT_PARSERS:
        for text in nasty:
            with contextlib.suppress(ParseError):
                parse(text)
    assert stopwatch.perf_counter() - started < 5


@given(st.integers(1, 10))
def test_rpe_round_trips(value: int) -> None:
    for text in (str(value), f"{value}/10", f"rpe {value}", f"RPE {value} out of 10"):
        assert parse_rpe(text) == value


@given(st.integers(25, 120))
def test_rhr_round_trips(value: int) -> None:
    assert parse_rhr(f"{value} bpm") == value


@given(st.integers(1, 5))
def test_scale_round_trips(value: int) -> None:
    assert parse_scale_1_5(f"{value}/5", "stress") == value


@given(st.integers(0, 16 * 60))
def test_sleep_round_trips(minutes: int) -> None:
    hours, rest = divmod(minutes, 60)
    for text in (f"{hours}h{rest:02d}", f"{hours}:{rest:02d}", f"{minutes} min"):
        assert parse_sleep_hours(text) == round(minutes / 60, 2)


@given(st.integers(60, 900))
def test_weekly_minutes_round_trip(minutes: int) -> None:
    hours, rest = divmod(minutes, 60)
    for text in (f"{minutes} min", f"{hours}h{rest:02d}", f"{hours}:{rest:02d}"):
        assert parse_weekly_minutes(text) == minutes


def clock(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


@given(st.integers(60, 600 * 60), st.floats(151, 1199))
def test_duration_distance_round_trips(seconds: int, pace: float) -> None:
    km = round(seconds / pace, 3)
    if not 0 < km <= 250 or not 150 <= seconds / km <= 1200:
        return
    for text in (f"{clock(seconds)} {km} km", f"{km}k in {seconds / 60} min"):
        minutes, metres = parse_duration_distance(text)
        assert minutes == pytest.approx(seconds / 60) and metres == pytest.approx(km * 1000)


@given(st.integers(1, 5 * 3600))
def test_race_time_round_trips(seconds: int) -> None:
    assert parse_race_time(clock(seconds)) == seconds
    if seconds < 3600:
        assert parse_race_time(f"{seconds // 60}:{seconds % 60:02d}") == seconds


RACES = {"mile": MILE, "5k": 5000.0, "10 km": 10000.0, "half": 21097.5, "marathon": 42195.0}


@given(st.sampled_from(sorted(RACES)), st.floats(1.6, 7.4))
def test_race_round_trips(name: str, speed: float) -> None:
    seconds = round(RACES[name] / speed)
    if seconds > 5 * 3600:
        return
    assert parse_race(f"{name} {clock(seconds)}") == (RACES[name], seconds)


@given(st.times())
def test_clock_time_round_trips(value: dt.time) -> None:
    expected = value.replace(second=0, microsecond=0)
    assert parse_clock_time(value.strftime("%H:%M")) == expected
    assert parse_clock_time(value.strftime("%I:%M %p")) == expected


@given(st.sets(st.sampled_from(parsing.WEEKDAYS), min_size=1), st.randoms())
def test_weekdays_round_trip(days: set[str], random: Any) -> None:
    shuffled = sorted(days)
    random.shuffle(shuffled)
    expected = [d for d in parsing.WEEKDAYS if d in days]
    assert parse_weekdays(", ".join(shuffled)) == expected
    assert parse_weekdays(" ".join(d.upper() for d in shuffled)) == expected


# --- issue 10: paces, durations in words, hours for long races, niggles, life, yes and no ----


@pytest.mark.parametrize(
    ("text", "minutes", "metres"),
    [
        ("ran 10k at 5:30/km", 55.0, 10_000.0),
        ("ran 5 mi at 8:10/mi", 40.83, 5 * MILE),
        ("ran 45 min at 5:30 per km", 45.0, 8181.8),
        ("jogged 6 km @ 6:00 min/km rpe 3", 36.0, 6000.0),
        ("ran 8k in 42 min at 5:15/km", 42.0, 8000.0),  # both typed: those are what happened
    ],
)
def test_a_pace_works_out_the_missing_time_or_distance(
    text: str, minutes: float, metres: float
) -> None:
    [run] = parse_free_text(text)
    assert isinstance(run, RunLog)
    assert run.duration_min == pytest.approx(minutes, abs=0.01)
    assert run.distance_m == pytest.approx(metres, abs=0.1)


def test_a_pace_alone_asks_for_a_distance_or_time() -> None:
    for text in ("8:10/mi", "ran 8:10/mi", "ran at 5:30/km"):
        assert error_of(parse_free_text, text) == texts.PACE_NEEDS_MORE
    assert error_of(parse_duration_distance, "5:30/km") == texts.PACE_NEEDS_MORE
    assert parse_duration_distance("10k at 5:30/km") == (55.0, 10_000.0)
    assert "per km" in error_of(parse_free_text, "ran 10k at 1:30/km")  # a pace no one runs


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("slept 5 and a half hours", SleepLog(5.5)),
        ("slept five and a half hours", SleepLog(5.5)),
        ("slept 7 hours and a half", SleepLog(7.5)),
        ("slept 5h30", SleepLog(5.5)),
        ("cycled half an hour", CrossLog("cycling", 30.0, None)),
        ("walked an hour and a half", CrossLog("walking", 90.0, None)),
        ("swam a quarter of an hour", CrossLog("swimming", 15.0, None)),
        ("ran an hour", RunLog(60.0, None, None)),
    ],
)
def test_durations_in_words(text: str, item: parsing.LogItem) -> None:
    assert parse_free_text(text) == [item]


def test_durations_in_words_leave_races_alone() -> None:
    assert parse_race("half 1:45:00") == (21_097.5, 6300.0)
    assert parse_sleep_hours("an hour and a half") == 1.5


@pytest.mark.parametrize(
    ("text", "question", "answer", "seconds"),
    [
        ("marathon 3:30", "3:30 for a marathon: <b>3 h 30 min</b>?", "marathon 3h30m", 12_600),
        ("half 1:45", "1:45 for a half marathon: <b>1 h 45 min</b>?", "half 1h45m", 6300),
        ("30k 2:30", "2:30 for 30 km: <b>2 h 30 min</b>?", "30000m 2h30m", 9000),
    ],
)
def test_a_time_that_can_only_be_hours_is_asked(
    text: str, question: str, answer: str, seconds: int
) -> None:
    with pytest.raises(parsing.NeedsConfirmation) as info:
        parse_race(text)
    assert info.value.message.startswith(question)
    assert info.value.answer == answer and ":" not in answer
    assert parse_race(answer)[1] == seconds  # the button's answer is read without asking


def test_a_time_right_as_minutes_is_not_asked() -> None:
    assert parse_race("10k 48:10") == (10_000.0, 2890.0)
    assert parse_race("marathon 3:30:00") == (42_195.0, 12_600.0)
    with pytest.raises(ParseError) as info:  # neither reading is a race: the usual problem
        parse_race("marathon 0:30")
    assert not isinstance(info.value, parsing.NeedsConfirmation)


@pytest.mark.parametrize(
    ("text", "niggle"),
    [
        ("calf tight", parsing.NiggleLog("calf", None, None)),
        ("knee hurts", parsing.NiggleLog("knee", None, None)),
        ("sore achilles", parsing.NiggleLog("achilles", None, None)),
        ("my knee hurts when I run", parsing.NiggleLog("knee", None, True)),
        ("calf a bit tight but not when running", parsing.NiggleLog("calf", 1, False)),
        ("really sore achilles, can't run", parsing.NiggleLog("achilles", 3, True)),
        ("shins are quite sore after runs", parsing.NiggleLog("shin", 2, False)),
        ("IT band tight", parsing.NiggleLog("it band", None, None)),
    ],
)
def test_niggles(text: str, niggle: parsing.NiggleLog) -> None:
    assert parse_free_text(text) == [niggle]


def test_a_niggle_keeps_the_run_beside_it_and_plain_soreness_stays_wellness() -> None:
    assert parse_free_text("ran 8k in 42 min calf tight") == [
        parsing.NiggleLog("calf", None, None),
        RunLog(42.0, 8000.0, None),
    ]
    assert parse_free_text("legs sore") == [WellnessLog(4, None, None)]


@pytest.mark.parametrize(
    ("text", "stress"),
    [("busy week", 4), ("work is crazy this week", 4), ("hectic day", 4), ("not busy", 2)],
)
def test_life_stress_in_words(text: str, stress: int) -> None:
    assert parse_free_text(text) == [WellnessLog(None, stress, None)]


def test_yes_and_no() -> None:
    assert all(parsing.is_yes(t) for t in ("yes", "Yes!", "ok", "yep", "correct"))
    assert all(parsing.is_no(t) for t in ("no", "No.", "keep", "Keep my data", "nope"))
    assert not any(parsing.is_yes(t) or parsing.is_no(t) for t in ("", "maybe", "5k 22:30"))
