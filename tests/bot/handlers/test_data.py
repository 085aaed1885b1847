"""/export, /calendar and /delete, driven through the emulator like a runner would.

Until bot/app.py and the router list these commands, the `registered` fixture adds them
the way that registration will: to `COMMAND_HANDLERS` (read when the harness builds the
application) and to the router's `CALLBACKS`. So the tests run the real wrapper, the real
router and the real delivery, in the real order of handlers, and keep passing unchanged
once the commands are registered for good (the fixture then adds nothing).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import func, or_, select, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel

from bot import coaching
from bot import export as files
from bot.store import repo
from bot.store.db import make_engine
from bot.store.models import Delivery
from bot.texts import common
from bot.texts import data as texts
from coach.cli import main as coach_main
from coach.describe import plan_to_dict
from coach.history import FORMAT_VERSION, Cross, Run, Skipped, Wellness, history_from_dict
from coach.replay import plan
from emulator.models import MessageRecord
from tests.bot.harness import ANA, BEN, BotHarness

# Wednesday 2 Dec 2026, 09:00 in Berlin.
WEDNESDAY = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
TODAY = date(2026, 12, 2)
PLAN_START = date(2026, 11, 23)
POSTGRES_URL = os.environ.get("RAMP_TEST_DATABASE_URL")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None (the harness's SQLite file) or PostgreSQL in a schema of its own, dropped after."""
    if request.param == "sqlite":
        yield None
        return
    if not POSTGRES_URL:
        pytest.skip("RAMP_TEST_DATABASE_URL is not set")
    schema = f"ramp_test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    # libpq's `options` in the URL: every connection of the bot's own engine uses the schema.
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


# --- helpers ----------------------------------------------------------------------------


def documents(h: BotHarness, user: int = ANA) -> list[MessageRecord]:
    return [m for m in h.emulator.bot_messages(user) if m.document is not None]


def content(message: MessageRecord) -> bytes:
    assert message.document is not None
    return message.document.content


def stored_history(h: BotHarness, user: int = ANA) -> dict[str, Any]:
    with h.runtime.sessions() as session:
        athlete = repo.get_athlete_by_telegram_id(session, user)
        assert athlete is not None
        return repo.history_for(session, athlete)


def record(h: BotHarness, user: int, *facts: Any) -> None:
    with h.runtime.sessions() as session, session.begin():
        athlete = repo.get_athlete_by_telegram_id(session, user)
        assert athlete is not None
        for fact in facts:
            coaching.record(session, athlete, fact, today=TODAY)


def parse_ics(raw: bytes) -> Calendar:
    calendar = Calendar.from_ical(raw)
    assert isinstance(calendar, Calendar)
    return calendar


# --- /export ----------------------------------------------------------------------------


