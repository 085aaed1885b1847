"""The emulator driven over HTTP by a real python-telegram-bot ``Bot``."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, RetryAfter

from emulator import BotApiEmulator

TOKEN = "123:TEST"  # the token the conftest's bot uses
USER_ID = 4242


def yes_no() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Yes", callback_data="answer:yes"),
                InlineKeyboardButton("No", callback_data="answer:no"),
            ]
        ]
    )


async def test_get_me_reports_the_bot(emu: BotApiEmulator, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.id == 123 and me.is_bot and me.username == "ramp_coach_bot"
    assert emu.base_url.endswith("/bot") and emu.base_file_url.endswith("/file/bot")
    assert [r.method for r in emu.requests] == ["getMe", "getMe"]  # initialize() + ours


async def test_send_edit_and_transcript(emu: BotApiEmulator, bot: Bot) -> None:
    emu.user_sends_text(USER_ID, "/start")
    sent = await bot.send_message(
        USER_ID, "<b>Ready</b> for speed work?", parse_mode=ParseMode.HTML, reply_markup=yes_no()
    )
    assert sent.text == "Ready for speed work?"
    assert sent.entities[0].type == "bold"
    assert sent.reply_markup == yes_no()

    record = emu.last_bot_message(USER_ID)
    assert record is not None and record.message_id == sent.message_id == 2
    assert record.plain_text == "Ready for speed work?"
    assert record.callback_data("No") == "answer:no"

    edited = await bot.edit_message_text(
        "Great, <i>intervals</i> it is.",
        chat_id=USER_ID,
        message_id=sent.message_id,
        parse_mode=ParseMode.HTML,
    )
    assert isinstance(edited, type(sent)) and edited.edit_date is not None
    assert record.edited and record.plain_text == "Great, intervals it is."
    assert record.reply_markup is None  # editing text without reply_markup drops the keyboard
    assert [m.from_bot for m in emu.transcript(USER_ID)] == [False, True]

    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text(
            "Great, <i>intervals</i> it is.",
            chat_id=USER_ID,
            message_id=sent.message_id,
            parse_mode=ParseMode.HTML,
        )
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=USER_ID, message_id=99)
    with pytest.raises(BadRequest, match=r"(?i)message can't be edited"):
        await bot.edit_message_text("x", chat_id=USER_ID, message_id=1)

    await bot.edit_message_reply_markup(USER_ID, sent.message_id, reply_markup=yes_no())
    assert record.buttons[0]["text"] == "Yes" and record.edit_count == 2
    assert await bot.delete_message(USER_ID, sent.message_id)
    assert emu.last_bot_message(USER_ID) is None
    assert emu.violations == []


async def test_unknown_chat_is_not_found(emu: BotApiEmulator, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(777, "hello?")
    assert emu.errors[-1].description == "Bad Request: chat not found"
    assert emu.violations == []  # a semantic error, not a spec violation


async def test_tap_becomes_callback_query_update(emu: BotApiEmulator, bot: Bot) -> None:
    emu.user_sends_text(USER_ID, "/start", first_name="Ana")
    [update] = await bot.get_updates()
    assert update.message.text == "/start"
    assert update.message.entities[0].type == "bot_command"
    assert update.effective_user.first_name == "Ana"

    sent = await bot.send_message(USER_ID, "Ready?", reply_markup=yes_no())
    query_id = emu.user_taps(USER_ID, sent.message_id, "answer:yes")
    updates = await bot.get_updates(offset=update.update_id + 1)
    assert [u.update_id for u in updates] == [update.update_id + 1]
    query = updates[0].callback_query
    assert query.id == query_id and query.data == "answer:yes"
    assert query.message.message_id == sent.message_id

    assert not emu.callback_queries[query_id].answered
    await query.answer("Noted", show_alert=False)  # PTB shortcut -> answerCallbackQuery
    answered = await emu.wait_for_answer(query_id)
    assert answered.answer_text == "Noted"
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(LookupError):
        emu.user_taps(USER_ID, sent.message_id, "answer:maybe")


async def test_offset_confirms_updates(emu: BotApiEmulator, bot: Bot) -> None:
    ids = [emu.user_sends_text(USER_ID, f"run {n}") for n in range(3)]
    assert [u.update_id for u in await bot.get_updates()] == ids
    assert [u.update_id for u in await bot.get_updates()] == ids  # not confirmed yet
    assert [u.update_id for u in await bot.get_updates(offset=ids[1])] == ids[1:]
    assert [u.update_id for u in await bot.get_updates(limit=1)] == ids[1:2]
    assert await bot.get_updates(offset=ids[-1] + 1) == ()
    assert emu.pending_updates == []
    # Confirmation is permanent: an older offset does not bring updates back.
    assert await bot.get_updates(offset=ids[0]) == ()


async def test_negative_offset_keeps_only_the_latest(emu: BotApiEmulator, bot: Bot) -> None:
    ids = [emu.user_sends_text(USER_ID, f"msg {n}") for n in range(4)]
    assert [u.update_id for u in await bot.get_updates(offset=-2)] == ids[2:]


async def test_long_poll_wakes_up_on_new_update(emu: BotApiEmulator, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await emu.wait_for(lambda: emu.requests_for("getUpdates"))
    emu.user_sends_text(USER_ID, "hello")
    updates = await asyncio.wait_for(poll, 2)
    assert updates[0].message.text == "hello"


async def test_long_poll_times_out_empty(bot: Bot) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await bot.get_updates(timeout=1) == ()
    assert loop.time() - started >= 0.9


async def test_second_poller_terminates_the_first(emu: BotApiEmulator, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await emu.wait_for(lambda: emu.requests_for("getUpdates"))
    # A second bot instance with the same token, as when two processes run by mistake.
    async with Bot(TOKEN, base_url=emu.base_url) as other:
        with pytest.raises(Conflict, match=r"(?i)terminated by other getUpdates"):
            await asyncio.gather(first, other.get_updates(timeout=0))


async def test_delete_webhook_can_drop_pending(emu: BotApiEmulator, bot: Bot) -> None:
    emu.user_sends_text(USER_ID, "old news")
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == ()


async def test_duplicate_and_redelivered_updates(emu: BotApiEmulator, bot: Bot) -> None:
    emu.duplicate_next_update()
    first = emu.user_sends_text(USER_ID, "5k done")
    assert [u.update_id for u in await bot.get_updates()] == [first]
    again = await bot.get_updates(offset=first + 1)
    assert [u.update_id for u in again] == [first]
    assert await bot.get_updates(offset=first + 1) == ()

    emu.redeliver(first)
    [redelivered] = await bot.get_updates(offset=first + 1)
    assert redelivered.message.text == "5k done"


async def test_commands_menu_and_chat_action(emu: BotApiEmulator, bot: Bot) -> None:
    await bot.set_my_commands([("start", "Start"), ("plan", "This week's plan")])
    assert [c.command for c in await bot.get_my_commands()] == ["start", "plan"]
    await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    assert await bot.set_chat_menu_button()
    emu.user_sends_text(USER_ID, "hi")
    assert await bot.send_chat_action(USER_ID, "typing")
    assert emu.chat_actions == [(USER_ID, "typing")]
    assert await bot.set_my_description("Coach")  # generic method: validated, then accepted
    assert emu.violations == []


async def test_reply_keyboard_is_accepted_but_not_kept(emu: BotApiEmulator, bot: Bot) -> None:
    emu.user_sends_text(USER_ID, "hi")
    markup = ReplyKeyboardMarkup([["5 km", "10 km"]], resize_keyboard=True)
    sent = await bot.send_message(USER_ID, "Distance?", reply_markup=markup)
    assert sent.reply_markup is None
    assert emu.requests[-1].params["reply_markup"]["keyboard"] == [
        [{"text": "5 km"}, {"text": "10 km"}]
    ]


async def test_document_round_trips(emu: BotApiEmulator, bot: Bot) -> None:
    emu.user_sends_document(USER_ID, "runs.csv", b"date,km\n2025-01-01,5\n", "text/csv")
    [update] = await bot.get_updates()
    document = update.message.document
    assert (document.file_name, document.file_size, document.mime_type) == (
        "runs.csv",
        21,
        "text/csv",
    )
    file = await bot.get_file(document.file_id)
    assert file.file_path.startswith(emu.base_file_url + TOKEN.split(":")[0])
    assert bytes(await file.download_as_bytearray()) == b"date,km\n2025-01-01,5\n"

    sent = await bot.send_document(USER_ID, b"week plan", filename="plan.txt", caption="Plan")
    assert sent.document.file_name == "plan.txt" and sent.caption == "Plan"
    record = emu.last_bot_message(USER_ID)
    assert record is not None and record.document is not None
    assert record.document.content == b"week plan" and record.document.filename == "plan.txt"
    # A file_id the bot has seen can be sent again without uploading.
    again = await bot.send_document(USER_ID, sent.document.file_id)
    assert again.document.file_id == sent.document.file_id
    with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
        await bot.get_file("nope")


async def test_photo_upload_is_stored(emu: BotApiEmulator, bot: Bot) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (640).to_bytes(4) + (480).to_bytes(4)
    emu.user_sends_text(USER_ID, "chart please")
    sent = await bot.send_photo(
        USER_ID, png, filename="pace.png", caption="<b>Pace</b>", parse_mode=ParseMode.HTML
    )
    assert (sent.photo[-1].width, sent.photo[-1].height) == (640, 480)
    assert sent.caption == "Pace"
    record = emu.last_bot_message(USER_ID)
    assert record is not None and record.photo is not None
    assert record.photo.content == png and record.photo.filename == "pace.png"


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_injected_429_surfaces_as_retry_after(emu: BotApiEmulator, bot: Bot) -> None:
    emu.user_sends_text(USER_ID, "hi")
    emu.fail_next("sendMessage", retry_after=7)
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(USER_ID, "one")
    assert raised.value.retry_after == 7
    await bot.send_message(USER_ID, "two")  # only the next call fails
    assert [m.text for m in emu.bot_messages(USER_ID)] == ["two"]


async def test_injected_server_errors(emu: BotApiEmulator, bot: Bot) -> None:
    emu.user_sends_text(USER_ID, "hi")
    emu.fail_next("sendMessage", error_code=502, times=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match=r"(?i)Bad Gateway"):
            await bot.send_message(USER_ID, "x")
    emu.fail_next("*", error_code=500)
    with pytest.raises(NetworkError):
        await bot.get_me()
    await bot.send_message(USER_ID, "ok")


async def test_blocked_user_gives_forbidden(emu: BotApiEmulator, bot: Bot) -> None:
    emu.user_sends_text(USER_ID, "hi")
    emu.block_user(USER_ID)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(USER_ID, "Still there?")
    emu.user_sends_text(USER_ID, "back again")  # writing to the bot unblocks it
    await bot.send_message(USER_ID, "Welcome back")


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (
            {
                "text": "pick",
                "reply_markup": InlineKeyboardMarkup(
                    [[InlineKeyboardButton("b", callback_data="x" * 65)]]
                ),
            },
            "BUTTON_DATA_INVALID (65 bytes",
        ),
        ({"text": "x" * 4097}, "message is too long"),
        ({"text": "<b>unbalanced", "parse_mode": ParseMode.HTML}, "can't parse entities"),
        ({"text": "hi", "api_kwargs": {"colour": "red"}}, "colour: unknown field"),
    ],
)
async def test_spec_violations_are_rejected_and_recorded(
    emu: BotApiEmulator, bot: Bot, kwargs: dict[str, object], expected: str
) -> None:
    emu.user_sends_text(USER_ID, "hi")
    with pytest.raises(BadRequest) as raised:
        await bot.send_message(USER_ID, **kwargs)  # type: ignore[arg-type]
    # PTB strips "Bad Request: " and re-capitalises the description.
    assert expected.lower() in raised.value.message.lower()
    [violation] = emu.violations
    assert violation.method == "sendMessage" and expected in str(violation)
    assert emu.bot_messages(USER_ID) == []


async def test_missing_required_field_over_raw_http(emu: BotApiEmulator) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{emu.base_url}{TOKEN}/sendMessage", json={"text": "hi"})
        unknown = await client.get(f"{emu.base_url}{TOKEN}/sendTelepathy")
        bad_token = await client.get(f"{emu.base_url}nonsense/getMe")
    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: chat_id: missing required field",
    }
    assert [str(v) for v in emu.violations] == ["sendMessage: chat_id: missing required field"]
    assert unknown.status_code == 404 and unknown.json()["description"] == "Not Found"
    assert bad_token.status_code == 404


async def test_form_encoded_and_json_bodies_are_equivalent(emu: BotApiEmulator) -> None:
    emu.user_sends_text(USER_ID, "hi")
    markup = '{"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}'
    async with httpx.AsyncClient() as client:
        form = await client.post(
            f"{emu.base_url}{TOKEN}/sendMessage",
            data={"chat_id": str(USER_ID), "text": "form", "reply_markup": markup},
        )
        body = await client.post(
            f"{emu.base_url}{TOKEN}/sendMessage",
            json={"chat_id": USER_ID, "text": "json", "reply_markup": markup},
        )
    assert form.json()["ok"] and body.json()["ok"]
    assert [m.callback_data("Go") for m in emu.bot_messages(USER_ID)] == ["go", "go"]


async def test_wait_helpers(emu: BotApiEmulator, bot: Bot) -> None:
    emu.user_sends_text(USER_ID, "hi")

    async def reply_later() -> None:
        await asyncio.sleep(0.05)
        await bot.send_message(USER_ID, "first")
        await bot.send_message(USER_ID, "second")

    task = asyncio.create_task(reply_later())
    messages = await emu.wait_for_bot_messages(USER_ID, 2, timeout=2)
    assert [m.text for m in messages] == ["first", "second"]
    assert (await emu.wait_for_bot_text(USER_ID, "sec")).text == "second"
    await task
    with pytest.raises(TimeoutError, match=r"(?i)condition not met"):
        await emu.wait_for(lambda: False, timeout=0.05)


# --- limits mode ------------------------------------------------------------------------


async def test_limits_are_off_unless_switched_on(emu: BotApiEmulator, bot: Bot) -> None:
    emu.register_user(USER_ID)
    for _ in range(5):
        await bot.send_message(USER_ID, "quick")
    assert emu.rate_limited == []


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_limits_refuse_a_second_message_in_a_chat_within_a_second(
    emu: BotApiEmulator, bot: Bot
) -> None:
    emu.register_user(USER_ID)
    emu.register_user(USER_ID + 1)
    emu.enable_limits()
    await bot.send_message(USER_ID, "one")
    with pytest.raises(RetryAfter) as refused:
        await bot.send_message(USER_ID, "two")
    assert refused.value.retry_after == 1
    await bot.send_message(USER_ID + 1, "another chat is fine")
    await bot.edit_message_text("edits are not per chat", chat_id=USER_ID, message_id=1)
    assert [e.method for e in emu.rate_limited] == ["sendMessage"]
    assert len(emu.bot_messages(USER_ID)) == 1


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_limits_refuse_the_thirty_first_message_in_a_second(
    emu: BotApiEmulator, bot: Bot
) -> None:
    users = range(5000, 5031)
    for user in users:
        emu.register_user(user)
    emu.enable_limits()
    results = await asyncio.gather(
        *(bot.send_message(user, "morning") for user in users), return_exceptions=True
    )
    refused = [r for r in results if isinstance(r, RetryAfter)]
    assert len(refused) == 1
    assert refused[0].retry_after in (1, timedelta(seconds=1))
    assert len(emu.rate_limited) == 1


async def test_paid_broadcast_has_a_higher_ceiling(emu: BotApiEmulator, bot: Bot) -> None:
    users = range(6000, 6040)
    for user in users:
        emu.register_user(user)
    emu.enable_limits()
    await asyncio.gather(
        *(bot.send_message(user, "morning", allow_paid_broadcast=True) for user in users)
    )
    assert emu.rate_limited == []