async def test_export_replays_to_the_same_plan_and_logs_every_day(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        h.onboard(ANA, start=PLAN_START)
        record(
            h,
            ANA,
            Run(date(2026, 11, 23), 40, distance_m=8000, rpe=3, quality=7),
            {"date": "2026-11-24", "type": "rhr", "bpm": 52},
            Wellness(date(2026, 11, 24), sleep_h=7.5, soreness=2),
            Skipped(date(2026, 11, 25), '=HYPERLINK("http://evil")'),
            Cross(date(2026, 11, 26), "ski de fond", 45, rpe=4),
            Skipped(date(2026, 11, 27), "fièvre"),
        )
        await h.say(ANA, "/export")
        json_doc, csv_doc = documents(h)
        assert json_doc.document is not None and csv_doc.document is not None
        assert json_doc.document.filename == "ramp-history-2026-12-02.json"
        assert csv_doc.document.filename == "ramp-log-2026-12-02.csv"
        assert "python -m coach plan ramp-history-2026-12-02.json" in json_doc.plain_text

        stored = stored_history(h)
        # Exactly what is stored, in the current format version.
        assert json.loads(content(json_doc)) == {"format": FORMAT_VERSION, **stored}

        # The coach's command line on the exported file gives the plan the bot uses.
        path = tmp_path / "export.json"
        path.write_bytes(content(json_doc))
        capsys.readouterr()
        assert coach_main(["plan", str(path), "--today", TODAY.isoformat(), "--json"]) == 0
        from_cli = capsys.readouterr().out.strip()
        expected = plan(history_from_dict(stored), TODAY)
        assert from_cli == json.dumps(plan_to_dict(expected, "km"), ensure_ascii=False)

        raw = content(csv_doc)
        assert raw.startswith(codecs.BOM_UTF8)
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert rows[0] == files.csv_header("km")
        by_day = {row[0]: row for row in rows[1:]}
        assert list(by_day) == [
            (PLAN_START + timedelta(days=i)).isoformat() for i in range(10)
        ]  # plan start to today
        monday = by_day["2026-11-23"]
        session = expected.session_on(PLAN_START)
        assert session is not None
        planned = [session.title, str(session.planned_min), str(session.target_rpe)]
        assert monday[1:8] == [*planned, "40", "8", "3", "7"]
        assert by_day["2026-11-24"][9:11] == ["52", "7.5"]
        assert by_day["2026-11-25"][8] == '\'=HYPERLINK("http://evil")'  # text, not a formula
        assert by_day["2026-11-26"][14] == "ski de fond 45 min RPE 4"
        assert by_day["2026-11-27"][8] == "fièvre"


async def test_export_and_calendar_want_a_profile_and_nothing_after_them(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        reply = await h.say(ANA, "/export")
        assert reply is not None and "/start" in reply.plain_text
        h.onboard(ANA, start=PLAN_START)
        for command in ("/export all", "/calendar now", "/delete me"):
            reply = await h.say(ANA, command)
            assert reply is not None and "doesn't need anything" in reply.plain_text
        assert documents(h) == []


# --- /calendar --------------------------------------------------------------------------


async def test_calendar_has_four_weeks_of_sessions_in_the_runners_zone_across_dst(
    tmp_path: Path,
) -> None:
    # Wednesday 14 Oct 2026 in Berlin; summer time ends on Sunday 25 Oct.
    start_at = datetime(2026, 10, 14, 8, 0, tzinfo=UTC)
    async with BotHarness.started(tmp_path, start_at=start_at) as h:
        h.onboard(ANA, start=date(2026, 10, 5), morning=time(6, 30))
        await h.say(ANA, "/calendar")
        (message,) = documents(h)
        assert message.document is not None
        assert message.document.filename == "ramp-sessions-2026-10-14.ics"
        first = parse_ics(content(message))

        today = date(2026, 10, 14)
        with h.runtime.sessions() as session:
            athlete = repo.get_athlete_by_telegram_id(session, ANA)
            assert athlete is not None and athlete.id is not None
            expected_plan = coaching.plan_for(session, athlete, today, 4)
        days = [today + timedelta(days=i) for i in range(28)]
        planned = [expected_plan.session_on(d) for d in days]
        sessions = [s for s in planned if s is not None and s.type != "rest"]
        events = first.events
        assert len(events) == len(sessions) > 10
        assert f"{len(sessions)} sessions at 06:30 (Europe/Berlin)" in message.plain_text
        assert [e.summary for e in events] == [f"Ramp: {s.title}" for s in sessions]
        assert [e.uid for e in events] == [
            f"ramp-{athlete.id}-{s.date:%Y%m%d}@ramp" for s in sessions
        ]
        berlin = ZoneInfo("Europe/Berlin")
        for event, s in zip(events, sessions, strict=True):
            assert event.start.tzinfo is not None
            local = event.start.astimezone(berlin)
            assert (local.date(), local.time()) == (s.date, time(6, 30))
            assert event.duration == timedelta(minutes=s.planned_min)
            summer = s.date < date(2026, 10, 25)
            assert event.start.astimezone(UTC).hour == (4 if summer else 5)
        assert [tz.tz_name for tz in first.timezones] == ["Europe/Berlin"]
        assert "Warm-up" in "".join(str(e.description) for e in events)

        # The plan changes (a deload); a newer export updates the same events.
        await h.advance(timedelta(minutes=5))
        await h.say(ANA, "/deload")
        await h.tap(ANA, "Yes")
        await h.say(ANA, "/calendar")
        second = parse_ics(content(documents(h)[-1]))
        before = {e.uid: e for e in first.events}
        after = {e.uid: e for e in second.events}
        assert set(after) <= set(before)  # a deload only ever removes sessions
        assert any(before[uid].summary != after[uid].summary for uid in after)
        assert all(after[uid].sequence > before[uid].sequence for uid in after)
        assert all(after[uid].stamp > before[uid].stamp for uid in after)


async def test_calendar_with_nothing_planned_says_so(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        h.onboard(ANA, start=PLAN_START)
        await h.say(ANA, "/pause")
        await h.tap(ANA, "Injury")  # an open pause: no sessions until /resume
        reply = await h.say(ANA, "/calendar")
        assert reply is not None and reply.plain_text == texts.CALENDAR_EMPTY
        assert documents(h) == []


# --- /delete ----------------------------------------------------------------------------


def rows_about(session: Session, athlete_id: int, telegram_id: int) -> dict[str, int]:
    """Rows in every table that name the runner: by athlete id or by Telegram id."""
    counts: dict[str, int] = {}
    for table in SQLModel.metadata.sorted_tables:
        conditions = []
        for column in table.columns:
            refs_athlete = any(fk.target_fullname == "athletes.id" for fk in column.foreign_keys)
            if refs_athlete or (table.name == "athletes" and column.name == "id"):
                conditions.append(column == athlete_id)
            if column.name in ("telegram_user_id", "chat_id"):
                conditions.append(column == telegram_id)
        if conditions:
            statement = select(func.count()).select_from(table).where(or_(*conditions))
            counts[table.name] = session.execute(statement).scalar_one()
    return counts


def add_deliveries(h: BotHarness, athlete_id: int) -> None:
    due = WEDNESDAY + timedelta(days=1)
    with h.runtime.sessions() as session, session.begin():
        for kind, status, day in (("morning", "pending", 3), ("checkin", "sent", 2)):
            session.add(
                Delivery(
                    athlete_id=athlete_id,
                    local_date=date(2026, 12, day),
                    kind=kind,
                    status=status,
                    due_at=due,
                    next_attempt_at=due,
                )
            )


def everything_about(h: BotHarness, athlete_id: int, user: int) -> dict[str, int]:
    with h.runtime.sessions() as session:
        return rows_about(session, athlete_id, user)


async def test_delete_removes_every_row_and_a_second_tap_leaves_nothing_behind(
    tmp_path: Path, database_url: str | None
) -> None:
    async with BotHarness.started(tmp_path, database_url=database_url, start_at=WEDNESDAY) as h:
        if database_url is not None:
            with h.runtime.sessions() as session:  # the isolated schema, not public
                schema = session.execute(text("SELECT current_schema()")).scalar_one()
                assert schema.startswith("ramp_test_")
        ana = h.onboard(ANA, start=PLAN_START)
        ben = h.onboard(BEN, start=PLAN_START)
        assert ana.id is not None and ben.id is not None
        for user in (ANA, BEN):
            record(h, user, Run(date(2026, 11, 30), 40, rpe=3))
        add_deliveries(h, ana.id)
        add_deliveries(h, ben.id)
        await h.say(ANA, "/rhr 52")
        await h.say(ANA, "/trial")  # a conversation in progress
        ben_before = everything_about(h, ben.id, BEN)
        ana_before = everything_about(h, ana.id, ANA)
        assert set(ana_before) == {"athletes", "conversation_states", "events", "deliveries"}
        assert all(ana_before.values())  # the check below is not vacuous

        await h.say(ANA, "/delete")
        confirm = h.latest_with_buttons(ANA)
        assert "Delete everything?" in confirm.plain_text and "/export" in confirm.plain_text
        yes = confirm.callback_data(texts.DELETE_YES)
        assert yes == f"del:{ana.id}:20261202:yes"
        query = await h.tap(ANA, texts.DELETE_YES)
        assert h.emulator.callback_queries[query].answer_text == texts.DELETE_DONE_SHORT
        done = h.last(ANA)
        assert done.message_id == confirm.message_id and done.edited and not done.buttons
        assert "everything I knew about you is gone" in done.plain_text
        assert "/start" in done.plain_text
        assert not any(everything_about(h, ana.id, ANA).values())
        assert everything_about(h, ben.id, BEN) == ben_before

        # A double tap: the wrapper re-creates a bare row for Ana, and the tap removes it.
        query = await h.tap_data(ANA, yes, confirm.message_id)
        assert h.emulator.callback_queries[query].answer_text == texts.ALREADY_DELETED
        with h.runtime.sessions() as session:
            assert repo.get_athlete_by_telegram_id(session, ANA) is None
            assert not any(rows_about(session, ana.id, ANA).values())
        assert everything_about(h, ben.id, BEN) == ben_before

        # Afresh: /start opens a new onboarding, with nothing of the old runner.
        reply = await h.say(ANA, "/start")
        assert reply is not None and "Ten quick questions" in reply.plain_text
        assert stored_history(h)["events"] == []


async def test_keeping_the_data_changes_nothing_and_resumes_the_conversation(
    tmp_path: Path,
) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        h.onboard(ANA, start=PLAN_START)
        await h.say(ANA, "/trial")
        await h.say(ANA, "/delete")
        confirm = h.latest_with_buttons(ANA)
        yes = confirm.callback_data(texts.DELETE_YES)
        await h.tap(ANA, texts.DELETE_NO)
        kept = h.last(ANA)
        assert kept.message_id == confirm.message_id and kept.plain_text == texts.DELETE_KEPT
        reply = await h.say(ANA, "5k 21:40")  # the /trial question is open again
        assert reply is not None and "Logged: 5K in 21:40" in reply.plain_text
        # The old "yes" no longer deletes anything: the question was answered.
        query = await h.tap_data(ANA, yes, confirm.message_id)
        assert h.emulator.callback_queries[query].answer_text == common.BUTTON_EXPIRED
        assert stored_history(h)["profile"] is not None


async def test_forged_stale_and_malformed_delete_buttons_change_nothing(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        ana = h.onboard(ANA, start=PLAN_START)
        h.onboard(BEN, start=PLAN_START)
        await h.say(ANA, "/delete")
        await h.say(BEN, "/delete")
        ben_confirm = h.latest_with_buttons(BEN)
        cases = {
            f"del:{ana.id}:20261202:yes": common.BUTTON_NOT_YOURS,  # Ben taps Ana's id
            "del:x:20261202:yes": common.BUTTON_EXPIRED,
            "del:1:notaday:yes": common.BUTTON_EXPIRED,
            "del:1:20261202:maybe": common.BUTTON_EXPIRED,
            "del:": common.BUTTON_EXPIRED,
        }
        for callback, notice in cases.items():
            query = await h.tap_data(BEN, callback, ben_confirm.message_id)
            assert h.emulator.callback_queries[query].answer_text == notice, callback
        # Ana's own question, asked yesterday, has expired.
        ana_confirm = h.latest_with_buttons(ANA)
        stale = f"del:{ana.id}:20261201:yes"
        query = await h.tap_data(ANA, stale, ana_confirm.message_id)
        assert h.emulator.callback_queries[query].answer_text == common.BUTTON_EXPIRED
        for user in (ANA, BEN):
            assert stored_history(h, user)["profile"] is not None


async def test_a_runner_who_never_set_up_can_delete_too(tmp_path: Path) -> None:
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        await h.say(ANA, "/start")  # half an onboarding: a row and a conversation
        await h.say(ANA, "/delete")
        await h.tap(ANA, texts.DELETE_YES)
        assert "gone" in h.last(ANA).plain_text
        with h.runtime.sessions() as session:
            assert repo.get_athlete_by_telegram_id(session, ANA) is None


async def test_a_double_tap_when_sqlite_hands_the_same_id_back(tmp_path: Path) -> None:
    # SQLite reuses the highest rowid once it is deleted: the re-created bare row may carry
    # the very id the button names. The tap still deletes only that bare row.
    async with BotHarness.started(tmp_path, start_at=WEDNESDAY) as h:
        ana = h.onboard(ANA, start=PLAN_START)
        await h.say(ANA, "/delete")
        confirm = h.latest_with_buttons(ANA)
        yes = confirm.callback_data(texts.DELETE_YES)
        await h.tap(ANA, texts.DELETE_YES)
        await h.say(ANA, "/start")  # back the same day: a new row and an onboarding
        with h.runtime.sessions() as session:
            again = repo.get_athlete_by_telegram_id(session, ANA)
            assert again is not None and again.id == ana.id  # the id came back
        query = await h.tap_data(ANA, yes, confirm.message_id)
        # Not bare (an onboarding is open) and no question pending: nothing is deleted.
        assert h.emulator.callback_queries[query].answer_text == common.BUTTON_EXPIRED
        with h.runtime.sessions() as session:
            assert repo.get_conversation(session, ana.id or 0) is not None
        await h.say(ANA, "/cancel")
        query = await h.tap_data(ANA, yes, confirm.message_id)
        assert h.emulator.callback_queries[query].answer_text == texts.ALREADY_DELETED
        with h.runtime.sessions() as session:
            assert repo.get_athlete_by_telegram_id(session, ANA) is None
